// Attachments end to end (ATTACHMENTS.md) against the real binary: uploads,
// every refusal of the policy, the access rules, deduplication, kill -9
// after a 201, erasure with a scan of the data dir, hard delete, and clamd.
#include <filesystem>
#include <set>

#include "api_fixture.h"
#include "attachment_calls.h"
#include "cli_runner.h"
#include "clamd_process.h"
#include "disk_scan.h"
#include "sample_files.h"
#include "temp_dir.h"

namespace ticketd::integration {
namespace {

namespace fs = std::filesystem;
using test_support::AnyFileContains;
using test_support::SampleHtml;
using test_support::SamplePdf;
using test_support::SamplePng;

class AttachmentsTest : public AttachmentCalls<TenantTest> {};

TEST_F(AttachmentsTest, UploadListAndDownloadWithTheContractsHeaders) {
  const std::string ticket = CreateTicket(reporter_);
  const std::string png = SamplePng("pixels");
  HttpResponse response = Upload(reporter_, ticket, {{"file", "../../shots/screen.png", png}, {"file", "C:\\x\\doc.pdf", SamplePdf()}});
  ASSERT_TRUE(HasStatus(response, 201));
  Json json(response.body);
  auto items = GetArray(json.root(), "items");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(GetString(items[0], "filename"), "screen.png");
  EXPECT_EQ(GetString(items[0], "content_type"), "image/png");
  EXPECT_EQ(GetInt(items[0], "size"), static_cast<std::int64_t>(png.size()));
  EXPECT_EQ(GetString(items[0], "ticket_id"), ticket);
  EXPECT_TRUE(IsNull(items[0], "comment_id"));
  EXPECT_EQ(GetString(items[0], "uploaded_by"), reporter_.id);
  EXPECT_EQ(GetString(items[0], "sha256").size(), 64u);
  EXPECT_FALSE(GetString(items[0], "created_at").empty());
  EXPECT_EQ(GetString(items[1], "filename"), "doc.pdf");
  EXPECT_EQ(GetString(items[1], "content_type"), "application/pdf");
  const std::string id = GetString(items[0], "id");

  HttpResponse list = Get(agent_.token, "/api/v1/tickets/" + ticket + "/attachments");
  ASSERT_TRUE(HasStatus(list, 200));
  Json listed(list.body);
  EXPECT_EQ(GetArray(listed.root(), "items").size(), 2u);

  HttpResponse bytes = Download(reporter_, id);
  ASSERT_TRUE(HasStatus(bytes, 200));
  EXPECT_EQ(bytes.body, png);
  EXPECT_EQ(bytes.Header("Content-Type"), "image/png");
  EXPECT_EQ(bytes.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(bytes.Header("Content-Disposition"), "attachment; filename*=UTF-8''screen.png");
  EXPECT_EQ(bytes.Header("ETag"), "\"" + GetString(items[0], "sha256") + "\"");
  EXPECT_EQ(bytes.Header("Content-Length"), std::to_string(png.size()));
}

TEST_F(AttachmentsTest, EveryPolicyRefusalHasItsAnswerAndStoresNothing) {
  const std::string ticket = CreateTicket(reporter_);
  std::vector<Part> six(6, Part{"file", "a.png", SamplePng()});
  EXPECT_TRUE(IsError(Upload(reporter_, ticket, six), 400, "TOO_MANY_FILES"));

  HttpResponse large = Upload(reporter_, ticket, {{"file", "big.png", SamplePng(std::string(5 * 1024 * 1024, 'x'))}});
  ASSERT_TRUE(IsError(large, 413, "FILE_TOO_LARGE"));
  Json large_json(large.body);
  EXPECT_EQ(GetString(large_json.root(), "error.details.filename"), "big.png");
  EXPECT_EQ(GetInt(large_json.root(), "error.details.limit"), 5242880);

  HttpResponse html = Upload(reporter_, ticket, {{"file", "ok.png", SamplePng()}, {"file", "page.png", SampleHtml()}});
  ASSERT_TRUE(IsError(html, 415, "UNSUPPORTED_MEDIA_TYPE"));
  Json html_json(html.body);
  EXPECT_EQ(GetString(html_json.root(), "error.details.filename"), "page.png");
  EXPECT_EQ(GetString(html_json.root(), "error.details.detected"), "text/html");

  EXPECT_TRUE(IsError(Upload(reporter_, ticket, {{"file", std::string(300, 'n') + ".png", SamplePng()}}), 400,
                      "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Call("POST", reporter_.token, "/api/v1/tickets/" + ticket + "/attachments",
                           "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"file\"; "
                           "filename=\"a.png\"\r\n\r\ntruncated",
                           {{"Content-Type", "multipart/form-data; boundary=" + std::string(kBoundary)}}),
                      400, "VALIDATION_ERROR"));

  HttpResponse list = Get(reporter_.token, "/api/v1/tickets/" + ticket + "/attachments");
  Json listed(list.body);
  EXPECT_TRUE(GetArray(listed.root(), "items").empty()) << "all or nothing: " << list.body;
}

TEST_F(AttachmentsTest, AccessRulesForListingAndBytes) {
  const std::string ticket = CreateTicket(reporter_);
  const std::string id = UploadOne(reporter_, ticket, "a.png", SamplePng());
  User stranger = CreateUser(tenant_, "reporter");
  EXPECT_TRUE(IsError(Upload(stranger, ticket, {{"file", "b.png", SamplePng()}}), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Get(stranger.token, "/api/v1/tickets/" + ticket + "/attachments"), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Download(stranger, id), 404, "NOT_FOUND"));

  EXPECT_TRUE(HasStatus(Get(manager_.token, "/api/v1/tickets/" + ticket + "/attachments"), 200));
  EXPECT_TRUE(IsError(Download(manager_, id), 403, "FORBIDDEN"));
  EXPECT_TRUE(HasStatus(Download(agent_, id), 200));
  EXPECT_TRUE(HasStatus(Download(tenant_.admin, id), 200));

  Tenant other = CreateTenant();
  EXPECT_TRUE(IsError(Download(other.admin, id), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Get(tenant_.admin.token, "/api/v1/attachments/not-an-id"), 404, "NOT_FOUND"));
}

TEST_F(AttachmentsTest, TheSameBytesOnTwoTicketsSurviveTheDeleteOfOne) {
  const std::string png = SamplePng("shared-bytes");
  const std::string a = CreateTicket(reporter_);
  const std::string b = CreateTicket(reporter_);
  const std::string on_a = UploadOne(reporter_, a, "a.png", png);
  const std::string on_b = UploadOne(reporter_, b, "b.png", png);
  ASSERT_TRUE(HasStatus(Delete(tenant_.admin.token, "/api/v1/tickets/" + a), 204));
  EXPECT_TRUE(IsError(Download(reporter_, on_a), 404, "NOT_FOUND"));
  HttpResponse still = Download(reporter_, on_b);
  ASSERT_TRUE(HasStatus(still, 200));
  EXPECT_EQ(still.body, png);
}

TEST_F(AttachmentsTest, MultipartCreateAndCommentCarryTheirFiles) {
  const std::string form = "multipart/form-data; boundary=" + std::string(kBoundary);
  HttpResponse created = Call("POST", reporter_.token, "/api/v1/tickets",
                              Multipart({{"subject", "", "Screen is blue"}, {"description", "", "see shot"},
                                         {"priority", "", "high"}, {"file", "shot.png", SamplePng()}}),
                              {{"Content-Type", form}});
  ASSERT_TRUE(HasStatus(created, 201));
  Json ticket_json(created.body);
  const std::string ticket = GetString(ticket_json.root(), "id");
  EXPECT_EQ(GetString(ticket_json.root(), "priority"), "high");
  auto created_files = GetArray(ticket_json.root(), "attachments");
  ASSERT_EQ(created_files.size(), 1u) << created.body;
  EXPECT_EQ(GetString(created_files[0], "ticket_id"), ticket);

  HttpResponse comment = Call("POST", agent_.token, "/api/v1/tickets/" + ticket + "/comments",
                              Multipart({{"body", "", "internal note"}, {"internal", "", "true"},
                                         {"file", "log.pdf", SamplePdf()}}),
                              {{"Content-Type", form}});
  ASSERT_TRUE(HasStatus(comment, 201));
  Json comment_json(comment.body);
  auto comment_files = GetArray(comment_json.root(), "attachments");
  ASSERT_EQ(comment_files.size(), 1u) << comment.body;
  EXPECT_EQ(GetString(comment_files[0], "comment_id"), GetString(comment_json.root(), "id"));
  EXPECT_EQ(GetBool(comment_files[0], "internal"), true);
  const std::string internal_id = GetString(comment_files[0], "id");

  HttpResponse reporter_list = Get(reporter_.token, "/api/v1/tickets/" + ticket + "/attachments");
  Json reporter_json(reporter_list.body);
  EXPECT_EQ(GetArray(reporter_json.root(), "items").size(), 1u) << "the internal comment's file is hidden";
  EXPECT_TRUE(IsError(Download(reporter_, internal_id), 404, "NOT_FOUND"));
  EXPECT_TRUE(HasStatus(Download(agent_, internal_id), 200));

  HttpResponse refused = Call("POST", reporter_.token, "/api/v1/tickets",
                              Multipart({{"subject", "", "x"}, {"description", "", "y"}, {"file", "p.png", SampleHtml()}}),
                              {{"Content-Type", form}});
  EXPECT_TRUE(IsError(refused, 415, "UNSUPPORTED_MEDIA_TYPE"));
}

class AttachmentDurabilityTest : public AttachmentCalls<OwnServerTest> {};

TEST_F(AttachmentDurabilityTest, AnUploadAnswered201SurvivesKill9) {
  const std::string ticket = CreateTicket(agent_);
  const std::string pdf = SamplePdf(std::string(300 * 1024, 'k'));
  const std::string id = UploadOne(agent_, ticket, "report.pdf", pdf);
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  HttpResponse bytes = Download(agent_, id);
  ASSERT_TRUE(HasStatus(bytes, 200));
  EXPECT_EQ(bytes.body, pdf);
  ASSERT_TRUE(server_.Stop());
  CliResult verify = RunReplay("verify --data-dir " + server_.data_dir());
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("\"checked\":1"), std::string::npos) << verify.out;
  ASSERT_TRUE(server_.Restart());
}

// The SST files of the data dir (an ingested upload adds one), staging
// files left out.
std::set<std::string> SstFiles(const std::string& dir) {
  std::set<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string path = entry.path().string();
    if (entry.path().extension() == ".sst" && path.find("/staging/") == std::string::npos) files.insert(path);
  }
  return files;
}

// Bytes the tenant has stored already are not staged and ingested again
// (attachment_stream.cc): the second upload only adds a reference, and that
// reference alone keeps them across kill -9 and the delete of the first ticket.
TEST_F(AttachmentDurabilityTest, AReuploadOfStoredBytesIngestsNothingAndKeepsThem) {
  const std::string pdf = SamplePdf(std::string(600 * 1024, 'r'));
  const std::string first = CreateTicket(agent_);
  const std::string second = CreateTicket(agent_);
  UploadOne(agent_, first, "a.pdf", pdf);
  const std::set<std::string> before = SstFiles(server_.data_dir());
  const std::string id = UploadOne(agent_, second, "b.pdf", pdf);
  EXPECT_EQ(SstFiles(server_.data_dir()), before) << "the stored bytes were ingested again";
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  ASSERT_TRUE(HasStatus(Delete(tenant_.admin.token, "/api/v1/tickets/" + first), 204));
  HttpResponse bytes = Download(agent_, id);
  ASSERT_TRUE(HasStatus(bytes, 200));
  EXPECT_EQ(bytes.body, pdf);
}

TEST_F(AttachmentDurabilityTest, ABackupHoldsTheAttachments) {
  const std::string ticket = CreateTicket(agent_);
  const std::string png = SamplePng(std::string(64 * 1024, 'b'));
  const std::string id = UploadOne(agent_, ticket, "backup.png", png);
  test_support::TempDir scratch("attachments-backup");
  const std::string to = scratch.path() + "/copy";
  ASSERT_TRUE(HasStatus(Post(kAdminToken, "/api/v1/admin/backups", R"({"to":)" + Quote(to) + "}"), 201));
  EXPECT_EQ(RunReplay("verify --data-dir " + to).exit_code, 0);
  ServerProcess restored(TicketdBinary(), kAdminToken);
  restored.set_extra_args({"--data-dir", to});
  ASSERT_TRUE(restored.Start());
  HttpClient client("127.0.0.1", restored.port());
  HttpResponse bytes = client.Request("GET", "/api/v1/attachments/" + id, {}, {{"Authorization", "Bearer " + agent_.token}});
  ASSERT_TRUE(HasStatus(bytes, 200));
  EXPECT_EQ(bytes.body, png);
  EXPECT_TRUE(restored.Stop());
}

TEST_F(AttachmentDurabilityTest, ErasureLeavesNoReadableByteOfTheFile) {
  const std::string marker = "ATTACHMENT-ERASURE-MARKER-5d1c";
  const std::string ticket = CreateTicket(agent_);
  const std::string id = UploadOne(agent_, ticket, "secret.pdf", SamplePdf(marker));
  ASSERT_TRUE(HasStatus(Download(agent_, id), 200));
  ASSERT_TRUE(HasStatus(Post(tenant_.admin.token, "/api/v1/erasure",
                             R"({"subject_type":"ticket","id":")" + ticket + R"("})"),
                        200));
  EXPECT_TRUE(IsError(Download(agent_, id), 404, "NOT_FOUND"));
  HttpResponse list = Get(agent_.token, "/api/v1/tickets/" + ticket + "/attachments");
  Json listed(list.body);
  auto items = GetArray(listed.root(), "items");
  ASSERT_EQ(items.size(), 1u) << list.body;
  EXPECT_EQ(GetString(items[0], "filename"), "[erased]");
  ASSERT_TRUE(server_.Stop());
  EXPECT_FALSE(AnyFileContains(server_.data_dir(), marker));
  CliResult verify = RunReplay("verify --data-dir " + server_.data_dir());
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("\"erased\":1"), std::string::npos) << verify.out;
  ASSERT_TRUE(server_.Restart());
}

class AttachmentScanTest : public AttachmentCalls<OwnServerTest> {
 protected:
  static constexpr const char* kMarker = "TICKETD-E2E-MALWARE-MARKER-91b2";
  void SetUp() override {
    ASSERT_EQ(clamd_.Start(), "");
    server_.set_extra_args({"--clamd", clamd_.socket_path()});
    OwnServerTest::SetUp();
  }
  test_support::ClamdProcess clamd_{kMarker};
};

TEST_F(AttachmentScanTest, MalwareIsRefusedAndAnUnreachableScannerIs503) {
  const std::string ticket = CreateTicket(agent_);
  EXPECT_TRUE(HasStatus(Upload(agent_, ticket, {{"file", "clean.png", SamplePng()}}), 201));
  HttpResponse infected = Upload(agent_, ticket, {{"file", "clean.png", SamplePng()}, {"file", "evil.pdf", SamplePdf(kMarker)}});
  ASSERT_TRUE(IsError(infected, 422, "MALWARE_DETECTED"));
  Json json(infected.body);
  EXPECT_EQ(GetString(json.root(), "error.details.filename"), "evil.pdf");
  EXPECT_EQ(GetString(json.root(), "error.details.signature").rfind(test_support::ClamdProcess::kSignaturePrefix, 0), 0u);
  clamd_.Stop();
  EXPECT_EQ(Upload(agent_, ticket, {{"file", "clean.png", SamplePng()}}).status, 503);
}

}  // namespace
}  // namespace ticketd::integration

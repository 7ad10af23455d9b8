// attachment_count on ticket JSON and GET /api/v1/admin/storage
// (ATTACHMENTS.md), against the real binary: single answers and list items,
// a reporter's count without the files of internal comments, the count
// after a restart from a snapshot, and the storage counts through
// deduplication, hard delete and erasure.
#include "api_fixture.h"
#include "attachment_calls.h"
#include "sample_files.h"

namespace ticketd::integration {
namespace {

using test_support::SamplePdf;
using test_support::SamplePng;

constexpr char kStorage[] = "/api/v1/admin/storage";

std::optional<std::int64_t> CountIn(const HttpResponse& response) {
  Json json(response.body);
  return GetInt(json.root(), "attachment_count");
}

// The attachment_count of `ticket` among a listing's items.
std::optional<std::int64_t> CountInList(const HttpResponse& response, const std::string& ticket) {
  Json json(response.body);
  for (const auto& item : GetArray(json.root(), "items")) {
    if (GetString(item, "id") == ticket) return GetInt(item, "attachment_count");
  }
  return std::nullopt;
}

struct Storage {
  std::int64_t attachments = -1, blobs = -1, blob_bytes = -1;
  bool operator==(const Storage&) const = default;
};
std::ostream& operator<<(std::ostream& out, const Storage& s) {
  return out << "{attachments " << s.attachments << ", blobs " << s.blobs << ", blob_bytes " << s.blob_bytes << "}";
}

class AttachmentCountTest : public AttachmentCalls<TenantTest> {
 protected:
  Storage StorageOf(const User& admin) {
    HttpResponse response = Get(admin.token, kStorage);
    EXPECT_TRUE(HasStatus(response, 200)) << response.body;
    Json json(response.body);
    return {GetInt(json.root(), "attachments").value_or(-1), GetInt(json.root(), "blobs").value_or(-1),
            GetInt(json.root(), "blob_bytes").value_or(-1)};
  }
  HttpResponse InternalCommentWithFile(const std::string& ticket, const std::string& bytes) {
    return Call("POST", agent_.token, "/api/v1/tickets/" + ticket + "/comments",
                Multipart({{"body", "", "internal note"}, {"internal", "", "true"}, {"file", "log.pdf", bytes}}),
                {{"Content-Type", MultipartType()}});
  }
};

TEST_F(AttachmentCountTest, SingleAnswersAndListItemsCountFilesAndReportersMissInternalOnes) {
  HttpResponse created = Call("POST", reporter_.token, "/api/v1/tickets",
                              Multipart({{"subject", "", "Printer"}, {"description", "", "jammed"},
                                         {"file", "jam.png", SamplePng("jam")}}),
                              {{"Content-Type", MultipartType()}});
  ASSERT_TRUE(HasStatus(created, 201)) << created.body;
  EXPECT_EQ(CountIn(created), 1) << "the create's own answer counts its file";
  Json created_json(created.body);
  const std::string ticket = GetString(created_json.root(), "id");
  const std::string plain = CreateTicket(reporter_);
  EXPECT_EQ(CountIn(Get(reporter_.token, "/api/v1/tickets/" + plain)), 0);

  ASSERT_TRUE(HasStatus(Upload(reporter_, ticket, {{"file", "a.png", SamplePng("a")}, {"file", "b.pdf", SamplePdf()}}),
                        201));
  HttpResponse comment = InternalCommentWithFile(ticket, SamplePdf("internal"));
  ASSERT_TRUE(HasStatus(comment, 201)) << comment.body;

  const std::string path = "/api/v1/tickets/" + ticket;
  EXPECT_EQ(CountIn(Get(agent_.token, path)), 4);
  EXPECT_EQ(CountIn(Get(reporter_.token, path)), 3) << "the internal comment's file is left out";
  EXPECT_EQ(CountInList(Get(agent_.token, "/api/v1/tickets?page_size=200"), ticket), 4);
  EXPECT_EQ(CountInList(Get(reporter_.token, "/api/v1/tickets?page_size=200"), ticket), 3);
  EXPECT_EQ(CountInList(Get(reporter_.token, "/api/v1/tickets?page_size=200"), plain), 0);

  // A command's answer counts for its caller too.
  HttpResponse edited = Patch(reporter_.token, path, R"({"description":"still jammed"})");
  ASSERT_TRUE(HasStatus(edited, 200)) << edited.body;
  EXPECT_EQ(CountIn(edited), 3);
  HttpResponse by_agent = Patch(agent_.token, path, R"({"priority":"low"})");
  ASSERT_TRUE(HasStatus(by_agent, 200)) << by_agent.body;
  EXPECT_EQ(CountIn(by_agent), 4);
}

TEST_F(AttachmentCountTest, StorageCountsDeduplicateAndShrinkOnDeleteAndErasure) {
  EXPECT_TRUE(IsError(Get(agent_.token, kStorage), 403, "FORBIDDEN")) << "settings:manage only";
  EXPECT_EQ(StorageOf(tenant_.admin), (Storage{0, 0, 0}));

  const std::string shared = SamplePng("shared-between-tickets");
  const std::string own = SamplePdf("only-on-the-erased-ticket");
  const std::string kept_alone = SamplePng("only-on-the-kept-ticket");
  const std::string kept = CreateTicket(reporter_);
  const std::string erased = CreateTicket(reporter_);
  const std::string deleted = CreateTicket(reporter_);
  UploadOne(reporter_, kept, "shared.png", shared);
  UploadOne(reporter_, kept, "alone.png", kept_alone);
  UploadOne(reporter_, erased, "shared-again.png", shared);
  UploadOne(reporter_, erased, "own.pdf", own);
  UploadOne(reporter_, deleted, "shared-thrice.png", shared);
  UploadOne(reporter_, deleted, "same-twice.png", shared);  // the same ticket, the same bytes

  const auto size = [](const std::string& bytes) { return static_cast<std::int64_t>(bytes.size()); };
  EXPECT_EQ(StorageOf(tenant_.admin), (Storage{6, 3, size(shared) + size(own) + size(kept_alone)}))
      << "identical files are one blob";

  Tenant other = CreateTenant();
  EXPECT_EQ(StorageOf(other.admin), (Storage{0, 0, 0})) << "counts are per tenant";

  ASSERT_TRUE(HasStatus(Delete(tenant_.admin.token, "/api/v1/tickets/" + deleted), 204));
  EXPECT_EQ(StorageOf(tenant_.admin), (Storage{4, 3, size(shared) + size(own) + size(kept_alone)}))
      << "a hard delete takes its attachments out at once; the shared blob stays";

  ASSERT_TRUE(HasStatus(Post(tenant_.admin.token, "/api/v1/erasure",
                             R"({"subject_type":"ticket","id":")" + erased + R"("})"),
                        200));
  EXPECT_EQ(StorageOf(tenant_.admin), (Storage{2, 2, size(shared) + size(kept_alone)}))
      << "the erased ticket's own file leaves the store";
}

class AttachmentCountRestartTest : public AttachmentCalls<OwnServerTest> {};

TEST_F(AttachmentCountRestartTest, CountsAndStorageComeBackFromTheShutdownSnapshot) {
  const std::string ticket = CreateTicket(agent_);
  UploadOne(agent_, ticket, "a.png", SamplePng("restart-a"));
  UploadOne(agent_, ticket, "b.png", SamplePng("restart-a"));
  const std::string before = Get(tenant_.admin.token, kStorage).body;
  ASSERT_TRUE(server_.Stop());  // a clean stop writes a snapshot at the head
  ASSERT_TRUE(server_.Restart());
  bool from_snapshot = false;
  for (const std::string& line : server_.StderrLines()) {
    if (line.find("then 0 events replayed") != std::string::npos) from_snapshot = true;
  }
  EXPECT_TRUE(from_snapshot) << "the restart did not load a snapshot";
  EXPECT_EQ(CountIn(Get(agent_.token, "/api/v1/tickets/" + ticket)), 2);
  EXPECT_EQ(CountInList(Get(agent_.token, "/api/v1/tickets?page_size=200"), ticket), 2);
  EXPECT_EQ(Get(tenant_.admin.token, kStorage).body, before);
  Json json(before);
  EXPECT_EQ(GetInt(json.root(), "attachments"), 2);
  EXPECT_EQ(GetInt(json.root(), "blobs"), 1);
}

}  // namespace
}  // namespace ticketd::integration

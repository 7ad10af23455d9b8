// MAIL.md "Email in" step 3 with attachments, against the real binary (and a
// real clamd): a mail's attachment parts go through ATTACHMENTS.md's policy
// one by one; those that pass are attached to the new ticket or the comment
// (in the same commit), the others are skipped and listed in `skipped`.
#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "api_fixture.h"
#include "clamd_process.h"
#include "json_helpers.h"
#include "sample_files.h"

namespace ticketd::integration {
namespace {

using test_support::SampleHtml;
using test_support::SamplePdf;
using test_support::SamplePng;

std::atomic<int> mail_counter{0};

std::string Base64Lines(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 3; ++k) v = v << 8 | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0);
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(v >> (18 - 6 * k)) & 63] : '=';
    if ((i / 3 + 1) % 19 == 0) out += "\r\n";  // 76-character lines
  }
  return out + "\r\n";
}

struct Part {
  std::string filename;      // empty: no filename parameter
  std::string content_type;  // as declared (ticketd sniffs the bytes instead)
  std::string bytes;
  bool inline_part = false;  // Content-Disposition: inline (an image in the text)
};

// A multipart/mixed mail as a mail client writes it: the text, then the parts.
std::string MimeMail(const std::string& from, const std::string& subject, const std::string& in_reply_to,
                     const std::vector<Part>& parts) {
  const std::string boundary = "=_ticketd_test_boundary_7f3a";
  std::string mail = "From: Sender <" + from + ">\r\nTo: helpdesk@help.example.com\r\nSubject: " + subject +
                     "\r\nMessage-ID: <att-" + std::to_string(++mail_counter) + ".k2@mail.example.com>\r\n";
  if (!in_reply_to.empty()) mail += "In-Reply-To: " + in_reply_to + "\r\n";
  mail += "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  mail += "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the attached files.\r\n";
  for (const Part& part : parts) {
    mail += "--" + boundary + "\r\nContent-Type: " + part.content_type;
    if (!part.filename.empty()) mail += "; name=\"" + part.filename + "\"";
    mail += "\r\nContent-Transfer-Encoding: base64\r\n";
    mail += std::string("Content-Disposition: ") + (part.inline_part ? "inline" : "attachment");
    if (!part.filename.empty()) mail += "; filename=\"" + part.filename + "\"";
    mail += "\r\n\r\n" + Base64Lines(part.bytes);
  }
  return mail + "--" + boundary + "--\r\n";
}

class InboundMailAttachmentsTest : public OwnServerTest {
 protected:
  void SetUp() override {
    OwnServerTest::SetUp();
    if (HasFatalFailure()) return;
    reporter_ = CreateUser(tenant_, "reporter");
    ASSERT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/settings", R"({"features":{"public_api":true}})"), 200));
    HttpResponse created = Post(tenant_.admin.token, "/api/v1/api-keys", R"({"name":"mta","scopes":["mail:inbound"]})");
    ASSERT_TRUE(HasStatus(created, 201));
    key_ = GetString(Json(created.body).root(), "key");
  }
  HttpResponse PostMail(std::string_view mail) {
    return Call("POST", key_, "/public/v1/inbound-mail", mail, {{"Content-Type", "message/rfc822"}});
  }
  struct Listed {
    std::string id, filename, content_type, comment_id;
  };
  std::vector<Listed> Attachments(const std::string& ticket) {
    Json json(Get(agent_.token, "/api/v1/tickets/" + ticket + "/attachments").body);
    std::vector<Listed> listed;
    for (auto item : GetArray(json.root(), "items"))
      listed.push_back({GetString(item, "id"), GetString(item, "filename"), GetString(item, "content_type"),
                        GetString(item, "comment_id")});
    return listed;
  }
  // (filename, code) of the answer's skipped parts.
  std::vector<std::pair<std::string, std::string>> Skipped(const HttpResponse& answer) {
    Json json(answer.body);
    std::vector<std::pair<std::string, std::string>> skipped;
    for (auto item : GetArray(json.root(), "skipped"))
      skipped.emplace_back(GetString(item, "filename"), GetString(item, "code"));
    return skipped;
  }

  User reporter_;
  std::string key_;
};

TEST_F(InboundMailAttachmentsTest, NewTicketGetsThePngAndPdfAndSkipsTheHtml) {
  const std::string png = SamplePng("inbound-png"), pdf = SamplePdf("inbound-pdf");
  HttpResponse posted = PostMail(MimeMail(reporter_.email, "Scanner broken", "",
                                          {{"screen.png", "image/png", png},
                                           {"page.html", "text/html", SampleHtml()},
                                           {"report.pdf", "application/octet-stream", pdf}}));
  ASSERT_TRUE(HasStatus(posted, 201));
  Json answer(posted.body);
  EXPECT_EQ(GetString(answer.root(), "action"), "ticket");
  ASSERT_EQ(Skipped(posted), (std::vector<std::pair<std::string, std::string>>{{"page.html", "UNSUPPORTED_MEDIA_TYPE"}}));
  EXPECT_EQ(GetString(GetArray(answer.root(), "skipped")[0], "detected"), "text/html");
  const std::string ticket = GetString(answer.root(), "ticket_id");
  auto listed = Attachments(ticket);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].filename, "screen.png");
  EXPECT_EQ(listed[0].content_type, "image/png");
  EXPECT_EQ(listed[1].filename, "report.pdf");
  EXPECT_EQ(listed[1].content_type, "application/pdf") << "sniffed, not the declared octet-stream";
  EXPECT_EQ(Get(reporter_.token, "/api/v1/attachments/" + listed[0].id).body, png) << "the decoded bytes";
  EXPECT_EQ(Get(reporter_.token, "/api/v1/attachments/" + listed[1].id).body, pdf);
}

TEST_F(InboundMailAttachmentsTest, ReplyAttachesToItsCommentAndReopensWithThem) {
  const std::string ticket = CreateTicket(reporter_);
  const std::string thread = "<t." + ticket + "@help.example.com>";
  HttpResponse reply = PostMail(MimeMail(reporter_.email, "Re: Printer", thread,
                                         {{"", "image/png", SamplePng("no-name"), true},
                                          {"notes.txt", "text/plain", "just text\r\n"}}));
  ASSERT_TRUE(HasStatus(reply, 201));
  EXPECT_EQ(GetString(Json(reply.body).root(), "action"), "comment");
  const std::string comment_id = GetString(Json(reply.body).root(), "comment_id");
  EXPECT_EQ(Skipped(reply), (std::vector<std::pair<std::string, std::string>>{{"notes.txt", "UNSUPPORTED_MEDIA_TYPE"}}));
  auto listed = Attachments(ticket);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].filename, "attachment-1") << "an inline image without a name";
  EXPECT_EQ(listed[0].comment_id, comment_id);

  // Resolved, then the reporter replies with a file: reopened, the file on the reopening comment.
  ASSERT_TRUE(HasStatus(Post(agent_.token, "/api/v1/tickets/" + ticket + "/status", R"({"status":"resolved"})"), 200));
  HttpResponse reopen = PostMail(MimeMail(reporter_.email, "Re: Printer", thread, {{"again.pdf", "application/pdf", SamplePdf()}}));
  ASSERT_TRUE(HasStatus(reopen, 201));
  Json reopened(reopen.body);
  EXPECT_EQ(GetString(reopened.root(), "action"), "reopen");
  EXPECT_TRUE(GetArray(reopened.root(), "skipped").empty());
  listed = Attachments(ticket);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1].filename, "again.pdf");
  EXPECT_EQ(listed[1].comment_id, GetString(reopened.root(), "comment_id"));
  EXPECT_EQ(GetString(Json(GetTicket(agent_, ticket).body).root(), "status"), "open");
}

TEST_F(InboundMailAttachmentsTest, PartsPastTheFileLimitAndOversizedOnesAreSkipped) {
  std::vector<Part> parts;
  for (int i = 1; i <= 7; ++i) parts.push_back({"shot" + std::to_string(i) + ".png", "image/png", SamplePng()});
  parts.insert(parts.begin() + 1, Part{"huge.pdf", "application/pdf", SamplePdf(std::string(5 * 1024 * 1024, 'x'))});
  const std::string mail = MimeMail(reporter_.email, "Many files", "", parts);
  HttpResponse posted = PostMail(mail);
  ASSERT_TRUE(HasStatus(posted, 201));
  EXPECT_EQ(Skipped(posted), (std::vector<std::pair<std::string, std::string>>{
                                 {"huge.pdf", "FILE_TOO_LARGE"}, {"shot6.png", "TOO_MANY_FILES"}, {"shot7.png", "TOO_MANY_FILES"}}));
  const std::string ticket = GetString(Json(posted.body).root(), "ticket_id");
  EXPECT_EQ(Attachments(ticket).size(), 5u);
  // A repeat of the mail: the first answer (skipped list included), nothing attached twice.
  HttpResponse again = PostMail(mail);
  ASSERT_TRUE(HasStatus(again, 200));
  EXPECT_EQ(again.body, posted.body);
  EXPECT_EQ(Attachments(ticket).size(), 5u);
}

class InboundMailScanTest : public InboundMailAttachmentsTest {
 protected:
  static constexpr const char* kMarker = "TICKETD-MAIL-IN-MALWARE-MARKER-4c1d";
  void SetUp() override {
    ASSERT_EQ(clamd_.Start(), "");
    server_.set_extra_args({"--clamd", clamd_.socket_path()});
    InboundMailAttachmentsTest::SetUp();
  }
  test_support::ClamdProcess clamd_{kMarker};
};

TEST_F(InboundMailScanTest, InfectedPartIsSkippedAndAnUnreachableScannerRefusesTheMail) {
  HttpResponse posted = PostMail(MimeMail(reporter_.email, "Invoice", "",
                                          {{"clean.png", "image/png", SamplePng()},
                                           {"invoice.pdf", "application/pdf", SamplePdf(kMarker)}}));
  ASSERT_TRUE(HasStatus(posted, 201));
  ASSERT_EQ(Skipped(posted), (std::vector<std::pair<std::string, std::string>>{{"invoice.pdf", "MALWARE_DETECTED"}}));
  Json answer(posted.body);
  EXPECT_EQ(GetString(GetArray(answer.root(), "skipped")[0], "signature")
                .rfind(test_support::ClamdProcess::kSignaturePrefix, 0),
            0u);
  auto listed = Attachments(GetString(answer.root(), "ticket_id"));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].filename, "clean.png");

  // Scanner gone: 503, so the MTA keeps the mail and retries; nothing is created.
  const std::int64_t before = GetInt(Json(Get(agent_.token, "/api/v1/tickets").body).root(), "total").value_or(-1);
  clamd_.Stop();
  HttpResponse refused = PostMail(MimeMail(reporter_.email, "Later", "", {{"clean.png", "image/png", SamplePng()}}));
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(GetInt(Json(Get(agent_.token, "/api/v1/tickets").body).root(), "total").value_or(-1), before);
}

}  // namespace
}  // namespace ticketd::integration

// The MIME reader (GMime) on real-world mails (tests/fixtures/mail): header
// words, charsets, transfer encodings, alternatives, HTML-only bodies, the
// common clients' replies; and garbage, which must never crash.
#include "mime_reader.h"

#include <gtest/gtest.h>

#include "html_text.h"
#include "mail_fixture.h"
#include "ticketd/domain/reply_text.h"

namespace ticketd::api {
namespace {

constexpr std::string_view kTicket = "0b3c6a2e-8f1d-4c55-9a7e-2d4f6b8c0e11";

std::string Fixture(const std::string& name) {
  return test_support::MailFixture(name, {{"FROM", "alice@example.com"},
                                          {"MESSAGE_ID", "msg-1@mail.example.com"},
                                          {"TICKET_ID", std::string(kTicket)},
                                          {"NUMBER", "ACME-000001"}});
}

domain::InboundMail Read(const std::string& name) {
  auto mail = ReadMime(Fixture(name));
  EXPECT_TRUE(mail.ok()) << name << ": " << (mail.ok() ? "" : mail.error().message);
  return mail.ok() ? mail.value() : domain::InboundMail{};
}

TEST(MimeReader, EncodedWordsInSubjectAndEightBitBody) {
  domain::InboundMail mail = Read("encoded_words.eml");
  EXPECT_EQ(mail.subject, "Drucker im 3. Stock druckt nur noch \xC3\xBC" "berall Streifen");
  EXPECT_EQ(mail.from, "alice@example.com");
  EXPECT_EQ(mail.message_id, "msg-1@mail.example.com");
  EXPECT_EQ(mail.recipients, std::vector<std::string>{"helpdesk@help.example.com"});
  EXPECT_NE(mail.text.find("Kartusche schon gewechselt \xE2\x80\x93 ohne Erfolg."), std::string::npos) << mail.text;
}

TEST(MimeReader, QuotedPrintableLatin1BodyBecomesUtf8) {
  domain::InboundMail mail = Read("quoted_printable_latin1.eml");
  EXPECT_EQ(mail.subject, "Outlook startet nicht");
  EXPECT_NE(mail.text.find("Das Fenster kann nicht ge\xC3\xB6" "ffnet werden."), std::string::npos) << mail.text;
  EXPECT_NE(mail.text.find("Sch\xC3\xB6ne Gr\xC3\xBC\xC3\x9F" "e"), std::string::npos) << mail.text;
}

TEST(MimeReader, Base64Utf8Body) {
  domain::InboundMail mail = Read("base64_utf8.eml");
  EXPECT_NE(mail.text.find("every five minutes"), std::string::npos) << mail.text;
  EXPECT_NE(mail.text.find("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"), std::string::npos) << mail.text;
}

TEST(MimeReader, AlternativePrefersThePlainPart) {
  domain::InboundMail mail = Read("multipart_alternative.eml");
  EXPECT_NE(mail.text.find("prepare a laptop with the standard image"), std::string::npos) << mail.text;
  EXPECT_EQ(mail.text.find("HTML PART MUST NOT WIN"), std::string::npos);
}

TEST(MimeReader, HtmlOnlyBodyBecomesText) {
  domain::InboundMail mail = Read("html_only.eml");
  EXPECT_EQ(mail.text,
            "My monitor flickers & goes black \xE2\x80\x93 every few minutes.\n\n"
            "Model: Dell\xC2\xA0U2720Q\nDesk: 4.12\n\nCaf\xC3\xA9 floor.");
}

TEST(MimeReader, AttachmentPartsAreNotTheBody) {
  domain::InboundMail mail = Read("multipart_mixed_attachment.eml");
  EXPECT_EQ(mail.text, "The scanner shows error E42, see the attached scan.\n");
}

TEST(MimeReader, GmailReplyThreadHeadersAndQuote) {
  domain::InboundMail mail = Read("gmail_reply.eml");
  ASSERT_EQ(mail.in_reply_to.size(), 1u);
  EXPECT_TRUE(mail.in_reply_to[0].starts_with("t." + std::string(kTicket) + ".e."));
  ASSERT_EQ(mail.references.size(), 2u);
  EXPECT_EQ(mail.references[0], "t." + std::string(kTicket) + "@help.example.com");
  EXPECT_EQ(mail.recipients,
            std::vector<std::string>{"helpdesk+t." + std::string(kTicket) + "@help.example.com"});
  EXPECT_EQ(domain::StripQuotedReply(mail.text), "It still jams after the fix, sorry.");
}

TEST(MimeReader, OutlookReplyWindows1252AndOriginalMessage) {
  domain::InboundMail mail = Read("outlook_reply.eml");
  EXPECT_EQ(mail.subject, "RE: [ACME-000001] Printer jams");
  EXPECT_EQ(domain::StripQuotedReply(mail.text),
            "Please also check the docking station \xE2\x80\x93 it\xE2\x80\x99s the usual suspect.");
}

TEST(MimeReader, AppleMailReply) {
  domain::InboundMail mail = Read("apple_mail_reply.eml");
  EXPECT_EQ(mail.message_id, "msg-1@mail.example.com");  // "Message-Id" spelling
  EXPECT_EQ(mail.in_reply_to, std::vector<std::string>{"t." + std::string(kTicket) + "@help.example.com"});
  EXPECT_EQ(domain::StripQuotedReply(mail.text), "Thanks, works now!");
}

TEST(MimeReader, ThunderbirdReplyFoldedReferences) {
  domain::InboundMail mail = Read("thunderbird_reply.eml");
  EXPECT_EQ(mail.references.size(), 2u);
  EXPECT_EQ(domain::StripQuotedReply(mail.text), "The toner light is blinking now.");
}

TEST(MimeReader, AutoReplyAndBulkHeaders) {
  EXPECT_EQ(Read("auto_reply.eml").auto_submitted, "auto-replied");
  EXPECT_EQ(Read("bulk.eml").precedence, "bulk");
  EXPECT_EQ(Read("encoded_words.eml").auto_submitted, "");
}

TEST(MimeReader, NoFromIsAProblemNamingFrom) {
  auto mail = ReadMime("To: a@b\r\nSubject: x\r\n\r\nbody\r\n");
  ASSERT_FALSE(mail.ok());
  EXPECT_EQ(mail.error().field, "From");
}

TEST(MimeReader, GarbageNeverCrashesAndIsAProblem) {
  for (std::string garbage : {std::string(""), std::string("\0\0\0\xff\xfe", 5), std::string("not a mail"),
                              std::string("From:\r\n\r\n"), std::string(100000, '\n'),
                              std::string("Content-Type: multipart/mixed; boundary=x\r\nFrom: a@b\r\n\r\n--x\r\n")}) {
    auto mail = ReadMime(garbage);
    if (mail.ok()) {
      EXPECT_FALSE(mail.value().from.empty());
    }
  }
}

TEST(MimeReader, DeeplyNestedMultipartsNeitherCrashNorFindABodyTooDeep) {
  std::string mail = "From: a@b.c\r\n";
  for (int i = 0; i < 100000; ++i)  // ~5.5 MB, within the route's 10 MiB
    mail += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" + std::to_string(i) + "\r\n";
  mail += "Content-Type: text/plain\r\n\r\nburied\r\n";
  auto parsed = ReadMime(mail);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().text, "") << "parts below the depth limit are not read";
}

TEST(MimeReader, InvalidUtf8BecomesValid) {
  auto mail = ReadMime("From: a@b.c\r\nSubject: \xff\xfe bad\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\xc3\x28 x\r\n");
  ASSERT_TRUE(mail.ok());
  EXPECT_NE(mail.value().text.find("x"), std::string::npos);
  EXPECT_EQ(mail.value().text.find("\xc3\x28"), std::string::npos);
}

TEST(HtmlText, BlockquoteLinesAreQuoted) {
  EXPECT_EQ(HtmlToText("<p>New text</p><blockquote><p>old</p><p>older</p></blockquote>"),
            "New text\n\n> old\n\n> older");
}

TEST(HtmlText, PreKeepsLines) { EXPECT_EQ(HtmlToText("<pre>a  b\nc</pre>"), "a  b\nc"); }

// Attachments come out decoded and in order; the text bodies are not among them.
TEST(MimeReader, AttachmentPartsAreDecodedButNotTheBodies) {
  std::vector<app::IncomingFile> files;
  auto mail = ReadMime(Fixture("multipart_mixed_attachment.eml"), &files);
  ASSERT_TRUE(mail.ok());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].filename, "scan.pdf");
  EXPECT_EQ(files[0].bytes.rfind("%PDF-1.4", 0), 0u) << "base64 undone";
  files.clear();
  ASSERT_TRUE(ReadMime(Fixture("multipart_alternative.eml"), &files).ok());
  EXPECT_TRUE(files.empty()) << "text/plain and text/html alternatives are the body";
  const std::string nested =
      "From: a@example.com\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee below\r\n"
      "--b\r\nContent-Type: image/gif\r\nContent-Disposition: inline\r\n\r\nGIF89a\r\n"
      "--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: c@example.com\r\nSubject: old\r\n\r\nold text\r\n--b--\r\n";
  ASSERT_TRUE(ReadMime(nested, &files).ok());
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename, "attachment-1");
  EXPECT_EQ(files[1].filename, "attached-mail-2.eml");
  EXPECT_NE(files[1].bytes.find("old text"), std::string::npos);
}

}  // namespace
}  // namespace ticketd::api

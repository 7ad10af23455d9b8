#include <gtest/gtest.h>

#include "sample_files.h"
#include "streamed_intake.h"
#include "ticketd/app/attachment_intake.h"
#include "ticketd/base/sha256.h"

namespace ticketd::app {
namespace {

using Kind = AttachmentRefusal::Kind;
namespace samples = test_support;

TEST(AttachmentFilename, StripsAnyPath) {
  EXPECT_EQ(NormalizeAttachmentFilename("../../a.png").value(), "a.png");
  EXPECT_EQ(NormalizeAttachmentFilename("C:\\x\\a.png").value(), "a.png");
  EXPECT_EQ(NormalizeAttachmentFilename("/etc/passwd").value(), "passwd");
  EXPECT_EQ(NormalizeAttachmentFilename("Übersicht 2024.pdf").value(), "Übersicht 2024.pdf");
}

TEST(AttachmentFilename, RefusesEmptyLongControlBidiAndBadUtf8) {
  for (std::string_view bad : {std::string_view(""), std::string_view("dir/"), std::string_view(".."),
                               std::string_view("a\0b.png", 7), std::string_view("a\r\nb.png"),
                               std::string_view("invoice\u202Egpj.exe"), std::string_view("\xff\xfe.png"),
                               std::string_view("\xc0\xaf.png")}) {
    auto result = NormalizeAttachmentFilename(bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error().kind, Kind::kInvalidFilename);
  }
  EXPECT_TRUE(NormalizeAttachmentFilename(std::string(251, 'a') + ".png").ok());
  EXPECT_FALSE(NormalizeAttachmentFilename(std::string(252, 'a') + ".png").ok());
  EXPECT_TRUE(NormalizeAttachmentFilename("x/" + std::string(255, 'a')).ok()) << "the limit is after stripping";
}

TEST(MimeSniffing, RecognisesTheAllowedTypesFromTheirBytes) {
  EXPECT_EQ(SniffMimeType(samples::SamplePng()), "image/png");
  EXPECT_EQ(SniffMimeType(samples::SampleJpeg()), "image/jpeg");
  EXPECT_EQ(SniffMimeType(samples::SampleGif()), "image/gif");
  EXPECT_EQ(SniffMimeType(samples::SamplePdf()), "application/pdf");
  EXPECT_EQ(SniffMimeType(samples::SampleWebp()), "image/webp");
  EXPECT_EQ(SniffMimeType(samples::SampleHeic()), "image/heic");
  EXPECT_EQ(SniffMimeType(samples::SampleHtml()), "text/html");
}

TEST(MimeSniffing, AnHtmlPageWithPdfInsideIsNotAPdf) {
  EXPECT_EQ(SniffMimeType("<html><body>%PDF-1.4 x</body></html>"), "text/html");
  EXPECT_FALSE(IsAllowedAttachmentType(SniffMimeType("<html><body>%PDF-1.4 x</body></html>")));
}

// The policy as uploads apply it: StreamedFiles, fed piece by piece.
TEST(AttachmentPolicy, ChecksEveryFileAndReturnsTheirFacts) {
  AttachmentPolicy policy;
  testing::StreamedIntake intake;
  auto result = intake.Run(policy, {{"shots/a.png", samples::SamplePng()}, {"b.pdf", samples::SamplePdf()}});
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->size(), 2u);
  EXPECT_EQ(result.value()[0].filename, "a.png");
  EXPECT_EQ(result.value()[0].content_type, "image/png");
  EXPECT_EQ(result.value()[0].sha256, Sha256Hex(samples::SamplePng()));
  EXPECT_FALSE(result.value()[0].staged.empty()) << "the bytes are staged in the log";
  EXPECT_EQ(result.value()[1].content_type, "application/pdf");
  EXPECT_EQ(result.value()[1].size, static_cast<std::int64_t>(samples::SamplePdf().size()));
}

TEST(AttachmentPolicy, OneBadFileRefusesTheWholeRequest) {
  AttachmentPolicy policy;
  testing::StreamedIntake intake;
  auto result = intake.Run(policy, {{"a.png", samples::SamplePng()}, {"page.png", samples::SampleHtml()}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, Kind::kUnsupportedType);
  EXPECT_EQ(result.error().filename, "page.png");
  EXPECT_EQ(result.error().detail, "text/html");
}

TEST(AttachmentPolicy, RefusesTooManyAndTooLargeFiles) {
  AttachmentPolicy policy;
  testing::StreamedIntake intake;
  std::vector<IncomingFile> six(6, IncomingFile{"a.png", samples::SamplePng()});
  auto many = intake.Run(policy, six);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().kind, Kind::kTooManyFiles);

  std::string big = samples::SamplePng(std::string(5 * 1024 * 1024, 'x'));
  auto large = intake.Run(policy, {{"big.png", big}});
  ASSERT_FALSE(large.ok());
  EXPECT_EQ(large.error().kind, Kind::kFileTooLarge);
  EXPECT_EQ(large.error().filename, "big.png");

  std::string exact = samples::SamplePng();
  exact.resize(5 * 1024 * 1024, 'x');
  EXPECT_TRUE(intake.Run(policy, {{"exact.png", exact}}).ok()) << "5 MiB itself is allowed";
}

TEST(AttachmentPolicy, UnreachableScannerRefusesAsUnavailable) {
  AttachmentPolicy policy({}, "/nonexistent/clamd.sock");
  testing::StreamedIntake intake;
  auto result = intake.Run(policy, {{"a.png", samples::SamplePng()}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, Kind::kScannerUnavailable);
}

}  // namespace
}  // namespace ticketd::app

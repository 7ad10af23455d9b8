// The scan against a real clamd with a one-signature database.
#include <gtest/gtest.h>

#include "clamd_process.h"
#include "sample_files.h"
#include "streamed_intake.h"
#include "ticketd/app/attachment_intake.h"

namespace ticketd::app {
namespace {

constexpr const char* kMarker = "TICKETD-TEST-MALWARE-MARKER-7f3a";

class ClamdScanTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(clamd_.Start(), ""); }
  test_support::ClamdProcess clamd_{kMarker};
};

TEST_F(ClamdScanTest, CleanFilesPassAndTheMarkerIsMalware) {
  AttachmentPolicy policy({}, clamd_.socket_path());
  testing::StreamedIntake intake;  // the upload path: scanned as the bytes arrive
  auto clean = intake.Run(policy, {{"a.png", test_support::SamplePng("harmless")}});
  ASSERT_TRUE(clean.ok()) << clean.error().detail;

  // The marker past the first chunk: INSTREAM sends the whole file.
  std::string filler(200 * 1024, 'x');
  auto infected = intake.Run(policy, {{"ok.png", test_support::SamplePng()},
                                      {"evil.pdf", test_support::SamplePdf(filler + kMarker)}});
  ASSERT_FALSE(infected.ok());
  EXPECT_EQ(infected.error().kind, AttachmentRefusal::Kind::kMalware);
  EXPECT_EQ(infected.error().filename, "evil.pdf");
  EXPECT_EQ(infected.error().detail.rfind(test_support::ClamdProcess::kSignaturePrefix, 0), 0u)
      << infected.error().detail;
}

TEST_F(ClamdScanTest, AStoppedScannerIsUnavailable) {
  clamd_.Stop();
  AttachmentPolicy policy({}, clamd_.socket_path());
  testing::StreamedIntake intake;
  auto result = intake.Run(policy, {{"a.png", test_support::SamplePng()}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, AttachmentRefusal::Kind::kScannerUnavailable);
}

}  // namespace
}  // namespace ticketd::app

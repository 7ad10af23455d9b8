// Upload bodies paced while creates saturate the writer (issue 13's QoS,
// bulk_read_pacer.h), against the real binary: with eight connections
// creating tickets in a loop (the writer's group commits deep, /metrics
// ticketd_command_path_saturated 1), an upload is read at the floor rate,
// and it still completes byte for byte, whether its body has a length or is
// chunked. The floor is set small (--upload-floor-kib 1024: 1 MiB/s for all
// uploads together) so that a 2.5 MiB file is certainly paced.
#include <openssl/sha.h>

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "api_fixture.h"
#include "attachment_calls.h"
#include "poll_until.h"
#include "sample_files.h"

namespace ticketd::integration {
namespace {

using test_support::PollUntil;
using test_support::SamplePdf;

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  std::string hex;
  char two[3];
  for (unsigned char byte : digest) {
    std::snprintf(two, sizeof two, "%02x", byte);
    hex += two;
  }
  return hex;
}

// A file no other upload of the test sent (distinct bytes: nothing deduplicated).
std::string DistinctFile(char seed) {
  std::string filler(2'500'000, '\0');
  for (std::size_t i = 0; i < filler.size(); ++i) filler[i] = static_cast<char>((i * 193 + i / 4099 + seed) & 0xff);
  return SamplePdf(filler);
}

class UploadPacingTest : public AttachmentCalls<OwnServerTest> {
 protected:
  static constexpr int kCreators = 8;

  void SetUp() override {
    server_.set_extra_args({"--upload-floor-kib", "1024"});
    OwnServerTest::SetUp();
  }
  void TearDown() override {
    StopCreates();
    OwnServerTest::TearDown();
  }

  // Creates on kCreators connections until StopCreates, then waits until
  // the writer counts as saturated.
  void SaturateTheWriter() {
    for (int i = 0; i < kCreators; ++i) {
      creators_.emplace_back([this, port = server().port()] {
        HttpClient client("127.0.0.1", port);
        while (!stop_.load()) {
          client.Request("POST", "/api/v1/tickets", R"({"subject":"Load","description":"keeps the writer busy"})",
                         {{"Authorization", "Bearer " + agent_.token}});
        }
      });
    }
    ASSERT_TRUE(PollUntil([&] { return Metric("ticketd_command_path_saturated") == 1; }))
        << "eight create loops did not saturate the writer";
  }
  void StopCreates() {
    stop_ = true;
    for (std::thread& creator : creators_) creator.join();
    creators_.clear();
  }
  double Metric(const std::string& name) { return MetricValue(Get("", "/metrics").body, name); }

  // The stored file `id` is `sent` (its sha256 as reported and as downloaded).
  void ExpectStoredIntact(const std::string& id, const std::string& reported_sha256, const std::string& sent) {
    EXPECT_EQ(reported_sha256, Sha256Hex(sent));
    HttpResponse bytes = Download(agent_, id);
    ASSERT_TRUE(HasStatus(bytes, 200));
    EXPECT_EQ(Sha256Hex(bytes.body), Sha256Hex(sent)) << "the stored file differs from the one sent";
  }

  // Ends the create load, then: `uploaded` stored the one `file` intact,
  // and the upload was held back while the writer was saturated.
  void ExpectPacedAndIntact(const HttpResponse& uploaded, const std::string& file) {
    const double paced_seconds = Metric("ticketd_upload_paced_seconds_total");
    StopCreates();
    ASSERT_TRUE(HasStatus(uploaded, 201)) << uploaded.body;
    Json json(uploaded.body);
    auto items = GetArray(json.root(), "items");
    ASSERT_EQ(items.size(), 1u);
    ExpectStoredIntact(GetString(items[0], "id"), GetString(items[0], "sha256"), file);
    EXPECT_GT(paced_seconds, 0) << "the upload was never held back while the writer was saturated";
  }

  std::atomic<bool> stop_{false};
  std::vector<std::thread> creators_;
};

TEST_F(UploadPacingTest, AnUploadBesideSaturatingCreatesIsPacedAndArrivesIntact) {
  const std::string ticket = CreateTicket(agent_);
  const std::string file = DistinctFile('L');
  ASSERT_NO_FATAL_FAILURE(SaturateTheWriter());
  HttpResponse uploaded = Upload(agent_, ticket, {{"file", "paced.pdf", file}});
  ASSERT_NO_FATAL_FAILURE(ExpectPacedAndIntact(uploaded, file));
  EXPECT_GE(Metric("ticketd_upload_paced_bytes_total"), 1'000'000) << "most of the body was read unpaced";
}

TEST_F(UploadPacingTest, AChunkedUploadBesideSaturatingCreatesIsPacedAndArrivesIntact) {
  const std::string ticket = CreateTicket(agent_);
  const std::string file = DistinctFile('C');
  const std::string body = Multipart({{"file", "chunked.pdf", file}});
  ASSERT_NO_FATAL_FAILURE(SaturateTheWriter());
  HttpClient client("127.0.0.1", server().port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(client.Send("POST /api/v1/tickets/" + ticket + "/attachments HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " +
                          agent_.token + "\r\nContent-Type: " + MultipartType() +
                          "\r\nTransfer-Encoding: chunked\r\n\r\n"));
  constexpr std::size_t kChunk = 100'000;
  for (std::size_t at = 0; at < body.size(); at += kChunk) {
    const std::string chunk = body.substr(at, kChunk);
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
    ASSERT_TRUE(client.Send(size + chunk + "\r\n"));
  }
  ASSERT_TRUE(client.Send("0\r\n\r\n"));
  HttpResponse uploaded;
  ASSERT_TRUE(client.Read(uploaded));
  ASSERT_NO_FATAL_FAILURE(ExpectPacedAndIntact(uploaded, file));
}

}  // namespace
}  // namespace ticketd::integration

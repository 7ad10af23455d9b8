// kill -9 in the middle of an upload's durability path (blob_staging.h): with
// the staging file written and synced but not ingested, and with it ingested
// but its attachment.added not committed. Either way the restarted server
// lists no attachment, has swept the orphan (no staging file left, verify
// clean), and takes the same bytes again as a new upload.
#include <filesystem>
#include <fstream>
#include <future>

#include "api_fixture.h"
#include "attachment_calls.h"
#include "cli_runner.h"
#include "poll_until.h"
#include "sample_files.h"
#include "temp_dir.h"

namespace ticketd::integration {
namespace {

namespace fs = std::filesystem;

class AttachmentCrashTest : public AttachmentCalls<OwnServerTest> {
 protected:
  void TearDown() override {
    std::ofstream(scratch_.path() + "/release").put('x');  // never leave a paused server behind
    OwnServerTest::TearDown();
  }

  // Uploads `bytes` with the server paused at `failpoint`, kills it there,
  // and restarts it without failpoints.
  void CrashUploadAt(const std::string& failpoint, const std::string& ticket, const std::string& bytes) {
    ASSERT_TRUE(server_.Stop());
    server_.set_extra_env({"TICKETD_FAILPOINT=" + failpoint + ":pause",
                           "TICKETD_FAILPOINT_RELEASE=" + scratch_.path() + "/release"});
    ASSERT_TRUE(server_.Restart());
    const std::uint16_t port = server_.port();
    const std::string token = agent_.token;
    auto upload = std::async(std::launch::async, [=] {
      HttpClient client("127.0.0.1", port);
      return client.Request("POST", "/api/v1/tickets/" + ticket + "/attachments",
                            Multipart({{"file", "crash.pdf", bytes}}),
                            {{"Authorization", "Bearer " + token}, {"Content-Type", MultipartType()}});
    });
    const std::string paused = "failpoint " + failpoint + ": paused";
    EXPECT_TRUE(test_support::PollUntil([&] {
      for (const std::string& line : server_.StderrLines())
        if (line.find(paused) != std::string::npos) return true;
      return false;
    })) << server_.StderrTail();
    server_.Kill9();
    upload.wait();
    server_.set_extra_env({});
    ASSERT_TRUE(server_.Restart());
  }

  std::size_t StagingFiles() const {
    std::size_t count = 0;
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(server_.data_dir(), ec))
      if (entry.path().parent_path().filename() == "staging" && entry.is_regular_file()) ++count;
    return count;
  }

  void ExpectNothingLeftAndTheBytesUploadAgain(const std::string& ticket, const std::string& bytes) {
    HttpResponse list = Get(agent_.token, "/api/v1/tickets/" + ticket + "/attachments");
    ASSERT_TRUE(HasStatus(list, 200));
    Json listed(list.body);
    EXPECT_EQ(GetArray(listed.root(), "items").size(), 0u) << "an unanswered upload was committed: " << list.body;
    EXPECT_EQ(StagingFiles(), 0u) << "a staging file outlived the restart";
    const std::string id = UploadOne(agent_, ticket, "again.pdf", bytes);
    HttpResponse download = Download(agent_, id);
    ASSERT_TRUE(HasStatus(download, 200));
    EXPECT_EQ(download.body, bytes);
    ASSERT_TRUE(server_.Stop());
    CliResult verify = RunReplay("verify --data-dir " + server_.data_dir());
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
    EXPECT_NE(verify.out.find("\"checked\":1"), std::string::npos) << verify.out;
    ASSERT_TRUE(server_.Restart());
  }

  test_support::TempDir scratch_{"attachment-crash"};
};

TEST_F(AttachmentCrashTest, Kill9WithTheStagingFileWrittenButNotIngested) {
  const std::string ticket = CreateTicket(agent_);
  const std::string pdf = test_support::SamplePdf(std::string(600 * 1024, 'w'));  // three chunks
  CrashUploadAt("blob_staging.written", ticket, pdf);
  ExpectNothingLeftAndTheBytesUploadAgain(ticket, pdf);
}

TEST_F(AttachmentCrashTest, Kill9WithTheChunksIngestedButNotCommitted) {
  const std::string ticket = CreateTicket(agent_);
  const std::string pdf = test_support::SamplePdf(std::string(600 * 1024, 'i'));
  CrashUploadAt("blob_staging.ingested", ticket, pdf);
  ExpectNothingLeftAndTheBytesUploadAgain(ticket, pdf);
}

}  // namespace
}  // namespace ticketd::integration

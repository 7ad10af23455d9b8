// What leaves the server about an attachment, against the real binary: the
// Kafka stream (embedded cluster, read with kcat as any consumer would)
// carries attachment.added with its metadata, never the file's bytes and
// never its filename in plain text (sealed like other personal text), and
// `ticket-replay export` lists the attachment events.
#include <regex>
#include <sstream>

#include "api_fixture.h"
#include "attachment_calls.h"
#include "cli_runner.h"
#include "command_runner.h"
#include "poll_until.h"
#include "sample_files.h"

namespace ticketd::integration {
namespace {

class AttachmentStreamTest : public AttachmentCalls<OwnServerTest> {
 protected:
  void SetUp() override {
    server_.set_extra_args({"--kafka", "embedded"});
    OwnServerTest::SetUp();
  }

  std::string Bootstrap() {
    static const std::regex kList(R"(bootstrap (127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+)*))");
    for (const std::string& line : server_.StderrLines()) {
      std::smatch match;
      if (std::regex_search(line, match, kList)) return match[1].str();
    }
    return "";
  }

  // The newest position /metrics reports as published to Kafka.
  double Published() {
    std::istringstream lines(Get("", "/metrics").body);
    const std::string name = "ticketd_kafka_published_position ";
    for (std::string line; std::getline(lines, line);)
      if (line.starts_with(name)) return std::stod(line.substr(name.size()));
    return -1;
  }
};

TEST_F(AttachmentStreamTest, KafkaCarriesMetadataOnlyAndExportListsTheEvent) {
  const std::string bootstrap = Bootstrap();
  ASSERT_FALSE(bootstrap.empty()) << server_.StderrTail();
  const std::string bytes_marker = "ZQSTREAMBYTES" + std::to_string(::getpid()) + "insidethefile";
  const std::string name_marker = "ZQSTREAMNAME" + std::to_string(::getpid());
  const std::string ticket = CreateTicket(agent_);
  HttpResponse uploaded =
      Upload(agent_, ticket, {{"file", name_marker + ".png", test_support::SamplePng(bytes_marker)}});
  ASSERT_TRUE(HasStatus(uploaded, 201)) << uploaded.body;
  Json json(uploaded.body);
  auto items = GetArray(json.root(), "items");
  ASSERT_EQ(items.size(), 1u);
  const std::string attachment_id = GetString(items[0], "id");
  const std::string sha256 = GetString(items[0], "sha256");

  HttpResponse head = Get(tenant_.admin.token, "/api/v1/audit/head");
  const std::int64_t position = GetInt(Json(head.body).root(), "position").value_or(0);
  ASSERT_GT(position, 0) << head.body;
  ASSERT_TRUE(test_support::PollUntil([&] { return Published() >= static_cast<double>(position); },
                                      std::chrono::seconds(30), std::chrono::milliseconds(20)))
      << "position " << position << " not published";

  // The raw message values, as any consumer gets them.
  CommandResult kcat = RunCommand("timeout 60 kcat -b " + bootstrap + " -C -t ticket-events -e -q -f '%s\\n'");
  ASSERT_EQ(kcat.exit_code, 0) << kcat.err;
  EXPECT_NE(kcat.out.find("attachment.added"), std::string::npos) << "the event is on the stream";
  EXPECT_NE(kcat.out.find(sha256), std::string::npos) << "its metadata travels in clear";
  EXPECT_NE(kcat.out.find("image/png"), std::string::npos);
  EXPECT_EQ(kcat.out.find(bytes_marker), std::string::npos) << "the file's bytes are on the stream";
  EXPECT_EQ(kcat.out.find(name_marker), std::string::npos) << "the filename travels in plain text";

  ASSERT_TRUE(server_.Stop());
  CliResult exported = RunReplay("export --data-dir " + server_.data_dir());
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  bool listed = false;
  std::istringstream lines(exported.out);
  for (std::string line; std::getline(lines, line);) {
    Json event(line);
    if (GetString(event.root(), "type") != "attachment.added") continue;
    EXPECT_EQ(GetString(event.root(), "event_id"), attachment_id) << line;
    listed = true;
  }
  EXPECT_TRUE(listed) << "ticket-replay export lists no attachment.added:\n" << exported.out;
  EXPECT_EQ(exported.out.find(bytes_marker), std::string::npos) << "export holds the bytes";
  ASSERT_TRUE(server_.Restart());
}

}  // namespace
}  // namespace ticketd::integration

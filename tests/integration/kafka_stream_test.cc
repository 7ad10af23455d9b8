// The event stream end to end: the real ticketd with `--kafka embedded`,
// read back with kcat and with `ticket-replay consume`; restart on the same
// data dir; unreachable brokers at start.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "api_fixture.h"
#include "cli_runner.h"
#include "poll_until.h"
#include "temp_dir.h"

namespace ticketd::integration {
namespace {

using std::chrono::milliseconds;

// One message as kcat prints it with -f '%p|%o|%k|%h\n'.
struct StreamMessage {
  int partition = 0;
  long offset = 0;
  std::string key;
  std::map<std::string, std::string> headers;
};

std::vector<StreamMessage> ParseKcat(const std::string& text) {
  std::vector<StreamMessage> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::istringstream parts(line);
    std::string field;
    while (std::getline(parts, field, '|')) fields.push_back(field);
    if (fields.size() != 4) continue;
    StreamMessage message;
    message.partition = std::stoi(fields[0]);
    message.offset = std::stol(fields[1]);
    message.key = fields[2];
    std::istringstream headers(fields[3]);
    std::string header;
    while (std::getline(headers, header, ',')) {
      auto eq = header.find('=');
      if (eq != std::string::npos) message.headers[header.substr(0, eq)] = header.substr(eq + 1);
    }
    out.push_back(std::move(message));
  }
  return out;
}

class KafkaStreamTest : public ApiTest {
 protected:
  KafkaStreamTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void TearDown() override {
    if (server_.running()) {
      EXPECT_TRUE(server_.Stop());
    }
  }

  // The address list of the one stderr line with the word `bootstrap`.
  std::string Bootstrap() {
    std::vector<std::string> found;
    for (const std::string& line : server_.StderrLines())
      if (line.find("bootstrap") != std::string::npos) found.push_back(line);
    EXPECT_EQ(found.size(), 1u) << server_.StderrTail();
    if (found.empty()) return "";
    std::smatch match;
    static const std::regex kList(R"(bootstrap (127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+)*))");
    EXPECT_TRUE(std::regex_search(found.front(), match, kList)) << found.front();
    return match.size() > 1 ? match[1].str() : "";
  }

  // Another ticketd's embedded cluster stands in for real brokers: it
  // outlives the restarts and crashes of the server under test, as a real
  // cluster would. Returns its bootstrap list ("" if it did not start).
  static std::string StartBrokers(ServerProcess& host) {
    host.set_extra_args({"--kafka", "embedded"});
    if (!host.Start()) return "";
    std::string brokers;
    for (const std::string& line : host.StderrLines()) {
      std::smatch match;
      static const std::regex kList(R"(bootstrap (\S+))");
      if (std::regex_search(line, match, kList)) brokers = match[1].str();
    }
    return brokers;
  }

  // The log head as /metrics reports it (set by every commit of this run).
  std::int64_t HeadPosition() {
    return static_cast<std::int64_t>(MetricValue(Get("", "/metrics").body, "ticketd_log_head_position"));
  }

  // Waits until /metrics says every position up to `position` is published.
  ::testing::AssertionResult WaitPublished(std::int64_t position) {
    std::string metrics;
    if (test_support::PollUntil(
            [&] {
              metrics = Get("", "/metrics").body;
              return MetricValue(metrics, "ticketd_kafka_published_position") >= static_cast<double>(position);
            },
            std::chrono::seconds(30), milliseconds(20)))
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "position " << position << " not published; metrics:\n" << metrics;
  }

  std::vector<StreamMessage> ReadWithKcat(const std::string& bootstrap) {
    CommandResult which = RunCommand("command -v kcat");
    EXPECT_EQ(which.exit_code, 0) << "kcat is not on PATH (ops/install-deps installs the kafkacat package)";
    CommandResult kcat = RunCommand("timeout 60 kcat -b " + bootstrap +
                                    " -C -t ticket-events -e -q -f '%p|%o|%k|%h\\n'");
    EXPECT_EQ(kcat.exit_code, 0) << kcat.err;
    return ParseKcat(kcat.out);
  }

  // Checks the stream holds positions 1..head exactly once (or, with
  // `allow_repeats`, at least once: a consumer drops repeated event ids),
  // in commit order per key, with the contract's headers; returns the keys.
  std::set<std::string> CheckStream(const std::vector<StreamMessage>& messages, std::int64_t head,
                                    bool allow_repeats = false) {
    if (!allow_repeats) {
      EXPECT_EQ(static_cast<std::int64_t>(messages.size()), head);
    }
    std::set<std::int64_t> positions;
    std::set<std::string> event_ids, keys;
    std::map<std::string, std::int64_t> last_position_of_key;
    std::map<std::string, int> partition_of_key;
    for (const StreamMessage& m : messages) {
      const std::int64_t position = std::stoll(m.headers.count("position") ? m.headers.at("position") : "0");
      positions.insert(position);
      EXPECT_EQ(m.headers.count("event_id"), 1u);
      EXPECT_EQ(m.headers.count("tenant_id"), 1u);
      EXPECT_EQ(m.headers.count("schema_version"), 1u);
      if (m.headers.count("event_id") && !event_ids.insert(m.headers.at("event_id")).second) {
        EXPECT_TRUE(allow_repeats) << "event " << m.headers.at("event_id") << " published twice";
        continue;  // the dedupe a consumer does; the first occurrence decides the order
      }
      EXPECT_GT(position, last_position_of_key[m.key]) << "key " << m.key << " out of commit order";
      last_position_of_key[m.key] = position;
      auto [it, first] = partition_of_key.emplace(m.key, m.partition);
      EXPECT_EQ(it->second, m.partition) << "key " << m.key << " in two partitions";
      keys.insert(m.key);
    }
    EXPECT_EQ(static_cast<std::int64_t>(positions.size()), head);
    EXPECT_EQ(static_cast<std::int64_t>(event_ids.size()), head);
    if (!positions.empty()) {
      EXPECT_EQ(*positions.begin(), 1);
      EXPECT_EQ(*positions.rbegin(), head);
    }
    return keys;
  }

  ServerProcess server_;
};

TEST_F(KafkaStreamTest, EmbeddedClusterCarriesEveryEventToKcatAndTicketReplayConsume) {
  server_.set_extra_args({"--kafka", "embedded"});
  ASSERT_TRUE(server_.Start());
  const std::string bootstrap = Bootstrap();
  ASSERT_FALSE(bootstrap.empty());
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  std::vector<std::string> tickets;
  for (int i = 0; i < 3; ++i) {
    tickets.push_back(CreateTicket(agent));
    ASSERT_TRUE(HasStatus(ChangeStatus(agent, tickets.back(), "in_progress"), 200));
  }
  ASSERT_TRUE(HasStatus(ChangeStatus(agent, tickets[0], "resolved"), 200));
  const std::int64_t head = HeadPosition();
  ASSERT_GT(head, 7);
  ASSERT_TRUE(WaitPublished(head));

  std::set<std::string> keys = CheckStream(ReadWithKcat(bootstrap), head);
  for (const std::string& ticket : tickets) EXPECT_EQ(keys.count(ticket), 1u) << ticket;
  EXPECT_EQ(keys.count(tenant.id), 1u) << "directory events are keyed by their tenant";

  CommandResult consumed = RunCommand(ReplayBinary() + " consume --brokers " + bootstrap +
                                      " --group it-consume --from-beginning --max " + std::to_string(head) +
                                      " --timeout-ms 30000");
  ASSERT_EQ(consumed.exit_code, 0) << consumed.err;
  std::istringstream lines(consumed.out);
  std::string line;
  std::map<std::string, std::vector<std::string>> types_of_ticket;
  std::int64_t count = 0;
  while (std::getline(lines, line)) {
    Json json(line);
    ASSERT_TRUE(json.ok()) << line;
    ++count;
    EXPECT_EQ(GetString(json.root(), "key"), GetString(json.root(), "event.stream_id")) << line;
    EXPECT_EQ(GetString(json.root(), "headers.position"), GetString(json.root(), "event.position")) << line;
    EXPECT_EQ(GetString(json.root(), "headers.event_id"), GetString(json.root(), "event.event_id")) << line;
    EXPECT_TRUE(GetInt(json.root(), "offset").has_value()) << line;
    types_of_ticket[GetString(json.root(), "key")].push_back(GetString(json.root(), "event.type"));
  }
  EXPECT_EQ(count, head);
  for (const std::string& ticket : tickets) {
    ASSERT_GE(types_of_ticket[ticket].size(), 2u) << ticket;
    EXPECT_EQ(types_of_ticket[ticket].front(), "ticket.created");
  }
}

TEST_F(KafkaStreamTest, PersonalDataTravelsOnlyAsCiphertext) {
  server_.set_extra_args({"--kafka", "embedded"});
  ASSERT_TRUE(server_.Start());
  const std::string bootstrap = Bootstrap();
  ASSERT_FALSE(bootstrap.empty());
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  const std::string marker = "ZQKAFKA" + std::to_string(::getpid()) + "subjectmarker";
  const std::string id = CreateTicket(agent, R"({"subject":")" + marker + R"(","description":")" + marker + R"("})");
  ASSERT_TRUE(HasStatus(Post(agent.token, "/api/v1/tickets/" + id + "/comments", R"({"body":")" + marker + R"("})"), 201));
  ASSERT_TRUE(WaitPublished(HeadPosition()));
  // The raw message values, as any consumer gets them.
  CommandResult kcat = RunCommand("timeout 60 kcat -b " + bootstrap + " -C -t ticket-events -e -q -f '%s\\n'");
  ASSERT_EQ(kcat.exit_code, 0) << kcat.err;
  EXPECT_NE(kcat.out.find("ticket.created"), std::string::npos);   // metadata in clear
  EXPECT_NE(kcat.out.find("ticket:" + id), std::string::npos);     // text sealed under the ticket's key
  EXPECT_EQ(kcat.out.find(marker), std::string::npos) << "personal data in plain text on the stream";
}

TEST_F(KafkaStreamTest, RestartRepublishesTheWholeLogToTheNewEmbeddedCluster) {
  server_.set_extra_args({"--kafka", "embedded"});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  CreateTicket(agent);
  const std::int64_t first_head = HeadPosition();
  ASSERT_TRUE(WaitPublished(first_head));
  const std::string first_bootstrap = Bootstrap();
  ASSERT_TRUE(server_.Stop());

  // The old cluster died with the process; the new one starts empty, and
  // the relay (whose embedded cursor is not stored) publishes from 1.
  ASSERT_TRUE(server_.Restart());
  const std::string bootstrap = Bootstrap();
  ASSERT_FALSE(bootstrap.empty());
  EXPECT_NE(bootstrap, first_bootstrap);
  std::string second_ticket = CreateTicket(agent);
  const std::int64_t head = HeadPosition();
  ASSERT_GT(head, first_head);
  ASSERT_TRUE(WaitPublished(head));
  std::set<std::string> keys = CheckStream(ReadWithKcat(bootstrap), head);
  EXPECT_EQ(keys.count(second_ticket), 1u);
}

TEST_F(KafkaStreamTest, BrokerListModeResumesFromItsStoredCursorAfterARestart) {
  ServerProcess cluster_host(TicketdBinary(), kAdminToken);
  const std::string brokers = StartBrokers(cluster_host);
  ASSERT_FALSE(brokers.empty()) << cluster_host.StderrTail();

  server_.set_extra_args({"--kafka", brokers});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  CreateTicket(agent);
  ASSERT_TRUE(WaitPublished(HeadPosition()));
  ASSERT_TRUE(server_.Stop());

  ASSERT_TRUE(server_.Restart());
  std::string later_ticket = CreateTicket(agent);
  const std::int64_t head = HeadPosition();
  ASSERT_TRUE(WaitPublished(head));
  // Exactly once each: the restart resumed after the stored cursor.
  std::set<std::string> keys = CheckStream(ReadWithKcat(brokers), head);
  EXPECT_EQ(keys.count(later_ticket), 1u);
  EXPECT_TRUE(cluster_host.Stop());
}

TEST_F(KafkaStreamTest, BrokerListModeLosesNothingAcrossACrash) {
  ServerProcess cluster_host(TicketdBinary(), kAdminToken);
  const std::string brokers = StartBrokers(cluster_host);
  ASSERT_FALSE(brokers.empty()) << cluster_host.StderrTail();

  server_.set_extra_args({"--kafka", brokers});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  for (int i = 0; i < 5; ++i) CreateTicket(agent);
  server_.Kill9();  // maybe before the cursor of the last deliveries was stored

  ASSERT_TRUE(server_.Restart());
  std::string later_ticket = CreateTicket(agent);
  const std::int64_t head = HeadPosition();
  ASSERT_TRUE(WaitPublished(head));
  std::set<std::string> keys = CheckStream(ReadWithKcat(brokers), head, /*allow_repeats=*/true);
  EXPECT_EQ(keys.count(later_ticket), 1u);
  EXPECT_TRUE(cluster_host.Stop());
}

TEST_F(KafkaStreamTest, UnreachableBrokersAtStartStillServeAndSaySo) {
  server_.set_extra_args({"--kafka", "127.0.0.1:1"});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  CreateTicket(agent);  // writes are accepted without brokers

  const bool logged = test_support::PollUntil(
      [&] {
        for (const std::string& line : server_.StderrLines())
          if (line.find("unreachable") != std::string::npos) return true;
        return false;
      },
      std::chrono::seconds(30), milliseconds(20));
  EXPECT_TRUE(logged) << server_.StderrTail();
  const std::string metrics = Get("", "/metrics").body;
  EXPECT_EQ(MetricValue(metrics, "ticketd_kafka_broker_up"), 0) << metrics;
  EXPECT_EQ(MetricValue(metrics, "ticketd_kafka_publish_lag_events"), static_cast<double>(HeadPosition()));
  EXPECT_EQ(MetricValue(metrics, "ticketd_kafka_published_position"), 0);
}

TEST(KafkaFlags, BadModeConfigFileAndConsumeArgumentsAreRefusedWithAMessage) {
  test_support::TempDir temp("it-kafka-flags");
  ASSERT_TRUE(temp.ok());
  const std::string& dir = temp.path();
  const std::string base = TicketdBinary() + " --listen 127.0.0.1:0 --admin-token x --data-dir " + dir;

  CommandResult bad_mode = RunCommand(base + " --kafka nonsense");
  EXPECT_EQ(bad_mode.exit_code, 2);
  EXPECT_NE(bad_mode.err.find("--kafka: must be"), std::string::npos) << bad_mode.err;

  CommandResult no_file = RunCommand(base + " --kafka 127.0.0.1:1 --kafka-config " + dir + "/missing.properties");
  EXPECT_EQ(no_file.exit_code, 1);
  EXPECT_NE(no_file.err.find("kafka-config"), std::string::npos) << no_file.err;

  const std::string properties = dir + "/bad.properties";
  { std::ofstream(properties) << "no.such.property=1\n"; }
  CommandResult unknown = RunCommand(base + " --kafka 127.0.0.1:1 --kafka-config " + properties);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no.such.property"), std::string::npos) << unknown.err;

  CommandResult consume = RunCommand(ReplayBinary() + " consume --topic ticket-events");
  EXPECT_EQ(consume.exit_code, 2);
  EXPECT_NE(consume.err.find("--brokers is required"), std::string::npos) << consume.err;
}

}  // namespace
}  // namespace ticketd::integration

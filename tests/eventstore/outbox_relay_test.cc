// The outbox relay against an in-test mock cluster (EmbeddedKafka): what it
// publishes, where it resumes, and how it rides out a broker outage.
#include "ticketd/eventstore/outbox_relay.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "log_test_util.h"
#include "poll_until.h"
#include "ticketd/eventstore/embedded_kafka.h"
#include "ticketd/eventstore/event_codec.h"
#include "ticketd/v1/events.pb.h"
#include "topic_reader.h"

namespace ticketd::eventstore {
namespace {

using namespace testing;
using std::chrono::milliseconds;

constexpr char kTopic[] = "ticket-events";
constexpr int kPartitions = 3;

std::int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class OutboxRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = OpenLog(dir_.path());
    ASSERT_TRUE(log_);
    EmbeddedKafkaOptions options;
    options.topic = kTopic;
    options.partitions = kPartitions;
    Status s = EmbeddedKafka::Start(options, &cluster_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  void TearDown() override {
    if (relay_) relay_->Stop(milliseconds(0));
  }

  // Appends `count` events round-robin over `streams` streams, each event
  // its own commit, with the current time as occurred_at.
  void Append(int count, int streams = 4) {
    for (int i = 0; i < count; ++i, ++appended_) {
      const auto stream = static_cast<std::uint8_t>(appended_ % streams);
      const std::int64_t version = ++versions_[stream];
      EventToAppend event = CommentEvent(TestId(10, static_cast<std::uint8_t>(appended_)), TestId(1, stream), version);
      event.event.at = NowMicros();
      ASSERT_TRUE(AppendOne(*log_, Commit{{event}}).ok());
    }
    if (relay_) relay_->Notify();
  }

  void StartRelay(const std::string& cursor_key = "") {
    OutboxRelayOptions options;
    options.brokers = cluster_->bootstrap();
    options.topic = kTopic;
    options.cursor_key = cursor_key;
    options.log = [](std::string_view) {};
    Status s = OutboxRelay::Start(options, log_.get(), &relay_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  bool CaughtUp() const { return relay_->Stats().published_position == log_->HeadPosition(); }

  test_support::TempDir dir_{"log-test"};
  std::unique_ptr<EventLog> log_;
  std::unique_ptr<EmbeddedKafka> cluster_;
  std::unique_ptr<OutboxRelay> relay_;
  int appended_ = 0;
  std::map<std::uint8_t, std::int64_t> versions_;
};

TEST_F(OutboxRelayTest, PublishesEveryEventKeyedByStreamWithHeadersAndStoredBytes) {
  Append(40);
  StartRelay();
  ASSERT_TRUE(test_support::PollUntil([&] { return CaughtUp(); })) << relay_->Stats().published_position;

  std::vector<ReadMessage> messages = ReadTopic(cluster_->bootstrap(), kTopic, 40);
  ASSERT_EQ(messages.size(), 40u);
  std::map<std::uint64_t, std::string> stored;  // position -> envelope
  ASSERT_TRUE(log_->ReadAllRaw(1, [&](const RawRecord& r) {
                    stored[r.position] = std::string(r.envelope);
                    return true;
                  }).ok());
  std::map<std::string, std::uint64_t> last_position_of_key;
  std::set<std::uint64_t> positions;
  for (const ReadMessage& m : messages) {
    const std::uint64_t position = std::stoull(m.headers.at("position"));
    positions.insert(position);
    // The log stores envelope version 2 (raw ids); the stream keeps version 1.
    std::string public_bytes;
    ASSERT_TRUE(PublicEnvelope(stored.at(position), &public_bytes).ok());
    EXPECT_NE(m.value, stored.at(position));
    EXPECT_EQ(m.value, public_bytes) << "value must be the public form of the stored envelope, byte for byte";
    v1::EventEnvelope published;
    ASSERT_TRUE(published.ParseFromString(m.value));
    EXPECT_EQ(published.event_id().size(), 36u);
    EXPECT_TRUE(published.event_id_raw().empty());
    RecordedEvent decoded;
    ASSERT_TRUE(DecodeEnvelope(m.value, &decoded).ok());
    EXPECT_EQ(m.key, decoded.event.stream_id.ToString());
    EXPECT_EQ(m.headers.at("event_id"), decoded.event_id.ToString());
    EXPECT_EQ(m.headers.at("tenant_id"), decoded.event.tenant_id.ToString());
    EXPECT_EQ(m.headers.at("schema_version"), std::to_string(decoded.schema_version));
    // Per key, the partition's order is the commit order.
    EXPECT_GT(position, last_position_of_key[m.key]) << "key " << m.key;
    last_position_of_key[m.key] = position;
  }
  EXPECT_EQ(positions.size(), 40u);
  EXPECT_EQ(*positions.begin(), 1u);
  EXPECT_EQ(*positions.rbegin(), 40u);
  EXPECT_EQ(relay_->Stats().lag_events, 0u);
  EXPECT_EQ(relay_->Stats().published_total, 40u);
  EXPECT_TRUE(relay_->Stats().broker_up);
}

TEST_F(OutboxRelayTest, ResumesAfterThePersistedCursorWithoutRepublishing) {
  Append(5);
  StartRelay("relay_cursor_test");
  ASSERT_TRUE(test_support::PollUntil([&] { return CaughtUp(); }));
  relay_->Stop(milliseconds(1000));
  std::string cursor;
  ASSERT_TRUE(log_->GetMeta("relay_cursor_test", &cursor).ok());
  EXPECT_EQ(cursor, "5");

  Append(3);
  StartRelay("relay_cursor_test");
  ASSERT_TRUE(test_support::PollUntil([&] { return CaughtUp(); }));
  relay_->Stop(milliseconds(1000));
  EXPECT_EQ(TopicMessageCount(cluster_->bootstrap(), kTopic, kPartitions), 8);
  std::vector<ReadMessage> messages = ReadTopic(cluster_->bootstrap(), kTopic, 8);
  std::set<std::string> event_ids;
  for (const ReadMessage& m : messages) event_ids.insert(m.headers.at("event_id"));
  EXPECT_EQ(event_ids.size(), 8u);
}

TEST_F(OutboxRelayTest, WithoutACursorKeyEveryStartPublishesFromPositionOne) {
  Append(4);
  StartRelay();
  ASSERT_TRUE(test_support::PollUntil([&] { return CaughtUp(); }));
  relay_->Stop(milliseconds(1000));
  StartRelay();
  ASSERT_TRUE(test_support::PollUntil([&] { return relay_->Stats().published_total == 4; }));
  EXPECT_EQ(TopicMessageCount(cluster_->bootstrap(), kTopic, kPartitions), 8);
}

TEST_F(OutboxRelayTest, BrokerOutageQueuesTheBacklogAndPublishesItOnReturn) {
  StartRelay();
  Append(3);
  ASSERT_TRUE(test_support::PollUntil([&] { return CaughtUp(); }));
  ASSERT_TRUE(cluster_->SetAllBrokersDown(true).ok());
  ASSERT_TRUE(test_support::PollUntil([&] { return !relay_->Stats().broker_up; }));

  Append(50);  // the log takes writes while the brokers are away
  ASSERT_TRUE(test_support::PollUntil([&] { return relay_->Stats().lag_seconds > 0; }));
  OutboxRelayStats during = relay_->Stats();
  EXPECT_EQ(during.published_position, 3u);
  EXPECT_EQ(during.lag_events, 50u);
  EXPECT_GT(during.errors_total, 0u);

  ASSERT_TRUE(cluster_->SetAllBrokersDown(false).ok());
  ASSERT_TRUE(test_support::PollUntil([&] { return CaughtUp(); })) << relay_->Stats().published_position;
  OutboxRelayStats after = relay_->Stats();
  EXPECT_TRUE(after.broker_up);
  EXPECT_EQ(after.lag_events, 0u);
  EXPECT_EQ(after.lag_seconds, 0);

  std::vector<ReadMessage> messages = ReadTopic(cluster_->bootstrap(), kTopic, 53);
  std::set<std::string> event_ids;
  std::map<std::string, std::uint64_t> last_position_of_key;
  for (const ReadMessage& m : messages) {
    if (!event_ids.insert(m.headers.at("event_id")).second) continue;  // a consumer drops repeats
    const std::uint64_t position = std::stoull(m.headers.at("position"));
    EXPECT_GT(position, last_position_of_key[m.key]);
    last_position_of_key[m.key] = position;
  }
  EXPECT_EQ(event_ids.size(), 53u);
}

TEST(OutboxRelayUnreachable, StartsAndReportsTheBrokersDown) {
  test_support::TempDir dir{"log-test"};
  std::unique_ptr<EventLog> log = OpenLog(dir.path());
  ASSERT_TRUE(log);
  ASSERT_TRUE(AppendOne(*log, Commit{{CommentEvent(TestId(10), TestId(1), 1)}}).ok());
  OutboxRelayOptions options;
  options.brokers = "127.0.0.1:1";
  std::vector<std::string> lines;
  std::mutex lines_mu;
  options.log = [&](std::string_view line) {
    std::lock_guard lock(lines_mu);
    lines.emplace_back(line);
  };
  std::unique_ptr<OutboxRelay> relay;
  ASSERT_TRUE(OutboxRelay::Start(options, log.get(), &relay).ok());
  ASSERT_TRUE(test_support::PollUntil([&] {
    std::lock_guard lock(lines_mu);
    return !lines.empty();
  }));
  OutboxRelayStats stats = relay->Stats();
  EXPECT_FALSE(stats.broker_up);
  EXPECT_EQ(stats.lag_events, 1u);
  {
    std::lock_guard lock(lines_mu);
    EXPECT_NE(lines.front().find("unreachable"), std::string::npos) << lines.front();
  }
  relay->Stop(milliseconds(0));
}

TEST(KafkaProperties, ParsesKeyValueLinesAndNamesTheBadLine) {
  KafkaProperties properties;
  ASSERT_TRUE(ParseKafkaProperties("# SASL\nsecurity.protocol = SASL_SSL\n\nsasl.mechanism=PLAIN\r\n", &properties)
                  .ok());
  ASSERT_EQ(properties.size(), 2u);
  EXPECT_EQ(properties[0], (std::pair<std::string, std::string>{"security.protocol", "SASL_SSL"}));
  EXPECT_EQ(properties[1], (std::pair<std::string, std::string>{"sasl.mechanism", "PLAIN"}));
  Status s = ParseKafkaProperties("a=1\nno equals sign\n", &properties);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("line 2"), std::string::npos) << s.ToString();
}

TEST(KafkaProperties, RelayRefusesAnUnknownProperty) {
  test_support::TempDir dir{"log-test"};
  std::unique_ptr<EventLog> log = OpenLog(dir.path());
  OutboxRelayOptions options;
  options.brokers = "127.0.0.1:1";
  options.properties = {{"no.such.property", "1"}};
  std::unique_ptr<OutboxRelay> relay;
  Status s = OutboxRelay::Start(options, log.get(), &relay);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find("no.such.property"), std::string::npos);
}

}  // namespace
}  // namespace ticketd::eventstore

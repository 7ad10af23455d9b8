// White-box tests of two append/read path helpers in eventstore/src: the
// envelope position scanner must agree with protobuf on every envelope
// protobuf accepts, and IdText must write exactly domain::Id::ToString.
#include "envelope_scan.h"

#include <google/protobuf/stubs/logging.h>
#include <gtest/gtest.h>

#include <random>

#include "id_text.h"
#include "log_fixture.h"
#include "ticketd/eventstore/event_codec.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore::testing {
namespace {

TEST(EnvelopeScan, FindsThePositionOfEncodedEnvelopes) {
  for (std::uint64_t position :
       {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{300}, std::uint64_t{1} << 40, ~std::uint64_t{0}}) {
    std::uint64_t found = 7;
    ASSERT_TRUE(EnvelopePosition(EncodeEnvelope(CommentEvent(TestId(1), TestId(2), 3), position), &found));
    EXPECT_EQ(found, position);
  }
  std::uint64_t found = 7;
  EXPECT_TRUE(EnvelopePosition("", &found));
  EXPECT_EQ(found, 0u);                            // absent, as protobuf reads it
  EXPECT_FALSE(EnvelopePosition("\x28", &found));  // position tag, value missing
  EXPECT_FALSE(
      EnvelopePosition("\x0a\x05"
                       "abc",
                       &found));                                      // string longer than the input
  EXPECT_FALSE(EnvelopePosition("\x0c", &found));                     // end of a group never started
  EXPECT_TRUE(EnvelopePosition("\x0b\x28\x09\x0c\x28\x02", &found));  // a group is skipped
  EXPECT_EQ(found, 2u);
}

TEST(EnvelopeScan, AgreesWithProtobufOnEveryEnvelopeItAccepts) {
  google::protobuf::LogHandler* previous = google::protobuf::SetLogHandler(nullptr);
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const std::string good = EncodeEnvelope(CommentEvent(TestId(1), TestId(2), 3), 123456);
  int agreed = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string bytes = good;
    if (i % 2 == 0) {
      for (int flips = 1 + rng() % 3; flips > 0; --flips)
        bytes[rng() % bytes.size()] = static_cast<char>(rng());
    } else {
      bytes.resize(rng() % 48);
      for (char& c : bytes) c = static_cast<char>(rng() % 4 == 0 ? 0x28 : rng());
    }
    v1::EventEnvelope envelope;
    std::uint64_t found = 0;
    const bool scanned = EnvelopePosition(bytes, &found);  // must not crash either way
    if (!envelope.ParseFromString(bytes)) continue;
    ASSERT_TRUE(scanned) << "protobuf accepted what the scanner refused, case " << i;
    ASSERT_EQ(found, envelope.position()) << "case " << i;
    ++agreed;
  }
  EXPECT_GT(agreed, 100);  // the property was exercised, not skipped
  google::protobuf::SetLogHandler(previous);
}

TEST(IdText, IsExactlyTheCanonicalForm) {
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  for (int i = 0; i < 1000; ++i) {
    domain::Id id;
    for (auto& b : id.bytes) b = static_cast<std::uint8_t>(rng());
    ASSERT_EQ(IdText(id), id.ToString()) << "seed " << seed;
  }
  EXPECT_EQ(IdText(domain::Id{}), "00000000-0000-0000-0000-000000000000");
}

}  // namespace
}  // namespace ticketd::eventstore::testing

// MailHold (app/src/mail_hold.h): delivery rounds wait while the writer is
// saturated, never longer than the bound, and never while it is quiet. The
// clock and the load reading are the test's.
#include "mail_hold.h"

#include <gtest/gtest.h>

namespace ticketd::app {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kBound{2000};

class MailHoldTest : public ::testing::Test {
 protected:
  MailHold::Clock::time_point At(int ms) const { return start_ + milliseconds(ms); }
  MailHold hold_{kBound};
  const MailHold::Clock::time_point start_ = MailHold::Clock::time_point{} + std::chrono::hours(1);
};

TEST_F(MailHoldTest, NeverHoldsWhileTheWriterIsQuiet) {
  for (int ms = 0; ms <= 10000; ms += 25) {
    const MailHold::Verdict verdict = hold_.Decide(At(ms), false);
    EXPECT_FALSE(verdict.wait_until) << "at " << ms << " ms";
    EXPECT_FALSE(verdict.released);
  }
  EXPECT_FALSE(hold_.held_since());
}

TEST_F(MailHoldTest, HoldsWhileSaturatedAndRechecksTheLoadEachWindow) {
  MailHold::Verdict verdict = hold_.Decide(At(0), true);
  ASSERT_TRUE(verdict.wait_until);
  EXPECT_EQ(*verdict.wait_until, At(0) + MailHold::kRecheck);
  EXPECT_FALSE(verdict.released);
  verdict = hold_.Decide(At(1500), true);
  ASSERT_TRUE(verdict.wait_until);
  EXPECT_EQ(*verdict.wait_until, At(1600));
  // The last wait ends at the bound, not a window after it.
  verdict = hold_.Decide(At(1950), true);
  ASSERT_TRUE(verdict.wait_until);
  EXPECT_EQ(*verdict.wait_until, At(2000));
  EXPECT_EQ(hold_.held_since(), At(0));
}

TEST_F(MailHoldTest, ReleasesAtTheBoundThoughStillSaturated) {
  ASSERT_TRUE(hold_.Decide(At(0), true).wait_until);
  const MailHold::Verdict verdict = hold_.Decide(At(2000), true);
  EXPECT_FALSE(verdict.wait_until);
  EXPECT_TRUE(verdict.released);
}

TEST_F(MailHoldTest, MailsAfterAReleaseWaitAtMostTheBoundFromIt) {
  ASSERT_TRUE(hold_.Decide(At(0), true).wait_until);
  ASSERT_TRUE(hold_.Decide(At(2100), true).released);  // a late timer: released at once
  // The released mails took 300 ms to go out; the next hold counts from the release.
  MailHold::Verdict verdict = hold_.Decide(At(2400), true);
  ASSERT_TRUE(verdict.wait_until);
  EXPECT_FALSE(verdict.released);
  EXPECT_EQ(hold_.held_since(), At(2100));
  verdict = hold_.Decide(At(4050), true);
  ASSERT_TRUE(verdict.wait_until);
  EXPECT_EQ(*verdict.wait_until, At(4100));
  EXPECT_TRUE(hold_.Decide(At(4100), true).released);
}

TEST_F(MailHoldTest, ADrainLongerThanTheBoundReleasesAgainAtOnce) {
  ASSERT_TRUE(hold_.Decide(At(0), true).wait_until);
  ASSERT_TRUE(hold_.Decide(At(2000), true).released);
  EXPECT_TRUE(hold_.Decide(At(4500), true).released);
}

TEST_F(MailHoldTest, AQuietReadingEndsTheHoldAndTheNextOneStartsAfresh) {
  ASSERT_TRUE(hold_.Decide(At(0), true).wait_until);
  const MailHold::Verdict quiet = hold_.Decide(At(1900), false);
  EXPECT_FALSE(quiet.wait_until);
  EXPECT_FALSE(quiet.released) << "delivered because the writer calmed down, not by the bound";
  EXPECT_FALSE(hold_.held_since());
  const MailHold::Verdict again = hold_.Decide(At(3000), true);
  ASSERT_TRUE(again.wait_until);
  EXPECT_EQ(hold_.held_since(), At(3000));
}

}  // namespace
}  // namespace ticketd::app

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
  // At `ms`, with the oldest due mail due since `due_ms`.
  MailHold::Verdict Decide(int ms, bool saturated, int due_ms = 0) {
    return hold_.Decide(At(ms), saturated, milliseconds(ms - due_ms));
  }
  MailHold hold_{kBound};
  const MailHold::Clock::time_point start_ = MailHold::Clock::time_point{} + std::chrono::hours(1);
};

TEST_F(MailHoldTest, NeverHoldsWhileTheWriterIsQuiet) {
  for (int ms = 0; ms <= 10000; ms += 25) {
    const MailHold::Verdict verdict = Decide(ms, false);
    EXPECT_FALSE(verdict.wait_until) << "at " << ms << " ms";
    EXPECT_FALSE(verdict.released);
  }
  EXPECT_FALSE(hold_.held_since());
}

TEST_F(MailHoldTest, HoldsWhileSaturatedAndRechecksTheLoadEachWindow) {
  MailHold::Verdict verdict = Decide(0, true);
  ASSERT_TRUE(verdict.wait_until);
  EXPECT_EQ(*verdict.wait_until, At(0) + MailHold::kRecheck);
  EXPECT_FALSE(verdict.released);
  verdict = Decide(1500, true);
  ASSERT_TRUE(verdict.wait_until);
  EXPECT_EQ(*verdict.wait_until, At(1600));
  // The last wait ends at the bound, not a window after it.
  verdict = Decide(1950, true);
  ASSERT_TRUE(verdict.wait_until);
  EXPECT_EQ(*verdict.wait_until, At(2000));
  EXPECT_EQ(hold_.held_since(), At(0));
}

TEST_F(MailHoldTest, ReleasesAtTheBoundThoughStillSaturated) {
  ASSERT_TRUE(Decide(0, true).wait_until);
  const MailHold::Verdict verdict = Decide(2000, true);
  EXPECT_FALSE(verdict.wait_until);
  EXPECT_TRUE(verdict.released);
}

TEST_F(MailHoldTest, MailsAfterAReleaseWaitAtMostTheBoundFromIt) {
  ASSERT_TRUE(Decide(0, true).wait_until);
  ASSERT_TRUE(Decide(2100, true).released);  // a late timer: released at once
  // The released mails took 300 ms to go out; the next hold counts from the release.
  MailHold::Verdict verdict = Decide(2400, true, /*due_ms=*/2150);
  ASSERT_TRUE(verdict.wait_until);
  EXPECT_FALSE(verdict.released);
  EXPECT_EQ(hold_.held_since(), At(2100));
  verdict = Decide(4050, true, 2150);
  ASSERT_TRUE(verdict.wait_until);
  EXPECT_EQ(*verdict.wait_until, At(4100));
  EXPECT_TRUE(Decide(4100, true, 2150).released);
}

TEST_F(MailHoldTest, ADrainLongerThanTheBoundReleasesAgainAtOnce) {
  ASSERT_TRUE(Decide(0, true).wait_until);
  ASSERT_TRUE(Decide(2000, true).released);
  EXPECT_TRUE(Decide(4500, true, /*due_ms=*/2200).released);
}

TEST_F(MailHoldTest, AQuietReadingEndsTheHoldAndTheNextOneStartsAfresh) {
  ASSERT_TRUE(Decide(0, true).wait_until);
  const MailHold::Verdict quiet = Decide(1900, false);
  EXPECT_FALSE(quiet.wait_until);
  EXPECT_FALSE(quiet.released) << "delivered because the writer calmed down, not by the bound";
  EXPECT_FALSE(hold_.held_since());
  const MailHold::Verdict again = Decide(3000, true, /*due_ms=*/2950);  // the old backlog went out
  ASSERT_TRUE(again.wait_until);
  EXPECT_EQ(hold_.held_since(), At(3000));
}

TEST_F(MailHoldTest, AMailHeldAcrossADipGoesOutWhenItsOwnWaitReachesTheBound) {
  ASSERT_TRUE(Decide(0, true, /*due_ms=*/0).wait_until);
  EXPECT_FALSE(Decide(1500, false).wait_until);  // one round went out; the rest of the backlog waits on
  MailHold::Verdict verdict = Decide(1600, true, /*due_ms=*/100);
  ASSERT_TRUE(verdict.wait_until);
  EXPECT_EQ(*verdict.wait_until, At(1700));
  verdict = Decide(2050, true, 100);
  ASSERT_TRUE(verdict.wait_until);
  EXPECT_EQ(*verdict.wait_until, At(2100)) << "the last wait ends at that mail's bound";
  EXPECT_TRUE(Decide(2100, true, 100).released) << "2 s after it was due, though this hold began at 1.6 s";
}

TEST_F(MailHoldTest, AnOldMailIsNotHeldAtAll) {
  // Due for longer than the bound already (a backlog from before a restart).
  EXPECT_TRUE(Decide(10000, true, /*due_ms=*/0).released);
}

}  // namespace
}  // namespace ticketd::app

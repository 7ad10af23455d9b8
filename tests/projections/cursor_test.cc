// Keyset cursors: encoding, rejection of anything not ours, and walks that
// stay exact while other tickets change between pages.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "cursor.h"
#include "reference_query.h"

namespace ticketd::projections::testing {
namespace {

using domain::Priority;
using domain::TicketStatus;

constexpr SortField kAllFields[] = {SortField::kQueue,    SortField::kCreatedAt, SortField::kUpdatedAt,
                                    SortField::kDueAt,    SortField::kPriority,  SortField::kStatus,
                                    SortField::kNumber,   SortField::kSubject};

unsigned Seed() {
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  return seed;
}

TEST(Cursor, RoundTripsEveryKey) {
  CursorKey key{{-1, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()},
                Tid(77),
                std::string("sub\0ject \xff", 10)};
  for (SortField field : kAllFields) {
    for (bool desc : {false, true}) {
      const SortSpec spec{field, desc};
      std::string cursor = EncodeCursor(spec, key);
      EXPECT_EQ(cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                std::string::npos)
          << "URL-safe";
      std::optional<CursorKey> back = DecodeCursor(cursor, spec);
      ASSERT_TRUE(back.has_value());
      EXPECT_EQ(back->key, key.key);
      EXPECT_EQ(back->id, key.id);
      EXPECT_EQ(back->subject, field == SortField::kSubject ? key.subject : "");
    }
  }
}

TEST(Cursor, BelongsToExactlyOneSort) {
  const CursorKey key{{1, 2, 3}, Tid(5), "x"};
  for (SortField made_for : kAllFields) {
    for (bool made_desc : {false, true}) {
      const std::string cursor = EncodeCursor({made_for, made_desc}, key);
      for (SortField used_for : kAllFields) {
        for (bool used_desc : {false, true}) {
          const bool same_sort =
              made_for == used_for && (made_desc == used_desc || made_for == SortField::kQueue);
          EXPECT_EQ(DecodeCursor(cursor, {used_for, used_desc}).has_value(), same_sort)
              << static_cast<int>(made_for) << made_desc << " used as " << static_cast<int>(used_for) << used_desc;
        }
      }
    }
  }
}

TEST(Cursor, RejectsMalformedInput) {
  const SortSpec spec{SortField::kNumber};
  const std::string good = EncodeCursor(spec, CursorKey{{4, 0, 0}, Tid(4), ""});
  ASSERT_TRUE(DecodeCursor(good, spec).has_value());
  for (std::size_t len = 0; len < good.size(); ++len)
    EXPECT_FALSE(DecodeCursor(good.substr(0, len), spec).has_value()) << "truncated to " << len;
  EXPECT_FALSE(DecodeCursor(good + "A", spec).has_value());
  EXPECT_FALSE(DecodeCursor(good + "=", spec).has_value()) << "no padding";
  EXPECT_FALSE(DecodeCursor(std::string(100000, 'A'), spec).has_value()) << "too long";
  for (const char* bad : {"not-a-cursor", "%FF%00", "****", "////", "====", "\xff\xfe"})
    EXPECT_FALSE(DecodeCursor(bad, spec).has_value()) << bad;
  // Every single-character change is caught, including the unused low bits
  // of the last character (only one encoding per cursor).
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.%\0 \x80";
  const std::string alphabet(kChars, sizeof(kChars) - 1);
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (char c : alphabet) {
      std::string bad = good;
      bad[i] = c;
      if (bad != good) {
        EXPECT_FALSE(DecodeCursor(bad, spec).has_value()) << i << " " << c;
      }
    }
  }
  // A structurally valid cursor of the subject sort with text is not a
  // number cursor, and a number cursor must not carry text.
  EXPECT_FALSE(DecodeCursor(EncodeCursor({SortField::kSubject}, {{}, Tid(1), "t"}), spec).has_value());
}

// Sixty open or in-progress tickets with ties on every sort field.
void Populate(TicketReadModel& model) {
  for (std::uint32_t n = 1; n <= 60; ++n) {
    domain::Ticket t = MakeTicket(n);
    t.priority = domain::kAllPriorities[n % 4];
    t.status = n % 5 == 0 ? TicketStatus::kInProgress : TicketStatus::kOpen;
    if (n % 3) t.due_at = static_cast<domain::Timestamp>(n % 7) * 1000;
    t.subject = "subject " + std::to_string(n % 9);
    model.Upsert(Ptr(t));
  }
}

class CursorWalkTest : public ::testing::Test {
 protected:
  void SetUp() override { Populate(model_); }
  TicketReadModel model_;
};

TEST_F(CursorWalkTest, GarbageCursorsAreInvalidArgumentNeverACrash) {
  std::mt19937 rng(Seed());
  TicketQuery q;
  q.page_size = 7;
  TicketPage page;
  ASSERT_TRUE(model_.Query(kTenantA, q, &page).ok());
  const std::string good = page.next_cursor;
  ASSERT_FALSE(good.empty());
  for (int i = 0; i < 3000; ++i) {
    TicketQuery bad = q;
    switch (i % 3) {
      case 0:  // random bytes
        bad.cursor.resize(1 + rng() % 200);
        for (char& c : bad.cursor) c = static_cast<char>(rng());
        break;
      case 1:  // random base64url text
        bad.cursor.resize(1 + rng() % 200);
        for (char& c : bad.cursor) c = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[rng() % 64];
        break;
      default:  // the good cursor with a few characters changed
        bad.cursor = good;
        for (unsigned k = 0; k <= rng() % 3; ++k)
          bad.cursor[rng() % bad.cursor.size()] = "AZaz09-_%*\0\xff"[rng() % 12];
        if (bad.cursor == good) continue;
    }
    Status s = model_.Query(kTenantA, bad, &page);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << i;
    EXPECT_TRUE(page.items.empty());
  }
}

TEST_F(CursorWalkTest, CursorOfAnotherSortIsInvalidArgument) {
  for (SortField made_for : kAllFields) {
    TicketQuery q;
    q.sort = {made_for};
    q.page_size = 5;
    TicketPage page;
    ASSERT_TRUE(model_.Query(kTenantA, q, &page).ok());
    ASSERT_FALSE(page.next_cursor.empty());
    for (SortField used_for : kAllFields) {
      for (bool desc : {false, true}) {
        TicketQuery other;
        other.sort = {used_for, desc};
        other.cursor = page.next_cursor;
        const bool same = used_for == made_for && (!desc || used_for == SortField::kQueue);
        TicketPage next;
        EXPECT_EQ(model_.Query(kTenantA, other, &next).ok(), same);
      }
    }
  }
}

TEST_F(CursorWalkTest, WalksSurviveTheCursorTicketsDeletion) {
  TicketQuery q;
  q.page_size = 10;
  TicketPage first;
  ASSERT_TRUE(model_.Query(kTenantA, q, &first).ok());
  model_.Remove(kTenantA, first.items.back()->id);
  q.cursor = first.next_cursor;
  std::vector<TicketPtr> rest = WalkAllPages(model_, kTenantA, q);
  EXPECT_EQ(first.items.size() + rest.size(), 60u);
  std::set<domain::Id> seen;
  for (const auto& t : first.items) seen.insert(t->id);
  for (const auto& t : rest) EXPECT_TRUE(seen.insert(t->id).second);
}

// Between pages, random tickets are changed (every field a sort reads), some
// created and some deleted. Untouched tickets must each appear exactly
// once, in their relative order.
TEST(CursorWalk, UntouchedTicketsAreNeverRepeatedOrSkippedWhileOthersChange) {
  std::mt19937 rng(Seed());
  for (SortField field : kAllFields) {
    for (bool desc : {false, true}) {
      if (field == SortField::kQueue && desc) continue;
      SCOPED_TRACE(static_cast<int>(field) * 2 + desc);
      TicketReadModel model;
      Populate(model);
      std::uint32_t next_number = 61;
      TicketQuery q;
      q.sort = {field, desc};
      q.page_size = 1 + rng() % 6;
      q.statuses = {TicketStatus::kOpen, TicketStatus::kInProgress};
      std::set<domain::Id> touched;
      std::vector<TicketPtr> seen;
      std::set<domain::Id> at_start;
      for (const auto& t : WalkAllPages(model, kTenantA, q)) at_start.insert(t->id);
      bool finished = false;
      for (int pages = 0; pages < 10000 && !finished; ++pages) {
        TicketPage page;
        ASSERT_TRUE(model.Query(kTenantA, q, &page).ok());
        seen.insert(seen.end(), page.items.begin(), page.items.end());
        finished = page.next_cursor.empty();
        q.cursor = page.next_cursor;
        if (pages >= 40) continue;  // then let the walk finish
        for (int change = 0; change < 2; ++change) {  // leaves enough untouched to check
          TicketPtr current = model.Get(kTenantA, Tid(1 + rng() % (next_number - 1)));
          if (!current) continue;
          domain::Ticket t = *current;
          t.priority = domain::kAllPriorities[rng() % 4];
          t.updated_at += static_cast<domain::Timestamp>(rng() % 100'000'000);
          t.due_at = rng() % 2 ? std::optional<domain::Timestamp>(rng() % 10000) : std::nullopt;
          t.subject = "subject " + std::to_string(rng() % 20);
          t.status = rng() % 4 ? t.status : TicketStatus::kResolved;
          t.number = 1000 + rng() % 1000;
          t.created_at = rng() % 100'000'000;
          touched.insert(t.id);
          model.Upsert(Ptr(t));
        }
        domain::Ticket fresh = MakeTicket(next_number++);
        touched.insert(fresh.id);
        model.Upsert(Ptr(fresh));
        if (rng() % 4 == 0) {
          const domain::Id victim = Tid(1 + rng() % (next_number - 1));
          touched.insert(victim);
          model.Remove(kTenantA, victim);
        }
      }
      ASSERT_TRUE(finished);
      std::vector<domain::Id> untouched_seen, untouched_expected;
      for (const auto& t : seen)
        if (!touched.contains(t->id)) untouched_seen.push_back(t->id);
      TicketQuery everything;
      everything.sort = q.sort;
      for (const auto& t : WalkAllPages(model, kTenantA, everything))
        if (!touched.contains(t->id) && at_start.contains(t->id)) untouched_expected.push_back(t->id);
      EXPECT_GE(untouched_expected.size(), 5u);  // the check below is not vacuous
      EXPECT_EQ(untouched_seen, untouched_expected);
    }
  }
}

}  // namespace
}  // namespace ticketd::projections::testing

// Sort orders: the queue order, every field both ways, nulls last, ties
// broken by id; and ParseSort.
#include <gtest/gtest.h>

#include "reference_query.h"
#include "sort_key.h"

namespace ticketd::projections::testing {
namespace {

using domain::Priority;
using domain::TicketStatus;

std::vector<std::int64_t> Numbers(const std::vector<TicketPtr>& items) {
  std::vector<std::int64_t> out;
  for (const auto& t : items) out.push_back(t->number);
  return out;
}

std::vector<std::int64_t> Sorted(const TicketReadModel& model, SortSpec spec, std::size_t page_size = 200) {
  TicketQuery q;
  q.sort = spec;
  q.page_size = page_size;
  return Numbers(WalkAllPages(model, kTenantA, q));
}

TEST(ParseSort, AcceptsTheContractsFieldsOnly) {
  EXPECT_EQ(ParseSort("queue")->field, SortField::kQueue);
  const std::pair<const char*, SortField> fields[] = {
      {"created_at", SortField::kCreatedAt}, {"updated_at", SortField::kUpdatedAt},
      {"due_at", SortField::kDueAt},         {"priority", SortField::kPriority},
      {"status", SortField::kStatus},        {"number", SortField::kNumber},
      {"subject", SortField::kSubject}};
  for (const auto& [name, field] : fields) {
    std::optional<SortSpec> up = ParseSort(name);
    ASSERT_TRUE(up.has_value()) << name;
    EXPECT_EQ(up->field, field);
    EXPECT_FALSE(up->descending);
    std::optional<SortSpec> down = ParseSort(std::string("-") + name);
    ASSERT_TRUE(down.has_value()) << name;
    EXPECT_EQ(down->field, field);
    EXPECT_TRUE(down->descending);
  }
  for (const char* bad : {"", "-", "-queue", "Queue", "created_at ", "+number", "--number", "id", "subject,number",
                          "assignee_id"})
    EXPECT_FALSE(ParseSort(bad).has_value()) << bad;
  EXPECT_FALSE(ParseSort(std::string_view("number\0x", 8)).has_value());
}

TEST(TicketSort, QueueIsPriorityThenDueNoneLastThenOldestUpdateThenId) {
  TicketReadModel model;
  auto add = [&](std::uint32_t n, Priority p, std::optional<domain::Timestamp> due, domain::Timestamp updated) {
    domain::Ticket t = MakeTicket(n);
    t.priority = p;
    t.due_at = due;
    t.updated_at = updated;
    model.Upsert(Ptr(t));
  };
  add(1, Priority::kLow, 5, 1);
  add(2, Priority::kUrgent, std::nullopt, 1);
  add(3, Priority::kUrgent, 50, 9);
  add(4, Priority::kUrgent, 10, 9);  // earliest due (overdue ones come first)
  add(5, Priority::kHigh, std::nullopt, 7);
  add(6, Priority::kHigh, std::nullopt, 3);  // same due (none): older update first
  add(7, Priority::kMedium, 20, 4);
  add(8, Priority::kMedium, 20, 4);  // full tie: id decides
  add(9, Priority::kMedium, -100, 4);
  std::vector<std::int64_t> medium_ties = Tid(7) < Tid(8) ? std::vector<std::int64_t>{7, 8}
                                                          : std::vector<std::int64_t>{8, 7};
  std::vector<std::int64_t> expected = {4, 3, 2, 6, 5, 9, medium_ties[0], medium_ties[1], 1};
  EXPECT_EQ(Sorted(model, {SortField::kQueue}), expected);
  EXPECT_EQ(Sorted(model, {SortField::kQueue, /*descending=*/true}), expected) << "queue has no direction";
  for (std::size_t size : {1u, 2u, 4u})
    EXPECT_EQ(Sorted(model, {SortField::kQueue}, size), expected) << "page size " << size;
}

TEST(TicketSort, QueueFollowsUpdates) {
  TicketReadModel model;
  for (std::uint32_t n = 1; n <= 3; ++n) model.Upsert(Ptr(MakeTicket(n)));
  EXPECT_EQ(Sorted(model, {SortField::kQueue}), (std::vector<std::int64_t>{1, 2, 3}));
  domain::Ticket t = MakeTicket(1);
  t.updated_at = 100'000'000;  // touched last: goes behind the others
  model.Upsert(Ptr(t));
  EXPECT_EQ(Sorted(model, {SortField::kQueue}), (std::vector<std::int64_t>{2, 3, 1}));
  t.priority = Priority::kHigh;
  model.Upsert(Ptr(t));
  EXPECT_EQ(Sorted(model, {SortField::kQueue}), (std::vector<std::int64_t>{1, 2, 3}));
  t.status = TicketStatus::kClosed;
  t.due_at = 5;
  model.Upsert(Ptr(t));
  EXPECT_EQ(Sorted(model, {SortField::kQueue}), (std::vector<std::int64_t>{1, 2, 3}));
  TicketQuery open;
  open.statuses = {TicketStatus::kOpen};
  EXPECT_EQ(Numbers(WalkAllPages(model, kTenantA, open)), (std::vector<std::int64_t>{2, 3}));
}

// Every field both ways, checked against the reference order over tickets
// built to tie on every field somewhere.
TEST(TicketSort, EveryFieldBothWaysMatchesTheReference) {
  TicketReadModel model;
  std::vector<domain::Ticket> tickets;
  const char* subjects[] = {"Printer", "printer", "Drücker", "プリンタ", "", "Printer jam", "Printe", "abc\x01"};
  for (std::uint32_t n = 1; n <= 40; ++n) {
    domain::Ticket t = MakeTicket(n);
    t.number = (n * 7) % 41;
    t.created_at = (n % 5) * 1000;
    t.updated_at = (n % 3) * 1000 + (n % 2);
    if (n % 4 != 0) t.due_at = static_cast<domain::Timestamp>(n % 6) * 500 - 1000;
    t.priority = domain::kAllPriorities[n % 4];
    t.status = domain::kAllStatuses[n % 6];
    t.subject = subjects[n % 8];
    tickets.push_back(t);
    model.Upsert(Ptr(t));
  }
  for (SortField field : {SortField::kQueue, SortField::kCreatedAt, SortField::kUpdatedAt, SortField::kDueAt,
                          SortField::kPriority, SortField::kStatus, SortField::kNumber, SortField::kSubject}) {
    for (bool descending : {false, true}) {
      TicketQuery q;
      q.sort = {field, descending};
      for (std::size_t size : {3u, 200u}) {
        q.page_size = size;
        EXPECT_EQ(IdsOf(WalkAllPages(model, kTenantA, q)), IdsOf(ReferenceQuery(tickets, q)))
            << "field " << static_cast<int>(field) << (descending ? " desc" : " asc") << " page " << size;
      }
    }
  }
}

TEST(TicketSort, DueDateNoneIsLastInBothDirections) {
  TicketReadModel model;
  for (std::uint32_t n = 1; n <= 6; ++n) {
    domain::Ticket t = MakeTicket(n);
    if (n % 2 == 0) t.due_at = static_cast<domain::Timestamp>(n) * 1000;
    model.Upsert(Ptr(t));
  }
  std::vector<std::int64_t> up = Sorted(model, {SortField::kDueAt});
  std::vector<std::int64_t> down = Sorted(model, {SortField::kDueAt, true});
  EXPECT_EQ(std::vector<std::int64_t>(up.begin(), up.begin() + 3), (std::vector<std::int64_t>{2, 4, 6}));
  EXPECT_EQ(std::vector<std::int64_t>(down.begin(), down.begin() + 3), (std::vector<std::int64_t>{6, 4, 2}));
  std::vector<std::int64_t> rest_up(up.begin() + 3, up.end()), rest_down(down.begin() + 3, down.end());
  std::sort(rest_up.begin(), rest_up.end());
  std::sort(rest_down.begin(), rest_down.end());
  EXPECT_EQ(rest_up, (std::vector<std::int64_t>{1, 3, 5}));
  EXPECT_EQ(rest_down, (std::vector<std::int64_t>{1, 3, 5}));
}

TEST(TicketSort, DescendingIsTheExactReverse) {
  TicketReadModel model;
  for (std::uint32_t n = 1; n <= 30; ++n) {
    domain::Ticket t = MakeTicket(n);
    t.created_at = (n % 4) * 10;  // many ties, broken by id
    t.priority = domain::kAllPriorities[n % 4];
    model.Upsert(Ptr(t));
  }
  for (SortField field : {SortField::kCreatedAt, SortField::kPriority, SortField::kNumber, SortField::kSubject}) {
    std::vector<std::int64_t> up = Sorted(model, {field}, 4);
    std::vector<std::int64_t> down = Sorted(model, {field, true}, 4);
    ASSERT_EQ(up.size(), 30u);
    std::reverse(down.begin(), down.end());
    EXPECT_EQ(up, down) << static_cast<int>(field);
  }
}

// The sort row holds the number in 48 bits (issue 12, RSS): the values a
// tenant's counter reaches keep their order exactly, and the rare number
// outside is clamped, never wrapped into the wrong end of the order.
TEST(TicketSort, SortRowKeepsNumbersOrderAndClampsOutside48Bits) {
  auto key = [](std::int64_t number, bool descending) {
    domain::Ticket t;
    t.number = number;
    return KeyOf(MakeSortRow(t), SortSpec{SortField::kNumber, descending});
  };
  const std::int64_t numbers[] = {-(std::int64_t{1} << 60), -kMaxSortRowNumber - 1, -1, 0, 1, 999'999,
                                  kMaxSortRowNumber, std::int64_t{1} << 60};
  for (std::size_t i = 0; i + 1 < std::size(numbers); ++i) {
    EXPECT_LE(key(numbers[i], false), key(numbers[i + 1], false)) << numbers[i];
    EXPECT_GE(key(numbers[i], true), key(numbers[i + 1], true)) << numbers[i];
  }
  EXPECT_LT(key(999'998, false), key(999'999, false));
  EXPECT_EQ(MakeSortRow([] { domain::Ticket t; t.number = 123'456'789; return t; }()).number, 123'456'789);
  EXPECT_EQ(MakeSortRow([] { domain::Ticket t; t.number = std::int64_t{1} << 60; return t; }()).number,
            kMaxSortRowNumber);
}

}  // namespace
}  // namespace ticketd::projections::testing

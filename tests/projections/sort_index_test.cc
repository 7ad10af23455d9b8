// The sort indexes (sort_index.h) against the candidate scan they replace:
// for random tickets that keep changing (after the indexes are built, so
// their O(log n) maintenance is what is tested), random filters, every sort
// both ways and random cursors (positions of tickets that exist and of ones
// that do not), the indexed plan's page, total and next cursor equal the
// scan's (QueryPlan::kScan, kept as the reference).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <vector>

#include "reference_query.h"
#include "sort_index.h"
#include "sort_index_builder.h"
#include "tenant_partitions.h"
#include "ticket_index.h"
#include "ticket_query.h"

namespace ticketd::projections::testing {
namespace {

using domain::TicketStatus;

const SortField kSorts[] = {SortField::kCreatedAt, SortField::kUpdatedAt, SortField::kDueAt,
                            SortField::kPriority,  SortField::kStatus,    SortField::kNumber,
                            SortField::kSubject,   SortField::kSlaDue,   SortField::kQueue};  // a new SortField: add it here
const char* const kSubjects[] = {"printer jam", "printer jammed", "printer", "vpn down", "", "Printer"};

class Random {
 public:
  explicit Random(unsigned seed) : rng_(seed) {}
  std::uint32_t Pick(std::uint32_t n) { return static_cast<std::uint32_t>(rng_() % n); }

  // Few distinct values per field, so every sort has long runs of ties.
  domain::Ticket Ticket(std::uint32_t n) {
    domain::Ticket t = MakeTicket(n);
    t.status = domain::kAllStatuses[Pick(6)];
    t.priority = domain::kAllPriorities[Pick(4)];
    t.assignee_id = Pick(3) == 0 ? std::nullopt : std::optional<domain::Id>(Tid(500 + Pick(5)));
    t.created_at = Pick(3000) * 1000;
    t.updated_at = t.created_at + Pick(100) * 1000;
    t.due_at = Pick(3) == 0 ? std::nullopt : std::optional<domain::Timestamp>(Pick(100) * 1000);
    t.subject = std::string(kSubjects[Pick(6)]) + (Pick(2) ? " " + std::to_string(Pick(30)) : "");
    if (Pick(3) != 0) {  // sla_due: pending, met, paused (no due) targets, with ties
      domain::TicketSla sla;
      sla.policy_id = Tid(800);
      sla.clock.first_response_due_at = Pick(50) * 1000;
      sla.clock.resolution_due_at = Pick(4) == 0 ? std::nullopt : std::optional<domain::Timestamp>(Pick(100) * 1000);
      if (Pick(3) == 0) sla.clock.first_responded_at = 1;
      t.sla = sla;
    }
    return t;
  }

  TicketQuery Query() {
    TicketQuery q;
    for (std::uint32_t i = 0, k = Pick(3); i < k; ++i) q.statuses.push_back(domain::kAllStatuses[Pick(6)]);
    if (Pick(4) == 0) q.priorities = {domain::kAllPriorities[Pick(4)]};
    if (Pick(4) == 0) {  // a large candidate set with a residual filter: the bounded walk
      const std::uint32_t skip = Pick(4);
      q.priorities.clear();
      for (std::uint32_t p = 0; p < 4; ++p)
        if (p != skip) q.priorities.push_back(domain::kAllPriorities[p]);
    }
    if (Pick(4) == 0) q.assignees = {Pick(3) ? std::optional<domain::Id>(Tid(500 + Pick(5))) : std::nullopt};
    if (Pick(10) == 0) q.assignees = {Tid(500)};  // selective: a scan beats the walk
    q.sort = {kSorts[Pick(static_cast<std::uint32_t>(std::size(kSorts)))], Pick(2) == 0};
    const std::size_t sizes[] = {1, 10, 50, 200};
    q.page_size = sizes[Pick(4)];
    return q;
  }

 private:
  std::mt19937 rng_;
};

// Queries answer with the scan until an index exists: build them all here.
void BuildEveryIndex(TicketIndex& index) {
  for (SortField field : kSorts)
    if (field != SortField::kQueue)
      for (bool descending : {false, true}) (void)index.BuildSortIndex({field, descending});
}

struct Page {
  std::vector<domain::Id> ids;
  std::size_t total = 0;
  std::string next_cursor;
  bool operator==(const Page&) const = default;
};

Page PageOf(const TicketIndex& index, const TicketQuery& q, const CursorKey* after, QueryPlan plan) {
  TicketPage page;
  RunTicketQuery(index, q, Normalize(q.sort), after, &page, plan);
  Page out{{}, page.total, page.next_cursor};
  for (const TicketPtr& t : page.items) out.ids.push_back(t->id);
  return out;
}

// A position to continue after: the key of a ticket that may or may not be
// in the index (cursors of deleted or changed tickets stay valid).
CursorKey CursorAt(const domain::Ticket& t, const SortSpec& spec) {
  return CursorKey{KeyOf(MakeSortRow(t), spec), t.id, spec.field == SortField::kSubject ? t.subject : ""};
}

TEST(SortIndex, IndexedPagesEqualTheScanForRandomFiltersSortsAndCursors) {
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  Random gen(seed);
  TicketIndex index;
  std::vector<domain::Ticket> tickets;  // by number - 1; removed ones stay here
  std::vector<bool> live;
  constexpr std::uint32_t kTickets = 12000;  // above kSmallScan: the indexes are used
  for (std::uint32_t n = 1; n <= kTickets; ++n) {
    tickets.push_back(gen.Ticket(n));
    live.push_back(true);
    index.Upsert(Ptr(tickets.back()));
  }
  BuildEveryIndex(index);
  int compared_pages = 0;
  for (int round = 0; round < 300; ++round) {
    for (int change = 0; change < 40; ++change) {
      const std::uint32_t i = gen.Pick(static_cast<std::uint32_t>(tickets.size()));
      const std::uint32_t what = gen.Pick(10);
      if (what == 0 && live[i]) {
        index.Remove(tickets[i].id);
        live[i] = false;
      } else if (what == 1) {
        const auto n = static_cast<std::uint32_t>(tickets.size() + 1);
        tickets.push_back(gen.Ticket(n));
        live.push_back(true);
        index.Upsert(Ptr(tickets.back()));
      } else {
        domain::Ticket changed = gen.Ticket(i + 1);
        // Often change one sort field only, as real updates do.
        if (what < 6) {
          domain::Ticket only = tickets[i];
          only.updated_at = changed.updated_at;
          if (what == 2) only.status = changed.status;
          if (what == 3) only.subject = changed.subject;
          if (what == 4) only.due_at = changed.due_at;
          if (what == 5) only.priority = changed.priority;
          changed = only;
        }
        tickets[i] = changed;
        live[i] = true;
        index.Upsert(Ptr(changed));
      }
    }
    const TicketQuery q = gen.Query();
    const SortSpec spec = Normalize(q.sort);
    SCOPED_TRACE("round " + std::to_string(round) + " sort " + std::to_string(static_cast<int>(spec.field)) +
                 (spec.descending ? "-" : "+") + " page " + std::to_string(q.page_size));
    // From the front, then page by page through the scan's cursors.
    std::optional<CursorKey> after;
    for (int p = 0; p < 4; ++p) {
      const Page scan = PageOf(index, q, after ? &*after : nullptr, QueryPlan::kScan);
      ASSERT_EQ(PageOf(index, q, after ? &*after : nullptr, QueryPlan::kBest), scan) << "page " << p;
      ++compared_pages;
      if (scan.next_cursor.empty()) break;
      after = DecodeCursor(scan.next_cursor, spec);
      ASSERT_TRUE(after.has_value());
    }
    // From random positions, in the index or not.
    for (int c = 0; c < 3; ++c) {
      const domain::Ticket& at = gen.Pick(4) == 0 ? gen.Ticket(900000 + gen.Pick(1000))
                                                  : tickets[gen.Pick(static_cast<std::uint32_t>(tickets.size()))];
      const CursorKey cursor = CursorAt(at, spec);
      ASSERT_EQ(PageOf(index, q, &cursor, QueryPlan::kBest), PageOf(index, q, &cursor, QueryPlan::kScan));
      ++compared_pages;
    }
  }
  EXPECT_GT(compared_pages, 1500);
}

// The whole order of every index, every status group, after heavy churn:
// a full walk visits each live ticket once, in the scan's order.
TEST(SortIndex, FullWalksStayInTheScansOrderThroughChurn) {
  Random gen(7);
  TicketIndex index;
  std::vector<domain::Ticket> tickets;
  for (std::uint32_t n = 1; n <= 9000; ++n) {
    tickets.push_back(gen.Ticket(n));
    index.Upsert(Ptr(tickets.back()));
  }
  BuildEveryIndex(index);
  for (int change = 0; change < 20000; ++change) {
    const std::uint32_t i = gen.Pick(9000);
    tickets[i] = gen.Ticket(i + 1);
    index.Upsert(Ptr(tickets[i]));
  }
  for (SortField field : kSorts) {
    if (field == SortField::kQueue) continue;
    for (bool descending : {false, true}) {
      SCOPED_TRACE(std::to_string(static_cast<int>(field)) + (descending ? "-" : "+"));
      TicketQuery q;
      q.sort = {field, descending};
      q.page_size = 9000;
      const Page scan = PageOf(index, q, nullptr, QueryPlan::kScan);
      std::vector<domain::Id> walked;
      index.FindSortIndex(Normalize(q.sort))->Walk(0x3F, nullptr, [&](std::uint32_t slot) {
        walked.push_back(index.id(slot));
        return true;
      });
      EXPECT_EQ(walked, scan.ids);
      EXPECT_EQ(walked.size(), 9000u);
    }
  }
}

// Matches clustered at the end of the order: the walk's estimate is wrong,
// its budget runs out, and the fallback scan must still give the scan's page.
TEST(SortIndex, ClusteredMatchesFallBackFromTheWalk) {
  TicketIndex index;
  std::vector<domain::Ticket> tickets;
  for (std::uint32_t n = 1; n <= 20000; ++n) {
    domain::Ticket t = MakeTicket(n);  // created_at grows with n
    t.priority = n > 10000 ? domain::Priority::kLow : domain::Priority::kUrgent;
    t.assignee_id = n > 10000 && n <= 19000 ? Tid(501) : Tid(500);
    tickets.push_back(t);
    index.Upsert(Ptr(t));
  }
  BuildEveryIndex(index);
  TicketQuery q;
  q.priorities = {domain::Priority::kLow};
  q.assignees = {Tid(500)};
  q.sort = {SortField::kCreatedAt, false};
  const Page first = PageOf(index, q, nullptr, QueryPlan::kBest);
  EXPECT_EQ(first, PageOf(index, q, nullptr, QueryPlan::kScan));
  EXPECT_EQ(first.total, 1000u);
  ASSERT_EQ(first.ids.size(), 50u);
  EXPECT_EQ(first.ids.front(), tickets[19000].id);
}


// Background builds (sort_index_builder.h): one tenant behind its lock, as
// in TicketReadModel, changed and queried by this thread while the builder's
// thread builds every index.
struct Tenant {
  TenantPartitions<TicketIndex> partitions;
  std::vector<domain::Ticket> tickets;  // by number - 1

  explicit Tenant(Random& gen, std::uint32_t count) {
    for (std::uint32_t n = 1; n <= count; ++n) tickets.push_back(gen.Ticket(n));
    partitions.Write(kTenantA, [&](TicketIndex& index) {
      for (const domain::Ticket& t : tickets) index.Upsert(Ptr(t));
    });
  }
  SortIndexBuilder::ReadTenant Reader() {
    return [this](const domain::Id& id, const std::function<void(const TicketIndex&)>& fn) {
      return partitions.Read(id, fn);
    };
  }
  // One random update, removal or new ticket, under the writer's lock.
  void Change(Random& gen) {
    const std::uint32_t i = gen.Pick(static_cast<std::uint32_t>(tickets.size()));
    const std::uint32_t what = gen.Pick(10);
    partitions.Write(kTenantA, [&](TicketIndex& index) {
      if (what == 0) {
        index.Remove(tickets[i].id);
      } else if (what == 1) {
        tickets.push_back(gen.Ticket(static_cast<std::uint32_t>(tickets.size() + 1)));
        index.Upsert(Ptr(tickets.back()));
      } else {
        tickets[i] = gen.Ticket(i + 1);
        index.Upsert(Ptr(tickets[i]));
      }
    });
  }
  template <class Fn>
  void Read(Fn&& fn) {
    partitions.Read(kTenantA, fn);
  }
};

std::vector<SortSpec> EverySortSpec() {
  std::vector<SortSpec> specs;
  for (SortField field : kSorts)
    if (field != SortField::kQueue)
      for (bool descending : {false, true}) specs.push_back({field, descending});
  return specs;
}

// Each index's full walk, every status group, against the scan's order.
void ExpectIndexesEqualTheScan(Tenant& tenant, const std::vector<SortSpec>& specs = EverySortSpec()) {
  tenant.Read([&](const TicketIndex& index) {
    for (const SortSpec& spec : specs) {
      SCOPED_TRACE(std::to_string(static_cast<int>(spec.field)) + (spec.descending ? "-" : "+"));
      const SortIndex* sorted = index.FindSortIndex(spec);
      ASSERT_NE(sorted, nullptr);
      EXPECT_FALSE(index.SortIndexBuilding(spec));
      TicketQuery q;
      q.sort = spec;
      q.page_size = index.live_count();
      std::vector<domain::Id> walked;
      sorted->Walk(0x3F, nullptr, [&](std::uint32_t slot) {
        walked.push_back(index.id(slot));
        return true;
      });
      EXPECT_EQ(walked, PageOf(index, q, nullptr, QueryPlan::kScan).ids);
    }
  });
}

TEST(SortIndexBuilder, BackgroundBuildsEqualTheScanThroughConcurrentWrites) {
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  Random gen(seed);
  Tenant tenant(gen, 40000);
  SortIndexBuilder builder(tenant.Reader());
  for (const SortSpec& spec : EverySortSpec()) builder.Request(kTenantA, spec);
  // While the builds run: writes, and queries that must be exact whether
  // their index is missing (the scan answers) or built.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  int scanned_while_missing = 0, rounds = 0;
  while (builder.stats().built < EverySortSpec().size() && std::chrono::steady_clock::now() < deadline) {
    for (int change = 0; change < 20; ++change) tenant.Change(gen);
    const TicketQuery q = gen.Query();
    tenant.Read([&](const TicketIndex& index) {
      TicketPage page;
      if (RunTicketQuery(index, q, Normalize(q.sort), nullptr, &page)) ++scanned_while_missing;
      ASSERT_EQ(PageOf(index, q, nullptr, QueryPlan::kBest), PageOf(index, q, nullptr, QueryPlan::kScan))
          << "round " << rounds;
    });
    ++rounds;
  }
  builder.WaitIdle();
  ASSERT_EQ(builder.stats().built, EverySortSpec().size());
  EXPECT_GT(builder.stats().caught_up, 0u);  // writes landed during builds
  std::printf("%d rounds of writes and queries during the builds, %llu changed slots caught up, "
              "longest lock hold %.2f ms\n",
              rounds, static_cast<unsigned long long>(builder.stats().caught_up), builder.stats().longest_hold_ms);
  EXPECT_GT(scanned_while_missing, 0);
  ExpectIndexesEqualTheScan(tenant);
  // Maintained from then on like a synchronously built index.
  for (int change = 0; change < 3000; ++change) tenant.Change(gen);
  ExpectIndexesEqualTheScan(tenant);
}

TEST(SortIndexBuilder, DestroyedDuringABuildLeavesNoHalfIndex) {
  Random gen(11);
  Tenant tenant(gen, 100000);
  const SortSpec subject{SortField::kSubject, false};
  auto builder = std::make_unique<SortIndexBuilder>(tenant.Reader());
  builder->Request(kTenantA, subject);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool started = false;
  while (!started && std::chrono::steady_clock::now() < deadline)
    tenant.Read([&](const TicketIndex& index) {
      started = index.SortIndexBuilding(subject) || index.FindSortIndex(subject) != nullptr;
    });
  ASSERT_TRUE(started);
  builder.reset();  // stops the thread mid-build (or just after it)
  tenant.Read([&](const TicketIndex& index) {
    EXPECT_FALSE(index.SortIndexBuilding(subject));  // the change log is gone with the build
    if (const SortIndex* built = index.FindSortIndex(subject)) {
      std::size_t total = 0;
      for (int s = 0; s < SortIndex::kStatuses; ++s) total += built->GroupSize(s);
      EXPECT_EQ(total, index.live_count());
    }
  });
  for (int change = 0; change < 100; ++change) tenant.Change(gen);
  // A new builder builds it from scratch (or finds it built).
  SortIndexBuilder again(tenant.Reader());
  again.Request(kTenantA, subject);
  again.WaitIdle();
  ExpectIndexesEqualTheScan(tenant, {subject});
}

// Through the read model: the first query of a sort is answered by the scan
// and starts the build; the same query after it gives the same page.
TEST(SortIndexBuilder, ReadModelAnswersTheSameBeforeAndAfterTheBuild) {
  Random gen(5);
  TicketReadModel model;
  for (std::uint32_t n = 1; n <= 20000; ++n) model.Upsert(Ptr(gen.Ticket(n)));
  for (const char* sort : {"subject", "-updated_at", "due_at"}) {
    TicketQuery q;
    q.sort = *ParseSort(sort);
    q.statuses = {TicketStatus::kOpen, TicketStatus::kResolved};
    TicketPage before, after;
    ASSERT_TRUE(model.Query(kTenantA, q, &before).ok());
    model.WaitForSortIndexes();
    ASSERT_TRUE(model.Query(kTenantA, q, &after).ok());
    ASSERT_EQ(before.items.size(), 50u);
    EXPECT_EQ(before.items, after.items) << sort;
    EXPECT_EQ(before.total, after.total);
    EXPECT_EQ(before.next_cursor, after.next_cursor);
  }
  TicketQuery q;
  q.sort = *ParseSort("-number");
  TicketPage page;
  ASSERT_TRUE(model.Query(kTenantA, q, &page).ok());  // starts a build; the model dies during it
}

}  // namespace
}  // namespace ticketd::projections::testing

// Randomized model check: a tenant big enough to take every query plan
// (queue-index walk, walk with residual filters, bounded walk falling back
// to a scan, small and large scans), random queries compared page by page
// against the brute-force reference, while tickets keep changing.
#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

#include "reference_query.h"

namespace ticketd::projections::testing {
namespace {

using domain::Priority;
using domain::TicketStatus;
using domain::TicketType;

const char* const kWords[] = {"printer", "print",  "drücker", "DRÜCKER", "プリンタ", "vpn",
                              "VPN",     "laptop", "lap",     "screen",  "wifi",     "e-mail"};
const char* const kCategories[] = {"", "network", "hardware", "software", "access"};

class ModelCheck {
 public:
  explicit ModelCheck(unsigned seed) : rng_(seed) {}

  domain::Ticket RandomTicket(std::uint32_t n) {
    domain::Ticket t = MakeTicket(n);
    Randomize(t);
    return t;
  }

  void Randomize(domain::Ticket& t) {
    t.status = domain::kAllStatuses[Pick(6)];
    t.priority = domain::kAllPriorities[Pick(4)];
    t.type = Pick(3) == 0 ? TicketType::kServiceRequest : TicketType::kIncident;
    t.assignee_id = Pick(3) == 0 ? std::nullopt : std::optional<domain::Id>(Tid(500 + Pick(8)));
    t.reporter_id = Tid(1000 + Pick(20));
    t.category = kCategories[Pick(5)];
    t.asset_id = Pick(4) == 0 ? std::optional<domain::Id>(Tid(600 + Pick(4))) : std::nullopt;
    t.due_at = Pick(3) == 0 ? std::nullopt : std::optional<domain::Timestamp>(Pick(50) * 1000);  // ties
    t.updated_at = Pick(200) * 1000;                                                             // ties
    t.subject = std::string(kWords[Pick(12)]) + " " + kWords[Pick(12)];
    t.description = Pick(2) ? std::string(kWords[Pick(12)]) + " #" + std::to_string(Pick(1000)) : "";
  }

  TicketQuery RandomQuery() {
    TicketQuery q;
    auto some = [&](auto make, auto& out) {
      if (Pick(3) != 0) return;
      for (std::uint32_t i = 0, k = 1 + Pick(3); i < k; ++i) out.push_back(make());
    };
    some([&] { return domain::kAllStatuses[Pick(6)]; }, q.statuses);
    some([&] { return domain::kAllPriorities[Pick(4)]; }, q.priorities);
    if (Pick(5) == 0) q.types = {Pick(2) ? TicketType::kIncident : TicketType::kServiceRequest};
    if (Pick(5) == 0) {
      some([&] { return Pick(4) == 0 ? std::nullopt : std::optional<domain::Id>(Tid(500 + Pick(9))); },
           q.assignees);
    }
    if (Pick(6) == 0) some([&] { return Tid(1000 + Pick(21)); }, q.reporter_ids);
    if (Pick(5) == 0) some([&] { return std::string(kCategories[Pick(5)]); }, q.categories);
    if (Pick(8) == 0) some([&] { return Tid(600 + Pick(5)); }, q.asset_ids);
    if (Pick(4) == 0) {
      const std::string w = kWords[Pick(12)];
      q.text = Pick(2) ? w.substr(0, 1 + Pick(static_cast<std::uint32_t>(w.size()))) : w + " " + kWords[Pick(12)];
    }
    const SortField fields[] = {SortField::kQueue,    SortField::kQueue,  SortField::kCreatedAt,
                                SortField::kUpdatedAt, SortField::kDueAt, SortField::kPriority,
                                SortField::kStatus,   SortField::kNumber, SortField::kSubject};
    q.sort = {fields[Pick(9)], Pick(2) == 0};
    const std::size_t sizes[] = {1, 7, 50, 200};
    q.page_size = sizes[Pick(4)];
    return q;
  }

  std::uint32_t Pick(std::uint32_t n) { return static_cast<std::uint32_t>(rng_() % n); }

 private:
  std::mt19937 rng_;
};

std::string Describe(const TicketQuery& q) {
  return "statuses " + std::to_string(q.statuses.size()) + " priorities " + std::to_string(q.priorities.size()) +
         " types " + std::to_string(q.types.size()) + " assignees " + std::to_string(q.assignees.size()) +
         " reporters " + std::to_string(q.reporter_ids.size()) + " categories " +
         std::to_string(q.categories.size()) + " assets " + std::to_string(q.asset_ids.size()) + " text '" +
         q.text + "' sort " + std::to_string(static_cast<int>(q.sort.field)) + (q.sort.descending ? "-" : "+") +
         " page " + std::to_string(q.page_size);
}

TEST(ModelCheck, RandomQueriesMatchTheReferenceWhileTicketsChange) {
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  ModelCheck gen(seed);
  TicketReadModel model;
  std::unordered_map<std::uint32_t, domain::Ticket> live;
  constexpr std::uint32_t kTickets = 30000;
  for (std::uint32_t n = 1; n <= kTickets; ++n) {
    live[n] = gen.RandomTicket(n);
    model.Upsert(Ptr(live[n]));
  }
  std::uint32_t next = kTickets + 1;
  for (int round = 0; round < 60; ++round) {
    for (int change = 0; change < 200; ++change) {
      const std::uint32_t n = 1 + gen.Pick(next - 1);
      if (gen.Pick(10) == 0) {
        live.erase(n);
        model.Remove(kTenantA, Tid(n));
      } else if (gen.Pick(10) == 0) {
        live[next] = gen.RandomTicket(next);
        model.Upsert(Ptr(live[next]));
        ++next;
      } else if (auto it = live.find(n); it != live.end()) {
        gen.Randomize(it->second);
        model.Upsert(Ptr(it->second));
      }
    }
    std::vector<domain::Ticket> tickets;
    for (const auto& [n, t] : live) tickets.push_back(t);
    ASSERT_EQ(model.TicketCount(kTenantA), tickets.size());
    const TicketQuery q = gen.RandomQuery();
    SCOPED_TRACE(Describe(q));
    const std::vector<domain::Ticket> expected = ReferenceQuery(tickets, q);
    std::size_t total = 0;
    // Long lists: compare the first pages and the full walk at page 200.
    const std::size_t max_pages = q.page_size >= 50 ? 1000000 : 40;
    const std::vector<TicketPtr> got = WalkAllPages(model, kTenantA, q, &total, max_pages);
    EXPECT_EQ(total, expected.size());
    const std::vector<domain::Id> want = IdsOf(expected);
    ASSERT_LE(got.size(), want.size());
    EXPECT_EQ(IdsOf(got), std::vector<domain::Id>(want.begin(), want.begin() + static_cast<std::ptrdiff_t>(got.size())));
    if (max_pages > 40) {
      EXPECT_EQ(got.size(), want.size());
    }
  }
}

// Matches clustered at the end of the queue: the walk's estimate is wrong
// and its budget runs out; the fallback scan must still give the right page.
TEST(ModelCheck, ClusteredMatchesFallBackFromTheWalk) {
  TicketReadModel model;
  std::vector<domain::Ticket> tickets;
  for (std::uint32_t n = 1; n <= 40000; ++n) {
    domain::Ticket t = MakeTicket(n);
    const bool late = n > 30000;
    t.priority = late ? Priority::kLow : Priority::kUrgent;
    t.type = late ? TicketType::kServiceRequest : TicketType::kIncident;
    tickets.push_back(t);
    model.Upsert(Ptr(t));
  }
  TicketQuery q;
  q.types = {TicketType::kServiceRequest};
  q.page_size = 50;
  std::size_t total = 0;
  std::vector<TicketPtr> got = WalkAllPages(model, kTenantA, q, &total, 3);
  EXPECT_EQ(total, 10000u);
  const std::vector<domain::Ticket> expected = ReferenceQuery(tickets, q);
  ASSERT_EQ(got.size(), 150u);
  EXPECT_EQ(IdsOf(got), IdsOf(std::vector<domain::Ticket>(expected.begin(), expected.begin() + 150)));
}

}  // namespace
}  // namespace ticketd::projections::testing

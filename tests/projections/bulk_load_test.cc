// TicketReadModel::AddNew (a restart from a snapshot builds the ticket list in
// bulk: queue groups sorted once, full-text postings collected per word,
// tenants on several threads) must give the same lists as Upsert of each
// ticket, and leave indexes that later updates keep correct.
#include <gtest/gtest.h>

#include <random>

#include "reference_query.h"
#include "ticketd/projections/binary_codec.h"

namespace ticketd::projections::testing {
namespace {

using domain::Priority;
using domain::TicketStatus;

const char* const kWords[] = {"printer", "print", "drücker", "vpn", "VPN", "laptop", "lap", "screen", "wifi", "e-mail"};

class Tickets {
 public:
  explicit Tickets(unsigned seed) : rng_(seed) {}
  std::uint32_t Pick(std::uint32_t n) { return static_cast<std::uint32_t>(rng_() % n); }

  domain::Ticket Random(std::uint32_t n, const domain::Id& tenant) {
    domain::Ticket t = MakeTicket(n, tenant);
    Change(t);
    return t;
  }
  void Change(domain::Ticket& t) {
    t.status = domain::kAllStatuses[Pick(6)];
    t.priority = domain::kAllPriorities[Pick(4)];
    t.assignee_id = Pick(3) == 0 ? std::nullopt : std::optional<domain::Id>(Tid(500 + Pick(8)));
    t.category = Pick(2) ? "network" : "hardware";
    t.due_at = Pick(3) == 0 ? std::nullopt : std::optional<domain::Timestamp>(Pick(50) * 1000);  // ties
    t.updated_at = Pick(200) * 1000;                                                             // ties
    t.subject = std::string(kWords[Pick(10)]) + " " + kWords[Pick(10)] + " " + std::to_string(Pick(5000));
    t.description = Pick(2) ? std::string(kWords[Pick(10)]) + " #" + std::to_string(Pick(1000)) : "";
  }
  TicketQuery Query() {
    TicketQuery q;
    if (Pick(2)) q.statuses = {domain::kAllStatuses[Pick(6)], domain::kAllStatuses[Pick(6)]};
    if (Pick(3) == 0) q.priorities = {domain::kAllPriorities[Pick(4)]};
    if (Pick(3) == 0) q.text = std::string(kWords[Pick(10)]).substr(0, 1 + Pick(4));
    const SortField fields[] = {SortField::kQueue, SortField::kQueue, SortField::kCreatedAt, SortField::kDueAt,
                                SortField::kSubject};
    q.sort = {fields[Pick(5)], Pick(2) == 0};
    q.page_size = 50;
    return q;
  }

 private:
  std::mt19937 rng_;
};

std::string Canonical(const TicketReadModel& model) {
  BinaryWriter out;
  model.EncodeCanonical(out);
  return out.Take();
}

// Every query gives the reference's pages on both models.
void ExpectSameLists(Tickets& gen, const TicketReadModel& upserted, const TicketReadModel& bulk,
                     const std::vector<domain::Ticket>& tenant_a) {
  ASSERT_EQ(Canonical(upserted), Canonical(bulk));
  for (int i = 0; i < 40; ++i) {
    const TicketQuery q = gen.Query();
    std::size_t total_upserted = 0, total_bulk = 0;
    const std::vector<TicketPtr> a = WalkAllPages(upserted, kTenantA, q, &total_upserted, 1000000);
    const std::vector<TicketPtr> b = WalkAllPages(bulk, kTenantA, q, &total_bulk, 1000000);
    EXPECT_EQ(total_bulk, total_upserted);
    EXPECT_EQ(IdsOf(b), IdsOf(a));
    EXPECT_EQ(IdsOf(b), IdsOf(ReferenceQuery(tenant_a, q)));
  }
}

TEST(BulkLoad, AddNewGivesTheListsUpsertingEachTicketGivesAndStaysCorrectAfterUpdates) {
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  Tickets gen(seed);
  TicketReadModel upserted, bulk;
  std::vector<TicketPtr> all;
  std::vector<domain::Ticket> tenant_a;
  for (std::uint32_t n = 1; n <= 12000; ++n) {
    const domain::Id& tenant = n % 3 == 0 ? kTenantB : kTenantA;
    domain::Ticket t = gen.Random(n, tenant);
    if (tenant == kTenantA) tenant_a.push_back(t);
    all.push_back(Ptr(std::move(t)));
  }
  std::shuffle(all.begin(), all.end(), std::mt19937(seed));  // the write model's hash order
  for (const TicketPtr& ticket : all) upserted.Upsert(ticket);
  bulk.AddNew(all, /*threads=*/2);
  EXPECT_EQ(bulk.TicketCount(kTenantA), tenant_a.size());
  ExpectSameLists(gen, upserted, bulk, tenant_a);

  // The bulk-built queue groups and postings take ordinary updates.
  for (int change = 0; change < 3000; ++change) {
    const std::size_t i = gen.Pick(static_cast<std::uint32_t>(tenant_a.size()));
    gen.Change(tenant_a[i]);
    upserted.Upsert(Ptr(tenant_a[i]));
    bulk.Upsert(Ptr(tenant_a[i]));
  }
  for (int removal = 0; removal < 500; ++removal) {
    const std::size_t i = gen.Pick(static_cast<std::uint32_t>(tenant_a.size()));
    upserted.Remove(kTenantA, tenant_a[i].id);
    bulk.Remove(kTenantA, tenant_a[i].id);
    tenant_a.erase(tenant_a.begin() + static_cast<std::ptrdiff_t>(i));
  }
  ExpectSameLists(gen, upserted, bulk, tenant_a);
}

TEST(BulkLoad, AddNewBesideTicketsAlreadyIndexedMergesIntoTheirGroups) {
  Tickets gen(7);
  TicketReadModel upserted, bulk;
  std::vector<domain::Ticket> tenant_a;
  std::vector<TicketPtr> later;
  for (std::uint32_t n = 1; n <= 3000; ++n) {
    tenant_a.push_back(gen.Random(n, kTenantA));
    upserted.Upsert(Ptr(tenant_a.back()));
    if (n <= 1000) {
      bulk.Upsert(Ptr(tenant_a.back()));
    } else {
      later.push_back(Ptr(tenant_a.back()));
    }
  }
  bulk.AddNew(later);
  ExpectSameLists(gen, upserted, bulk, tenant_a);
}

}  // namespace
}  // namespace ticketd::projections::testing

// TicketTable against std::unordered_map: random inserts, replacements,
// lookups of present and absent ids, and clears, with the seed printed.
#include "ticket_table.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <unordered_map>

namespace ticketd::app {
namespace {

using Phase = domain::TicketState::Phase;

struct Expected {
  Phase phase;
  std::int64_t version;
};

domain::Id RandomId(std::mt19937_64& rng, std::uint64_t pool) {
  domain::Id id;
  // A small pool of time-like prefixes and numbers: collisions in the
  // table's buckets, and ids drawn again (replacements, lookups of present ids).
  const std::uint64_t n = rng() % pool;
  for (int i = 0; i < 8; ++i) id.bytes[i] = static_cast<std::uint8_t>((n % 7) >> i);
  for (int i = 0; i < 8; ++i) id.bytes[8 + i] = static_cast<std::uint8_t>(n >> (8 * i));
  return id;
}

projections::TicketPtr MakeTicket(const domain::Id& id, std::int64_t version) {
  domain::Ticket ticket;
  ticket.id = id;
  ticket.version = version;
  return std::make_shared<const domain::Ticket>(std::move(ticket));
}

TEST(TicketTable, RandomInsertsReplacementsAndClearsMatchAnUnorderedMap) {
  const std::uint64_t seed = std::random_device{}();
  std::printf("TicketTable seed %llu\n", static_cast<unsigned long long>(seed));
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  TicketTable table;
  std::unordered_map<domain::Id, Expected, domain::IdHash> reference;
  for (int step = 0; step < 200'000; ++step) {
    const domain::Id id = RandomId(rng, 40'000);
    const int action = static_cast<int>(rng() % 100);
    std::optional<std::uint32_t> slot = table.Find(id);
    auto it = reference.find(id);
    ASSERT_EQ(slot.has_value(), it != reference.end()) << "step " << step;
    if (action == 0 && rng() % 50 == 0) {  // now and then, start over
      table.Clear();
      reference.clear();
    } else if (action < 60) {  // an event: insert or replace
      const Phase phase = rng() % 4 == 0 ? Phase::kDeleted : Phase::kLive;
      const std::int64_t version = it == reference.end() ? 1 : it->second.version + 1;
      if (slot) {
        table.Set(*slot, MakeTicket(id, version), phase);
      } else {
        table.Insert(MakeTicket(id, version), phase);
      }
      reference[id] = Expected{phase, version};
    } else if (slot) {  // a lookup
      ASSERT_EQ(table.ticket(*slot)->id, id);
      ASSERT_EQ(table.ticket(*slot)->version, it->second.version);
      ASSERT_EQ(table.phase(*slot), it->second.phase);
    }
    ASSERT_EQ(table.size(), reference.size());
  }
  // Every slot is one reference entry, each once.
  std::size_t seen = 0;
  for (std::uint32_t slot = 0; slot < table.size(); ++slot) {
    auto it = reference.find(table.ticket(slot)->id);
    ASSERT_NE(it, reference.end());
    EXPECT_EQ(table.Find(table.ticket(slot)->id), slot);
    EXPECT_EQ(table.phase(slot), it->second.phase);
    ++seen;
  }
  EXPECT_EQ(seen, reference.size());
}

TEST(TicketTable, ReserveKeepsWhatIsThereAndSlotsStayPut) {
  TicketTable table;
  std::vector<domain::Id> ids;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 5000; ++i) {
    ids.push_back(RandomId(rng, ~0ull));
    if (table.Find(ids.back())) {
      ids.pop_back();
      continue;
    }
    EXPECT_EQ(table.Insert(MakeTicket(ids.back(), 1), Phase::kLive), ids.size() - 1);
    if (i == 2500) table.Reserve(100'000);
  }
  for (std::uint32_t slot = 0; slot < ids.size(); ++slot) EXPECT_EQ(table.Find(ids[slot]), slot);
  EXPECT_FALSE(table.Find(domain::Id{}));
}

}  // namespace
}  // namespace ticketd::app

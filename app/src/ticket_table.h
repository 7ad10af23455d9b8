// TicketTable: the write model's tickets by id, flat. A ticket's slot holds
// its newest immutable version (TicketPtr, 16 bytes) and its phase (1 byte),
// in pages of 4096 slots so growing never moves them; the index is a
// base::SlotIndex (4-byte slot numbers, at most half full) that reads the
// ids from the tickets themselves (Ticket::id). About 25-33 bytes per
// ticket instead of an unordered_map's node and bucket (56-64): ~30 MiB at
// a million tickets (issue 12, docs/performance.md, branch rssfixed).
//
// Every slot holds a ticket whose id is its key: a stream whose events
// never created a ticket (phase kNew) has no slot. Slots are never erased or
// reused (a deleted ticket stays, phase kDeleted), as in the write model
// before; Clear() empties the table.
//
// Not thread-safe: the engine's writer thread (or a snapshot rebuild's own
// state) owns it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "ticketd/base/slot_index.h"
#include "ticketd/domain/ticket.h"
#include "ticketd/projections/ticket_read_model.h"

namespace ticketd::app {

class TicketTable {
 public:
  using Phase = domain::TicketState::Phase;

  std::optional<std::uint32_t> Find(const domain::Id& id) const;
  // Adds `ticket` (not null, its id not in the table yet) under ticket->id.
  std::uint32_t Insert(projections::TicketPtr ticket, Phase phase);
  // Replaces a slot's ticket by a newer version of the same ticket.
  void Set(std::uint32_t slot, projections::TicketPtr ticket, Phase phase);

  const projections::TicketPtr& ticket(std::uint32_t slot) const { return PageOf(slot).tickets[slot & kPageMask]; }
  Phase phase(std::uint32_t slot) const { return static_cast<Phase>(PageOf(slot).phases[slot & kPageMask]); }
  std::uint32_t size() const { return size_; }
  void Reserve(std::size_t count);
  void Clear();

 private:
  static constexpr std::size_t kPageBits = 12;
  static constexpr std::size_t kPageSize = std::size_t{1} << kPageBits;
  static constexpr std::size_t kPageMask = kPageSize - 1;
  struct Page {
    std::array<projections::TicketPtr, kPageSize> tickets;
    std::array<std::uint8_t, kPageSize> phases;  // Phase, one byte each
  };
  Page& PageOf(std::uint32_t slot) { return *pages_[slot >> kPageBits]; }
  const Page& PageOf(std::uint32_t slot) const { return *pages_[slot >> kPageBits]; }
  auto IdOf() const {
    return [this](std::uint32_t slot) -> const domain::Id& { return ticket(slot)->id; };
  }

  std::vector<std::unique_ptr<Page>> pages_;
  std::uint32_t size_ = 0;
  base::SlotIndex<domain::Id, domain::IdHash, 1024> index_;
};

}  // namespace ticketd::app

#include "ticket_table.h"

#include <cassert>

namespace ticketd::app {

std::optional<std::uint32_t> TicketTable::Find(const domain::Id& id) const { return index_.Find(id, IdOf()); }

void TicketTable::Reserve(std::size_t count) { index_.Reserve(count, size_, IdOf()); }

std::uint32_t TicketTable::Insert(projections::TicketPtr ticket, Phase phase) {
  assert(ticket && !Find(ticket->id));
  if ((size_ & kPageMask) == 0 && (size_ >> kPageBits) == pages_.size()) pages_.push_back(std::make_unique<Page>());
  const std::uint32_t slot = size_++;
  Page& page = PageOf(slot);
  page.tickets[slot & kPageMask] = std::move(ticket);
  page.phases[slot & kPageMask] = static_cast<std::uint8_t>(phase);
  index_.Add(slot, IdOf());
  return slot;
}

void TicketTable::Set(std::uint32_t slot, projections::TicketPtr ticket, Phase phase) {
  Page& page = PageOf(slot);
  assert(ticket && ticket->id == page.tickets[slot & kPageMask]->id);
  page.tickets[slot & kPageMask] = std::move(ticket);
  page.phases[slot & kPageMask] = static_cast<std::uint8_t>(phase);
}

void TicketTable::Clear() {
  pages_.clear();
  size_ = 0;
  index_.Clear();
}

}  // namespace ticketd::app

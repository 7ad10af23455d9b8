#include "ticket_table.h"

#include <algorithm>
#include <cassert>

#include "id_bucket.h"

namespace ticketd::app {

std::optional<std::uint32_t> TicketTable::Find(const domain::Id& id) const {
  if (index_.empty()) return std::nullopt;
  const std::size_t mask = index_.size() - 1;
  for (std::size_t b = IdBucket(id, BucketBits(index_.size()));; b = (b + 1) & mask) {
    const std::uint32_t entry = index_[b];
    if (entry == 0) return std::nullopt;
    if (ticket(entry - 1)->id == id) return entry - 1;
  }
}

void TicketTable::Place(std::uint32_t slot) {
  const std::size_t mask = index_.size() - 1;
  std::size_t b = IdBucket(ticket(slot)->id, BucketBits(index_.size()));
  while (index_[b] != 0) b = (b + 1) & mask;
  index_[b] = slot + 1;
}

void TicketTable::Rehash(std::size_t buckets) {
  index_.assign(buckets, 0);
  for (std::uint32_t slot = 0; slot < size_; ++slot) Place(slot);
}

void TicketTable::Reserve(std::size_t count) {
  std::size_t buckets = std::max<std::size_t>(index_.size(), 1024);
  while ((count + 1) * 2 > buckets) buckets *= 2;
  if (buckets != index_.size()) Rehash(buckets);
}

std::uint32_t TicketTable::Insert(projections::TicketPtr ticket, Phase phase) {
  assert(ticket && !Find(ticket->id));
  if ((size_ & kPageMask) == 0 && (size_ >> kPageBits) == pages_.size()) pages_.push_back(std::make_unique<Page>());
  const std::uint32_t slot = size_++;
  Page& page = PageOf(slot);
  page.tickets[slot & kPageMask] = std::move(ticket);
  page.phases[slot & kPageMask] = static_cast<std::uint8_t>(phase);
  if ((std::size_t{size_} + 1) * 2 > index_.size()) {
    Rehash(std::max<std::size_t>(1024, index_.size() * 2));  // places every slot, this one included
  } else {
    Place(slot);
  }
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
  index_.clear();
  index_.shrink_to_fit();
}

}  // namespace ticketd::app

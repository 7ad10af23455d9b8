#include "sort_index.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace ticketd::projections {
namespace {

// Everything a comparison reads, copied next to each other once: sorting a
// million of them then never reads the columns at random (the status and
// priority sorts tie on the key for nearly every pair, the subject sort on
// common 8-byte prefixes).
// The id as two integers in its byte order: ties (nearly every pair in the
// status and priority sorts) compare as integers, not by memcmp.
struct Keyed {
  SortKey key;
  std::uint64_t subject_next;  // subject bytes 8-15 (subject sort only), as for SortRow::subject_prefix
  std::uint64_t id_high, id_low;
  std::string_view subject;
  std::uint32_t slot;
};

// Bytes 8-15 of the subject, big-endian, zero-padded: a strict difference
// here orders two subjects with equal first 8 bytes the way comparing the
// strings would, so most prefix ties never read the strings.
std::uint64_t SubjectNext(std::string_view subject) {
  std::uint64_t next = 0;
  for (std::size_t i = 8; i < 16; ++i)
    next = (next << 8) | (i < subject.size() ? static_cast<unsigned char>(subject[i]) : 0u);
  return next;
}

std::uint64_t BigEndianAt(const domain::Id& id, std::size_t offset) {
  std::uint64_t word;
  std::memcpy(&word, id.bytes.data() + offset, 8);
  return std::endian::native == std::endian::little ? __builtin_bswap64(word) : word;
}

// CompareTail's order (subject, then id, reversed when descending) on Keyed.
int CompareKeyedTail(const SortSpec& spec, const Keyed& a, const Keyed& b) {
  int c = 0;
  if (spec.field == SortField::kSubject) {
    if (a.subject_next != b.subject_next) c = a.subject_next < b.subject_next ? -1 : 1;
    else c = CompareTail(SortSpec{spec.field, false}, a.subject, b.subject, {}, {});
  }
  if (c == 0) {
    if (a.id_high != b.id_high) c = a.id_high < b.id_high ? -1 : 1;
    else if (a.id_low != b.id_low) c = a.id_low < b.id_low ? -1 : 1;
  }
  return spec.descending ? -c : c;
}

}  // namespace

SortIndex::SortIndex(SortColumns columns, SortSpec spec, const std::vector<std::uint32_t>& live_slots)
    : columns_(columns), order_(columns, spec) {
  groups_.reserve(kStatuses);
  for (int i = 0; i < kStatuses; ++i) groups_.emplace_back(order_);
  std::array<std::vector<Keyed>, kStatuses> by_status;
  for (std::uint32_t slot : live_slots) {
    const std::string_view subject = order_.Subject(slot);
    by_status[StatusOf(slot)].push_back({order_.Key(slot), SubjectNext(subject), BigEndianAt(order_.Id(slot), 0),
                                         BigEndianAt(order_.Id(slot), 8), subject, slot});
  }
  std::vector<std::uint32_t> sorted;
  for (int status = 0; status < kStatuses; ++status) {
    std::vector<Keyed>& keyed = by_status[status];
    std::sort(keyed.begin(), keyed.end(), [this](const Keyed& a, const Keyed& b) {
      if (a.key != b.key) return a.key < b.key;
      return CompareKeyedTail(order_.spec(), a, b) < 0;
    });
    sorted.clear();
    sorted.reserve(keyed.size());
    for (const Keyed& k : keyed) sorted.push_back(k.slot);
    groups_[status].AssignSorted(sorted);
    std::vector<Keyed>().swap(keyed);
  }
}

std::uint8_t SortIndex::StatusOf(std::uint32_t slot) const {
  return std::min<std::uint8_t>((*columns_.rows)[slot].status, kStatuses - 1);
}

void SortIndex::Insert(std::uint32_t slot) { groups_[StatusOf(slot)].Insert(slot); }

void SortIndex::Erase(std::uint32_t slot) { groups_[StatusOf(slot)].Erase(slot); }

std::size_t SortIndex::MemoryBytes() const {
  std::size_t bytes = sizeof(*this);
  for (const Set& set : groups_) bytes += set.MemoryBytes();
  return bytes;
}

}  // namespace ticketd::projections

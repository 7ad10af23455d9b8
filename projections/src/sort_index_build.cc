#include "sort_index_build.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace ticketd::projections {
namespace {

constexpr std::uint32_t kNoRank = ~std::uint32_t{0};
constexpr int kRankBits = 28;

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

}  // namespace

SortIndexBuild::SortIndexBuild(SortColumns columns, SortSpec spec) : columns_(columns), order_(columns, spec) {}

SortIndexBuild::~SortIndexBuild() = default;

SortIndexBuild::Keyed SortIndexBuild::Make(std::uint32_t slot, std::vector<TicketPtr>& holders) const {
  std::string_view subject;
  if (order_.spec().field == SortField::kSubject) {
    holders.push_back((*columns_.tickets)[slot]);
    subject = holders.back()->subject;
  }
  const domain::Id& id = (*columns_.ids)[slot];
  const auto status = std::min<std::uint8_t>((*columns_.rows)[slot].status, kStatuses - 1);
  return Keyed{order_.Key(slot), SubjectNext(subject), BigEndianAt(id, 0), BigEndianAt(id, 8), subject, slot, status};
}

// KeyOf then CompareTail (subject, then id, reversed when descending): the
// order SlotOrder gives the same slots.
bool SortIndexBuild::Less(const Keyed& a, const Keyed& b) const {
  if (a.key != b.key) return a.key < b.key;
  const SortSpec& spec = order_.spec();
  int c = 0;
  if (spec.field == SortField::kSubject) {
    if (a.subject_next != b.subject_next) c = a.subject_next < b.subject_next ? -1 : 1;
    else c = CompareTail(SortSpec{spec.field, false}, a.subject, b.subject, {}, {});
  }
  if (c == 0) {
    if (a.id_high != b.id_high) c = a.id_high < b.id_high ? -1 : 1;
    else if (a.id_low != b.id_low) c = a.id_low < b.id_low ? -1 : 1;
  }
  return (spec.descending ? -c : c) < 0;
}

void SortIndexBuild::Collect(std::uint32_t begin, std::uint32_t end) {
  for (std::uint32_t slot = begin; slot < end; ++slot) {
    if (!(*columns_.tickets)[slot]) continue;  // removed
    const Keyed keyed = Make(slot, holders_);
    sorted_[keyed.status].push_back(keyed);
  }
}

bool SortIndexBuild::Sort(const std::atomic<bool>& stop) {
  for (std::vector<Keyed>& group : sorted_) {
    if (stop.load(std::memory_order_relaxed)) return false;
    std::sort(group.begin(), group.end(), [this](const Keyed& a, const Keyed& b) { return Less(a, b); });
  }
  return true;
}

void SortIndexBuild::ReadChanges(const std::uint32_t* begin, const std::uint32_t* end, Changes& changes) const {
  for (const std::uint32_t* slot = begin; slot != end; ++slot)
    if ((*columns_.tickets)[*slot]) changes.live.push_back(Make(*slot, changes.holders));
}

void SortIndexBuild::Apply(Changes changes) {
  if (changes.slots.empty()) return;
  std::vector<bool> changed(*std::max_element(changes.slots.begin(), changes.slots.end()) + std::size_t{1});
  for (std::uint32_t slot : changes.slots) changed[slot] = true;
  auto less = [this](const Keyed& a, const Keyed& b) { return Less(a, b); };
  std::sort(changes.live.begin(), changes.live.end(), less);
  for (int status = 0; status < kStatuses; ++status) {
    std::vector<Keyed>& group = sorted_[status];
    std::erase_if(group, [&](const Keyed& k) { return k.slot < changed.size() && changed[k.slot]; });
    const auto middle = static_cast<std::ptrdiff_t>(group.size());
    for (const Keyed& k : changes.live)
      if (k.status == status) group.push_back(k);
    std::inplace_merge(group.begin(), group.begin() + middle, group.end(), less);
  }
  // Old versions' subjects may still be referenced until the next Prepare.
  holders_.insert(holders_.end(), std::make_move_iterator(changes.holders.begin()),
                  std::make_move_iterator(changes.holders.end()));
}

std::unique_ptr<SortIndex> SortIndexBuild::Prepare() {
  auto index = std::make_unique<SortIndex>(columns_, order_.spec());
  std::vector<std::uint32_t> slots;
  for (int status = 0; status < kStatuses; ++status) {
    std::vector<Keyed>& group = sorted_[status];
    slots.clear();
    slots.reserve(group.size());
    for (std::uint32_t rank = 0; rank < group.size(); ++rank) {
      const std::uint32_t slot = group[rank].slot;
      slots.push_back(slot);
      if (slot >= rank_.size()) rank_.resize(slot + std::size_t{1}, kNoRank);
      rank_[slot] = static_cast<std::uint32_t>(status) << kRankBits | rank;
    }
    index->AssignSorted(status, slots);
    std::vector<Keyed>().swap(group);
  }
  std::vector<TicketPtr>().swap(holders_);
  return index;
}

void SortIndexBuild::Finish(SortIndex& index, const std::vector<std::uint32_t>& changed) {
  std::array<std::vector<std::size_t>, kStatuses> ranks;
  for (std::uint32_t slot : changed)
    if (slot < rank_.size() && rank_[slot] != kNoRank)
      ranks[rank_[slot] >> kRankBits].push_back(rank_[slot] & ((1u << kRankBits) - 1));
  for (int status = 0; status < kStatuses; ++status)
    if (!ranks[status].empty()) index.EraseRanks(status, std::move(ranks[status]));
  for (std::uint32_t slot : changed)
    if ((*columns_.tickets)[slot]) index.Insert(slot);
  std::vector<std::uint32_t>().swap(rank_);
}

}  // namespace ticketd::projections

#include "ticket_index.h"

#include <algorithm>
#include <atomic>

#include "sort_index_build.h"

namespace ticketd::projections {
namespace {

// Enum values come from decoded events; a value outside the enum must not
// index past an array.
std::uint8_t Clamp(int value, int count) { return static_cast<std::uint8_t>(std::clamp(value, 0, count - 1)); }

template <class Codes>
void Move(Codes& codes, std::uint32_t slot, std::uint32_t from, std::uint32_t to, bool index_none) {
  if (from == to) return;
  if (from != Codes::kNoValue || index_none) codes.Slots(from).Erase(slot);
  if (to != Codes::kNoValue || index_none) codes.Slots(to).Insert(slot);
}

void MoveBit(Bitmap* bitmaps, std::uint32_t slot, std::uint8_t from, std::uint8_t to) {
  if (from == to) return;
  bitmaps[from].Clear(slot);
  bitmaps[to].Set(slot);
}

}  // namespace

TicketIndex::TicketIndex() = default;

FilterRow TicketIndex::MakeFilterRow(const domain::Ticket& t) {
  FilterRow row;
  row.assignee = t.assignee_id ? assignees_.Intern(*t.assignee_id) : IdCodes::kNoValue;
  row.reporter = reporters_.Intern(t.reporter_id);
  row.category = categories_.Intern(t.category);
  row.asset = t.asset_id ? assets_.Intern(*t.asset_id) : IdCodes::kNoValue;
  auto catalog_code = [&](const std::optional<domain::Id>& id) {
    return id ? catalog_.Intern(*id) : IdCodes::kNoValue;
  };
  row.group = catalog_code(t.group_id);
  row.catalog_category = catalog_code(t.category_id);
  row.subcategory = catalog_code(t.subcategory_id);
  row.status = Clamp(static_cast<int>(t.status), kStatuses);
  row.priority = Clamp(static_cast<int>(t.priority), kPriorities);
  row.type = Clamp(static_cast<int>(t.type), kTypes);
  row.sla = !t.sla ? kNoSla : (t.sla->breached.empty() ? kSlaKept : kSlaBreached);
  row.live = true;
  return row;
}

void TicketIndex::IndexFields(std::uint32_t slot, const FilterRow& row, bool remove) {
  auto apply = [&](SlotSet& set) { remove ? set.Erase(slot) : set.Insert(slot); };
  auto apply_bit = [&](Bitmap& bits) { remove ? bits.Clear(slot) : bits.Set(slot); };
  apply_bit(by_status_[row.status]);
  apply_bit(by_priority_[row.priority]);
  apply_bit(by_type_[row.type]);
  apply_bit(by_sla_[row.sla]);
  apply(assignees_.Slots(row.assignee));  // kNoValue: the unassigned set
  apply(reporters_.Slots(row.reporter));
  apply(categories_.Slots(row.category));
  if (row.asset != IdCodes::kNoValue) apply(assets_.Slots(row.asset));  // "no asset" is not a filter
  for (std::uint32_t code : {row.group, row.catalog_category, row.subcategory})
    if (code != IdCodes::kNoValue) apply(catalog_.Slots(code));
}

void TicketIndex::ReindexFields(std::uint32_t slot, const FilterRow& old_row, const FilterRow& row) {
  MoveBit(by_status_.data(), slot, old_row.status, row.status);
  MoveBit(by_priority_.data(), slot, old_row.priority, row.priority);
  MoveBit(by_type_.data(), slot, old_row.type, row.type);
  MoveBit(by_sla_.data(), slot, old_row.sla, row.sla);
  Move(assignees_, slot, old_row.assignee, row.assignee, /*index_none=*/true);
  Move(reporters_, slot, old_row.reporter, row.reporter, true);
  Move(categories_, slot, old_row.category, row.category, true);
  Move(assets_, slot, old_row.asset, row.asset, /*index_none=*/false);
  Move(catalog_, slot, old_row.group, row.group, false);
  Move(catalog_, slot, old_row.catalog_category, row.catalog_category, false);
  Move(catalog_, slot, old_row.subcategory, row.subcategory, false);
}

void TicketIndex::Upsert(const TicketPtr& after) {
  if (!after) return;
  std::uint32_t slot;
  TicketPtr before;
  if (std::optional<std::uint32_t> found = by_id_.Find(after->id)) {
    slot = *found;
    before = tickets_[slot];
  } else {
    slot = slot_count();
    tickets_.push_back(nullptr);
    ids_.push_back(after->id);
    filters_.push_back(FilterRow{});
    sorts_.push_back(SortRow{});
    by_id_.Insert(slot);
    by_number_.Insert(after->number, slot);
  }
  const FilterRow row = MakeFilterRow(*after);
  const SortRow sort = MakeSortRow(*after);
  // Out of the sort indexes while the columns still hold the old values.
  const std::vector<SortIndex*> moved =
      before ? SortIndexesToMove(slot, *before, sort, after.get()) : SortIndexesToMove(slot, *after, sort, nullptr);
  if (before)
    for (SortIndex* index : moved) index->Erase(slot);
  bool requeue = !before;
  if (!before) {
    IndexFields(slot, row, /*remove=*/false);
    search_.Add(slot, *after);
    ++live_;
  } else {
    const FilterRow& old_row = filters_[slot];
    const SortRow& old_sort = sorts_[slot];
    ReindexFields(slot, old_row, row);
    requeue = old_row.status != row.status || old_row.priority != row.priority || old_sort.due_at != sort.due_at ||
              old_sort.updated_at != sort.updated_at;
    if (requeue) queue_.Erase(old_row.status, old_row.priority, slot);
    search_.Update(slot, *before, *after);
  }
  filters_[slot] = row;
  sorts_[slot] = sort;
  tickets_[slot] = after;
  if (requeue) queue_.Insert(row.status, row.priority, slot);
  for (SortIndex* index : moved) index->Insert(slot);
}

std::uint32_t TicketIndex::AddSlot(const TicketPtr& ticket) {
  const std::uint32_t slot = slot_count();
  const FilterRow row = MakeFilterRow(*ticket);
  tickets_.push_back(ticket);
  ids_.push_back(ticket->id);
  filters_.push_back(row);
  sorts_.push_back(MakeSortRow(*ticket));
  by_id_.Insert(slot);
  by_number_.Insert(ticket->number, slot);
  IndexFields(slot, row, /*remove=*/false);
  ++live_;
  return slot;
}

void TicketIndex::AddNew(const std::vector<TicketPtr>& tickets) {
  const std::uint32_t first = slot_count();
  SearchIndex::Bulk words(&search_);
  for (const TicketPtr& ticket : tickets) {
    const std::uint32_t slot = AddSlot(ticket);
    words.Add(slot, *ticket);  // while the ticket is in the cache
    // Sort indexes exist only after a query asked for them; if one does,
    // place the slot the ordinary way.
    for (SortIndex* index : SortIndexesToMove(slot, *ticket, sorts_[slot], nullptr)) index->Insert(slot);
  }
  words.Finish();
  queue_.InsertMany(first, slot_count(), [this](std::uint32_t slot) {
    const FilterRow& row = filters_[slot];
    return std::pair{row.status, row.priority};
  });
}

void TicketIndex::Remove(const domain::Id& ticket_id) {
  std::optional<std::uint32_t> slot = by_id_.Find(ticket_id);
  if (!slot || !tickets_[*slot]) return;
  const FilterRow& row = filters_[*slot];
  IndexFields(*slot, row, /*remove=*/true);
  queue_.Erase(row.status, row.priority, *slot);
  search_.Remove(*slot, *tickets_[*slot]);
  for (SortIndex* index : SortIndexesToMove(*slot, *tickets_[*slot], sorts_[*slot], nullptr)) index->Erase(*slot);
  tickets_[*slot].reset();
  filters_[*slot] = FilterRow{};  // live = false
  sorts_[*slot] = SortRow{};
  --live_;
}

std::vector<SortIndex*> TicketIndex::SortIndexesToMove(std::uint32_t slot, const domain::Ticket& before,
                                                      const SortRow& after_row, const domain::Ticket* after) {
  auto moves = [&](const SortSpec& spec) {
    if (after == nullptr) return true;
    const SortRow& before_row = sorts_[slot];
    return before_row.status != after_row.status || KeyOf(before_row, spec) != KeyOf(after_row, spec) ||
           CompareTail(spec, before.subject, after->subject, ids_[slot], ids_[slot]) != 0;
  };
  std::vector<SortIndex*> moved;
  std::lock_guard lock(sort_indexes_mu_);
  for (const std::unique_ptr<SortIndex>& index : sort_indexes_)
    if (moves(index->spec())) moved.push_back(index.get());
  for (SortIndexChanges& build : sort_index_builds_)
    if (moves(build.spec)) build.slots.push_back(slot);
  return moved;
}

namespace {
bool SameSort(const SortSpec& a, const SortSpec& b) { return a.field == b.field && a.descending == b.descending; }
}  // namespace

const SortIndex* TicketIndex::FindSortIndex(const SortSpec& spec) const {
  std::lock_guard lock(sort_indexes_mu_);
  for (const std::unique_ptr<SortIndex>& index : sort_indexes_)
    if (SameSort(index->spec(), spec)) return index.get();
  return nullptr;
}

const SortIndex& TicketIndex::BuildSortIndex(const SortSpec& spec) {
  if (const SortIndex* found = FindSortIndex(spec)) return *found;
  SortIndexBuild build(sort_columns(), spec);
  build.Collect(0, slot_count());
  const std::atomic<bool> never{false};
  build.Sort(never);
  std::lock_guard lock(sort_indexes_mu_);
  sort_indexes_.push_back(build.Prepare());
  return *sort_indexes_.back();
}

bool TicketIndex::StartSortIndexBuild(const SortSpec& spec) const {
  std::lock_guard lock(sort_indexes_mu_);
  for (const std::unique_ptr<SortIndex>& index : sort_indexes_)
    if (SameSort(index->spec(), spec)) return false;
  for (const SortIndexChanges& build : sort_index_builds_)
    if (SameSort(build.spec, spec)) return false;
  sort_index_builds_.push_back(SortIndexChanges{spec, {}});
  return true;
}

std::vector<std::uint32_t> TicketIndex::TakeSortIndexChanges(const SortSpec& spec) const {
  std::vector<std::uint32_t> slots;
  std::lock_guard lock(sort_indexes_mu_);
  for (SortIndexChanges& build : sort_index_builds_)
    if (SameSort(build.spec, spec)) slots.swap(build.slots);
  return slots;
}

void TicketIndex::FinishSortIndexBuild(const SortSpec& spec, std::unique_ptr<SortIndex> index) const {
  std::lock_guard lock(sort_indexes_mu_);
  std::erase_if(sort_index_builds_, [&](const SortIndexChanges& build) { return SameSort(build.spec, spec); });
  if (index) sort_indexes_.push_back(std::move(index));
}

bool TicketIndex::SortIndexBuilding(const SortSpec& spec) const {
  std::lock_guard lock(sort_indexes_mu_);
  return std::any_of(sort_index_builds_.begin(), sort_index_builds_.end(),
                     [&](const SortIndexChanges& build) { return SameSort(build.spec, spec); });
}

std::size_t TicketIndex::sort_index_bytes() const {
  std::lock_guard lock(sort_indexes_mu_);
  std::size_t bytes = 0;
  for (const std::unique_ptr<SortIndex>& index : sort_indexes_) bytes += index->MemoryBytes();
  return bytes;
}

TicketPtr TicketIndex::Get(const domain::Id& ticket_id) const {
  std::optional<std::uint32_t> slot = by_id_.Find(ticket_id);
  return slot ? tickets_[*slot] : nullptr;
}

TicketPtr TicketIndex::GetByNumber(std::int64_t number) const {
  std::optional<std::uint32_t> slot = by_number_.Find(number);
  return slot ? tickets_[*slot] : nullptr;
}

}  // namespace ticketd::projections

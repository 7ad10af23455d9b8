// QueryFilter: a TicketQuery's filters compiled against one tenant's
// TicketIndex: enum filters as bit masks, id and category filters as the
// index's interned codes, the text filter as the matching slots. It checks
// a slot against every filter using only the per-slot FilterRow, and picks
// the smallest candidate set (the index's set of one filtered field, the
// text matches, or every slot) for a scan. Lives for one query, under the
// tenant's shared lock.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "slot_set.h"
#include "ticket_index.h"
#include "ticketd/projections/ticket_read_model.h"

namespace ticketd::projections {

// The fields a query can filter on; kAll is "no field" (every slot).
enum class FilterField {
  kAll, kStatus, kPriority, kType, kAssignee, kReporter, kCategory, kAsset, kText,
  kGroup, kCategoryId, kSubcategory, kSla,  // workflow (issue 12)
};

class QueryFilter {
 public:
  QueryFilter(const TicketIndex& index, const TicketQuery& query);

  // True if some filter can match nothing at all (unknown value, no text match).
  bool MatchesNothing() const { return nothing_; }
  unsigned status_mask() const { return status_mask_; }
  unsigned priority_mask() const { return priority_mask_; }
  // Number of fields with a filter, and whether any is not status/priority.
  int filtered_fields() const { return filtered_fields_; }
  bool HasFilterBeyondStatusAndPriority() const;
  bool HasFilterBeyondStatus() const { return priority_active_ || HasFilterBeyondStatusAndPriority(); }

  bool Matches(std::uint32_t slot) const {
    const FilterRow& r = index_.filter(slot);
    return r.live && ((status_mask_ >> r.status) & 1) != 0 && ((priority_mask_ >> r.priority) & 1) != 0 &&
           ((type_mask_ >> r.type) & 1) != 0 && ((sla_mask_ >> r.sla) & 1) != 0 && OneOf(assignees_, r.assignee) && OneOf(reporters_, r.reporter) &&
           OneOf(categories_, r.category) && OneOf(assets_, r.asset) && OneOf(groups_, r.group) &&
           OneOf(category_ids_, r.catalog_category) && OneOf(subcategories_, r.subcategory) &&
           (!text_ || text_->Test(slot));
  }

  // The number of matching slots, from the fields' sets intersected as
  // bitmaps: O(slots / 64 + the sparse sets' sizes), where checking the
  // smallest field's candidates one by one costs a random FilterRow read
  // each (5 ms for 100k candidates at a million tickets).
  std::size_t CountMatches() const;

  // The field whose candidate set is smallest, and that set's size (an
  // upper bound of the matches).
  FilterField SmallestSource(std::size_t* size) const;
  std::size_t SourceSize(FilterField field) const;

  // Calls fn(slot) for every candidate of `field` (each slot at most once).
  template <class Fn>
  void ForEachCandidate(FilterField field, Fn&& fn) const;

 private:
  struct Codes {
    bool active = false;
    std::vector<std::uint32_t> values;  // sorted
  };
  static bool OneOf(const Codes& codes, std::uint32_t code) {
    if (!codes.active) return true;
    for (std::uint32_t v : codes.values)
      if (v == code) return true;
    return false;
  }
  template <class Fn>
  static void ForEachBit(unsigned mask, int count, Fn&& fn) {
    for (int v = 0; v < count; ++v)
      if ((mask >> v) & 1) fn(v);
  }
  template <class CodeIndex, class Fn>
  static void ForEachCode(const CodeIndex& index, const Codes& codes, Fn&& fn) {
    for (std::uint32_t code : codes.values) index.Slots(code).ForEach(fn);
  }
  template <class CodeIndex>
  static std::size_t CodesSize(const CodeIndex& index, const Codes& codes);

  const TicketIndex& index_;
  unsigned status_mask_ = 0x3F, priority_mask_ = 0xF, type_mask_ = 0x3;
  unsigned sla_mask_ = (1u << kSlaStates) - 1;
  bool status_active_ = false, priority_active_ = false, type_active_ = false, sla_active_ = false;
  Codes assignees_, reporters_, categories_, assets_;
  Codes groups_, category_ids_, subcategories_;  // codes of index_.catalog()
  std::optional<Bitmap> text_;
  int filtered_fields_ = 0;
  bool nothing_ = false;
};

template <class Fn>
void QueryFilter::ForEachCandidate(FilterField field, Fn&& fn) const {
  switch (field) {
    case FilterField::kAll:
      for (std::uint32_t slot = 0, end = index_.slot_count(); slot < end; ++slot) fn(slot);
      return;
    case FilterField::kStatus:
      ForEachBit(status_mask_, TicketIndex::kStatuses, [&](int v) { index_.status_slots(v).ForEach(fn); });
      return;
    case FilterField::kPriority:
      ForEachBit(priority_mask_, TicketIndex::kPriorities, [&](int v) { index_.priority_slots(v).ForEach(fn); });
      return;
    case FilterField::kType:
      ForEachBit(type_mask_, TicketIndex::kTypes, [&](int v) { index_.type_slots(v).ForEach(fn); });
      return;
    case FilterField::kAssignee:
      ForEachCode(index_.assignees(), assignees_, fn);
      return;
    case FilterField::kReporter:
      ForEachCode(index_.reporters(), reporters_, fn);
      return;
    case FilterField::kCategory:
      ForEachCode(index_.categories(), categories_, fn);
      return;
    case FilterField::kAsset:
      ForEachCode(index_.assets(), assets_, fn);
      return;
    case FilterField::kText:
      if (text_) text_->ForEach(fn);
      return;
    case FilterField::kGroup:
      ForEachCode(index_.catalog(), groups_, fn);
      return;
    case FilterField::kCategoryId:
      ForEachCode(index_.catalog(), category_ids_, fn);
      return;
    case FilterField::kSubcategory:
      ForEachCode(index_.catalog(), subcategories_, fn);
      return;
    case FilterField::kSla:
      ForEachBit(sla_mask_, kSlaStates, [&](int v) { index_.sla_slots(v).ForEach(fn); });
      return;
  }
}

}  // namespace ticketd::projections

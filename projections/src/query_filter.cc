#include "query_filter.h"

#include <algorithm>

namespace ticketd::projections {
namespace {

// Bit mask of the requested enum values; values outside the enum match
// nothing. An empty request means every value.
template <class Enum>
unsigned MaskOf(const std::vector<Enum>& values, int count, bool* active) {
  *active = !values.empty();
  if (values.empty()) return (1u << count) - 1;
  unsigned mask = 0;
  for (Enum v : values) {
    const int n = static_cast<int>(v);
    if (n >= 0 && n < count) mask |= 1u << n;
  }
  return mask;
}

}  // namespace

template <class CodeIndex>
std::size_t QueryFilter::CodesSize(const CodeIndex& index, const Codes& codes) {
  std::size_t size = 0;
  for (std::uint32_t code : codes.values) size += index.Slots(code).size();
  return size;
}

QueryFilter::QueryFilter(const TicketIndex& index, const TicketQuery& query) : index_(index) {
  status_mask_ = MaskOf(query.statuses, TicketIndex::kStatuses, &status_active_);
  priority_mask_ = MaskOf(query.priorities, TicketIndex::kPriorities, &priority_active_);
  type_mask_ = MaskOf(query.types, TicketIndex::kTypes, &type_active_);
  if (query.sla_breached) {
    sla_active_ = true;
    sla_mask_ = 1u << (*query.sla_breached ? kSlaBreached : kSlaKept);
  }

  // Values the tenant has never seen have no code and match nothing.
  auto compile = [](Codes* codes, const auto& values, auto&& find) {
    codes->active = !values.empty();
    for (const auto& value : values)
      if (std::optional<std::uint32_t> code = find(value)) codes->values.push_back(*code);
    std::sort(codes->values.begin(), codes->values.end());
    codes->values.erase(std::unique(codes->values.begin(), codes->values.end()), codes->values.end());
  };
  compile(&assignees_, query.assignees, [&](const std::optional<domain::Id>& assignee) {
    return assignee ? index.assignees().Find(*assignee) : std::optional<std::uint32_t>(IdCodes::kNoValue);
  });
  compile(&reporters_, query.reporter_ids, [&](const domain::Id& id) { return index.reporters().Find(id); });
  compile(&categories_, query.categories, [&](const std::string& c) { return index.categories().Find(c); });
  compile(&assets_, query.asset_ids, [&](const domain::Id& id) { return index.assets().Find(id); });
  auto find_entry = [&](const domain::Id& id) { return index.catalog().Find(id); };
  compile(&groups_, query.group_ids, find_entry);
  compile(&category_ids_, query.category_ids, find_entry);
  compile(&subcategories_, query.subcategory_ids, find_entry);

  text_ = index.search().Match(query.text, index.slot_count(),
                               [&index](std::uint32_t slot) { return index.ticket(slot).get(); });

  for (bool active : {status_active_, priority_active_, type_active_, assignees_.active, reporters_.active,
                      categories_.active, assets_.active, text_.has_value(), groups_.active,
                      category_ids_.active, subcategories_.active, sla_active_})
    filtered_fields_ += active ? 1 : 0;
  nothing_ = status_mask_ == 0 || priority_mask_ == 0 || type_mask_ == 0 ||
             (assignees_.active && assignees_.values.empty()) ||
             (reporters_.active && reporters_.values.empty()) ||
             (categories_.active && categories_.values.empty()) || (assets_.active && assets_.values.empty()) ||
             (text_ && text_->Empty()) || (groups_.active && groups_.values.empty()) ||
             (category_ids_.active && category_ids_.values.empty()) ||
             (subcategories_.active && subcategories_.values.empty());
}

bool QueryFilter::HasFilterBeyondStatusAndPriority() const {
  return type_active_ || sla_active_ || assignees_.active || reporters_.active || categories_.active || assets_.active ||
         text_.has_value() || groups_.active || category_ids_.active || subcategories_.active;
}

std::size_t QueryFilter::SourceSize(FilterField field) const {
  std::size_t size = 0;
  switch (field) {
    case FilterField::kAll:
      return index_.live_count();
    case FilterField::kStatus:
      ForEachBit(status_mask_, TicketIndex::kStatuses, [&](int v) { size += index_.status_slots(v).Count(); });
      return size;
    case FilterField::kPriority:
      ForEachBit(priority_mask_, TicketIndex::kPriorities,
                 [&](int v) { size += index_.priority_slots(v).Count(); });
      return size;
    case FilterField::kType:
      ForEachBit(type_mask_, TicketIndex::kTypes, [&](int v) { size += index_.type_slots(v).Count(); });
      return size;
    case FilterField::kAssignee:
      return CodesSize(index_.assignees(), assignees_);
    case FilterField::kReporter:
      return CodesSize(index_.reporters(), reporters_);
    case FilterField::kCategory:
      return CodesSize(index_.categories(), categories_);
    case FilterField::kAsset:
      return CodesSize(index_.assets(), assets_);
    case FilterField::kText:
      return text_ ? text_->Count() : 0;
    case FilterField::kGroup:
      return CodesSize(index_.catalog(), groups_);
    case FilterField::kCategoryId:
      return CodesSize(index_.catalog(), category_ids_);
    case FilterField::kSubcategory:
      return CodesSize(index_.catalog(), subcategories_);
    case FilterField::kSla:
      ForEachBit(sla_mask_, kSlaStates, [&](int v) { size += index_.sla_slots(v).Count(); });
      return size;
  }
  return 0;
}

std::size_t QueryFilter::CountMatches() const {
  const std::uint32_t slots = index_.slot_count();
  // The status sets hold live tickets only: starting from them drops the removed.
  Bitmap matches(slots);
  ForEachBit(status_mask_, TicketIndex::kStatuses, [&](int v) { matches.OrWith(index_.status_slots(v)); });
  auto and_with = [&](auto&& fill) {
    Bitmap field(slots);
    fill(field);
    matches.AndWith(field);
  };
  if (priority_active_)
    and_with([&](Bitmap& b) {
      ForEachBit(priority_mask_, TicketIndex::kPriorities, [&](int v) { b.OrWith(index_.priority_slots(v)); });
    });
  if (type_active_)
    and_with([&](Bitmap& b) {
      ForEachBit(type_mask_, TicketIndex::kTypes, [&](int v) { b.OrWith(index_.type_slots(v)); });
    });
  if (sla_active_)
    and_with([&](Bitmap& b) { ForEachBit(sla_mask_, kSlaStates, [&](int v) { b.OrWith(index_.sla_slots(v)); }); });
  auto and_codes = [&](const auto& code_index, const Codes& codes) {
    if (!codes.active) return;
    and_with([&](Bitmap& b) {
      for (std::uint32_t code : codes.values) code_index.Slots(code).OrInto(b);
    });
  };
  and_codes(index_.assignees(), assignees_);
  and_codes(index_.reporters(), reporters_);
  and_codes(index_.categories(), categories_);
  and_codes(index_.assets(), assets_);
  and_codes(index_.catalog(), groups_);
  and_codes(index_.catalog(), category_ids_);
  and_codes(index_.catalog(), subcategories_);
  if (text_) matches.AndWith(*text_);
  return matches.Count();
}

FilterField QueryFilter::SmallestSource(std::size_t* size) const {
  FilterField best = FilterField::kAll;
  std::size_t best_size = index_.live_count();
  auto consider = [&](bool active, FilterField field) {
    if (!active) return;
    const std::size_t s = SourceSize(field);
    if (s < best_size) {
      best = field;
      best_size = s;
    }
  };
  consider(status_active_, FilterField::kStatus);
  consider(priority_active_, FilterField::kPriority);
  consider(type_active_, FilterField::kType);
  consider(sla_active_, FilterField::kSla);
  consider(assignees_.active, FilterField::kAssignee);
  consider(reporters_.active, FilterField::kReporter);
  consider(categories_.active, FilterField::kCategory);
  consider(assets_.active, FilterField::kAsset);
  consider(text_.has_value(), FilterField::kText);
  consider(groups_.active, FilterField::kGroup);
  consider(category_ids_.active, FilterField::kCategoryId);
  consider(subcategories_.active, FilterField::kSubcategory);
  *size = best_size;
  return best;
}

}  // namespace ticketd::projections

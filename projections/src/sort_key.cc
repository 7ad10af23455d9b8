#include "sort_key.h"

#include <algorithm>
#include <utility>

namespace ticketd::projections {
namespace {

// Reverses integer order without overflow (~x == -x - 1).
std::int64_t Directed(std::int64_t value, bool descending) { return descending ? ~value : value; }

// A time that may be absent (kNoDue): absent last in both directions.
SortKey DueKey(std::int64_t due, bool descending) {
  if (due == kNoDue) return {1, 0, 0};
  return {0, Directed(due, descending), 0};
}

}  // namespace

std::optional<SortSpec> ParseSort(std::string_view text) {
  if (text == "queue") return SortSpec{SortField::kQueue, false};
  SortSpec spec;
  if (text.starts_with('-')) {
    spec.descending = true;
    text.remove_prefix(1);
  }
  static constexpr std::pair<std::string_view, SortField> kFields[] = {
      {"created_at", SortField::kCreatedAt}, {"updated_at", SortField::kUpdatedAt},
      {"due_at", SortField::kDueAt},         {"priority", SortField::kPriority},
      {"status", SortField::kStatus},        {"number", SortField::kNumber},
      {"subject", SortField::kSubject},      {"sla_due", SortField::kSlaDue}};
  for (const auto& [name, field] : kFields) {
    if (text == name) {
      spec.field = field;
      return spec;
    }
  }
  return std::nullopt;
}

SortRow MakeSortRow(const domain::Ticket& t) {
  SortRow row;
  row.created_at = t.created_at;
  row.updated_at = t.updated_at;
  // A real due date equal to kNoDue cannot be told from none; timestamps
  // are capped at year 9999 long before that.
  row.due_at = t.due_at.value_or(kNoDue);
  row.number = std::clamp(t.number, -kMaxSortRowNumber - 1, kMaxSortRowNumber);
  if (t.sla) {
    for (domain::SlaTarget target : domain::kAllSlaTargets)
      if (std::optional<domain::Timestamp> due = domain::PendingDue(t.sla->clock, target))
        row.sla_due = std::min(row.sla_due, *due);
  }
  for (std::size_t i = 0; i < 8; ++i) {
    const std::uint64_t byte = i < t.subject.size() ? static_cast<unsigned char>(t.subject[i]) : 0;
    row.subject_prefix = (row.subject_prefix << 8) | byte;
  }
  row.priority = static_cast<std::uint8_t>(t.priority);
  row.status = static_cast<std::uint8_t>(t.status);
  return row;
}

SortSpec Normalize(SortSpec spec) {
  if (spec.field == SortField::kQueue) spec.descending = false;
  return spec;
}

SortKey KeyOf(const SortRow& row, const SortSpec& spec) {
  const bool desc = spec.descending;
  switch (spec.field) {
    case SortField::kQueue:
      return {QueueRank(row.priority), row.due_at, row.updated_at};
    case SortField::kCreatedAt:
      return {Directed(row.created_at, desc), 0, 0};
    case SortField::kUpdatedAt:
      return {Directed(row.updated_at, desc), 0, 0};
    case SortField::kDueAt:
      return DueKey(row.due_at, desc);
    case SortField::kSlaDue:
      return DueKey(row.sla_due, desc);
    case SortField::kPriority:
      return {Directed(row.priority, desc), 0, 0};
    case SortField::kStatus:
      return {Directed(row.status, desc), 0, 0};
    case SortField::kNumber:
      return {Directed(row.number, desc), 0, 0};
    case SortField::kSubject: {
      // Flip the top bit so signed order equals unsigned byte order.
      const auto prefix = static_cast<std::int64_t>(row.subject_prefix ^ (std::uint64_t{1} << 63));
      return {Directed(prefix, desc), 0, 0};
    }
  }
  return {};
}

}  // namespace ticketd::projections

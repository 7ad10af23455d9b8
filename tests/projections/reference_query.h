// A brute-force oracle for TicketReadModel::Query: filters a plain list of
// tickets and sorts it with the contract's order, written independently of
// the read model's keys and indexes. Tests compare whole cursor walks
// against it.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "search_index.h"
#include "ticket_builders.h"

namespace ticketd::projections::testing {

inline bool TextMatches(const domain::Ticket& t, const std::string& query) {
  std::vector<std::string> words = Tokenize(t.subject);
  for (std::string& w : Tokenize(t.description)) words.push_back(std::move(w));
  for (const std::string& q : Tokenize(query)) {
    if (std::none_of(words.begin(), words.end(), [&](const std::string& w) { return w.starts_with(q); }))
      return false;
  }
  return true;
}

template <class T, class V>
bool AllowedBy(const std::vector<T>& allowed, const V& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

inline bool ReferenceMatches(const domain::Ticket& t, const TicketQuery& q) {
  return AllowedBy(q.statuses, t.status) && AllowedBy(q.priorities, t.priority) && AllowedBy(q.types, t.type) &&
         AllowedBy(q.assignees, t.assignee_id) && AllowedBy(q.categories, t.category) &&
         AllowedBy(q.reporter_ids, t.reporter_id) &&
         (q.asset_ids.empty() || (t.asset_id && AllowedBy(q.asset_ids, *t.asset_id))) && TextMatches(t, q.text) &&
         (!q.sla_breached || (t.sla && t.sla->breached.empty() != *q.sla_breached));
}

// The earliest unmet SLA due time, if any (sort=sla_due).
inline std::optional<domain::Timestamp> ReferenceSlaDue(const domain::Ticket& t) {
  std::optional<domain::Timestamp> due;
  if (!t.sla) return due;
  for (auto [met, at] : {std::pair{t.sla->clock.first_responded_at, t.sla->clock.first_response_due_at},
                         std::pair{t.sla->clock.resolved_at, t.sla->clock.resolution_due_at}})
    if (!met && at && (!due || *at < *due)) due = at;
  return due;
}

// The contract's order: true if a is listed before b.
inline bool ReferenceBefore(const domain::Ticket& a, const domain::Ticket& b, const SortSpec& spec) {
  constexpr auto kMax = std::numeric_limits<domain::Timestamp>::max();
  if (spec.field == SortField::kQueue) {
    return std::make_tuple(-static_cast<int>(a.priority), a.due_at.value_or(kMax), a.updated_at, a.id) <
           std::make_tuple(-static_cast<int>(b.priority), b.due_at.value_or(kMax), b.updated_at, b.id);
  }
  if (spec.field == SortField::kDueAt && a.due_at.has_value() != b.due_at.has_value())
    return a.due_at.has_value();  // no due date last, both directions
  if (spec.field == SortField::kSlaDue && ReferenceSlaDue(a).has_value() != ReferenceSlaDue(b).has_value())
    return ReferenceSlaDue(a).has_value();
  auto cmp = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
  int c = 0;
  switch (spec.field) {
    case SortField::kQueue:
      break;
    case SortField::kCreatedAt:
      c = cmp(a.created_at, b.created_at);
      break;
    case SortField::kUpdatedAt:
      c = cmp(a.updated_at, b.updated_at);
      break;
    case SortField::kDueAt:
      c = cmp(a.due_at.value_or(0), b.due_at.value_or(0));
      break;
    case SortField::kPriority:
      c = cmp(static_cast<int>(a.priority), static_cast<int>(b.priority));
      break;
    case SortField::kStatus:
      c = cmp(static_cast<int>(a.status), static_cast<int>(b.status));
      break;
    case SortField::kNumber:
      c = cmp(a.number, b.number);
      break;
    case SortField::kSubject:
      c = cmp(a.subject, b.subject);
      break;
    case SortField::kSlaDue:
      c = cmp(ReferenceSlaDue(a).value_or(0), ReferenceSlaDue(b).value_or(0));
      break;
  }
  if (c == 0) c = cmp(a.id, b.id);
  return spec.descending ? c > 0 : c < 0;
}

inline std::vector<domain::Ticket> ReferenceQuery(const std::vector<domain::Ticket>& tickets,
                                                  const TicketQuery& q) {
  std::vector<domain::Ticket> out;
  for (const auto& t : tickets)
    if (ReferenceMatches(t, q)) out.push_back(t);
  std::sort(out.begin(), out.end(),
            [&](const domain::Ticket& a, const domain::Ticket& b) { return ReferenceBefore(a, b, q.sort); });
  return out;
}

// Runs `q` page by page from its cursor to the end; fails the test on a
// query error or a page whose total differs from the first page's.
inline std::vector<TicketPtr> WalkAllPages(const TicketReadModel& model, const domain::Id& tenant, TicketQuery q,
                                           std::size_t* total = nullptr, std::size_t max_pages = 1000000) {
  std::vector<TicketPtr> all;
  for (std::size_t pages = 0; pages < max_pages; ++pages) {
    TicketPage page;
    Status s = model.Query(tenant, q, &page);
    if (!s.ok()) {
      ADD_FAILURE() << s.ToString();
      break;
    }
    if (total) {
      if (pages == 0) *total = page.total;
      EXPECT_EQ(page.total, *total) << "total must not depend on the cursor";
    }
    EXPECT_LE(page.items.size(), q.page_size);
    all.insert(all.end(), page.items.begin(), page.items.end());
    if (page.next_cursor.empty()) break;
    EXPECT_EQ(page.items.size(), q.page_size) << "only the last page may be short";
    q.cursor = page.next_cursor;
  }
  return all;
}

inline std::vector<domain::Id> IdsOf(const std::vector<TicketPtr>& tickets) {
  std::vector<domain::Id> ids;
  for (const auto& t : tickets) ids.push_back(t->id);
  return ids;
}

inline std::vector<domain::Id> IdsOf(const std::vector<domain::Ticket>& tickets) {
  std::vector<domain::Id> ids;
  for (const auto& t : tickets) ids.push_back(t.id);
  return ids;
}

}  // namespace ticketd::projections::testing

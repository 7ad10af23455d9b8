// TicketReadModel: per-tenant ticket views, candidate indexes for the
// selective filters (status, assignee, reporter, text), and keyset pages.
#include "ticketd/projections/ticket_read_model.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>

#include "search_index.h"
#include "tenant_partitions.h"
#include "ticket_sort.h"

namespace ticketd::projections {
namespace {

using domain::Id;
using IdSet = std::unordered_set<Id, domain::IdHash>;

template <class T>
bool AnyOf(const std::vector<T>& values, const T& value) {
  return values.empty() || std::find(values.begin(), values.end(), value) != values.end();
}

bool MatchesFilters(const domain::Ticket& t, const TicketQuery& q) {
  return AnyOf(q.statuses, t.status) && AnyOf(q.priorities, t.priority) && AnyOf(q.types, t.type) &&
         AnyOf(q.assignees, t.assignee_id) && AnyOf(q.categories, t.category) &&
         (q.asset_ids.empty() || (t.asset_id && AnyOf(q.asset_ids, *t.asset_id))) &&
         AnyOf(q.reporter_ids, t.reporter_id);
}

struct TicketIndex {
  std::unordered_map<Id, TicketPtr, domain::IdHash> by_id;
  std::array<IdSet, 6> by_status;
  std::unordered_map<Id, IdSet, domain::IdHash> by_assignee;
  IdSet unassigned;
  std::unordered_map<Id, IdSet, domain::IdHash> by_reporter;
  SearchIndex search;

  IdSet& AssigneeSet(const std::optional<Id>& assignee) {
    return assignee ? by_assignee[*assignee] : unassigned;
  }

  void Unindex(const domain::Ticket& t) {
    by_status[static_cast<int>(t.status)].erase(t.id);
    AssigneeSet(t.assignee_id).erase(t.id);
    if (t.assignee_id && by_assignee[*t.assignee_id].empty()) by_assignee.erase(*t.assignee_id);
    by_reporter[t.reporter_id].erase(t.id);
    if (by_reporter[t.reporter_id].empty()) by_reporter.erase(t.reporter_id);
  }

  void Index(const domain::Ticket& t) {
    by_status[static_cast<int>(t.status)].insert(t.id);
    AssigneeSet(t.assignee_id).insert(t.id);
    by_reporter[t.reporter_id].insert(t.id);
  }

  void Upsert(const TicketPtr& after) {
    TicketPtr& slot = by_id[after->id];
    if (slot) {
      Unindex(*slot);
      if (slot->subject != after->subject || slot->description != after->description) {
        search.Remove(*slot);
        search.Add(*after);
      }
    } else {
      search.Add(*after);
    }
    Index(*after);
    slot = after;
  }

  void Remove(const Id& ticket_id) {
    auto it = by_id.find(ticket_id);
    if (it == by_id.end()) return;
    Unindex(*it->second);
    search.Remove(*it->second);
    by_id.erase(it);
  }

  // The smallest id set that every match must be in, or null for "all".
  const IdSet* SmallestCandidates(const TicketQuery& q, IdSet* scratch,
                                  const std::optional<IdSet>& text) const {
    const IdSet* best = nullptr;
    std::size_t best_size = by_id.size();
    auto consider = [&](const IdSet* set, std::size_t size) {
      if (size <= best_size) {
        best = set;
        best_size = size;
      }
    };
    if (text) consider(&*text, text->size());
    if (q.statuses.size() == 1)
      consider(&by_status[static_cast<int>(q.statuses[0])],
               by_status[static_cast<int>(q.statuses[0])].size());
    if (q.reporter_ids.size() == 1) {
      auto it = by_reporter.find(q.reporter_ids[0]);
      if (it == by_reporter.end()) {
        scratch->clear();
        consider(scratch, 0);
      } else {
        consider(&it->second, it->second.size());
      }
    }
    if (q.assignees.size() == 1) {
      if (!q.assignees[0]) {
        consider(&unassigned, unassigned.size());
      } else if (auto it = by_assignee.find(*q.assignees[0]); it != by_assignee.end()) {
        consider(&it->second, it->second.size());
      } else {
        scratch->clear();
        consider(scratch, 0);
      }
    }
    return best;
  }
};

}  // namespace

struct TicketReadModel::Impl {
  TenantPartitions<TicketIndex> tenants;
};

TicketReadModel::TicketReadModel() : impl_(std::make_unique<Impl>()) {}
TicketReadModel::~TicketReadModel() = default;

void TicketReadModel::Upsert(const TicketPtr& after) {
  impl_->tenants.Write(after->tenant_id, [&](TicketIndex& index) { index.Upsert(after); });
}

void TicketReadModel::Remove(const Id& tenant_id, const Id& ticket_id) {
  impl_->tenants.Write(tenant_id, [&](TicketIndex& index) { index.Remove(ticket_id); });
}

TicketPtr TicketReadModel::Get(const Id& tenant_id, const Id& ticket_id) const {
  TicketPtr found;
  impl_->tenants.Read(tenant_id, [&](const TicketIndex& index) {
    if (auto it = index.by_id.find(ticket_id); it != index.by_id.end()) found = it->second;
  });
  return found;
}

std::size_t TicketReadModel::TicketCount(const Id& tenant_id) const {
  std::size_t count = 0;
  impl_->tenants.Read(tenant_id, [&](const TicketIndex& index) { count = index.by_id.size(); });
  return count;
}

Status TicketReadModel::Query(const Id& tenant_id, const TicketQuery& query, TicketPage* page) const {
  std::optional<SortKey> after;
  if (!query.cursor.empty()) {
    after = DecodeCursor(query.cursor, query.sort);
    if (!after) return Status::InvalidArgument("cursor");
  }
  *page = TicketPage{};
  struct Match {
    SortKey key;
    TicketPtr ticket;
  };
  std::vector<Match> matches;
  impl_->tenants.Read(tenant_id, [&](const TicketIndex& index) {
    std::optional<IdSet> text = index.search.Match(query.text);
    IdSet scratch;
    const IdSet* candidates = index.SmallestCandidates(query, &scratch, text);
    auto visit = [&](const TicketPtr& ticket) {
      if (!MatchesFilters(*ticket, query)) return;
      if (text && candidates != &*text && !text->contains(ticket->id)) return;
      ++page->total;
      SortKey key = MakeSortKey(*ticket, query.sort);
      if (after && !SortsBefore(*after, key, query.sort)) return;
      matches.push_back(Match{std::move(key), ticket});
    };
    if (candidates) {
      for (const Id& id : *candidates)
        if (auto it = index.by_id.find(id); it != index.by_id.end()) visit(it->second);
    } else {
      for (const auto& [id, ticket] : index.by_id) visit(ticket);
    }
  });
  const std::size_t take = std::min(matches.size(), query.page_size + 1);
  std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(take), matches.end(),
                    [&](const Match& x, const Match& y) { return SortsBefore(x.key, y.key, query.sort); });
  const std::size_t shown = std::min(take, query.page_size);
  for (std::size_t i = 0; i < shown; ++i) page->items.push_back(matches[i].ticket);
  if (take > query.page_size) page->next_cursor = EncodeCursor(matches[shown - 1].key, query.sort);
  return Status::Ok();
}

}  // namespace ticketd::projections

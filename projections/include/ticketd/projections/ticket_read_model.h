// TicketReadModel: the in-memory, per-tenant read model behind ticket reads:
// lookup by id, the list/queue index with every filter of the contract, the
// queue sort, keyset-cursor pagination, `total`, and full-text search.
//
// Fed by the engine's writer thread (Apply) right after each batch is synced
// and before its commands are acknowledged, so a client that got 201 sees
// its write on the next read. Threading: Apply from one thread; every const
// method from any thread. Each tenant has its own std::shared_mutex: readers
// of a tenant share it, the writer takes it briefly per batch; there is no
// global lock. Views are immutable std::shared_ptr<const Ticket>, shared with
// the write side, so a reader keeps a consistent ticket after unlocking.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ticketd/domain/id.h"
#include "ticketd/base/status.h"
#include "ticketd/domain/ticket_value.h"
#include "ticketd/domain/time.h"
#include "ticketd/domain/types.h"
#include "ticketd/projections/binary_codec.h"

namespace ticketd::projections {

using TicketPtr = std::shared_ptr<const domain::Ticket>;

enum class SortField {
  kQueue, kCreatedAt, kUpdatedAt, kDueAt, kPriority, kStatus, kNumber, kSubject,
  kSlaDue,  // workflow (issue 12): the earliest unmet SLA due time; none last
};

struct SortSpec {
  SortField field = SortField::kQueue;
  bool descending = false;  // "-field"; ignored for kQueue
};

// Parses the `sort` query value ("queue", "created_at", "-updated_at", ...).
std::optional<SortSpec> ParseSort(std::string_view text);

// A parsed list query. Empty vectors mean "no filter on that field"; several
// values of one field are OR-ed, different fields AND-ed.
struct TicketQuery {
  std::vector<domain::TicketStatus> statuses;
  std::vector<domain::Priority> priorities;
  std::vector<domain::TicketType> types;
  std::vector<std::optional<domain::Id>> assignees;  // nullopt = unassigned ("none")
  std::vector<std::string> categories;
  std::vector<domain::Id> asset_ids;
  std::vector<domain::Id> reporter_ids;
  // workflow (issue 12): catalog entries
  std::vector<domain::Id> group_ids;
  std::vector<domain::Id> category_ids;
  std::vector<domain::Id> subcategory_ids;
  // Only tickets with an SLA: true = some target recorded as breached,
  // false = none (WORKFLOW.md `sla_breached`).
  std::optional<bool> sla_breached;
  std::string text;  // full text `q`: every token must prefix-match a word of subject or description
  SortSpec sort;
  std::size_t page_size = 50;
  std::string cursor;         // opaque, from a previous next_cursor; empty = first page
  domain::Timestamp now = 0;  // for "overdue first" in the queue sort
};

struct TicketPage {
  std::vector<TicketPtr> items;
  std::string next_cursor;  // empty when this is the last page
  std::size_t total = 0;    // matches of the filters, independent of the cursor
};

class TicketReadModel {
 public:
  TicketReadModel();
  ~TicketReadModel();
  TicketReadModel(const TicketReadModel&) = delete;
  TicketReadModel& operator=(const TicketReadModel&) = delete;

  // Writer thread only. Inserts or replaces the ticket (after->tenant_id,
  // after->id) and re-indexes it. Remove drops it from every index (hard delete).
  void Upsert(const TicketPtr& after);
  void Remove(const domain::Id& tenant_id, const domain::Id& ticket_id);
  // Writer thread only, before any query (a restart from a snapshot): adds
  // tickets none of which is in the model yet, in the given order (slots
  // follow it: the caller passes them in memory order, since at a million
  // tickets every cache miss counts), building each tenant's indexes in
  // bulk; tenants are split over `threads` threads (this one included).
  // Same content as Upsert of each.
  void AddNew(std::vector<TicketPtr> tickets, unsigned threads = 1);

  // nullptr if the ticket does not exist in that tenant.
  TicketPtr Get(const domain::Id& tenant_id, const domain::Id& ticket_id) const;
  // Get of each id (nullptr where none), under one hold of the tenant's lock:
  // for a background thread reading many (mail), which would otherwise take
  // and drop the lock the writer waits for once per ticket.
  std::vector<TicketPtr> GetMany(const domain::Id& tenant_id, const std::vector<domain::Id>& ticket_ids) const;
  // By the tenant's ticket number (1 for PREFIX-000001); nullptr if none.
  TicketPtr GetByNumber(const domain::Id& tenant_id, std::int64_t number) const;

  // InvalidArgument for a cursor that does not decode or belongs to another
  // sort. The page's items are in sort order; total counts all matches.
  Status Query(const domain::Id& tenant_id, const TicketQuery& query, TicketPage* page) const;

  std::size_t TicketCount(const domain::Id& tenant_id) const;

  // A list sort's index is built on a background thread after the first
  // query that needs it (that query, and the ones until it is ready, scan).
  // Blocks until no such build is queued or running (tests and benches).
  void WaitForSortIndexes() const;

  // The tenant's live tickets created in [from, to), in no order: one pass
  // over the per-slot rows under the shared lock (a million slots in a few
  // ms), so slow work on them happens after the lock is released
  // (workflow, issue 12: SLA simulate).
  std::vector<TicketPtr> CreatedIn(const domain::Id& tenant_id, domain::Timestamp from, domain::Timestamp to) const;

  // Canonical serialization (binary_codec.h) of the content, tenants and
  // tickets by id: equal content, equal bytes, whatever the history. Not part
  // of snapshots: this model is rebuilt from the write model's live tickets.
  void EncodeCanonical(BinaryWriter& out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketd::projections

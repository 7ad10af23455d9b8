// TicketIndex: everything the read model keeps for one tenant.
//
// Each ticket gets a slot (a dense uint32, never reused) on first sight.
// Per slot: the shared ticket view, its id, a compact FilterRow (every
// filterable field as a small integer: enums, and interned codes for
// assignee, reporter, category and asset) and a SortRow; queries check
// predicates and order candidates on these arrays without touching the
// ticket objects. Candidate sets per value: bitmaps for status, priority and
// type; adaptive slot sets for the interned fields; the full-text index; and
// the queue-ordered index; and one SortIndex per other sort (field and
// direction), built in the background after the first query that needs it
// and maintained from then on (a tenant pays memory and update cost only for
// the sorts it lists by).
// An update re-indexes only the fields that changed.
//
// Not thread-safe: the tenant's shared_mutex (TenantPartitions) guards it.
// Neither copyable nor movable (internal parts point at its id array).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ticketd/domain/status_facts.h"
#include "id_slot_map.h"
#include "number_slots.h"
#include "paged_vector.h"
#include "queue_index.h"
#include "search_index.h"
#include "slot_set.h"
#include "sort_index.h"
#include "sort_key.h"
#include "ticketd/projections/ticket_read_model.h"

namespace ticketd::projections {

// Whether a ticket has an SLA and whether it missed a target (the
// `sla_breached` filter), as a small enum like status.
enum SlaState : std::uint8_t { kNoSla = 0, kSlaKept = 1, kSlaBreached = 2, kSlaStates = 3 };

struct FilterRow {
  std::uint32_t assignee = 0;  // code; kNoValue = unassigned
  std::uint32_t reporter = 0;
  std::uint32_t category = 0;
  std::uint32_t asset = 0;  // kNoValue = none
  // workflow (issue 12): codes in the catalog IdCodes; kNoValue = none
  std::uint32_t group = 0, catalog_category = 0, subcategory = 0;
  // The small values in two bytes, so a row is 32 bytes, not 36 (issue 12, RSS).
  std::uint8_t status : 4 = 0;
  std::uint8_t priority : 4 = 0;
  std::uint8_t type : 2 = 0;
  std::uint8_t sla : 2 = 0;  // SlaState: workflow (issue 12)
  bool live : 1 = false;
};
static_assert(sizeof(FilterRow) == 32);

// Interned values of one field, and the slots holding each. Code 0
// (kNoValue) stands for "no value"; codes are never freed.
template <class Key, class Hash>
class ValueCodes {
 public:
  static constexpr std::uint32_t kNoValue = 0;

  ValueCodes() { slots_.emplace_back(); }
  std::uint32_t Intern(const Key& key) {
    auto [it, added] = codes_.try_emplace(key, static_cast<std::uint32_t>(slots_.size()));
    if (added) slots_.emplace_back();
    return it->second;
  }
  std::optional<std::uint32_t> Find(const Key& key) const {
    auto it = codes_.find(key);
    if (it == codes_.end()) return std::nullopt;
    return it->second;
  }
  SlotSet& Slots(std::uint32_t code) { return slots_[code]; }
  const SlotSet& Slots(std::uint32_t code) const { return slots_[code]; }

 private:
  std::unordered_map<Key, std::uint32_t, Hash> codes_;
  std::vector<SlotSet> slots_;  // by code
};

using IdCodes = ValueCodes<domain::Id, domain::IdHash>;
using TextCodes = ValueCodes<std::string, std::hash<std::string>>;

class TicketIndex {
 public:
  static constexpr int kStatuses = static_cast<int>(domain::kStatusCount);
  static constexpr int kPriorities = static_cast<int>(domain::kPriorityCount);
  static constexpr int kTypes = static_cast<int>(domain::kTicketTypeCount);

  TicketIndex();
  TicketIndex(const TicketIndex&) = delete;
  TicketIndex& operator=(const TicketIndex&) = delete;

  void Upsert(const TicketPtr& after);
  // Adds tickets none of which is in the index yet (a restart from a
  // snapshot): one slot each in the given order, then the queue groups and
  // the full-text postings built in bulk (collect, sort once) instead of one
  // ordered insert per ticket. The same content as Upsert of each in turn.
  void AddNew(const std::vector<TicketPtr>& tickets);
  void Remove(const domain::Id& ticket_id);
  TicketPtr Get(const domain::Id& ticket_id) const;
  // By the per-tenant number (email in: "[ACME-000042]"); null if removed.
  TicketPtr GetByNumber(std::int64_t number) const;

  std::size_t live_count() const { return live_; }
  // Slots ever handed out; live and removed ones are below this.
  std::uint32_t slot_count() const { return static_cast<std::uint32_t>(tickets_.size()); }

  const TicketPtr& ticket(std::uint32_t slot) const { return tickets_[slot]; }
  const domain::Id& id(std::uint32_t slot) const { return ids_[slot]; }
  const FilterRow& filter(std::uint32_t slot) const { return filters_[slot]; }
  const SortRow& sort_row(std::uint32_t slot) const { return sorts_[slot]; }

  const Bitmap& status_slots(int status) const { return by_status_[status]; }
  const Bitmap& priority_slots(int priority) const { return by_priority_[priority]; }
  const Bitmap& type_slots(int type) const { return by_type_[type]; }
  const Bitmap& sla_slots(int sla_state) const { return by_sla_[sla_state]; }
  const IdCodes& assignees() const { return assignees_; }
  const IdCodes& reporters() const { return reporters_; }
  const TextCodes& categories() const { return categories_; }
  const IdCodes& assets() const { return assets_; }
  const IdCodes& catalog() const { return catalog_; }  // groups, categories and subcategories by id
  const QueueIndex& queue() const { return queue_; }
  // The index of a non-queue sort (normalized spec), or null while it is
  // not built (queries then scan; sort_index_builder.h builds it).
  const SortIndex* FindSortIndex(const SortSpec& spec) const;
  // Builds it now if missing (tests and benches; ticketd builds in the background).
  const SortIndex& BuildSortIndex(const SortSpec& spec);
  std::size_t sort_index_bytes() const;

  // A background build (SortIndexBuilder), each step under the tenant's
  // shared lock (the writer, exclusive, never runs meanwhile). Start returns
  // false if the index exists or is being built; from then on every slot
  // whose place in that order may change is logged, and TakeSortIndexChanges
  // returns the slots logged since its last call (repeats possible). Finish
  // installs the index (null: abandons the build) and stops the log.
  bool StartSortIndexBuild(const SortSpec& spec) const;
  std::vector<std::uint32_t> TakeSortIndexChanges(const SortSpec& spec) const;
  void FinishSortIndexBuild(const SortSpec& spec, std::unique_ptr<SortIndex> index) const;
  bool SortIndexBuilding(const SortSpec& spec) const;
  SortColumns sort_columns() const { return SortColumns{&sorts_, &ids_, &tickets_}; }
  const SearchIndex& search() const { return search_; }

 private:
  FilterRow MakeFilterRow(const domain::Ticket& ticket);
  // A new slot for `ticket` (not in the index) with its rows and field sets;
  // the queue, the full text and the sort indexes are the caller's.
  std::uint32_t AddSlot(const TicketPtr& ticket);
  // Adds (or with remove=true takes) `row`'s values to (from) the sets.
  void IndexFields(std::uint32_t slot, const FilterRow& row, bool remove);
  void ReindexFields(std::uint32_t slot, const FilterRow& old_row, const FilterRow& row);
  // A background build in progress: the slots changed since its last take.
  struct SortIndexChanges {
    SortSpec spec;
    std::vector<std::uint32_t> slots;
  };

  // The built sort indexes whose order of `slot` changes from `before` to
  // `after` (both non-null), or all of them if `after` is null. Logs the
  // slot for the builds in progress by the same test.
  std::vector<SortIndex*> SortIndexesToMove(std::uint32_t slot, const domain::Ticket& before,
                                            const SortRow& after_row, const domain::Ticket* after);

  PagedVector<TicketPtr> tickets_;  // null once removed
  PagedVector<domain::Id> ids_;
  PagedVector<FilterRow> filters_;
  PagedVector<SortRow> sorts_;
  IdSlotMap by_id_{&ids_};
  NumberSlots by_number_;
  std::array<Bitmap, kStatuses> by_status_;
  std::array<Bitmap, kPriorities> by_priority_;
  std::array<Bitmap, kTypes> by_type_;
  std::array<Bitmap, kSlaStates> by_sla_;
  IdCodes assignees_, reporters_, assets_;
  IdCodes catalog_;  // one code space for the three levels (ids are unique across them)
  TextCodes categories_;
  QueueIndex queue_{&ids_, &sorts_};
  mutable std::mutex sort_indexes_mu_;
  mutable std::vector<std::unique_ptr<SortIndex>> sort_indexes_;  // built ones, in first-use order
  mutable std::vector<SortIndexChanges> sort_index_builds_;       // in progress
  SearchIndex search_;
  std::size_t live_ = 0;
};

}  // namespace ticketd::projections

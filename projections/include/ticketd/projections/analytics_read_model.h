// AnalyticsReadModel: per-tenant counters maintained incrementally from
// ticket events: by status, open by priority, per-assignee load, time to
// resolve / close (exact mean, p50, p90 over every resolution/closure),
// created and closed per day, top categories, and tickets in progress for
// longer than a threshold. Each ticket's contribution is remembered so a
// hard delete takes it back out ("gone from every read model").
// Threading: OnTicketEvent on the writer thread; Snapshot from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ticketd/domain/status_facts.h"
#include "ticketd/domain/id.h"
#include "ticketd/domain/time.h"
#include "ticketd/projections/binary_codec.h"
#include "ticketd/projections/projector.h"

namespace ticketd::projections {

struct DurationSummary {
  std::int64_t count = 0;
  double mean = 0, p50 = 0, p90 = 0;  // hours; 0 when count == 0
};

struct AssigneeLoad {
  domain::Id assignee_id;
  std::int64_t open = 0, in_progress = 0, resolved = 0, closed = 0;
};

struct DayCount {
  domain::Timestamp day = 0;  // midnight UTC
  std::int64_t count = 0;
};

struct CategoryCount {
  std::string category;
  std::int64_t count = 0;
};

struct StaleTicket {
  domain::Id id;
  std::string number;
  domain::Timestamp since = 0;  // when it last entered in_progress
};

struct Analytics {
  std::array<std::int64_t, domain::kStatusCount> by_status{};           // indexed by TicketStatus
  std::array<std::int64_t, domain::kPriorityCount> open_by_priority{};  // status open, by Priority
  std::vector<AssigneeLoad> per_assignee;  // by assignee id
  DurationSummary time_to_resolve, time_to_close;
  std::vector<DayCount> created_per_day, closed_per_day;  // ascending
  std::vector<CategoryCount> top_categories;              // at most 10, most first
  std::vector<StaleTicket> stale_in_progress;             // oldest first
};

class AnalyticsReadModel final : public TicketProjector {
 public:
  AnalyticsReadModel();
  ~AnalyticsReadModel() override;

  void OnTicketEvent(const domain::DomainEvent& event, const TicketPtr& before,
                     const TicketPtr& after) override;

  // Stale = in progress since before now - stale_after.
  Analytics Snapshot(const domain::Id& tenant_id, domain::Timestamp now, domain::Timestamp stale_after) const;

  // Canonical serialization (binary_codec.h): equal content, equal bytes.
  // It is also this model's snapshot body; DecodeSnapshot loads one into an
  // empty model (writer thread, before any Apply) and returns false if the
  // bytes do not parse.
  void EncodeCanonical(BinaryWriter& out) const;
  [[nodiscard]] bool DecodeSnapshot(BinaryReader& in);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

inline constexpr domain::Timestamp kDefaultStaleAfter = 7 * domain::kMicrosPerDay;

}  // namespace ticketd::projections

// Ticket: the full value of one ticket, as folded from its events. It is the
// write side's state, the snapshot inside TicketDeleted, and (shared as
// std::shared_ptr<const Ticket>) the read models' view: one immutable object
// per ticket version, so readers never see a half-applied change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ticketd/domain/id.h"
#include "ticketd/domain/optional_id.h"
#include "ticketd/domain/optional_timestamp.h"
#include "ticketd/domain/sla.h"
#include "ticketd/domain/time.h"
#include "ticketd/domain/types.h"

namespace ticketd::domain {

struct Ticket {
  Id id;
  Id tenant_id;
  std::int64_t number = 0;
  std::string number_text;  // "TKT-000001"
  std::string subject;
  std::string description;
  Priority priority = Priority::kMedium;  // the three enums are one byte each
  TicketStatus status = TicketStatus::kOpen;
  TicketType type = TicketType::kIncident;
  std::string category;
  Id reporter_id;
  OptionalId assignee_id;  // the optional ids: 16 bytes each, nil = none
  OptionalId asset_id;
  OptionalTimestamp due_at;  // 8 bytes, not 16: see the size note below
  // >>> workflow: catalog, teams, reopen policy (issue 12, helper wf-catalog)
  // The catalog entries the ticket is filed under (WORKFLOW.md); archived
  // entries stay referenced.
  OptionalId group_id;
  OptionalId category_id;
  OptionalId subcategory_id;
  OptionalTimestamp closed_at;  // set on entering closed (the reopen policy's clock)
  // >>> workflow: SLA, timers, auto-close (issue 12, helper wf-sla)
  SlaHistory sla_history;      // what the SLA clock reads (sla.h), kept with or without a policy
  std::optional<TicketSla> sla;  // null: no policy governs the ticket
  // >>> attachments (issue 13)
  std::int32_t attachment_count = 0;           // files attached to the ticket and its comments
  std::int32_t internal_attachment_count = 0;  // of those, the ones on internal comments
  // >>> mail out (issue 14, helper mail-out)
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::int64_t version = 0;  // stream version: number of events applied
  // Set by TicketErased: subject and description read kErasedText from then on.
  OptionalTimestamp erased_at;

  friend bool operator==(const Ticket&, const Ticket&) = default;
};

// One Ticket per ticket version, allocated by make_shared with a 16-byte
// control block: at a million tickets each size class of the allocator
// (tcmalloc: ..., 416, 448, 480, 512) is 32 MB of RSS (issue 12 and 16.4:
// <= 1 GiB). Grow it past this only knowingly.
inline constexpr std::size_t kTicketSizeBudget = 448 - 16;
static_assert(sizeof(Ticket) <= kTicketSizeBudget, "Ticket left the allocator's 448-byte class");

}  // namespace ticketd::domain

// The ticket aggregate as a Decider: DecideTicket(state, command, context)
// -> events | error, EvolveTicket(state, event) -> state. Pure: no I/O, no
// clock, no randomness; ids and times arrive in the command, facts about other
// aggregates (assignee, asset, the tenant's counter) in the TicketContext.
// Thread-safety: free functions over values; safe from any thread.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "ticketd/domain/assignment.h"
#include "ticketd/domain/catalog.h"
#include "ticketd/domain/errors.h"
#include "ticketd/domain/events.h"
#include "ticketd/domain/sla.h"
#include "ticketd/base/result.h"
#include "ticketd/domain/ticket_value.h"

namespace ticketd::domain {

struct TicketState {
  enum class Phase { kNew, kLive, kDeleted };
  static constexpr std::size_t kPhaseCount = 3;
  Phase phase = Phase::kNew;
  Ticket ticket;  // meaningful once phase != kNew
};

TicketState InitialTicketState();

// What every ticket command carries.
struct CommandHeader {
  Actor actor;
  Timestamp at = 0;
  Id ticket_id;
  // If-Match: the ticket version the client last saw; mismatch -> kVersionConflict.
  std::optional<std::int64_t> expected_version;
};

// Attachments (issue 13): files that passed the policy (app/attachment_intake.h)
// join the ticket, or one of its comments. The bytes ride along to the log,
// which stores them in the same write as the events (domain code never
// looks at them).
struct NewAttachment {
  Id attachment_id;
  std::string filename;
  std::string content_type;
  std::string sha256;
  std::int64_t size = 0;
  std::shared_ptr<const std::string> bytes;
  // Or a streamed upload's reference to its staged bytes: opaque here, the
  // event log's (eventstore StagedBlob::Encode()).
  std::string staged;
};
struct CreateTicket {
  CommandHeader header;
  std::string subject;
  std::string description;
  Priority priority = Priority::kMedium;
  TicketType type = TicketType::kIncident;
  std::string category;
  std::optional<Id> assignee_id;
  std::optional<Id> asset_id;
  std::optional<Timestamp> due_at;
  // Filed on behalf of this user of the tenant (the public API's
  // reporter_id; the shell checked the user); default: the actor.
  std::optional<Id> reporter_id;
  // workflow (issue 12): the catalog entries (catalog.h)
  std::optional<Id> group_id;
  std::optional<Id> category_id;
  std::optional<Id> subcategory_id;
  std::vector<NewAttachment> attachments;  // multipart create (issue 13)
};
// PATCH: only the set fields change; never touches status or assignment.
struct UpdateTicket {
  CommandHeader header;
  std::optional<std::string> subject;
  std::optional<std::string> description;
  std::optional<std::string> category;
  std::optional<Priority> priority;
  std::optional<Nullable<Timestamp>> due_at;
  std::optional<Nullable<Id>> asset_id;
  // workflow (issue 12): the catalog entries (catalog.h)
  std::optional<Nullable<Id>> group_id;
  std::optional<Nullable<Id>> category_id;
  std::optional<Nullable<Id>> subcategory_id;
};
struct ChangeStatus {
  CommandHeader header;
  TicketStatus to = TicketStatus::kOpen;
  std::optional<std::string> comment;  // becomes a public CommentAdded
  Id comment_id;                       // used when comment is set
};
struct AssignTicket {
  CommandHeader header;
  Nullable<Id> assignee_id;  // nullopt unassigns
};
// assignee = caller, status in_progress.
struct ClaimTicket {
  CommandHeader header;
};
struct AddComment {
  CommandHeader header;
  Id comment_id;
  std::string body;
  bool internal = false;
  std::vector<NewAttachment> attachments;  // multipart comment (issue 13): on this comment
};
struct DeleteTicket {
  CommandHeader header;
};
// GDPR erasure (tenant admins). Also accepted for a deleted ticket, whose
// snapshot in the log holds the text; a second erasure changes nothing.
struct EraseTicket {
  CommandHeader header;
};

// workflow (issue 12): a deadline the SLA scheduler derived from the state
// has come. The system acts (header.actor is the platform admin's nil id);
// a timer that no longer matches the state (met, moved, already recorded)
// decides nothing, so a stale or repeated one is harmless.
struct FireTimer {
  CommandHeader header;
  TimerKind kind = TimerKind::kFirstResponse;
  Timestamp due_at = 0;
};

struct AttachFiles {
  CommandHeader header;
  std::optional<Id> comment_id;
  bool internal = false;  // the comment is internal
  std::vector<NewAttachment> files;
};

using TicketCommand =
    std::variant<CreateTicket, UpdateTicket, ChangeStatus, AssignTicket, ClaimTicket, AddComment, DeleteTicket,
                 AttachFiles, EraseTicket, FireTimer>;

const CommandHeader& HeaderOf(const TicketCommand& command);

// Facts about other aggregates, looked up by the shell before deciding.
struct UserFacts {
  Id id;
  Id tenant_id;
  bool can_manage_tickets = false;  // holds tickets:manage (role, IT department or a group)
};
struct AssetFacts {
  Id id;
  Id tenant_id;
};
struct TicketContext {
  std::string ticket_prefix;     // CreateTicket: the tenant's prefix
  std::int64_t next_number = 1;  // CreateTicket: the number the new ticket gets
  // For each id the command references (assignee_id, asset_id): the entity
  // if it exists in any tenant; nullopt if no such id exists at all.
  std::optional<UserFacts> assignee;
  std::optional<AssetFacts> asset;
  // The tenant's asset_integration feature: off -> asset_id is ignored.
  bool asset_integration = true;
  // FireTimer: the tenant's auto_close_resolved_after and the governing
  // policy's escalation.
  std::optional<Duration> auto_close_after;
  SlaEscalation escalate;
  // workflow (issue 12): the tenant's catalog and reopen policy (null: an
  // empty catalog, reopening allowed); borrowed for the decision only.
  const Catalog* catalog = nullptr;
  // The facts of the group the command files the ticket under
  // (ResolveCatalogChoice), when that group assigns automatically.
  std::optional<AssignmentFacts> assignment;
};

// The catalog request of a create or PATCH (empty for other commands).
CatalogRequest CatalogRequestOf(const TicketCommand& command);

// Events on success (empty when the command changes nothing, e.g. a PATCH
// with the current values); a DomainError otherwise.
Result<std::vector<DomainEvent>, DomainError> DecideTicket(const TicketState& state,
                                                           const TicketCommand& command,
                                                           const TicketContext& context);

// Applies one event of this ticket's stream. Events of other streams are a
// programming error (asserted in debug builds, ignored otherwise).
TicketState EvolveTicket(TicketState state, const DomainEvent& event);

// FireTimer's rules (sla_decide.cc).
Result<std::vector<DomainEvent>, DomainError> DecideTimer(const TicketState& state, const FireTimer& command,
                                                          const TicketContext& context);
// The deadlines a ticket has now: each (kind, due) that would decide
// something once reached. `auto_close_after` is the tenant's setting.
struct Deadline {
  TimerKind kind = TimerKind::kFirstResponse;
  Timestamp due_at = 0;
  friend bool operator==(const Deadline&, const Deadline&) = default;
};
std::vector<Deadline> DeadlinesOf(const Ticket& ticket, std::optional<Duration> auto_close_after);

// The state machine of the contract.
std::span<const TicketStatus> AllowedTransitions(TicketStatus from);
bool IsTransitionAllowed(TicketStatus from, TicketStatus to);

// Read rules: reporters see their own tickets only; agents, managers, admins
// every ticket of their tenant; nobody another tenant's.
bool CanReadTicket(const Actor& actor, const Ticket& ticket);
// Internal comments never leave the agent side (agents, IT, admins).
bool CanSeeInternalComments(const Actor& actor);

// Field limits, shared with the api's validation messages.
inline constexpr std::size_t kMaxSubjectChars = 200;
inline constexpr std::size_t kMaxDescriptionChars = 20000;
inline constexpr std::size_t kMaxCategoryChars = 64;
inline constexpr std::size_t kMaxCommentChars = 20000;

}  // namespace ticketd::domain

// Domain events: plain structs in two families (directory, ticket) and one
// persisted variant. Each is persisted through the protobuf envelope in
// schemas/ (eventstore/src/event_codec.cc); adding an alternative makes every
// visit of its family fail to compile until it is handled, which is the
// point: nobody forgets to handle a new event.
//
// Streams: a ticket's events go to the stream (tenant_id, ticket_id); the
// tenant directory (tenant, users, tokens, assets) to (tenant_id, tenant_id).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "ticketd/domain/access_types.h"
#include "ticketd/domain/account_events.h"
#include "ticketd/domain/attachment_events.h"
#include "ticketd/domain/id.h"
#include "ticketd/domain/sla_events.h"
#include "ticketd/domain/mail_events.h"  // mail out (issue 14)
#include "ticketd/domain/ticket_value.h"
#include "ticketd/domain/time.h"
#include "ticketd/domain/types.h"
#include "ticketd/domain/workflow_events.h"
#include "ticketd/domain/workflow_types.h"

namespace ticketd::domain {

template <class T>
using Nullable = std::optional<T>;  // a value that may be JSON null

// ---- tenant directory stream ----
struct TenantCreated {
  Id tenant_id;
  std::string name;
  std::string ticket_prefix;
  std::string slug;  // sign-in: lower-case [a-z0-9-]{2,40}, unique; empty in logs from before slugs
};
struct UserCreated {
  Id user_id;
  std::string name;   // personal data
  std::string email;  // personal data
  Role role = Role::kReporter;
  std::string department;
};
// Only the SHA-256 of the bearer token is ever stored.
struct TokenIssued {
  Id user_id;
  std::array<std::uint8_t, 32> token_sha256{};
};
struct AssetCreated {
  Id asset_id;
  std::string name;
  std::string kind;
};
struct AssetDeleted {
  Id asset_id;
};
// GDPR erasure of a user's name and email (crypto-shredding: the event log
// destroys the user's data key in the same atomic write). Tokens stop working.
struct UserErased {
  Id user_id;
};

// ---- access (ACCESS.md: permission groups, settings, licences, quotas, API
// keys); tenant directory stream ----
struct PermissionGroupCreated {
  Id group_id;
  std::string name;
  PermissionSet permissions;
  bool system = false;  // the per-tenant "ITSM Agent" group
  friend bool operator==(const PermissionGroupCreated&, const PermissionGroupCreated&) = default;
};
struct PermissionGroupMemberAdded {
  Id group_id;
  Id user_id;
  friend bool operator==(const PermissionGroupMemberAdded&, const PermissionGroupMemberAdded&) = default;
};
struct PermissionGroupMemberRemoved {
  Id group_id;
  Id user_id;
  friend bool operator==(const PermissionGroupMemberRemoved&, const PermissionGroupMemberRemoved&) = default;
};
// The tenant's enabled features after the change (all of them).
struct SettingsChanged {
  FeatureSet enabled;
  friend bool operator==(const SettingsChanged&, const SettingsChanged&) = default;
};
// The licence after the change: the features the tenant may enable and its
// quotas. Features no longer licensed are switched off by this event.
struct LicenseChanged {
  FeatureSet licensed;
  Quotas quotas;
  friend bool operator==(const LicenseChanged&, const LicenseChanged&) = default;
};
// A command was refused for exceeding a quota (GET /api/v1/admin/alerts).
struct QuotaAlertRaised {
  Quota quota = Quota::kMaxAgents;
  std::int64_t limit = 0;
  std::int64_t current = 0;
  friend bool operator==(const QuotaAlertRaised&, const QuotaAlertRaised&) = default;
};
// Only the SHA-256 of the key is ever stored; the creator is the actor.
struct ApiKeyCreated {
  Id key_id;
  std::string name;
  ScopeSet scopes;
  std::array<std::uint8_t, 32> key_sha256{};
  std::optional<Timestamp> expires_at;
  friend bool operator==(const ApiKeyCreated&, const ApiKeyCreated&) = default;
};
struct ApiKeyRevoked {
  Id key_id;
  friend bool operator==(const ApiKeyRevoked&, const ApiKeyRevoked&) = default;
};
// Requests a key authenticated on one UTC day: the running total of that day
// (not a delta), so a batch written twice or late changes nothing.
struct ApiKeyUsage {
  Id key_id;
  std::int64_t day = 0;  // days since 1970-01-01 UTC
  std::int64_t requests = 0;
  Timestamp last_used_at = 0;
  friend bool operator==(const ApiKeyUsage&, const ApiKeyUsage&) = default;
};

// ---- ticket stream ----
struct TicketCreated {
  Id ticket_id;
  std::int64_t number = 0;  // per-tenant counter, 1-based, gap-free
  std::string number_text;  // PREFIX-000001, fixed at creation
  std::string subject;      // personal data
  std::string description;  // personal data
  Priority priority = Priority::kMedium;
  TicketType type = TicketType::kIncident;
  std::string category;
  Id reporter_id;
  Nullable<Id> assignee_id;
  Nullable<Id> asset_id;
  Nullable<Timestamp> due_at;
  // workflow (issue 12): the catalog entries chosen at creation
  Nullable<Id> group_id;
  Nullable<Id> category_id;
  Nullable<Id> subcategory_id;
};
// Metadata change: only the fields that changed are set. Never carries status.
struct TicketUpdated {
  std::optional<std::string> subject;
  std::optional<std::string> description;
  std::optional<std::string> category;
  std::optional<Priority> priority;
  std::optional<Nullable<Timestamp>> due_at;
  std::optional<Nullable<Id>> asset_id;
  // workflow (issue 12)
  std::optional<Nullable<Id>> group_id;
  std::optional<Nullable<Id>> category_id;
  std::optional<Nullable<Id>> subcategory_id;
};
struct TicketAssigned {
  Nullable<Id> assignee_id;  // nullopt: unassigned
  // kManual: a person chose; otherwise the group's rule chose (WORKFLOW.md
  // "fair assignment"), in the same commit as the creation or move.
  AssignmentMode rule = AssignmentMode::kManual;
};
struct TicketStatusChanged {
  TicketStatus from = TicketStatus::kOpen;
  TicketStatus to = TicketStatus::kOpen;
  // Why, when the system moved it ("auto_close"); empty for a person's change.
  std::string reason;
};
struct CommentAdded {
  Id comment_id;
  std::string body;  // personal data
  bool internal = false;
};
// Hard delete: the audit log keeps who, when and what the ticket was.
struct TicketDeleted {
  Ticket snapshot;  // the ticket as it was just before deletion (personal data)
};
// GDPR erasure of a ticket's subject, description and comment bodies (also of
// a deleted ticket's snapshot): the log destroys the ticket's data key.
struct TicketErased {};

// What every reader shows in place of erased personal data.
inline constexpr std::string_view kErasedText = "[erased]";

// The two event families. A directory event goes to the tenant's directory
// stream, a ticket event to the ticket's stream; every event is in exactly
// one. Code that cares about one family visits only it (VisitDirectoryEvent,
// VisitTicketEvent) with one branch per event of that family and no
// "ignore" branches for the other, so a new event fails to compile exactly
// where its own family is handled.
template <class... Events>
struct EventFamily {
  template <class E>
  static constexpr bool kContains = (std::is_same_v<E, Events> || ...);
};
using DirectoryEvents =
    EventFamily<TenantCreated, UserCreated, TokenIssued, AssetCreated, AssetDeleted, UserErased,
                // access (issue 11)
                PermissionGroupCreated, PermissionGroupMemberAdded, PermissionGroupMemberRemoved, SettingsChanged,
                LicenseChanged, QuotaAlertRaised, ApiKeyCreated, ApiKeyRevoked, ApiKeyUsage,
                // >>> workflow: catalog, teams, reopen policy (issue 12, helper wf-catalog)
                WorkflowEvent,
                // >>> workflow: SLA, timers, auto-close (issue 12, helper wf-sla)
                SlaDirectoryEvent,
                // >>> attachments (issue 13)
                // >>> mail out: notifier, templates, digest (issue 14, helper mail-out)
                MailEvent,
                // >>> mail in: inbound mail (issue 14, helper mail-in)
                // sign-in (account_events.h)
                AccountEvent>;
using TicketEvents = EventFamily<TicketCreated, TicketUpdated, TicketAssigned, TicketStatusChanged, CommentAdded,
                                 // >>> workflow: catalog, teams, reopen policy (issue 12, helper wf-catalog)
                                 // >>> workflow: SLA, timers, auto-close (issue 12, helper wf-sla)
                                 SlaTicketEvent,
                                 // >>> attachments (issue 13)
                                 AttachmentAdded,
                                 // >>> mail out: notifier, templates, digest (issue 14, helper mail-out)
                                 // >>> mail in: inbound mail (issue 14, helper mail-in)
                                 TicketDeleted, TicketErased>;

// Every event, as persisted (the protobuf envelope's oneof).
using EventPayload = std::variant<TenantCreated, UserCreated, TokenIssued, AssetCreated, AssetDeleted,
                                  UserErased, TicketCreated, TicketUpdated, TicketAssigned,
                                  TicketStatusChanged, CommentAdded, TicketDeleted, TicketErased,
                                  // access (issue 11)
                                  PermissionGroupCreated, PermissionGroupMemberAdded,
                                  PermissionGroupMemberRemoved, SettingsChanged, LicenseChanged,
                                  QuotaAlertRaised, ApiKeyCreated, ApiKeyRevoked, ApiKeyUsage,
                                  // >>> workflow: catalog, teams, reopen policy (issue 12, helper wf-catalog)
                                  WorkflowEvent,
                                  // >>> workflow: SLA, timers, auto-close (issue 12, helper wf-sla)
                                  SlaDirectoryEvent, SlaTicketEvent,
                                  // >>> attachments (issue 13)
                                  AttachmentAdded,
                                  // >>> mail out: notifier, templates, digest (issue 14, helper mail-out)
                                  MailEvent,
                                  // >>> mail in: inbound mail (issue 14, helper mail-in)
                                  // sign-in (account_events.h): one alternative for all of them
                                  AccountEvent>;

template <class E>
inline constexpr bool kIsDirectoryEvent = DirectoryEvents::kContains<E>;
template <class E>
inline constexpr bool kIsTicketEvent = TicketEvents::kContains<E>;

namespace internal {
template <class Variant>
struct EveryEventInOneFamily;
template <class... Es>
struct EveryEventInOneFamily<std::variant<Es...>> {
  static constexpr bool kValue = ((kIsDirectoryEvent<Es> != kIsTicketEvent<Es>) && ...);
};
}  // namespace internal
static_assert(internal::EveryEventInOneFamily<EventPayload>::kValue,
              "every event belongs to exactly one family (DirectoryEvents or TicketEvents)");

inline bool IsDirectoryEvent(const EventPayload& payload) {
  return std::visit([](const auto& e) { return kIsDirectoryEvent<std::decay_t<decltype(e)>>; }, payload);
}
inline bool IsTicketEvent(const EventPayload& payload) { return !IsDirectoryEvent(payload); }

// Calls visitor(event) when the payload is a directory event; the visitor
// must take every directory event. Returns whether it was called.
template <class Visitor>
bool VisitDirectoryEvent(const EventPayload& payload, Visitor&& visitor) {
  return std::visit(
      [&](const auto& e) {
        if constexpr (kIsDirectoryEvent<std::decay_t<decltype(e)>>) {
          visitor(e);
          return true;
        } else {
          return false;
        }
      },
      payload);
}
// The same for ticket events.
template <class Visitor>
bool VisitTicketEvent(const EventPayload& payload, Visitor&& visitor) {
  return std::visit(
      [&](const auto& e) {
        if constexpr (kIsTicketEvent<std::decay_t<decltype(e)>>) {
          visitor(e);
          return true;
        } else {
          return false;
        }
      },
      payload);
}

// An event as decided: the payload plus what every event needs to know.
struct DomainEvent {
  Id tenant_id;
  Id stream_id;   // ticket id, or the tenant id for directory events
  Timestamp at = 0;
  Id actor_id;    // nil for the platform admin
  EventPayload payload;
};

// The persisted type tag of each payload ("ticket.created"). Persistent
// format: never rename.
std::string_view EventTypeName(const EventPayload& payload);

}  // namespace ticketd::domain

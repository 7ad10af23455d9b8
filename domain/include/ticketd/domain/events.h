// Domain events: plain structs in one variant. Each is persisted through the
// protobuf envelope in schemas/ (eventstore/src/event_codec.cc); adding an
// alternative here makes every std::visit without it fail to compile, which is
// the point: nobody forgets to handle a new event.
//
// Streams: a ticket's events go to the stream (tenant_id, ticket_id); the
// tenant directory (tenant, users, tokens, assets) to (tenant_id, tenant_id).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "ticketd/domain/account_events.h"
#include "ticketd/domain/id.h"
#include "ticketd/domain/ticket_value.h"
#include "ticketd/domain/time.h"
#include "ticketd/domain/types.h"

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
};
// Metadata change: only the fields that changed are set. Never carries status.
struct TicketUpdated {
  std::optional<std::string> subject;
  std::optional<std::string> description;
  std::optional<std::string> category;
  std::optional<Priority> priority;
  std::optional<Nullable<Timestamp>> due_at;
  std::optional<Nullable<Id>> asset_id;
};
struct TicketAssigned {
  Nullable<Id> assignee_id;  // nullopt: unassigned
};
struct TicketStatusChanged {
  TicketStatus from = TicketStatus::kOpen;
  TicketStatus to = TicketStatus::kOpen;
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

using EventPayload = std::variant<TenantCreated, UserCreated, TokenIssued, AssetCreated, AssetDeleted,
                                  UserErased, TicketCreated, TicketUpdated, TicketAssigned,
                                  TicketStatusChanged, CommentAdded, TicketDeleted, TicketErased,
                                  // sign-in (account_events.h): one alternative for all of them
                                  AccountEvent>;

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

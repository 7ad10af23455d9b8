#include "ticketd/domain/types.h"

#include <type_traits>

#include "ticketd/domain/events.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::domain {
namespace {

template <class Enum, std::size_t N>
std::optional<Enum> ParseByName(std::string_view text, const std::array<Enum, N>& all) {
  for (Enum value : all)
    if (ToString(value) == text) return value;
  return std::nullopt;
}

}  // namespace

std::string_view ToString(TicketStatus s) {
  switch (s) {
    case TicketStatus::kOpen:
      return "open";
    case TicketStatus::kInProgress:
      return "in_progress";
    case TicketStatus::kOnHold:
      return "on_hold";
    case TicketStatus::kResolved:
      return "resolved";
    case TicketStatus::kClosed:
      return "closed";
    case TicketStatus::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::string_view ToString(Priority p) {
  switch (p) {
    case Priority::kLow:
      return "low";
    case Priority::kMedium:
      return "medium";
    case Priority::kHigh:
      return "high";
    case Priority::kUrgent:
      return "urgent";
  }
  return "unknown";
}

std::string_view ToString(TicketType t) {
  switch (t) {
    case TicketType::kIncident:
      return "incident";
    case TicketType::kServiceRequest:
      return "service_request";
  }
  return "unknown";
}

std::string_view ToString(Role r) {
  switch (r) {
    case Role::kReporter:
      return "reporter";
    case Role::kAgent:
      return "agent";
    case Role::kManager:
      return "manager";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::optional<TicketStatus> ParseStatus(std::string_view s) { return ParseByName(s, kAllStatuses); }
std::optional<Priority> ParsePriority(std::string_view s) { return ParseByName(s, kAllPriorities); }
std::optional<TicketType> ParseTicketType(std::string_view s) { return ParseByName(s, kAllTypes); }
std::optional<Role> ParseRole(std::string_view s) { return ParseByName(s, kAllRoles); }

// Persistent format: these tags are stored and published; never rename.
std::string_view EventTypeName(const EventPayload& payload) {
  return std::visit(Overloaded{
                        [](const TenantCreated&) { return std::string_view("tenant.created"); },
                        [](const UserCreated&) { return std::string_view("user.created"); },
                        [](const TokenIssued&) { return std::string_view("token.issued"); },
                        [](const AssetCreated&) { return std::string_view("asset.created"); },
                        [](const AssetDeleted&) { return std::string_view("asset.deleted"); },
                        [](const UserErased&) { return std::string_view("user.erased"); },
                        [](const TicketCreated&) { return std::string_view("ticket.created"); },
                        [](const TicketUpdated&) { return std::string_view("ticket.updated"); },
                        [](const TicketAssigned&) { return std::string_view("ticket.assigned"); },
                        [](const TicketStatusChanged&) { return std::string_view("ticket.status_changed"); },
                        [](const CommentAdded&) { return std::string_view("comment.added"); },
                        [](const AttachmentAdded&) { return std::string_view("attachment.added"); },
                        [](const TicketDeleted&) { return std::string_view("ticket.deleted"); },
                        [](const TicketErased&) { return std::string_view("ticket.erased"); },
                        // access (issue 11)
                        [](const PermissionGroupCreated&) { return std::string_view("permission_group.created"); },
                        [](const PermissionGroupMemberAdded&) {
                          return std::string_view("permission_group.member_added");
                        },
                        [](const PermissionGroupMemberRemoved&) {
                          return std::string_view("permission_group.member_removed");
                        },
                        [](const SettingsChanged&) { return std::string_view("settings.changed"); },
                        [](const LicenseChanged&) { return std::string_view("license.changed"); },
                        [](const QuotaAlertRaised&) { return std::string_view("quota_alert.raised"); },
                        [](const ApiKeyCreated&) { return std::string_view("api_key.created"); },
                        [](const ApiKeyRevoked&) { return std::string_view("api_key.revoked"); },
                        [](const ApiKeyUsage&) { return std::string_view("api_key.usage"); },
                        [](const AccountEvent& e) { return AccountEventTypeName(e); },
                        [](const SlaDirectoryEvent& e) { return SlaEventTypeName(e); },
                        [](const SlaTicketEvent& e) { return SlaEventTypeName(e); },
                        [](const WorkflowEvent& e) { return WorkflowEventTypeName(e); },
                        [](const MailEvent& e) { return MailEventTypeName(e); },
                    },
                    payload);
}

}  // namespace ticketd::domain

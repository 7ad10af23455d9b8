// Value types shared by the ticket and directory deciders: enums with their
// wire names, and the Actor every command carries.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ticketd/domain/id.h"
#include "ticketd/domain/permissions.h"

namespace ticketd::domain {

// The numeric values of these enums are persisted (protobuf): never renumber.
// One byte each: every ticket holds three (issue 12, RSS).
enum class TicketStatus : std::uint8_t { kOpen = 0, kInProgress = 1, kOnHold = 2, kResolved = 3, kClosed = 4, kCancelled = 5 };
enum class Priority : std::uint8_t { kLow = 0, kMedium = 1, kHigh = 2, kUrgent = 3 };
enum class TicketType : std::uint8_t { kIncident = 0, kServiceRequest = 1 };
enum class Role { kReporter = 0, kAgent = 1, kManager = 2, kAdmin = 3 };

inline constexpr std::array kAllStatuses = {TicketStatus::kOpen,     TicketStatus::kInProgress,
                                            TicketStatus::kOnHold,   TicketStatus::kResolved,
                                            TicketStatus::kClosed,   TicketStatus::kCancelled};
inline constexpr std::array kAllPriorities = {Priority::kLow, Priority::kMedium, Priority::kHigh,
                                              Priority::kUrgent};
inline constexpr std::array kAllTypes = {TicketType::kIncident, TicketType::kServiceRequest};
inline constexpr std::array kAllRoles = {Role::kReporter, Role::kAgent, Role::kManager, Role::kAdmin};

// How many values an enum has (its values are 0..N-1): what decoders check a
// stored value against, so a new value needs no literal changed elsewhere.
template <class Enum>
inline constexpr std::size_t kEnumCount = 0;  // no specialization: not a counted enum
template <>
inline constexpr std::size_t kEnumCount<TicketStatus> = kAllStatuses.size();
template <>
inline constexpr std::size_t kEnumCount<Priority> = kAllPriorities.size();
template <>
inline constexpr std::size_t kEnumCount<TicketType> = kAllTypes.size();
template <>
inline constexpr std::size_t kEnumCount<Role> = kAllRoles.size();

// Wire names ("in_progress", "urgent", "service_request", "manager").
std::string_view ToString(TicketStatus s);
std::string_view ToString(Priority p);
std::string_view ToString(TicketType t);
std::string_view ToString(Role r);
// Exact, case-sensitive match on the wire name; nullopt otherwise.
std::optional<TicketStatus> ParseStatus(std::string_view s);
std::optional<Priority> ParsePriority(std::string_view s);
std::optional<TicketType> ParseTicketType(std::string_view s);
std::optional<Role> ParseRole(std::string_view s);

// Who issues a command. The shell authenticates the bearer token and fills
// this in; the deciders ask Can(actor, permission) (permissions.h).
struct Actor {
  enum class Kind { kUser, kPlatformAdmin };
  Kind kind = Kind::kUser;
  Id user_id;    // nil for the platform admin
  Id tenant_id;  // nil for the platform admin
  Role role = Role::kReporter;
  bool it_department = false;  // department "IT" grants agent rights whatever the role
  // What the user's permission groups add to the role, as of this request
  // (a membership change takes effect on the member's next request).
  PermissionSet group_permissions;

  bool IsPlatformAdmin() const { return kind == Kind::kPlatformAdmin; }
};

}  // namespace ticketd::domain

// Sign-in events of the tenant directory stream (issue 11): passwords,
// password resets, sessions and user changes. They travel as ONE alternative
// (AccountEvent) of EventPayload, so code that does not care about sign-in
// handles them all with one line; account code visits AccountEvent itself.
//
// Secrets never appear here in clear: passwords only as Argon2id hash
// strings (sealed under the user's data key in the log), refresh and reset
// tokens only as SHA-256.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "ticketd/domain/id.h"
#include "ticketd/domain/time.h"
#include "ticketd/domain/types.h"

namespace ticketd::domain {

using Sha256Bytes = std::array<std::uint8_t, 32>;

// A password was set (creation, change, or reset). `reset_sha256` names the
// reset token this spent, if any; a reset also revokes the user's sessions.
struct PasswordSet {
  Id user_id;
  std::string password_hash;  // Argon2id string; personal data (sealed)
  std::optional<Sha256Bytes> reset_sha256;
  bool operator==(const PasswordSet&) const = default;
};
// A tenant admin issued a one-time reset token; earlier ones of the user die.
struct PasswordResetIssued {
  Id user_id;
  Sha256Bytes reset_sha256{};
  Timestamp expires_at = 0;
  bool operator==(const PasswordResetIssued&) const = default;
};
struct SessionStarted {
  Id session_id;
  Id user_id;
  Sha256Bytes refresh_sha256{};
  Timestamp expires_at = 0;  // of the refresh token
  bool operator==(const SessionStarted&) const = default;
};
// Rotation: the previous refresh token of the session is spent from now on.
struct SessionRefreshed {
  Id session_id;
  Sha256Bytes refresh_sha256{};
  Timestamp expires_at = 0;
  bool operator==(const SessionRefreshed&) const = default;
};
// Persistent values: never renumber.
enum class RevokeReason { kLogout = 0, kRefreshReuse = 1 };
struct SessionRevoked {
  Id session_id;
  RevokeReason reason = RevokeReason::kLogout;
  bool operator==(const SessionRevoked&) const = default;
};
// PATCH /users/{id}: only the fields that changed are set. active=false
// revokes every session of the user.
struct UserUpdated {
  Id user_id;
  std::optional<std::string> name;  // personal data (sealed)
  std::optional<Role> role;
  std::optional<std::string> department;
  std::optional<bool> active;
  bool operator==(const UserUpdated&) const = default;
};

using AccountEvent = std::variant<PasswordSet, PasswordResetIssued, SessionStarted, SessionRefreshed,
                                  SessionRevoked, UserUpdated>;

// The persisted type tag ("session.started"). Persistent format: never rename.
std::string_view AccountEventTypeName(const AccountEvent& event);
// The user whose data key seals the event's personal text, if it has any.
std::optional<Id> AccountEventSealedUser(const AccountEvent& event);

}  // namespace ticketd::domain

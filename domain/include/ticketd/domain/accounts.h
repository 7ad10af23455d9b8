// Sign-in state of one tenant (passwords, reset grants, sessions) and the
// commands that change it, decided by DecideDirectory like every directory
// command. Pure: hashes, tokens, ids and times arrive in the command (the
// shell does the Argon2id work off the writer thread and draws the secrets).
//
// Sessions: a live session has one current refresh token hash; every
// earlier one of it is "spent". Presenting a spent one revokes the session
// (reuse detection). A revoked session is forgotten entirely (its access
// tokens find no session and are refused), so memory holds live sessions
// only; a user keeps at most kMaxSessionsPerUser, the oldest goes first.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ticketd/domain/account_events.h"

namespace ticketd::domain {

struct DomainEvent;

struct SessionState {
  Id user_id;
  Sha256Bytes refresh_sha256{};
  Timestamp expires_at = 0;
  std::vector<Sha256Bytes> spent;  // earlier refresh hashes, oldest first
};
struct ResetGrant {
  Id user_id;
  Timestamp expires_at = 0;
};

struct AccountState {
  std::unordered_map<Id, std::string, IdHash> password_hash;  // users with a password
  std::unordered_map<Id, SessionState, IdHash> sessions;       // live sessions only
  std::unordered_map<Id, std::vector<Id>, IdHash> sessions_of_user;  // start order
  std::map<Sha256Bytes, Id> refresh_owner;  // current and spent refresh hashes -> session
  std::map<Sha256Bytes, ResetGrant> resets;  // unspent reset grants
};

inline constexpr std::size_t kMaxSessionsPerUser = 50;
inline constexpr std::size_t kMinPasswordChars = 10;
inline constexpr std::size_t kMaxPasswordChars = 256;
inline constexpr std::size_t kMaxSlugChars = 40;
inline constexpr Timestamp kResetTokenLifetime = 24LL * 3600 * 1000000;         // 24 h
inline constexpr Timestamp kRefreshTokenLifetime = 30LL * 24 * 3600 * 1000000;  // 30 days, renewed on use

// Folds one account event; `event` gives the time. Unknown sessions and
// users are ignored (the deciders never emit such events).
void EvolveAccounts(AccountState& state, const DomainEvent& event, const AccountEvent& payload);
// Revokes every session and reset grant of the user (deactivation, erasure).
void RevokeUserCredentials(AccountState& state, const Id& user_id);

// ---- rules (pure, unit-tested) ----
// The contract's default slug: lower-cased, every run of other characters
// one '-', trimmed of '-', cut to 40 and trimmed again. May be < 2 chars.
std::string DeriveSlug(std::string_view name);
bool IsValidSlug(std::string_view slug);
// Login lookups: trimmed (ASCII space, tab, CR, LF) and lower-cased ASCII,
// the same folding as the directory's email uniqueness. Other bytes (e.g. a
// Cyrillic look-alike) are compared as they are, so they never match.
std::string NormalizeEmail(std::string_view email);

// ---- commands ----
// The user changes their own password (the shell verified the current one).
struct SetPassword {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  Id user_id;
  std::string password_hash;
};
// users:manage: a one-time reset token for a user of the tenant.
struct IssuePasswordReset {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  Id user_id;
  Sha256Bytes reset_sha256{};
};
// Anyone holding a live reset token.
struct ResetPassword {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  Sha256Bytes reset_sha256{};
  std::string password_hash;
};
// After a successful password verify: `verified_hash` is the hash the
// password was checked against (a concurrent change makes the login fail).
struct StartSession {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  Id user_id;
  Id session_id;
  std::string verified_hash;
  Sha256Bytes refresh_sha256{};
};
struct RefreshSession {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  Sha256Bytes presented_sha256{};
  Sha256Bytes refresh_sha256{};  // the new one
};
struct EndSession {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  Id session_id;
};
struct UpdateUser {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  Id user_id;
  std::optional<std::string> name;
  std::optional<Role> role;
  std::optional<std::string> department;
  std::optional<bool> active;
};

}  // namespace ticketd::domain

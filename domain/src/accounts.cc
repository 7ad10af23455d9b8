// Sign-in state: the fold of account events, the slug and email rules, and
// the event tags.
#include "ticketd/domain/accounts.h"

#include <algorithm>

#include "ticketd/domain/events.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::domain {
namespace {

bool IsSlugChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

void ForgetSession(AccountState& state, const Id& session_id) {
  auto session = state.sessions.find(session_id);
  if (session == state.sessions.end()) return;
  state.refresh_owner.erase(session->second.refresh_sha256);
  for (const Sha256Bytes& spent : session->second.spent) state.refresh_owner.erase(spent);
  auto list = state.sessions_of_user.find(session->second.user_id);
  if (list != state.sessions_of_user.end()) {
    std::erase(list->second, session_id);
    if (list->second.empty()) state.sessions_of_user.erase(list);
  }
  state.sessions.erase(session);
}

void StartSessionState(AccountState& state, const SessionStarted& e) {
  std::vector<Id>& list = state.sessions_of_user[e.user_id];
  list.push_back(e.session_id);
  state.sessions[e.session_id] = SessionState{e.user_id, e.refresh_sha256, e.expires_at, {}};
  state.refresh_owner[e.refresh_sha256] = e.session_id;
  // Bounded memory: the oldest session of the user makes room.
  while (state.sessions_of_user[e.user_id].size() > kMaxSessionsPerUser)
    ForgetSession(state, state.sessions_of_user[e.user_id].front());
}

void RotateSession(AccountState& state, const SessionRefreshed& e) {
  auto session = state.sessions.find(e.session_id);
  if (session == state.sessions.end()) return;
  session->second.spent.push_back(session->second.refresh_sha256);
  session->second.refresh_sha256 = e.refresh_sha256;
  session->second.expires_at = e.expires_at;
  state.refresh_owner[e.refresh_sha256] = e.session_id;
}

}  // namespace

void RevokeUserCredentials(AccountState& state, const Id& user_id) {
  if (auto list = state.sessions_of_user.find(user_id); list != state.sessions_of_user.end()) {
    std::vector<Id> ids = list->second;
    for (const Id& id : ids) ForgetSession(state, id);
  }
  std::erase_if(state.resets, [&](const auto& entry) { return entry.second.user_id == user_id; });
}

void EvolveAccounts(AccountState& state, const DomainEvent& event, const AccountEvent& payload) {
  std::visit(Overloaded{
                 [&](const PasswordSet& e) {
                   state.password_hash[e.user_id] = e.password_hash;
                   if (e.reset_sha256) RevokeUserCredentials(state, e.user_id);
                 },
                 [&](const PasswordResetIssued& e) {
                   std::erase_if(state.resets,
                                 [&](const auto& entry) { return entry.second.user_id == e.user_id; });
                   state.resets[e.reset_sha256] = ResetGrant{e.user_id, e.expires_at};
                 },
                 [&](const SessionStarted& e) { StartSessionState(state, e); },
                 [&](const SessionRefreshed& e) { RotateSession(state, e); },
                 [&](const SessionRevoked& e) { ForgetSession(state, e.session_id); },
                 [&](const UserUpdated& e) {
                   if (e.active == false) RevokeUserCredentials(state, e.user_id);
                 },
             },
             payload);
  (void)event;
}

std::string DeriveSlug(std::string_view name) {
  std::string slug;
  bool pending_dash = false;
  for (char raw : name) {
    char c = LowerAscii(raw);
    if (IsSlugChar(c)) {
      if (pending_dash && !slug.empty()) slug.push_back('-');
      pending_dash = false;
      slug.push_back(c);
    } else {
      pending_dash = true;
    }
  }
  if (slug.size() > kMaxSlugChars) slug.resize(kMaxSlugChars);
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug;
}

bool IsValidSlug(std::string_view slug) {
  if (slug.size() < 2 || slug.size() > kMaxSlugChars) return false;
  return std::all_of(slug.begin(), slug.end(), [](char c) { return IsSlugChar(c) || c == '-'; });
}

std::string NormalizeEmail(std::string_view email) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!email.empty() && blank(email.front())) email.remove_prefix(1);
  while (!email.empty() && blank(email.back())) email.remove_suffix(1);
  std::string out(email);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

std::string_view AccountEventTypeName(const AccountEvent& event) {
  return std::visit(Overloaded{
                        [](const PasswordSet&) { return std::string_view("user.password_set"); },
                        [](const PasswordResetIssued&) { return std::string_view("user.password_reset_issued"); },
                        [](const SessionStarted&) { return std::string_view("session.started"); },
                        [](const SessionRefreshed&) { return std::string_view("session.refreshed"); },
                        [](const SessionRevoked&) { return std::string_view("session.revoked"); },
                        [](const UserUpdated&) { return std::string_view("user.updated"); },
                    },
                    event);
}

std::optional<Id> AccountEventSealedUser(const AccountEvent& event) {
  return std::visit(Overloaded{
                        [](const PasswordSet& e) -> std::optional<Id> { return e.user_id; },
                        [](const UserUpdated& e) -> std::optional<Id> {
                          if (e.name) return e.user_id;
                          return std::nullopt;
                        },
                        [](const PasswordResetIssued&) -> std::optional<Id> { return std::nullopt; },
                        [](const SessionStarted&) -> std::optional<Id> { return std::nullopt; },
                        [](const SessionRefreshed&) -> std::optional<Id> { return std::nullopt; },
                        [](const SessionRevoked&) -> std::optional<Id> { return std::nullopt; },
                    },
                    event);
}

}  // namespace ticketd::domain

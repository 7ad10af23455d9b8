#include "ticketd/projections/account_codec.h"

namespace ticketd::projections {

void EncodeAccountState(BinaryWriter& out, const domain::AccountState& state) {
  out.U64(state.password_hash.size());
  for (const auto* entry : SortedEntries(state.password_hash)) {
    out.Id(entry->first);
    out.Bytes(entry->second);
  }
  // Sessions in each user's start order (eviction depends on it).
  out.U64(state.sessions_of_user.size());
  for (const auto* entry : SortedEntries(state.sessions_of_user)) {
    out.Id(entry->first);
    out.U64(entry->second.size());
    for (const domain::Id& session_id : entry->second) {
      const domain::SessionState& session = state.sessions.at(session_id);
      out.Id(session_id);
      out.Hash32(session.refresh_sha256);
      out.I64(session.expires_at);
      out.U64(session.spent.size());
      for (const auto& spent : session.spent) out.Hash32(spent);
    }
  }
  out.U64(state.resets.size());
  for (const auto& [hash, grant] : state.resets) {
    out.Hash32(hash);
    out.Id(grant.user_id);
    out.I64(grant.expires_at);
  }
}

bool DecodeAccountState(BinaryReader& in, domain::AccountState* state) {
  std::size_t count = 0;
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    domain::Id user_id;
    std::string hash;
    if (!in.Id(&user_id) || !in.Bytes(&hash)) return false;
    state->password_hash[user_id] = std::move(hash);
  }
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    domain::Id user_id;
    std::size_t sessions = 0;
    if (!in.Id(&user_id) || !in.Count(&sessions)) return false;
    std::vector<domain::Id>& list = state->sessions_of_user[user_id];
    for (std::size_t s = 0; s < sessions; ++s) {
      domain::Id session_id;
      domain::SessionState session{.user_id = user_id};
      std::size_t spent = 0;
      if (!in.Id(&session_id) || !in.Hash32(&session.refresh_sha256) || !in.I64(&session.expires_at) ||
          !in.Count(&spent))
        return false;
      session.spent.resize(spent);
      for (auto& hash : session.spent) {
        if (!in.Hash32(&hash)) return false;
        state->refresh_owner[hash] = session_id;
      }
      state->refresh_owner[session.refresh_sha256] = session_id;
      list.push_back(session_id);
      state->sessions[session_id] = std::move(session);
    }
  }
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    domain::Sha256Bytes hash;
    domain::ResetGrant grant;
    if (!in.Hash32(&hash) || !in.Id(&grant.user_id) || !in.I64(&grant.expires_at)) return false;
    state->resets[hash] = grant;
  }
  return true;
}

}  // namespace ticketd::projections

// Sign-in payloads: one encoder branch per AccountEvent alternative (no
// default, so a new one fails to compile until mapped), one decoder case per
// oneof field.
#include "account_payload_codec.h"

#include "id_text.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::eventstore {
namespace {

using namespace ticketd::domain;

std::string HashBytes(const Sha256Bytes& hash) {
  return std::string(reinterpret_cast<const char*>(hash.data()), hash.size());
}

bool ParseHash(const std::string& bytes, Sha256Bytes* out) {
  if (bytes.size() != out->size()) return false;
  std::copy(bytes.begin(), bytes.end(), out->begin());
  return true;
}

}  // namespace

void EncodeAccountPayload(const AccountEvent& event, TextSealer& text, v1::EventEnvelope* env) {
  std::visit(Overloaded{
                 [&](const PasswordSet& e) {
                   auto* p = env->mutable_password_set();
                   p->set_user_id(IdText(e.user_id));
                   text.Set(p->mutable_password_hash(), e.password_hash);
                   if (e.reset_sha256) p->set_reset_sha256(HashBytes(*e.reset_sha256));
                 },
                 [&](const PasswordResetIssued& e) {
                   auto* p = env->mutable_password_reset_issued();
                   p->set_user_id(IdText(e.user_id));
                   p->set_reset_sha256(HashBytes(e.reset_sha256));
                   p->set_expires_at_us(e.expires_at);
                 },
                 [&](const SessionStarted& e) {
                   auto* p = env->mutable_session_started();
                   p->set_session_id(IdText(e.session_id));
                   p->set_user_id(IdText(e.user_id));
                   p->set_refresh_sha256(HashBytes(e.refresh_sha256));
                   p->set_expires_at_us(e.expires_at);
                 },
                 [&](const SessionRefreshed& e) {
                   auto* p = env->mutable_session_refreshed();
                   p->set_session_id(IdText(e.session_id));
                   p->set_refresh_sha256(HashBytes(e.refresh_sha256));
                   p->set_expires_at_us(e.expires_at);
                 },
                 [&](const SessionRevoked& e) {
                   auto* p = env->mutable_session_revoked();
                   p->set_session_id(IdText(e.session_id));
                   p->set_reason(static_cast<v1::RevokeReason>(e.reason));
                 },
                 [&](const UserUpdated& e) {
                   auto* p = env->mutable_user_updated();
                   p->set_user_id(IdText(e.user_id));
                   if (e.name) text.Set(p->mutable_name(), *e.name);
                   if (e.role) p->set_role(static_cast<v1::Role>(*e.role));
                   if (e.department) p->set_department(*e.department);
                   if (e.active) p->set_active(*e.active);
                 },
             },
             event);
}

Status DecodeAccountPayload(const v1::EventEnvelope& env, TextOpener& text, EventPayload* payload) {
  bool ok = true;
  AccountEvent decoded;
  switch (env.payload_case()) {
    case v1::EventEnvelope::kPasswordSet: {
      const auto& p = env.password_set();
      PasswordSet e{.password_hash = text.Get(p.password_hash())};
      ok = ParseId(p.user_id(), &e.user_id);
      if (ok && p.has_reset_sha256()) ok = ParseHash(p.reset_sha256(), &e.reset_sha256.emplace());
      decoded = std::move(e);
      break;
    }
    case v1::EventEnvelope::kPasswordResetIssued: {
      const auto& p = env.password_reset_issued();
      PasswordResetIssued e{.expires_at = p.expires_at_us()};
      ok = ParseId(p.user_id(), &e.user_id) && ParseHash(p.reset_sha256(), &e.reset_sha256);
      decoded = e;
      break;
    }
    case v1::EventEnvelope::kSessionStarted: {
      const auto& p = env.session_started();
      SessionStarted e{.expires_at = p.expires_at_us()};
      ok = ParseId(p.session_id(), &e.session_id) && ParseId(p.user_id(), &e.user_id) &&
           ParseHash(p.refresh_sha256(), &e.refresh_sha256);
      decoded = e;
      break;
    }
    case v1::EventEnvelope::kSessionRefreshed: {
      const auto& p = env.session_refreshed();
      SessionRefreshed e{.expires_at = p.expires_at_us()};
      ok = ParseId(p.session_id(), &e.session_id) && ParseHash(p.refresh_sha256(), &e.refresh_sha256);
      decoded = e;
      break;
    }
    case v1::EventEnvelope::kSessionRevoked: {
      const auto& p = env.session_revoked();
      SessionRevoked e;
      ok = ParseId(p.session_id(), &e.session_id) &&
           (p.reason() == v1::REVOKE_LOGOUT || p.reason() == v1::REVOKE_REFRESH_REUSE);
      e.reason = static_cast<RevokeReason>(p.reason());
      decoded = e;
      break;
    }
    case v1::EventEnvelope::kUserUpdated: {
      const auto& p = env.user_updated();
      UserUpdated e;
      ok = ParseId(p.user_id(), &e.user_id);
      if (p.has_name()) e.name = text.Get(p.name());
      if (p.has_role()) {
        ok = ok && p.role() >= 0 && static_cast<std::size_t>(p.role()) < kAllRoles.size();
        e.role = static_cast<Role>(p.role());
      }
      if (p.has_department()) e.department = p.department();
      if (p.has_active()) e.active = p.active();
      decoded = std::move(e);
      break;
    }
    default:
      return Status::Corruption("not a sign-in payload");
  }
  if (!ok) return Status::Corruption("sign-in event payload has a malformed id, hash or enum value");
  *payload = std::move(decoded);
  return Status::Ok();
}

}  // namespace ticketd::eventstore

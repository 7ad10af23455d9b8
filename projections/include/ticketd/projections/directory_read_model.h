// DirectoryReadModel: tenants, users, assets and the token table, for
// authentication and the directory routes. Fed by the writer thread (Apply)
// after each synced batch; read from any thread. Token lookups go to one of
// 16 shards, each behind its own shared_mutex; tenants' users and assets
// behind a per-tenant shared_mutex. No global lock on the read path.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ticketd/domain/directory.h"
#include "ticketd/domain/events.h"
#include "ticketd/domain/types.h"
#include "ticketd/projections/binary_codec.h"

namespace ticketd::projections {

struct TenantInfo {
  domain::Id id;
  std::string name;
  std::string ticket_prefix;
  std::string slug;  // empty for tenants made before slugs
};

// Sign-in: what a login needs to know about a user.
struct LoginCandidate {
  domain::User user;
  std::string password_hash;  // empty: the user has no password
};

class DirectoryReadModel {
 public:
  DirectoryReadModel();
  ~DirectoryReadModel();
  DirectoryReadModel(const DirectoryReadModel&) = delete;
  DirectoryReadModel& operator=(const DirectoryReadModel&) = delete;

  // Writer thread only: TenantCreated, UserCreated, TokenIssued,
  // AssetCreated, AssetDeleted; other events are ignored.
  void Apply(const domain::DomainEvent& event);

  // The user a token hash belongs to, as an Actor (role, IT department).
  // The stored hash is compared in constant time. nullopt if unknown.
  std::optional<domain::Actor> Authenticate(const std::array<std::uint8_t, 32>& token_sha256) const;

  std::optional<TenantInfo> GetTenant(const domain::Id& tenant_id) const;
  // Every tenant, by id (mail out: the 07:00 digest run).
  std::vector<TenantInfo> ListTenants() const;
  std::optional<domain::User> GetUser(const domain::Id& tenant_id, const domain::Id& user_id) const;
  // Searches every tenant: for telling "other tenant" from "no such id".
  std::optional<domain::User> FindUserAnyTenant(const domain::Id& user_id) const;
  std::optional<domain::Asset> FindAssetAnyTenant(const domain::Id& asset_id) const;
  // Sorted by name, then id.
  std::vector<domain::User> ListUsers(const domain::Id& tenant_id) const;
  std::vector<domain::Asset> ListAssets(const domain::Id& tenant_id) const;

  // ---- access (issue 11): groups, settings, licence, alerts, API keys ----
  // The tenant's access state (a copy); nullopt for an unknown tenant.
  std::optional<domain::TenantAccess> GetAccess(const domain::Id& tenant_id) const;
  // workflow (issue 12): the tenant's SLA policies and auto-close setting (a
  // copy); nullopt for an unknown tenant.
  std::optional<domain::SlaSettings> GetSlaSettings(const domain::Id& tenant_id) const;
  bool FeatureEnabled(const domain::Id& tenant_id, domain::Feature feature) const;
  // Users holding tickets:manage (the max_agents usage).
  std::int64_t CountAgents(const domain::Id& tenant_id) const;
  // What an API key authenticates as: its creator as of now (role and
  // groups), with the key's id and scopes. nullopt for an unknown, revoked
  // or expired key, or a creator who was erased. Constant-time compare.
  struct ApiKeyCaller {
    domain::Actor actor;
    domain::Id key_id;
    domain::ScopeSet scopes;
  };
  std::optional<ApiKeyCaller> AuthenticateApiKey(const std::array<std::uint8_t, 32>& key_sha256,
                                                 domain::Timestamp now) const;
  struct TenantAlert {
    domain::Id tenant_id;
    domain::QuotaAlert alert;
  };
  // Every tenant's quota alerts, oldest first.
  std::vector<TenantAlert> ListAlerts() const;
  // ---- sign-in (thread-safe, O(1) under a shared lock) ----
  // The tenant whose slug is `slug_or_id`, else whose id it is.
  std::optional<domain::Id> ResolveTenant(std::string_view slug_or_id) const;
  // By NormalizeEmail()ed address; erased users are not found.
  std::optional<LoginCandidate> FindLogin(const domain::Id& tenant_id, std::string_view normalized_email) const;
  std::optional<std::string> PasswordHashOf(const domain::Id& tenant_id, const domain::Id& user_id) const;
  // The user of a live session as an Actor; nullopt if the session is
  // revoked or unknown, or the user inactive or erased.
  std::optional<domain::Actor> AuthenticateSession(const domain::Id& tenant_id, const domain::Id& user_id,
                                                   const domain::Id& session_id) const;
  // The (session, user) a current or spent refresh token hash belongs to.
  std::optional<std::pair<domain::Id, domain::Id>> FindRefresh(const domain::Id& tenant_id,
                                                               const domain::Sha256Bytes& refresh_sha256) const;
  // Whether a reset token hash is unspent and unexpired at `now`.
  bool ResetGrantLive(const domain::Id& tenant_id, const domain::Sha256Bytes& reset_sha256,
                      domain::Timestamp now) const;

  // Canonical serialization (binary_codec.h): equal content, equal bytes.
  // It is also this model's snapshot body; DecodeSnapshot loads one into an
  // empty model (writer thread, before any Apply) and returns false if the
  // bytes do not parse.
  void EncodeCanonical(BinaryWriter& out) const;
  [[nodiscard]] bool DecodeSnapshot(BinaryReader& in);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketd::projections

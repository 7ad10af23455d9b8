// DirectoryReadModel: tenants, users, assets per tenant, and the token table.
#include "ticketd/projections/directory_read_model.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <shared_mutex>
#include <unordered_map>

#include "tenant_partitions.h"
#include "ticketd/projections/access_codec.h"
#include "ticketd/domain/accounts.h"
#include "ticketd/projections/account_codec.h"
#include "ticketd/projections/sla_codec.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::projections {
namespace {

using domain::Id;
using TokenHash = std::array<std::uint8_t, 32>;

struct TokenHashHasher {
  std::size_t operator()(const TokenHash& h) const noexcept {
    std::size_t v;
    std::memcpy(&v, h.data(), sizeof v);
    return v;
  }
};

struct TenantDirectory {
  std::optional<TenantInfo> info;
  std::unordered_map<Id, domain::User, domain::IdHash> users;
  std::unordered_map<Id, domain::Asset, domain::IdHash> assets;
  domain::TenantAccess access;
  // ---- sign-in ----
  std::unordered_map<std::string, Id> user_by_email;  // NormalizeEmail'd, live users only
  domain::AccountState accounts;
  domain::SlaSettings sla;  // workflow: SLA policies, auto-close
};

bool CanAuthenticate(const domain::User& user) { return !user.erased_at && user.active; }

// The directory side of an account event: user fields, then the sessions.
void ApplyAccountEvent(TenantDirectory& d, const domain::DomainEvent& event, const domain::AccountEvent& payload) {
  if (const auto* updated = std::get_if<domain::UserUpdated>(&payload)) {
    if (auto user = d.users.find(updated->user_id); user != d.users.end()) {
      if (updated->name) user->second.name = *updated->name;
      if (updated->role) user->second.role = *updated->role;
      if (updated->department) user->second.department = *updated->department;
      if (updated->active) user->second.active = *updated->active;
    }
  }
  domain::EvolveAccounts(d.accounts, event, payload);
}

// Token hash -> user, sharded by the hash's first byte.
class TokenTable {
 public:
  void Put(const TokenHash& hash, const Id& tenant_id, const Id& user_id) {
    Shard& shard = shards_[hash[0] % kShards];
    std::unique_lock lock(shard.mu);
    shard.tokens[hash] = {tenant_id, user_id};
  }
  // Every (hash, tenant, user), sorted by hash.
  std::vector<std::pair<TokenHash, std::pair<Id, Id>>> All() const {
    std::vector<std::pair<TokenHash, std::pair<Id, Id>>> all;
    for (const Shard& shard : shards_) {
      std::shared_lock lock(shard.mu);
      all.insert(all.end(), shard.tokens.begin(), shard.tokens.end());
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return all;
  }
  std::optional<std::pair<Id, Id>> Find(const TokenHash& hash) const {
    const Shard& shard = shards_[hash[0] % kShards];
    std::shared_lock lock(shard.mu);
    auto it = shard.tokens.find(hash);
    if (it == shard.tokens.end()) return std::nullopt;
    // The map compared the hash already; compare again in constant time so no
    // early-exit comparison of secret-derived bytes decides the answer.
    if (CRYPTO_memcmp(it->first.data(), hash.data(), hash.size()) != 0) return std::nullopt;
    return it->second;
  }

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    mutable std::shared_mutex mu;
    std::unordered_map<TokenHash, std::pair<Id, Id>, TokenHashHasher> tokens;
  };
  std::array<Shard, kShards> shards_;
};

bool IsAccessEvent(const domain::EventPayload& payload) {
  return std::holds_alternative<domain::PermissionGroupCreated>(payload) ||
         std::holds_alternative<domain::PermissionGroupMemberAdded>(payload) ||
         std::holds_alternative<domain::PermissionGroupMemberRemoved>(payload) ||
         std::holds_alternative<domain::SettingsChanged>(payload) ||
         std::holds_alternative<domain::LicenseChanged>(payload) ||
         std::holds_alternative<domain::QuotaAlertRaised>(payload) ||
         std::holds_alternative<domain::ApiKeyCreated>(payload) ||
         std::holds_alternative<domain::ApiKeyRevoked>(payload) || std::holds_alternative<domain::ApiKeyUsage>(payload);
}

}  // namespace

struct DirectoryReadModel::Impl {
  TenantPartitions<TenantDirectory> tenants;
  TokenTable tokens;
  TokenTable api_keys;  // key hash -> (tenant, key id)
  mutable std::shared_mutex global_mu;  // user/asset id -> tenant, for FindXAnyTenant
  std::unordered_map<Id, Id, domain::IdHash> user_tenant, asset_tenant;
  std::unordered_map<std::string, Id> tenant_by_slug;  // under global_mu
};

DirectoryReadModel::DirectoryReadModel() : impl_(std::make_unique<Impl>()) {}
DirectoryReadModel::~DirectoryReadModel() = default;

void DirectoryReadModel::Apply(const domain::DomainEvent& event) {
  const Id& tenant_id = event.tenant_id;
  auto remember = [&](std::unordered_map<Id, Id, domain::IdHash>& map, const Id& id, bool add) {
    std::unique_lock lock(impl_->global_mu);
    if (add) {
      map[id] = tenant_id;
    } else {
      map.erase(id);
    }
  };
  domain::VisitDirectoryEvent(
      event.payload,
      Overloaded{
          [&](const domain::TenantCreated& e) {
            impl_->tenants.Write(tenant_id, [&](TenantDirectory& d) {
              d.info = TenantInfo{e.tenant_id, e.name, e.ticket_prefix, e.slug};
            });
            if (!e.slug.empty()) {
              std::unique_lock lock(impl_->global_mu);
              impl_->tenant_by_slug[e.slug] = e.tenant_id;
            }
          },
          [&](const domain::UserCreated& e) {
            impl_->tenants.Write(tenant_id, [&](TenantDirectory& d) {
              d.users[e.user_id] = domain::User{e.user_id, tenant_id, e.name, e.email, e.role, e.department};
              d.user_by_email[domain::NormalizeEmail(e.email)] = e.user_id;
            });
            remember(impl_->user_tenant, e.user_id, true);
          },
          [&](const domain::TokenIssued& e) { impl_->tokens.Put(e.token_sha256, tenant_id, e.user_id); },
          [&](const domain::AssetCreated& e) {
            impl_->tenants.Write(tenant_id, [&](TenantDirectory& d) {
              d.assets[e.asset_id] = domain::Asset{e.asset_id, tenant_id, e.name, e.kind};
            });
            remember(impl_->asset_tenant, e.asset_id, true);
          },
          [&](const domain::AssetDeleted& e) {
            impl_->tenants.Write(tenant_id, [&](TenantDirectory& d) { d.assets.erase(e.asset_id); });
            remember(impl_->asset_tenant, e.asset_id, false);
          },
          // access (issue 11): folded by EvolveAccess below; keys also enter the key table
          [](const domain::PermissionGroupCreated&) {},
          [](const domain::PermissionGroupMemberAdded&) {},
          [](const domain::PermissionGroupMemberRemoved&) {},
          [](const domain::SettingsChanged&) {},
          [](const domain::LicenseChanged&) {},
          [](const domain::QuotaAlertRaised&) {},
          [&](const domain::ApiKeyCreated& e) { impl_->api_keys.Put(e.key_sha256, tenant_id, e.key_id); },
          [](const domain::ApiKeyRevoked&) {},
          [](const domain::ApiKeyUsage&) {},
          [](const domain::WorkflowEvent&) {},  // workflow (issue 12): the CatalogReadModel's
          [](const domain::MailEvent&) {},  // mail out: the mailer reads templates itself
          [&](const domain::AccountEvent& e) {
            impl_->tenants.Write(tenant_id, [&](TenantDirectory& d) { ApplyAccountEvent(d, event, e); });
          },
          [&](const domain::SlaDirectoryEvent& e) {
            impl_->tenants.Write(tenant_id, [&](TenantDirectory& d) { domain::EvolveSlaSettings(d.sla, e); });
          },
          [&](const domain::UserErased& e) {
            impl_->tenants.Write(tenant_id, [&](TenantDirectory& d) {
              auto user = d.users.find(e.user_id);
              if (user == d.users.end()) return;
              auto by_email = d.user_by_email.find(domain::NormalizeEmail(user->second.email));
              if (by_email != d.user_by_email.end() && by_email->second == e.user_id) d.user_by_email.erase(by_email);
              domain::RevokeUserCredentials(d.accounts, e.user_id);
              d.accounts.password_hash.erase(e.user_id);
              user->second.name = domain::kErasedText;
              user->second.email = domain::kErasedText;
              user->second.erased_at = event.at;
            });
          },
      });
  if (IsAccessEvent(event.payload))
    impl_->tenants.Write(tenant_id, [&](TenantDirectory& d) { domain::EvolveAccess(d.access, event); });
}

std::optional<domain::Actor> DirectoryReadModel::Authenticate(const TokenHash& token_sha256) const {
  auto owner = impl_->tokens.Find(token_sha256);
  if (!owner) return std::nullopt;
  std::optional<domain::Actor> actor;
  impl_->tenants.Read(owner->first, [&](const TenantDirectory& d) {
    auto user = d.users.find(owner->second);
    // An erased or deactivated user's tokens stop working.
    if (user != d.users.end() && CanAuthenticate(user->second)) actor = domain::ActorOf(d.access, user->second);
  });
  return actor;
}

std::vector<TenantInfo> DirectoryReadModel::ListTenants() const {
  std::vector<TenantInfo> tenants;
  impl_->tenants.ForEachSorted([&](const Id&, const TenantDirectory& d) {
    if (d.info) tenants.push_back(*d.info);
  });
  return tenants;
}

std::optional<TenantInfo> DirectoryReadModel::GetTenant(const Id& tenant_id) const {
  std::optional<TenantInfo> info;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) { info = d.info; });
  return info;
}

std::optional<domain::User> DirectoryReadModel::GetUser(const Id& tenant_id, const Id& user_id) const {
  std::optional<domain::User> user;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) {
    if (auto it = d.users.find(user_id); it != d.users.end()) user = it->second;
  });
  return user;
}

std::optional<domain::User> DirectoryReadModel::FindUserAnyTenant(const Id& user_id) const {
  Id tenant_id;
  {
    std::shared_lock lock(impl_->global_mu);
    auto it = impl_->user_tenant.find(user_id);
    if (it == impl_->user_tenant.end()) return std::nullopt;
    tenant_id = it->second;
  }
  return GetUser(tenant_id, user_id);
}

std::optional<domain::Asset> DirectoryReadModel::FindAssetAnyTenant(const Id& asset_id) const {
  Id tenant_id;
  {
    std::shared_lock lock(impl_->global_mu);
    auto it = impl_->asset_tenant.find(asset_id);
    if (it == impl_->asset_tenant.end()) return std::nullopt;
    tenant_id = it->second;
  }
  std::optional<domain::Asset> asset;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) {
    if (auto it = d.assets.find(asset_id); it != d.assets.end()) asset = it->second;
  });
  return asset;
}

std::vector<domain::User> DirectoryReadModel::ListUsers(const Id& tenant_id) const {
  std::vector<domain::User> users;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) {
    for (const auto& [id, user] : d.users) users.push_back(user);
  });
  std::sort(users.begin(), users.end(),
            [](const auto& a, const auto& b) { return a.name != b.name ? a.name < b.name : a.id < b.id; });
  return users;
}

std::vector<domain::Asset> DirectoryReadModel::ListAssets(const Id& tenant_id) const {
  std::vector<domain::Asset> assets;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) {
    for (const auto& [id, asset] : d.assets) assets.push_back(asset);
  });
  std::sort(assets.begin(), assets.end(),
            [](const auto& a, const auto& b) { return a.name != b.name ? a.name < b.name : a.id < b.id; });
  return assets;
}

std::optional<domain::SlaSettings> DirectoryReadModel::GetSlaSettings(const Id& tenant_id) const {
  std::optional<domain::SlaSettings> sla;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) {
    if (d.info) sla = d.sla;
  });
  return sla;
}

std::optional<domain::TenantAccess> DirectoryReadModel::GetAccess(const Id& tenant_id) const {
  std::optional<domain::TenantAccess> access;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) {
    if (d.info) access = d.access;
  });
  return access;
}

bool DirectoryReadModel::FeatureEnabled(const Id& tenant_id, domain::Feature feature) const {
  bool enabled = false;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) { enabled = d.access.Enabled(feature); });
  return enabled;
}

std::int64_t DirectoryReadModel::CountAgents(const Id& tenant_id) const {
  std::int64_t agents = 0;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) { agents = domain::CountAgents(d.users, d.access); });
  return agents;
}

std::optional<DirectoryReadModel::ApiKeyCaller> DirectoryReadModel::AuthenticateApiKey(
    const TokenHash& key_sha256, domain::Timestamp now) const {
  auto owner = impl_->api_keys.Find(key_sha256);
  if (!owner) return std::nullopt;
  std::optional<ApiKeyCaller> caller;
  impl_->tenants.Read(owner->first, [&](const TenantDirectory& d) {
    auto key = d.access.api_keys.find(owner->second);
    if (key == d.access.api_keys.end() || key->second.revoked) return;
    if (key->second.expires_at && *key->second.expires_at <= now) return;
    auto creator = d.users.find(key->second.created_by);
    if (creator == d.users.end() || !CanAuthenticate(creator->second)) return;
    caller = ApiKeyCaller{domain::ActorOf(d.access, creator->second), key->first, key->second.scopes};
  });
  return caller;
}

std::vector<DirectoryReadModel::TenantAlert> DirectoryReadModel::ListAlerts() const {
  std::vector<TenantAlert> alerts;
  impl_->tenants.ForEachSorted([&](const Id& tenant_id, const TenantDirectory& d) {
    for (const domain::QuotaAlert& alert : d.access.alerts) alerts.push_back(TenantAlert{tenant_id, alert});
  });
  std::stable_sort(alerts.begin(), alerts.end(),
                   [](const TenantAlert& a, const TenantAlert& b) { return a.alert.at < b.alert.at; });
  return alerts;
}

}  // namespace ticketd::projections

namespace ticketd::projections {
namespace {

template <class Value>
std::vector<const Value*> SortedById(const std::unordered_map<Id, Value, domain::IdHash>& map) {
  std::vector<const Value*> sorted;
  sorted.reserve(map.size());
  for (const auto& [id, value] : map) sorted.push_back(&value);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->id < b->id; });
  return sorted;
}

}  // namespace

void DirectoryReadModel::EncodeCanonical(BinaryWriter& out) const {
  impl_->tenants.ForEachSorted([&](const Id& tenant_id, const TenantDirectory& d) {
    out.Bool(true);  // one more tenant follows
    out.Id(tenant_id);
    out.Bool(d.info.has_value());
    if (d.info) {
      out.Id(d.info->id);
      out.Bytes(d.info->name);
      out.Bytes(d.info->ticket_prefix);
      out.Bytes(d.info->slug);
    }
    out.U64(d.users.size());
    for (const domain::User* user : SortedById(d.users)) {
      out.Id(user->id);
      out.Bytes(user->name);
      out.Bytes(user->email);
      out.U64(static_cast<std::uint64_t>(user->role));
      out.Bytes(user->department);
      out.OptionalI64(user->erased_at);
      out.Bool(user->active);
    }
    out.U64(d.assets.size());
    for (const domain::Asset* asset : SortedById(d.assets)) {
      out.Id(asset->id);
      out.Bytes(asset->name);
      out.Bytes(asset->kind);
    }
    EncodeTenantAccess(out, d.access);
    EncodeAccountState(out, d.accounts);
    EncodeSlaSettings(out, d.sla);
  });
  out.Bool(false);
  auto tokens = impl_->tokens.All();
  out.U64(tokens.size());
  for (const auto& [hash, owner] : tokens) {
    out.Hash32(hash);
    out.Id(owner.first);
    out.Id(owner.second);
  }
}

bool DirectoryReadModel::DecodeSnapshot(BinaryReader& in) {
  for (bool more = false;;) {
    if (!in.Bool(&more)) return false;
    if (!more) break;
    Id tenant_id;
    bool has_info = false;
    std::optional<TenantInfo> info;
    if (!in.Id(&tenant_id) || !in.Bool(&has_info)) return false;
    if (has_info) {
      info.emplace();
      if (!in.Id(&info->id) || !in.Bytes(&info->name) || !in.Bytes(&info->ticket_prefix) ||
          !in.Bytes(&info->slug))
        return false;
    }
    std::size_t user_count = 0, asset_count = 0;
    std::vector<domain::User> users;
    if (!in.Count(&user_count)) return false;
    users.resize(user_count);
    for (domain::User& u : users) {
      u.tenant_id = tenant_id;
      if (!in.Id(&u.id) || !in.Bytes(&u.name) || !in.Bytes(&u.email) || !in.DomainEnum(&u.role) ||
          !in.Bytes(&u.department) || !in.OptionalI64(&u.erased_at) || !in.Bool(&u.active))
        return false;
    }
    std::vector<domain::Asset> assets;
    if (!in.Count(&asset_count)) return false;
    assets.resize(asset_count);
    for (domain::Asset& a : assets) {
      a.tenant_id = tenant_id;
      if (!in.Id(&a.id) || !in.Bytes(&a.name) || !in.Bytes(&a.kind)) return false;
    }
    domain::TenantAccess access;
    if (!DecodeTenantAccess(in, &access)) return false;
    domain::AccountState accounts;
    if (!DecodeAccountState(in, &accounts)) return false;
    domain::SlaSettings sla;
    if (!DecodeSlaSettings(in, &sla)) return false;
    {
      std::unique_lock lock(impl_->global_mu);
      for (const domain::User& u : users) impl_->user_tenant[u.id] = tenant_id;
      for (const domain::Asset& a : assets) impl_->asset_tenant[a.id] = tenant_id;
      if (info && !info->slug.empty()) impl_->tenant_by_slug[info->slug] = tenant_id;
    }
    impl_->tenants.Write(tenant_id, [&](TenantDirectory& d) {
      d.info = std::move(info);
      for (const domain::User& u : users)
        if (!u.erased_at) d.user_by_email[domain::NormalizeEmail(u.email)] = u.id;
      for (domain::User& u : users) d.users.emplace(u.id, std::move(u));
      d.accounts = std::move(accounts);
      for (domain::Asset& a : assets) d.assets.emplace(a.id, std::move(a));
      for (const auto& [key_id, key] : access.api_keys) impl_->api_keys.Put(key.key_sha256, tenant_id, key_id);
      d.access = std::move(access);
      d.sla = std::move(sla);
    });
  }
  std::size_t token_count = 0;
  if (!in.Count(&token_count)) return false;
  for (std::size_t i = 0; i < token_count; ++i) {
    TokenHash hash;
    Id tenant_id, user_id;
    if (!in.Hash32(&hash) || !in.Id(&tenant_id) || !in.Id(&user_id)) return false;
    impl_->tokens.Put(hash, tenant_id, user_id);
  }
  return true;
}

}  // namespace ticketd::projections

// ---- sign-in ----
namespace ticketd::projections {

std::optional<Id> DirectoryReadModel::ResolveTenant(std::string_view slug_or_id) const {
  {
    std::shared_lock lock(impl_->global_mu);
    if (auto it = impl_->tenant_by_slug.find(std::string(slug_or_id)); it != impl_->tenant_by_slug.end())
      return it->second;
  }
  std::optional<Id> id = Id::Parse(slug_or_id);
  if (id && GetTenant(*id)) return id;
  return std::nullopt;
}

std::optional<LoginCandidate> DirectoryReadModel::FindLogin(const Id& tenant_id,
                                                            std::string_view normalized_email) const {
  std::optional<LoginCandidate> found;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) {
    auto id = d.user_by_email.find(std::string(normalized_email));
    if (id == d.user_by_email.end()) return;
    auto user = d.users.find(id->second);
    if (user == d.users.end()) return;
    found.emplace();
    found->user = user->second;
    if (auto hash = d.accounts.password_hash.find(id->second); hash != d.accounts.password_hash.end())
      found->password_hash = hash->second;
  });
  return found;
}

std::optional<std::string> DirectoryReadModel::PasswordHashOf(const Id& tenant_id, const Id& user_id) const {
  std::optional<std::string> hash;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) {
    if (auto it = d.accounts.password_hash.find(user_id); it != d.accounts.password_hash.end()) hash = it->second;
  });
  return hash;
}

std::optional<domain::Actor> DirectoryReadModel::AuthenticateSession(const Id& tenant_id, const Id& user_id,
                                                                     const Id& session_id) const {
  std::optional<domain::Actor> actor;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) {
    auto session = d.accounts.sessions.find(session_id);
    if (session == d.accounts.sessions.end() || session->second.user_id != user_id) return;
    auto user = d.users.find(user_id);
    if (user == d.users.end() || !CanAuthenticate(user->second)) return;
    actor = domain::ActorOf(d.access, user->second);
  });
  return actor;
}

std::optional<std::pair<Id, Id>> DirectoryReadModel::FindRefresh(const Id& tenant_id,
                                                                 const domain::Sha256Bytes& refresh_sha256) const {
  std::optional<std::pair<Id, Id>> found;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) {
    auto owner = d.accounts.refresh_owner.find(refresh_sha256);
    if (owner == d.accounts.refresh_owner.end()) return;
    found.emplace(owner->second, d.accounts.sessions.at(owner->second).user_id);
  });
  return found;
}

bool DirectoryReadModel::ResetGrantLive(const Id& tenant_id, const domain::Sha256Bytes& reset_sha256,
                                        domain::Timestamp now) const {
  bool live = false;
  impl_->tenants.Read(tenant_id, [&](const TenantDirectory& d) {
    auto grant = d.accounts.resets.find(reset_sha256);
    live = grant != d.accounts.resets.end() && grant->second.expires_at > now;
  });
  return live;
}

}  // namespace ticketd::projections

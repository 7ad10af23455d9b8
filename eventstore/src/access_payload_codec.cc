#include "access_payload_codec.h"

#include "id_text.h"

namespace ticketd::eventstore {
namespace {

using namespace ticketd::domain;

template <class Field>
void SetNames(const std::vector<std::string_view>& names, Field* field) {
  for (std::string_view name : names) field->Add(std::string(name));
}

std::vector<std::string_view> FeatureNames(FeatureSet set) {
  std::vector<std::string_view> names;
  for (const FeatureRow& row : kFeatures)
    if (set.Has(row.feature)) names.push_back(row.name);
  return names;
}

// Names -> set through `parse`; false on an unknown name.
template <class Set, class Parse, class Field>
bool ParseNames(const Field& field, Parse parse, Set* set, bool add = true) {
  for (const std::string& name : field) {
    auto value = parse(name);
    if (!value) return false;
    if constexpr (std::is_same_v<Set, PermissionSet>) {
      *set |= PermissionSet{*value};
    } else {
      set->Set(*value, add);
    }
  }
  return true;
}

std::string HashBytes(const std::array<std::uint8_t, 32>& hash) {
  return std::string(reinterpret_cast<const char*>(hash.data()), hash.size());
}

}  // namespace

void EncodeAccess(const PermissionGroupCreated& e, v1::EventEnvelope* env) {
  auto* p = env->mutable_permission_group_created();
  p->set_group_id(IdText(e.group_id));
  p->set_name(e.name);
  SetNames(e.permissions.Names(), p->mutable_permissions());
  p->set_system(e.system);
}
void EncodeAccess(const PermissionGroupMemberAdded& e, v1::EventEnvelope* env) {
  auto* p = env->mutable_permission_group_member_added();
  p->set_group_id(IdText(e.group_id));
  p->set_user_id(IdText(e.user_id));
}
void EncodeAccess(const PermissionGroupMemberRemoved& e, v1::EventEnvelope* env) {
  auto* p = env->mutable_permission_group_member_removed();
  p->set_group_id(IdText(e.group_id));
  p->set_user_id(IdText(e.user_id));
}
void EncodeAccess(const SettingsChanged& e, v1::EventEnvelope* env) {
  SetNames(FeatureNames(e.enabled), env->mutable_settings_changed()->mutable_enabled_features());
}
void EncodeAccess(const LicenseChanged& e, v1::EventEnvelope* env) {
  auto* p = env->mutable_license_changed();
  SetNames(FeatureNames(e.licensed), p->mutable_licensed_features());
  for (const QuotaRow& row : kQuotas) {
    auto* q = p->add_quotas();
    q->set_quota(std::string(row.name));
    if (e.quotas[row.quota]) q->set_limit(*e.quotas[row.quota]);
  }
}
void EncodeAccess(const QuotaAlertRaised& e, v1::EventEnvelope* env) {
  auto* p = env->mutable_quota_alert_raised();
  p->set_quota(std::string(ToString(e.quota)));
  p->set_limit(e.limit);
  p->set_current(e.current);
}
void EncodeAccess(const ApiKeyCreated& e, v1::EventEnvelope* env) {
  auto* p = env->mutable_api_key_created();
  p->set_key_id(IdText(e.key_id));
  p->set_name(e.name);
  SetNames(ScopeNames(e.scopes), p->mutable_scopes());
  p->set_key_sha256(HashBytes(e.key_sha256));
  if (e.expires_at) p->set_expires_at_us(*e.expires_at);
}
void EncodeAccess(const ApiKeyRevoked& e, v1::EventEnvelope* env) {
  env->mutable_api_key_revoked()->set_key_id(IdText(e.key_id));
}
void EncodeAccess(const ApiKeyUsage& e, v1::EventEnvelope* env) {
  auto* p = env->mutable_api_key_usage();
  p->set_key_id(IdText(e.key_id));
  p->set_day(e.day);
  p->set_requests(e.requests);
  p->set_last_used_at_us(e.last_used_at);
}

bool DecodeAccess(const v1::EventEnvelope& env, EventPayload* payload, bool* ok) {
  switch (env.payload_case()) {
    case v1::EventEnvelope::kPermissionGroupCreated: {
      const auto& p = env.permission_group_created();
      PermissionGroupCreated e{.name = p.name(), .system = p.system()};
      *ok = ParseId(p.group_id(), &e.group_id) && ParseNames(p.permissions(), ParsePermission, &e.permissions);
      *payload = std::move(e);
      return true;
    }
    case v1::EventEnvelope::kPermissionGroupMemberAdded: {
      const auto& p = env.permission_group_member_added();
      PermissionGroupMemberAdded e;
      *ok = ParseId(p.group_id(), &e.group_id) && ParseId(p.user_id(), &e.user_id);
      *payload = e;
      return true;
    }
    case v1::EventEnvelope::kPermissionGroupMemberRemoved: {
      const auto& p = env.permission_group_member_removed();
      PermissionGroupMemberRemoved e;
      *ok = ParseId(p.group_id(), &e.group_id) && ParseId(p.user_id(), &e.user_id);
      *payload = e;
      return true;
    }
    case v1::EventEnvelope::kSettingsChanged: {
      SettingsChanged e;
      *ok = ParseNames(env.settings_changed().enabled_features(), ParseFeature, &e.enabled);
      *payload = e;
      return true;
    }
    case v1::EventEnvelope::kLicenseChanged: {
      const auto& p = env.license_changed();
      LicenseChanged e;
      *ok = ParseNames(p.licensed_features(), ParseFeature, &e.licensed);
      for (const auto& q : p.quotas()) {
        auto quota = ParseQuota(q.quota());
        if (!quota) *ok = false;
        if (quota && q.has_limit()) e.quotas[*quota] = q.limit();
      }
      *payload = e;
      return true;
    }
    case v1::EventEnvelope::kQuotaAlertRaised: {
      const auto& p = env.quota_alert_raised();
      QuotaAlertRaised e{.limit = p.limit(), .current = p.current()};
      auto quota = ParseQuota(p.quota());
      *ok = quota.has_value();
      if (quota) e.quota = *quota;
      *payload = e;
      return true;
    }
    case v1::EventEnvelope::kApiKeyCreated: {
      const auto& p = env.api_key_created();
      ApiKeyCreated e{.name = p.name()};
      *ok = ParseId(p.key_id(), &e.key_id) && ParseNames(p.scopes(), ParseApiScope, &e.scopes) &&
            p.key_sha256().size() == 32;
      if (*ok) std::copy(p.key_sha256().begin(), p.key_sha256().end(), e.key_sha256.begin());
      if (p.has_expires_at_us()) e.expires_at = p.expires_at_us();
      *payload = std::move(e);
      return true;
    }
    case v1::EventEnvelope::kApiKeyRevoked: {
      ApiKeyRevoked e;
      *ok = ParseId(env.api_key_revoked().key_id(), &e.key_id);
      *payload = e;
      return true;
    }
    case v1::EventEnvelope::kApiKeyUsage: {
      const auto& p = env.api_key_usage();
      ApiKeyUsage e{.day = p.day(), .requests = p.requests(), .last_used_at = p.last_used_at_us()};
      *ok = ParseId(p.key_id(), &e.key_id);
      *payload = e;
      return true;
    }
    default:
      return false;
  }
}

}  // namespace ticketd::eventstore

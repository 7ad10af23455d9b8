#include "ticketd/domain/iso_duration.h"
#include "access_json.h"

#include "ticketd/domain/time.h"
#include "ticketd/projections/views.h"

namespace ticketd::api {

using projections::JsonWriter;
using projections::WriteOptionalTime;

namespace {


void WriteNames(JsonWriter& json, const std::vector<std::string_view>& names) {
  json.BeginArray();
  for (std::string_view name : names) json.String(name);
  json.EndArray();
}

}  // namespace

void WritePermissionGroup(JsonWriter& json, const domain::PermissionGroup& group) {
  json.BeginObject().Key("id").String(group.id.ToString()).Key("name").String(group.name);
  json.Key("permissions");
  WriteNames(json, group.permissions.Names());
  json.Key("member_ids").BeginArray();
  for (const domain::Id& member : group.members) json.String(member.ToString());
  json.EndArray();
  json.Key("system").Bool(group.system).EndObject();
}

void WriteFeatures(JsonWriter& json, domain::FeatureSet set) {
  json.BeginObject();
  for (const domain::FeatureRow& row : domain::kFeatures) json.Key(row.name).Bool(set.Has(row.feature));
  json.EndObject();
}

void WriteQuotas(JsonWriter& json, const domain::Quotas& quotas) {
  json.BeginObject();
  for (const domain::QuotaRow& row : domain::kQuotas) {
    json.Key(row.name);
    if (quotas[row.quota]) {
      json.Int(*quotas[row.quota]);
    } else {
      json.Null();
    }
  }
  json.EndObject();
}

std::string SettingsJson(const domain::TenantAccess& access, std::int64_t agents, std::int64_t emails_this_month,
                         const domain::ReopenPolicy& closed_reopen,
                         std::optional<std::int64_t> auto_close_resolved_after) {
  JsonWriter json;
  json.BeginObject().Key("features");
  WriteFeatures(json, access.enabled);
  json.Key("quotas");
  WriteQuotas(json, access.quotas);
  json.Key("usage").BeginObject().Key("agents").Int(agents).Key("emails_this_month").Int(emails_this_month);
  json.EndObject();
  json.Key("license").BeginObject().Key("features");
  WriteFeatures(json, access.licensed);
  json.EndObject();
  json.Key("closed_reopen").String(domain::ToString(closed_reopen));  // workflow (issue 12)
  json.Key("auto_close_resolved_after");  // workflow (issue 12, wf-sla): null = never
  if (auto_close_resolved_after) {
    json.String(domain::FormatIsoDuration(*auto_close_resolved_after));
  } else {
    json.Null();
  }
  json.EndObject();
  return json.Take();
}

std::string LicenseJson(const domain::TenantAccess& access) {
  JsonWriter json;
  json.BeginObject().Key("features");
  WriteFeatures(json, access.licensed);
  json.Key("quotas");
  WriteQuotas(json, access.quotas);
  json.EndObject();
  return json.Take();
}

void WriteApiKey(JsonWriter& json, const domain::ApiKey& key, std::optional<domain::Timestamp> last_used_at) {
  json.BeginObject().Key("id").String(key.id.ToString()).Key("name").String(key.name);
  json.Key("scopes");
  WriteNames(json, domain::ScopeNames(key.scopes));
  json.Key("created_by").String(key.created_by.ToString());
  json.Key("created_at").String(domain::FormatRfc3339(key.created_at));
  json.Key("expires_at");
  WriteOptionalTime(json, key.expires_at);
  json.Key("last_used_at");
  WriteOptionalTime(json, last_used_at);
  json.EndObject();
}

std::string DayText(std::int64_t day) { return domain::FormatRfc3339(day * domain::kMicrosPerDay).substr(0, 10); }

}  // namespace ticketd::api

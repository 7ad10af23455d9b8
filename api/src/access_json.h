// JSON for the access routes (ACCESS.md): permission groups, settings,
// licence, API keys. Pure functions over domain values; thread-safe.
#pragma once

#include <string>

#include "ticketd/domain/access.h"
#include "ticketd/projections/json_writer.h"

namespace ticketd::api {

void WritePermissionGroup(projections::JsonWriter& json, const domain::PermissionGroup& group);
// {agent_portal: true, ...}: every feature, whether it is in `set`.
void WriteFeatures(projections::JsonWriter& json, domain::FeatureSet set);
// {max_agents: N|null, max_emails_month: N|null}
void WriteQuotas(projections::JsonWriter& json, const domain::Quotas& quotas);
// GET/PATCH /api/v1/settings: features, quotas, usage (and the licence).
std::string SettingsJson(const domain::TenantAccess& access, std::int64_t agents, std::int64_t emails_this_month,
                         const domain::ReopenPolicy& closed_reopen,
                         std::optional<std::int64_t> auto_close_resolved_after);
// PATCH /api/v1/tenants/{id}/license: {features, quotas}.
std::string LicenseJson(const domain::TenantAccess& access);
// An API key without its secret (GET /api/v1/api-keys).
void WriteApiKey(projections::JsonWriter& json, const domain::ApiKey& key,
                 std::optional<domain::Timestamp> last_used_at);
// "YYYY-MM-DD" of a day number (days since 1970-01-01 UTC).
std::string DayText(std::int64_t day);

}  // namespace ticketd::api

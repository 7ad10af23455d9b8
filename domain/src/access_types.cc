// Wire names of features, quotas and API key scopes, from their tables.
#include "ticketd/domain/access_types.h"

namespace ticketd::domain {

std::string_view ToString(Feature f) {
  for (const FeatureRow& row : kFeatures)
    if (row.feature == f) return row.name;
  return "unknown";
}
std::optional<Feature> ParseFeature(std::string_view name) {
  for (const FeatureRow& row : kFeatures)
    if (row.name == name) return row.feature;
  return std::nullopt;
}
FeatureSet AllFeatures() {
  FeatureSet all;
  for (const FeatureRow& row : kFeatures) all.Set(row.feature, true);
  return all;
}
FeatureSet DefaultEnabledFeatures() {
  FeatureSet enabled;
  for (const FeatureRow& row : kFeatures) enabled.Set(row.feature, row.enabled_by_default);
  return enabled;
}

std::string_view ToString(Quota q) {
  for (const QuotaRow& row : kQuotas)
    if (row.quota == q) return row.name;
  return "unknown";
}
std::optional<Quota> ParseQuota(std::string_view name) {
  for (const QuotaRow& row : kQuotas)
    if (row.name == name) return row.quota;
  return std::nullopt;
}

std::string_view ToString(ApiScope s) {
  for (const ScopeRow& row : kApiScopes)
    if (row.scope == s) return row.name;
  return "unknown";
}
std::optional<ApiScope> ParseApiScope(std::string_view name) {
  for (const ScopeRow& row : kApiScopes)
    if (row.name == name) return row.scope;
  return std::nullopt;
}
std::vector<std::string_view> ScopeNames(ScopeSet scopes) {
  std::vector<std::string_view> names;
  for (const ScopeRow& row : kApiScopes)
    if (scopes.Has(row.scope)) names.push_back(row.name);
  return names;
}

}  // namespace ticketd::domain

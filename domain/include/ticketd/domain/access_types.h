// Value types of tenant access control that events carry (ACCESS.md):
// feature flags, quotas, API key scopes. Each enum has one table with its
// wire names (and, for features, the default of a new tenant); everything
// else derives from the tables.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace ticketd::domain {

// A set of enumerators of a small enum (bit set). Enum values are bit
// positions. Persistent format: snapshots store bits(); events store names.
template <class Enum>
class EnumSet {
 public:
  constexpr EnumSet() = default;
  constexpr EnumSet(std::initializer_list<Enum> values) {
    for (Enum v : values) bits_ |= Bit(v);
  }
  static constexpr EnumSet FromBits(std::uint32_t bits) {
    EnumSet set;
    set.bits_ = bits;
    return set;
  }
  constexpr bool Has(Enum v) const { return (bits_ & Bit(v)) != 0; }
  constexpr bool Empty() const { return bits_ == 0; }
  constexpr void Set(Enum v, bool on) { bits_ = on ? (bits_ | Bit(v)) : (bits_ & ~Bit(v)); }
  constexpr std::uint32_t bits() const { return bits_; }
  constexpr EnumSet operator&(EnumSet other) const { return FromBits(bits_ & other.bits_); }
  friend constexpr bool operator==(EnumSet, EnumSet) = default;

 private:
  static constexpr std::uint32_t Bit(Enum v) { return 1u << static_cast<unsigned>(v); }
  std::uint32_t bits_ = 0;
};

// ---- feature flags ----
enum class Feature {
  kAgentPortal = 0,
  kEndUserPortal = 1,
  kAssetIntegration = 2,
  kEmailNotifications = 3,
  kEmailTemplates = 4,
  kPublicApi = 5,
};
using FeatureSet = EnumSet<Feature>;
struct FeatureRow {
  Feature feature;
  std::string_view name;
  bool enabled_by_default;  // for a new tenant (every feature is licensed)
};
inline constexpr std::array<FeatureRow, 6> kFeatures = {{
    {Feature::kAgentPortal, "agent_portal", true},
    {Feature::kEndUserPortal, "end_user_portal", true},
    {Feature::kAssetIntegration, "asset_integration", true},
    {Feature::kEmailNotifications, "email_notifications", true},
    {Feature::kEmailTemplates, "email_templates", false},
    {Feature::kPublicApi, "public_api", false},
}};
std::string_view ToString(Feature f);
std::optional<Feature> ParseFeature(std::string_view name);
FeatureSet AllFeatures();
FeatureSet DefaultEnabledFeatures();

// ---- quotas (nullopt = unlimited) ----
enum class Quota { kMaxAgents = 0, kMaxEmailsMonth = 1 };
struct QuotaRow {
  Quota quota;
  std::string_view name;
};
inline constexpr std::array<QuotaRow, 2> kQuotas = {{
    {Quota::kMaxAgents, "max_agents"},
    {Quota::kMaxEmailsMonth, "max_emails_month"},
}};
std::string_view ToString(Quota q);
std::optional<Quota> ParseQuota(std::string_view name);
struct Quotas {
  std::array<std::optional<std::int64_t>, kQuotas.size()> limits{};  // indexed by Quota
  std::optional<std::int64_t>& operator[](Quota q) { return limits[static_cast<std::size_t>(q)]; }
  const std::optional<std::int64_t>& operator[](Quota q) const { return limits[static_cast<std::size_t>(q)]; }
  friend bool operator==(const Quotas&, const Quotas&) = default;
};

// ---- API key scopes ----
enum class ApiScope { kTicketsRead = 0, kTicketsWrite = 1, kMailInbound = 2 };
using ScopeSet = EnumSet<ApiScope>;
struct ScopeRow {
  ApiScope scope;
  std::string_view name;
};
inline constexpr std::array<ScopeRow, 3> kApiScopes = {{
    {ApiScope::kTicketsRead, "tickets:read"},
    {ApiScope::kTicketsWrite, "tickets:write"},
    {ApiScope::kMailInbound, "mail:inbound"},
}};
std::string_view ToString(ApiScope s);
std::optional<ApiScope> ParseApiScope(std::string_view name);
std::vector<std::string_view> ScopeNames(ScopeSet scopes);

}  // namespace ticketd::domain

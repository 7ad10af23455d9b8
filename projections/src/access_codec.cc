#include "ticketd/projections/access_codec.h"

namespace ticketd::projections {

void EncodeTenantAccess(BinaryWriter& out, const domain::TenantAccess& a) {
  out.U64(a.licensed.bits());
  out.U64(a.enabled.bits());
  for (const auto& limit : a.quotas.limits) out.OptionalI64(limit);
  out.U64(a.groups.size());
  for (const auto& [id, g] : a.groups) {  // std::map: sorted by id
    out.Id(g.id);
    out.Bytes(g.name);
    out.U64(g.permissions.bits());
    out.Bool(g.system);
    out.U64(g.members.size());
    for (const domain::Id& member : g.members) out.Id(member);
  }
  out.U64(a.api_keys.size());
  for (const auto& [id, k] : a.api_keys) {
    out.Id(k.id);
    out.Bytes(k.name);
    out.U64(k.scopes.bits());
    out.Hash32(k.key_sha256);
    out.Id(k.created_by);
    out.I64(k.created_at);
    out.OptionalI64(k.expires_at);
    out.Bool(k.revoked);
    out.U64(k.requests_by_day.size());
    for (const auto& [day, requests] : k.requests_by_day) {
      out.I64(day);
      out.I64(requests);
    }
    out.OptionalI64(k.last_used_at);
  }
  out.U64(a.alerts.size());
  for (const domain::QuotaAlert& alert : a.alerts) {
    out.U64(static_cast<std::uint64_t>(alert.quota));
    out.I64(alert.limit);
    out.I64(alert.current);
    out.I64(alert.at);
  }
}

bool DecodeTenantAccess(BinaryReader& in, domain::TenantAccess* a) {
  std::uint64_t bits = 0;
  if (!in.U64(&bits)) return false;
  a->licensed = domain::FeatureSet::FromBits(static_cast<std::uint32_t>(bits));
  if (!in.U64(&bits)) return false;
  a->enabled = domain::FeatureSet::FromBits(static_cast<std::uint32_t>(bits));
  for (auto& limit : a->quotas.limits)
    if (!in.OptionalI64(&limit)) return false;
  std::size_t count = 0;
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    domain::PermissionGroup g;
    std::size_t members = 0;
    if (!in.Id(&g.id) || !in.Bytes(&g.name) || !in.U64(&bits) || !in.Bool(&g.system) || !in.Count(&members))
      return false;
    g.permissions = domain::PermissionSet::FromBits(static_cast<std::uint32_t>(bits));
    for (std::size_t m = 0; m < members; ++m) {
      domain::Id member;
      if (!in.Id(&member)) return false;
      g.members.insert(member);
    }
    a->groups[g.id] = std::move(g);
  }
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    domain::ApiKey k;
    std::size_t days = 0;
    if (!in.Id(&k.id) || !in.Bytes(&k.name) || !in.U64(&bits) || !in.Hash32(&k.key_sha256) ||
        !in.Id(&k.created_by) || !in.I64(&k.created_at) || !in.OptionalI64(&k.expires_at) ||
        !in.Bool(&k.revoked) || !in.Count(&days))
      return false;
    k.scopes = domain::ScopeSet::FromBits(static_cast<std::uint32_t>(bits));
    for (std::size_t d = 0; d < days; ++d) {
      std::int64_t day = 0, requests = 0;
      if (!in.I64(&day) || !in.I64(&requests)) return false;
      k.requests_by_day[day] = requests;
    }
    if (!in.OptionalI64(&k.last_used_at)) return false;
    a->api_keys[k.id] = std::move(k);
  }
  if (!in.Count(&count)) return false;
  a->alerts.resize(count);
  for (domain::QuotaAlert& alert : a->alerts) {
    if (!in.EnumBelow(static_cast<int>(domain::kQuotas.size()), &alert.quota) || !in.I64(&alert.limit) ||
        !in.I64(&alert.current) || !in.I64(&alert.at))
      return false;
  }
  return true;
}

}  // namespace ticketd::projections

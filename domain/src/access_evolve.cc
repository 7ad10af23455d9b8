// EvolveAccess: folds the access events of a tenant's directory stream.
#include "ticketd/domain/access.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::domain {

PermissionSet TenantAccess::GroupPermissionsOf(const Id& user_id) const {
  PermissionSet granted;
  for (const auto& [id, group] : groups)
    if (group.members.contains(user_id)) granted |= group.permissions;
  return granted;
}

void EvolveAccess(TenantAccess& access, const DomainEvent& event) {
  std::visit(Overloaded{
                 [&](const PermissionGroupCreated& e) {
                   access.groups[e.group_id] = PermissionGroup{e.group_id, e.name, e.permissions, {}, e.system};
                 },
                 [&](const PermissionGroupMemberAdded& e) {
                   if (auto it = access.groups.find(e.group_id); it != access.groups.end())
                     it->second.members.insert(e.user_id);
                 },
                 [&](const PermissionGroupMemberRemoved& e) {
                   if (auto it = access.groups.find(e.group_id); it != access.groups.end())
                     it->second.members.erase(e.user_id);
                 },
                 [&](const SettingsChanged& e) { access.enabled = e.enabled & access.licensed; },
                 [&](const LicenseChanged& e) {
                   access.licensed = e.licensed;
                   access.quotas = e.quotas;
                   access.enabled = access.enabled & e.licensed;  // withdrawing a licence switches it off
                 },
                 [&](const QuotaAlertRaised& e) {
                   access.alerts.push_back(QuotaAlert{e.quota, e.limit, e.current, event.at});
                 },
                 [&](const ApiKeyCreated& e) {
                   ApiKey key;
                   key.id = e.key_id;
                   key.name = e.name;
                   key.scopes = e.scopes;
                   key.key_sha256 = e.key_sha256;
                   key.created_by = event.actor_id;
                   key.created_at = event.at;
                   key.expires_at = e.expires_at;
                   access.api_keys[e.key_id] = std::move(key);
                 },
                 [&](const ApiKeyRevoked& e) {
                   if (auto it = access.api_keys.find(e.key_id); it != access.api_keys.end())
                     it->second.revoked = true;
                 },
                 [&](const ApiKeyUsage& e) {
                   auto it = access.api_keys.find(e.key_id);
                   if (it == access.api_keys.end()) return;
                   std::int64_t& count = it->second.requests_by_day[e.day];
                   count = std::max(count, e.requests);  // running totals: a late batch never lowers it
                   if (!it->second.last_used_at || *it->second.last_used_at < e.last_used_at)
                     it->second.last_used_at = e.last_used_at;
                 },
                 [](const TenantCreated&) {},
                 [](const UserCreated&) {},
                 [](const TokenIssued&) {},
                 [](const AssetCreated&) {},
                 [](const AssetDeleted&) {},
                 [](const UserErased&) {},
                 [](const TicketCreated&) {},
                 [](const TicketUpdated&) {},
                 [](const TicketAssigned&) {},
                 [](const TicketStatusChanged&) {},
                 [](const CommentAdded&) {},
                 [](const AttachmentAdded&) {},
                 [](const TicketDeleted&) {},
                 [](const TicketErased&) {},
                 [](const AccountEvent&) {},
                 [](const SlaDirectoryEvent&) {},
                 [](const SlaTicketEvent&) {},
                 [](const WorkflowEvent&) {},
                 [](const MailEvent&) {},  // mail out (issue 14)
             },
             event.payload);
}

}  // namespace ticketd::domain

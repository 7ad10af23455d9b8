// Helpers shared by the directory deciders (directory.cc, access_decide.cc).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ticketd/domain/directory.h"

namespace ticketd::domain {

using DirectoryDecision = Result<std::vector<DomainEvent>, DomainError>;

// The actor holds `permission` in this tenant (the platform admin only when
// platform_allowed). Only an actor holding it learns that another tenant's
// id is unknown to them (404); everyone else is refused outright (403).
std::optional<DomainError> CheckTenantPermission(const Actor& actor, const Id& tenant_id, Permission permission,
                                                 bool platform_allowed);

inline DomainEvent DirectoryEvent(const Actor& actor, Timestamp at, const Id& tenant_id, EventPayload payload) {
  return DomainEvent{tenant_id, tenant_id, at, actor.user_id, std::move(payload)};
}

// The access commands (access.h), decided against the tenant's state.
DirectoryDecision DecideAccess(const TenantState& state, const CreatePermissionGroup& c);
DirectoryDecision DecideAccess(const TenantState& state, const SetGroupMembership& c);
DirectoryDecision DecideAccess(const TenantState& state, const ChangeSettings& c);
DirectoryDecision DecideAccess(const TenantState& state, const ChangeLicense& c);
DirectoryDecision DecideAccess(const TenantState& state, const CreateApiKey& c);
DirectoryDecision DecideAccess(const TenantState& state, const RevokeApiKey& c);
DirectoryDecision DecideAccess(const TenantState& state, const RecordApiKeyUsage& c);
DirectoryDecision DecideAccess(const TenantState& state, const RecordQuotaAlert& c);  // mail out
DirectoryDecision DecideMail(const TenantState& state, const ChangeEmailTemplate& c);  // mail_decide.cc

// The catalog commands (catalog.h), catalog_decide.cc.
DirectoryDecision DecideCatalog(const TenantState& state, const CreateCatalogEntry& c);
DirectoryDecision DecideCatalog(const TenantState& state, const UpdateCatalogEntry& c);
DirectoryDecision DecideCatalog(const TenantState& state, const ArchiveCatalogEntry& c);
DirectoryDecision DecideCatalog(const TenantState& state, const SeedDefaultCatalog& c);
DirectoryDecision DecideSla(const TenantState& state, const SaveSlaPolicy& c);
DirectoryDecision DecideSla(const TenantState& state, const DeleteSlaPolicy& c);
DirectoryDecision DecideSla(const TenantState& state, const SetAutoClose& c);

}  // namespace ticketd::domain

// The route handlers. Each parses and validates its input, then either reads
// a read model and replies, or submits a command to the engine and replies
// from the completion. Grouped by file: handlers_directory.cc (tenants,
// users, assets), handlers_ticket_commands.cc, handlers_ticket_reads.cc.
#pragma once

#include "call.h"
#include "ticketd/domain/directory.h"
#include "ticketd/projections/json_writer.h"

namespace ticketd::api {

void HandleHealth(Services& services, const CallPtr& call);
void HandleMetrics(Services& services, const CallPtr& call);

void HandleCreateTenant(Services& services, const CallPtr& call);
void HandleCreateUser(Services& services, const CallPtr& call);
void HandleListUsers(Services& services, const CallPtr& call);
void HandleCreateAsset(Services& services, const CallPtr& call);
void HandleListAssets(Services& services, const CallPtr& call);
void HandleDeleteAsset(Services& services, const CallPtr& call);

void HandleCreateTicket(Services& services, const CallPtr& call);
void HandlePatchTicket(Services& services, const CallPtr& call);
void HandleChangeStatus(Services& services, const CallPtr& call);
void HandleAssign(Services& services, const CallPtr& call);
void HandleClaim(Services& services, const CallPtr& call);
void HandleAddComment(Services& services, const CallPtr& call);
void HandleDeleteTicket(Services& services, const CallPtr& call);

void HandleGetTicket(Services& services, const CallPtr& call);
void HandleListTickets(Services& services, const CallPtr& call);
void HandleListComments(Services& services, const CallPtr& call);
void HandleHistory(Services& services, const CallPtr& call);

void HandleDigest(Services& services, const CallPtr& call);
void HandleAnalytics(Services& services, const CallPtr& call);
void HandleAuditHead(Services& services, const CallPtr& call);
void HandleReadModelHashes(Services& services, const CallPtr& call);  // handlers_audit.cc

void HandleErasure(Services& services, const CallPtr& call);

void HandleCreateBackup(Services& services, const CallPtr& call);  // handlers_backup.cc

// access (issue 11): handlers_access.cc
void HandleCreatePermissionGroup(Services& services, const CallPtr& call);
void HandleListPermissionGroups(Services& services, const CallPtr& call);
void HandleAddGroupMember(Services& services, const CallPtr& call);
void HandleRemoveGroupMember(Services& services, const CallPtr& call);
void HandleGetSettings(Services& services, const CallPtr& call);
void HandlePatchSettings(Services& services, const CallPtr& call);
void HandlePatchLicense(Services& services, const CallPtr& call);
void HandleListAlerts(Services& services, const CallPtr& call);
// handlers_api_keys.cc
void HandleCreateApiKey(Services& services, const CallPtr& call);
void HandleListApiKeys(Services& services, const CallPtr& call);
void HandleRevokeApiKey(Services& services, const CallPtr& call);
void HandleApiKeyUsage(Services& services, const CallPtr& call);
// >>> workflow: catalog, teams, reopen policy (issue 12, helper wf-catalog)
// handlers_catalog.cc
void HandleListGroups(Services& services, const CallPtr& call);
void HandleCreateGroup(Services& services, const CallPtr& call);
void HandlePatchGroup(Services& services, const CallPtr& call);
void HandleArchiveGroup(Services& services, const CallPtr& call);
void HandleCreateCategory(Services& services, const CallPtr& call);
void HandlePatchCategory(Services& services, const CallPtr& call);
void HandleArchiveCategory(Services& services, const CallPtr& call);
void HandleCreateSubcategory(Services& services, const CallPtr& call);
void HandlePatchSubcategory(Services& services, const CallPtr& call);
void HandleArchiveSubcategory(Services& services, const CallPtr& call);
// >>> workflow: SLA, timers, auto-close (issue 12, helper wf-sla)
void HandleSimulateSlaPolicy(Services& services, const CallPtr& call);  // handlers_sla_simulate.cc
// handlers_sla.cc
void HandleListSlaPolicies(Services& services, const CallPtr& call);
void HandleGetSlaPolicy(Services& services, const CallPtr& call);
void HandleCreateSlaPolicy(Services& services, const CallPtr& call);
void HandlePatchSlaPolicy(Services& services, const CallPtr& call);
void HandleDeleteSlaPolicy(Services& services, const CallPtr& call);
// >>> attachments (issue 13)
// handlers_attachments.h
// >>> mail out: notifier, templates, digest (issue 14, helper mail-out)
void HandleListNotifications(Services& services, const CallPtr& call);  // handlers_mail.cc
void HandleSendDigest(Services& services, const CallPtr& call);
void HandleListEmailTemplates(Services& services, const CallPtr& call);  // handlers_mail_templates.cc
void HandlePutEmailTemplate(Services& services, const CallPtr& call);
void HandleDeleteEmailTemplate(Services& services, const CallPtr& call);
void HandlePreviewEmailTemplate(Services& services, const CallPtr& call);
// >>> mail in: inbound mail (issue 14, helper mail-in)
void HandleInboundMail(Services& services, const CallPtr& call);  // handlers_inbound_mail.cc
// >>> web app (issue 15)
// handlers_web.cc: the pages, their assets, a ticket by number
void HandleWebRoot(Services& services, const CallPtr& call);
void HandleWebLogin(Services& services, const CallPtr& call);
void HandleWebDesk(Services& services, const CallPtr& call);
void HandleWebDeskNew(Services& services, const CallPtr& call);
void HandleWebQueue(Services& services, const CallPtr& call);
void HandleWebAdmin(Services& services, const CallPtr& call);
void HandleWebReports(Services& services, const CallPtr& call);
void HandleWebAsset(Services& services, const CallPtr& call);
void HandleGetTicketByNumber(Services& services, const CallPtr& call);
// >>> live stream SSE (issue 15, helper live)
void HandleStream(Services& services, const CallPtr& call);  // handlers_stream.cc
// ---- sign-in (issue 11) ----
// handlers_auth.cc
void HandleLogin(Services& services, const CallPtr& call);
void HandleRefresh(Services& services, const CallPtr& call);
void HandleLogout(Services& services, const CallPtr& call);
void HandleResetPassword(Services& services, const CallPtr& call);
void HandleJwks(Services& services, const CallPtr& call);
// handlers_account.cc
void HandleGetMe(Services& services, const CallPtr& call);
void HandlePatchUser(Services& services, const CallPtr& call);
void HandleChangePassword(Services& services, const CallPtr& call);
void HandleIssuePasswordReset(Services& services, const CallPtr& call);
// {id, tenant_id, name, email, role, department, active, permissions}
void WriteUserWithPermissions(projections::JsonWriter& json, const domain::User& user,
                              const domain::PermissionSet& permissions);
// A user's permissions: role (with the IT rule) and permission groups.
domain::PermissionSet UserPermissions(const projections::DirectoryReadModel& directory, const domain::User& user);

}  // namespace ticketd::api

// The attachment routes (handlers_attachments.cc), listed in router.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <vector>

#include <functional>

#include "call.h"
#include "ticketd/app/attachment_intake.h"
#include "ticketd/app/metrics.h"
#include "http_types.h"
#include "ticketd/domain/events.h"

namespace ticketd::api {

// Once at start (server.cc): the malware scanner's socket ("" = no scan),
// the rate all upload bodies together are read at while the command path is
// saturated (bulk_read_pacer.h; 0 = never paced), and the /metrics that show
// the pacing (ticketd_upload_paced_*).
void ConfigureAttachments(std::string clamd_socket, std::uint64_t upload_floor_bytes_per_second, app::Metrics& metrics);

void HandleUploadAttachments(Services& services, const CallPtr& call);   // POST /tickets/{id}/attachments
void HandleListAttachments(Services& services, const CallPtr& call);     // GET /tickets/{id}/attachments
void HandleDownloadAttachment(Services& services, const CallPtr& call);  // GET /attachments/{id}
void HandleAdminStorage(Services& services, const CallPtr& call);        // GET /admin/storage

// POST /tickets and POST /tickets/{id}/comments also take multipart/form-data:
// IsMultipartForm says so; HandleMultipartForm reads the form, checks its
// files (worker pool), turns the text parts into the route's JSON body, puts
// the files on the call (Call::attachments) and runs `next`, the JSON handler.
bool IsMultipartForm(const Call& call);
void HandleMultipartForm(Services& services, const CallPtr& call, HandlerFn next);
// Runs `job` with the attachment policy on the intake's worker pool (never
// an HTTP or writer thread); answers 503 itself when the pool is full.
// Email in (handlers_inbound_mail.cc) checks a mail's attachments there.
void RunAttachmentIntake(const CallPtr& call, std::function<void(const app::AttachmentPolicy&)> job);

// Adds `"attachments":[...]` (the attachment.added events among `events`) to a
// JSON object answer; nothing when there are none.
void AddAttachmentsArray(Response& response, const std::vector<domain::DomainEvent>& events);

// RFC 5987 attr-char percent-encoding for Content-Disposition filename*.
std::string PercentEncodeFilename(std::string_view name);

}  // namespace ticketd::api

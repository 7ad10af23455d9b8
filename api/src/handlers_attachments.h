// The attachment routes (handlers_attachments.cc), listed in router.cc.
#pragma once

#include <string>
#include <string_view>

#include <vector>

#include "call.h"
#include "http_types.h"
#include "ticketd/domain/events.h"

namespace ticketd::api {

// Once at start (server.cc): the malware scanner's socket ("" = no scan).
void ConfigureAttachments(std::string clamd_socket);

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
// Adds `"attachments":[...]` (the attachment.added events among `events`) to a
// JSON object answer; nothing when there are none.
void AddAttachmentsArray(Response& response, const std::vector<domain::DomainEvent>& events);

// RFC 5987 attr-char percent-encoding for Content-Disposition filename*.
std::string PercentEncodeFilename(std::string_view name);

}  // namespace ticketd::api

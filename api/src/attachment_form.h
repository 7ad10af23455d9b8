// The contract's answers for the attachment policy's refusals
// (ATTACHMENTS.md): 400 TOO_MANY_FILES / VALIDATION_ERROR, 413
// FILE_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE, 422 MALWARE_DETECTED, 503.
// The form itself is read as it arrives by upload_job.h.
#pragma once

#include "http_types.h"
#include "ticketd/app/attachment_intake.h"

namespace ticketd::api {

// The contract's answer for a policy refusal.
Response AttachmentRefusalResponse(const app::AttachmentRefusal& refusal, const app::AttachmentLimits& limits);

}  // namespace ticketd::api

// A multipart/form-data request body read into its text fields and files,
// with the attachment policy's cheap rules (count, size) applied while the
// parts are parsed, so a 6th file or a 5 MiB + 1 byte part stops the parse.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http_types.h"
#include "ticketd/app/attachment_intake.h"

namespace ticketd::api {

struct AttachmentForm {
  std::map<std::string, std::string> fields;  // text parts by name (the last wins)
  std::vector<app::IncomingFile> files;       // `file` parts, in order
};

// The form, or the answer to send: 400 VALIDATION_ERROR for a malformed body,
// 400 TOO_MANY_FILES, 413 FILE_TOO_LARGE.
Result<AttachmentForm, Response> ReadAttachmentForm(const Request& request, const app::AttachmentLimits& limits);

// The contract's answer for a policy refusal.
Response AttachmentRefusalResponse(const app::AttachmentRefusal& refusal, const app::AttachmentLimits& limits);

}  // namespace ticketd::api

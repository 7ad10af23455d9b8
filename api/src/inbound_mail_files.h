// A received mail's attachments through the attachment policy (MAIL.md
// "Email in" step 3, ATTACHMENTS.md): unlike an upload, one bad part does not
// refuse the mail. Each part is checked on its own, in order; the ones that
// pass are attached (at most the policy's file count), the others are
// skipped and listed in the answer's `skipped` with the code and details an
// upload of that file would have been refused with. A configured scanner
// that cannot be reached refuses the whole mail (503), so the MTA retries
// later instead of the files being lost.
// Slow (libmagic, clamd): run it on the intake pool (RunAttachmentIntake).
#pragma once

#include <string>
#include <vector>

#include "ticketd/app/attachment_intake.h"
#include "ticketd/domain/ticket.h"
#include "ticketd/projections/json_writer.h"

namespace ticketd::api {

struct SkippedPart {
  app::AttachmentRefusal refusal;
};

struct MailFiles {
  std::vector<app::CheckedFile> accepted;
  std::vector<SkippedPart> skipped;
  bool scanner_unavailable = false;
};

MailFiles CheckMailFiles(const app::AttachmentPolicy& policy, std::vector<app::IncomingFile> files);

// `[{filename, code, detected?|signature?|limit?}, ...]`; code is the
// upload's error code (UNSUPPORTED_MEDIA_TYPE, FILE_TOO_LARGE,
// MALWARE_DETECTED, TOO_MANY_FILES, VALIDATION_ERROR).
void WriteSkipped(projections::JsonWriter& json, const std::vector<SkippedPart>& skipped,
                  const app::AttachmentLimits& limits);

}  // namespace ticketd::api

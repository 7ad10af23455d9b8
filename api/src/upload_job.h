// ReadUpload: an upload route's multipart/form-data body, read as it arrives
// (Call::body, request_body.h) or from request.body() when the session
// buffered it, parsed by the streaming MultipartParser on the attachment
// workers: text parts are collected (1 MiB at most in all), `file` parts go
// through app::StreamedFiles (hashed, sniffed, scanned, staged piece by
// piece). No step holds a whole file. `done` then runs on a worker with the
// form, or with the answer to send: the contract's 400/413/415/422/503, or
// 413 PAYLOAD_TOO_LARGE past the route's body limit.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "call.h"
#include "password_pool.h"
#include "ticketd/app/attachment_intake.h"
#include "ticketd/base/result.h"

namespace ticketd::api {

struct UploadForm {
  std::map<std::string, std::string> fields;   // text parts by name (the last wins)
  std::vector<domain::NewAttachment> files;    // checked, bytes staged in the log
};

// 503 with Retry-After: the intake's workers are all taken.
Response UploadsBusy();

using UploadDone = std::function<void(Result<UploadForm, Response>&&)>;

void ReadUpload(Services& services, const CallPtr& call, const app::AttachmentPolicy& policy, PasswordPool& workers,
                UploadDone done);

}  // namespace ticketd::api

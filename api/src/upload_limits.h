// Which requests may carry an upload: multipart/form-data POSTs to the three
// attachment routes of ATTACHMENTS.md get room for 5 files of 5 MiB plus the
// form's overhead; every other request keeps the JSON limit. The session
// asks this once the header is read (http_session.cc).
#pragma once

#include <cstddef>

#include "http_types.h"

namespace ticketd::api {

inline constexpr std::size_t kUploadBodyLimit = 5 * 5 * 1024 * 1024 + 1024 * 1024;

std::size_t BodyLimitFor(const http::request_header<>& header, std::size_t json_limit);

}  // namespace ticketd::api

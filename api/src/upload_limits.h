// Room for an upload: multipart/form-data POSTs to the three attachment
// routes of ATTACHMENTS.md get 5 files of 5 MiB plus the form's overhead;
// every other request keeps the JSON limit. Which routes those are is the
// route table's to say (router.cc: BodyRoom, BodyLimitFor); the session asks
// once the header is read (http_session.cc).
#pragma once

#include <cstddef>

#include "http_types.h"

namespace ticketd::api {

inline constexpr std::size_t kUploadBodyLimit = 5 * 5 * 1024 * 1024 + 1024 * 1024;

// How much body a route takes (router.cc's table).
enum class BodyRoom {
  kJson,             // the server's limit (1 MiB)
  kMultipartUpload,  // kUploadBodyLimit when the body is multipart/form-data
  kRawMail,          // a raw mail (MAIL.md: 10 MiB)
};

// The body limit of a request whose header is `header`: its route's room
// (defined in router.cc, beside the route table).
std::size_t BodyLimitFor(const http::request_header<>& header, std::size_t json_limit);

}  // namespace ticketd::api

#include "upload_limits.h"

#include <algorithm>
#include <string_view>

#include "multipart_parser.h"

namespace ticketd::api {
namespace {

// /api/v1/tickets, /api/v1/tickets/{id}/attachments, /api/v1/tickets/{id}/comments
bool IsUploadPath(std::string_view target) {
  target = target.substr(0, target.find('?'));
  constexpr std::string_view kTickets = "/api/v1/tickets";
  if (target == kTickets) return true;
  if (!target.starts_with(kTickets) || target.size() <= kTickets.size() + 1 || target[kTickets.size()] != '/')
    return false;
  std::string_view rest = target.substr(kTickets.size() + 1);
  std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  std::string_view tail = rest.substr(slash);
  return tail == "/attachments" || tail == "/comments";
}

}  // namespace

std::size_t BodyLimitFor(const http::request_header<>& header, std::size_t json_limit) {
  if (header.method() != http::verb::post) return json_limit;
  auto type = header[http::field::content_type];
  if (!MultipartBoundary(std::string_view(type.data(), type.size()))) return json_limit;
  auto target = header.target();
  if (!IsUploadPath(std::string_view(target.data(), target.size()))) return json_limit;
  return std::max(json_limit, kUploadBodyLimit);
}

}  // namespace ticketd::api

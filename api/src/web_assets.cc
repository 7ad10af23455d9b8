#include "web_assets.h"

#include <string>

namespace ticketd::api {
namespace {

std::string_view ContentType(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

std::string_view Header(const Request& request, http::field field) {
  auto it = request.find(field);
  return it == request.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
}

// "gzip" listed in Accept-Encoding without q=0.
bool AcceptsGzip(const Request& request) {
  std::string_view accepted = Header(request, http::field::accept_encoding);
  std::size_t at = accepted.find("gzip");
  if (at == std::string_view::npos) return false;
  std::string_view rest = accepted.substr(at + 4);
  rest = rest.substr(0, rest.find(','));
  return rest.find("q=0") == std::string_view::npos || rest.find("q=0.") != std::string_view::npos;
}

bool Matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match == "*") return true;
  return if_none_match.find(etag) != std::string_view::npos;
}

}  // namespace

const WebAsset* FindWebAsset(std::string_view name) {
  for (const WebAsset& asset : WebAssets())
    if (asset.name == name) return &asset;
  return nullptr;
}

void SetSecurityHeaders(Response& response) {
  response.set("Content-Security-Policy",
               "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
               "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
               "frame-ancestors 'none'");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "same-origin");
}

Response WebAssetResponse(const Request& request, const WebAsset& asset, WebCaching caching, http::status status) {
  Response response;
  response.set(http::field::etag, std::string(asset.etag));
  response.set(http::field::cache_control,
               caching == WebCaching::kImmutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.set(http::field::vary, "Accept-Encoding");
  SetSecurityHeaders(response);
  if (status == http::status::ok && Matches(Header(request, http::field::if_none_match), asset.etag)) {
    response.result(http::status::not_modified);
    return response;
  }
  response.result(status);
  response.set(http::field::content_type, std::string(ContentType(asset.name)));
  const bool gzip = asset.gzip.size > 0 && AcceptsGzip(request);
  const WebBytes& bytes = gzip ? asset.gzip : asset.raw;
  if (gzip) response.set(http::field::content_encoding, "gzip");
  response.body().assign(bytes.data, bytes.size);
  return response;
}

}  // namespace ticketd::api

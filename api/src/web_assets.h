// The web app's files (web/), compiled into the binary by
// api/web_assets.cmake, and how they are answered: ETag + 304, gzip when the
// client accepts it, long caching for the build-id-named asset URLs, and the
// security headers every page carries.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "http_types.h"

namespace ticketd::api {

struct WebBytes {
  const char* data = nullptr;
  std::size_t size = 0;  // 0: no such form (e.g. gzip did not pay)
};

struct WebAsset {
  std::string_view name;  // file name in web/, e.g. "app.js"
  WebBytes raw;
  WebBytes gzip;
  std::string_view etag;  // quoted
};

// Generated (web_assets_data.cc).
std::span<const WebAsset> WebAssets();
// Names the asset URL prefix /assets/<build id>/; changes with any file.
std::string_view WebBuildId();

const WebAsset* FindWebAsset(std::string_view name);

enum class WebCaching { kRevalidate, kImmutable };

// 200 with the asset (gzip if accepted and smaller) or 304 when the request's
// If-None-Match names its ETag. `status` lets an HTML page answer 403.
Response WebAssetResponse(const Request& request, const WebAsset& asset, WebCaching caching,
                          http::status status = http::status::ok);

// Content-Security-Policy, nosniff, frame and referrer policy.
void SetSecurityHeaders(Response& response);

}  // namespace ticketd::api

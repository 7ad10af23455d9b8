// Query-string and path helpers. Percent-decoding ('+' is a space in
// queries); malformed escapes make Parse fail instead of guessing. Any bytes
// are safe: nothing here throws or reads out of bounds.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ticketd::api {

struct Target {
  std::string path;                                         // decoded path, without the query
  std::vector<std::pair<std::string, std::string>> params;  // decoded, in order
};

// Splits "/a/b?x=1&y=%20" into path and params. nullopt on a malformed
// percent escape or a target that does not start with '/'.
std::optional<Target> ParseTarget(std::string_view target);

// Every value of `key`, with comma-separated lists split ("a,b" -> a, b);
// repeated keys accumulate. Empty items are dropped.
std::vector<std::string> ValuesOf(const Target& target, std::string_view key);
// The single value of `key`, or nullopt; the last one wins when repeated.
std::optional<std::string> ValueOf(const Target& target, std::string_view key);

// Splits a path into segments: "/api/v1/tickets/x" -> {"api","v1","tickets","x"}.
std::vector<std::string_view> PathSegments(std::string_view path);

// The path of an origin-form target split at '/' as sent, still
// percent-encoded, for routing: so "%2F" and "%61" never lead to another
// route. nullopt when a segment is empty ("//", a trailing '/'): every route
// has exactly one spelling. "/" alone has no segments.
std::optional<std::vector<std::string_view>> RawPathSegments(std::string_view target);
// One raw path segment decoded; nullopt on a malformed escape or when it
// decodes to '/' (a segment is never two).
std::optional<std::string> DecodeSegment(std::string_view raw);
// RFC 9112 absolute-form ("http://host:port/p?q") -> its origin-form
// ("/p?q"; "/" when it has no path); any other target unchanged.
std::string_view OriginForm(std::string_view target);

}  // namespace ticketd::api

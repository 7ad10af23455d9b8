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

}  // namespace ticketd::api

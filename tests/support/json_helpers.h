// JSON reading helpers for the end-to-end tests (simdjson DOM).
//
// Json owns a parser and the parsed document; elements taken from it stay
// valid while the Json lives. Lookups take dotted paths ("error.code",
// "details.field") and never throw: a missing key, a wrong type or a parse
// failure yields the empty/absent value, so the test's assertion fails with
// a readable message instead of crashing.
//
// Lifetime: elements point into their Json. `GetString(Json(body).root(), k)`
// is fine within one expression, but never keep elements of a temporary
// Json (e.g. `for (element e : GetArray(Json(body).root(), "items"))`
// iterates over freed memory): name the Json first.
//
// Thread-safety: a Json is used by one thread at a time.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ticketd/projections/json_writer.h"

namespace ticketd::integration {

using simdjson::dom::element;

class Json {
 public:
  explicit Json(std::string_view text) : parser_(std::make_unique<simdjson::dom::parser>()) {
    ok_ = parser_->parse(text.data(), text.size()).get(root_) == simdjson::SUCCESS;
  }
  bool ok() const { return ok_; }
  element root() const { return root_; }

 private:
  std::unique_ptr<simdjson::dom::parser> parser_;
  element root_;
  bool ok_ = false;
};

// The element at a dotted `path` below `e`, if every step is an object key.
inline std::optional<element> At(element e, std::string_view path) {
  element current = e;
  while (!path.empty()) {
    std::size_t dot = path.find('.');
    std::string_view key = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    simdjson::dom::object object;
    if (current.get(object) != simdjson::SUCCESS) return std::nullopt;
    if (object.at_key(key).get(current) != simdjson::SUCCESS) return std::nullopt;
  }
  return current;
}

inline bool Has(element e, std::string_view path) { return At(e, path).has_value(); }

inline bool IsNull(element e, std::string_view path) {
  std::optional<element> found = At(e, path);
  return found && found->is_null();
}

// The string at `path`, or nullopt if absent, null or not a string.
inline std::optional<std::string> GetOptString(element e, std::string_view path) {
  std::optional<element> found = At(e, path);
  std::string_view value;
  if (!found || found->get(value) != simdjson::SUCCESS) return std::nullopt;
  return std::string(value);
}

inline std::string GetString(element e, std::string_view path) { return GetOptString(e, path).value_or(""); }

inline std::optional<std::int64_t> GetInt(element e, std::string_view path) {
  std::optional<element> found = At(e, path);
  std::int64_t value = 0;
  if (!found || found->get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

inline std::optional<bool> GetBool(element e, std::string_view path) {
  std::optional<element> found = At(e, path);
  bool value = false;
  if (!found || found->get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

// The elements of the array at `path` (empty if absent or not an array).
inline std::vector<element> GetArray(element e, std::string_view path) {
  std::vector<element> out;
  std::optional<element> found = At(e, path);
  simdjson::dom::array array;
  if (!found || found->get(array) != simdjson::SUCCESS) return out;
  for (element item : array) out.push_back(item);
  return out;
}

// The strings of the array at `path`; non-strings are skipped.
inline std::vector<std::string> GetStrings(element e, std::string_view path) {
  std::vector<std::string> out;
  for (element item : GetArray(e, path)) {
    std::string_view value;
    if (item.get(value) == simdjson::SUCCESS) out.emplace_back(value);
  }
  return out;
}

// The keys of the object at `path` (empty if it is not an object).
inline std::vector<std::string> GetKeys(element e, std::string_view path) {
  std::vector<std::string> out;
  std::optional<element> found = At(e, path);
  simdjson::dom::object object;
  if (!found || found->get(object) != simdjson::SUCCESS) return out;
  for (auto field : object) out.emplace_back(field.key);
  return out;
}

// Quotes `text` as a JSON string (for building request bodies), with the
// project's one JSON escaper.
inline std::string Quote(std::string_view text) {
  std::string out;
  projections::AppendJsonEscaped(out, text);  // with the quotes
  return out;
}

}  // namespace ticketd::integration

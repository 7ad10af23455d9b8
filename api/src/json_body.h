// JsonBody: a request body parsed (with simdjson On Demand) into a flat JSON
// object of scalar fields, plus typed getters that produce the contract's
// VALIDATION_ERROR naming the field. Nested objects/arrays are accepted only
// as "other" values (so a getter reports a type error, never a crash).
// Invalid UTF-8, malformed JSON, a non-object top level, duplicate keys:
// ParseJsonObject fails with a message for a person.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ticketd::api {

// Object or array: not a scalar. `json` is the value's minified text, which
// GetObject / GetStringArray parse on demand (nested bodies, e.g. features).
struct JsonOther {
  std::string json;
  bool array = false;
};
using JsonValue = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, JsonOther>;

struct FieldError {
  std::string field;    // empty for a whole-body error
  std::string message;  // "must be a string", "is required", "is not valid JSON"
};

class JsonBody {
 public:
  // Parses `text` (any bytes). An empty body parses as {} only if
  // allow_empty. Never throws.
  static std::variant<JsonBody, FieldError> Parse(std::string_view text, bool allow_empty = false);

  bool Has(std::string_view field) const;
  bool IsNull(std::string_view field) const;
  const JsonValue* Find(std::string_view field) const;

  // The first key not in `allowed`, if any (unknown fields are rejected).
  std::optional<std::string> FirstUnknownKey(std::initializer_list<std::string_view> allowed) const;

  // Typed getters. Absent -> nullopt (or FieldError "is required" when
  // required). Present with the wrong type or null (when not allowed) ->
  // FieldError. Strings are counted in Unicode code points against max_chars.
  std::variant<std::optional<std::string>, FieldError> GetString(std::string_view field, bool required,
                                                                 std::size_t max_chars) const;
  std::variant<std::optional<bool>, FieldError> GetBool(std::string_view field) const;
  // A nested object, parsed like a body (field names in its errors are the
  // nested ones; callers prefix them).
  std::variant<std::optional<JsonBody>, FieldError> GetObject(std::string_view field) const;
  // An array of strings, each at most max_chars code points.
  std::variant<std::optional<std::vector<std::string>>, FieldError> GetStringArray(
      std::string_view field, std::size_t max_items, std::size_t max_chars) const;

  const std::vector<std::pair<std::string, JsonValue>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, JsonValue>> fields_;
};

// Unicode code points in valid UTF-8 text.
std::size_t CountCodePoints(std::string_view utf8);

}  // namespace ticketd::api

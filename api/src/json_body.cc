#include "json_body.h"

#include <simdjson.h>

#include <algorithm>
#include <unordered_set>

namespace ticketd::api {
namespace {

constexpr std::size_t kMaxDepth = 64;
constexpr std::size_t kInitialCapacity = 4096;
constexpr std::size_t kMaxCapacity = 16 << 20;  // far above the HTTP body limit

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
}

JsonValue ToValue(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return nullptr;
    case simdjson::dom::element_type::BOOL:
      return bool(value);
    case simdjson::dom::element_type::INT64:
      return std::int64_t(value);
    case simdjson::dom::element_type::UINT64:  // above INT64_MAX: kept as a number, not an integer
      return static_cast<double>(std::uint64_t(value));
    case simdjson::dom::element_type::DOUBLE:
      return double(value);
    case simdjson::dom::element_type::STRING:
      return std::string(std::string_view(value));
    case simdjson::dom::element_type::ARRAY:
      return JsonOther{simdjson::minify(value), true};
    case simdjson::dom::element_type::OBJECT:
      return JsonOther{simdjson::minify(value), false};
  }
  return JsonOther{};
}

}  // namespace

std::size_t CountCodePoints(std::string_view utf8) {
  std::size_t count = 0;
  for (unsigned char c : utf8) count += (c & 0xC0) != 0x80;
  return count;
}

std::variant<JsonBody, FieldError> JsonBody::Parse(std::string_view text, bool allow_empty) try {
  if (IsBlank(text)) {
    if (allow_empty) return JsonBody{};
    return FieldError{"", "the body must be a JSON object"};
  }
  // The DOM parser validates the whole document (UTF-8 included, nested
  // values too, which On Demand would skip unread) and reports excessive
  // depth as an error instead of recursing. It copies the input into a
  // padded buffer when needed and grows its buffers on demand, keeping the
  // depth limit.
  thread_local simdjson::dom::parser parser(kMaxCapacity);
  thread_local bool configured = parser.allocate(kInitialCapacity, kMaxDepth) == simdjson::SUCCESS;
  if (!configured) return FieldError{"", "the body could not be parsed as JSON"};
  simdjson::dom::element root;
  auto error = parser.parse(text.data(), text.size()).get(root);
  if (error == simdjson::UTF8_ERROR) return FieldError{"", "the body is not valid UTF-8"};
  if (error == simdjson::DEPTH_ERROR) return FieldError{"", "the body nests too deeply"};
  if (error == simdjson::CAPACITY) return FieldError{"", "the body is too large"};
  if (error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE)
    return FieldError{"", "the body is not valid JSON: a number is malformed or out of range"};
  if (error)
    return FieldError{"", std::string("the body is not valid JSON: ") + simdjson::error_message(error)};
  simdjson::dom::object object;
  if (root.get_object().get(object)) return FieldError{"", "the body must be a JSON object"};
  JsonBody body;
  std::unordered_set<std::string_view> seen;
  for (auto [key, value] : object) {
    if (!seen.insert(key).second) return FieldError{std::string(key), "appears more than once"};
    body.fields_.emplace_back(std::string(key), ToValue(value));
  }
  return body;
} catch (const std::exception&) {  // allocation failure or a simdjson surprise: never escapes
  return FieldError{"", "the body could not be parsed as JSON"};
}

const JsonValue* JsonBody::Find(std::string_view field) const {
  for (const auto& [key, value] : fields_)
    if (key == field) return &value;
  return nullptr;
}

bool JsonBody::Has(std::string_view field) const { return Find(field) != nullptr; }

bool JsonBody::IsNull(std::string_view field) const {
  const JsonValue* value = Find(field);
  return value && std::holds_alternative<std::nullptr_t>(*value);
}

std::optional<std::string> JsonBody::FirstUnknownKey(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, value] : fields_)
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) return key;
  return std::nullopt;
}

std::variant<std::optional<std::string>, FieldError> JsonBody::GetString(std::string_view field,
                                                                         bool required,
                                                                         std::size_t max_chars) const {
  const JsonValue* value = Find(field);
  if (!value) {
    if (required) return FieldError{std::string(field), "is required"};
    return std::optional<std::string>{};
  }
  const auto* text = std::get_if<std::string>(value);
  if (!text) return FieldError{std::string(field), "must be a string"};
  if (CountCodePoints(*text) > max_chars)
    return FieldError{std::string(field), "must be at most " + std::to_string(max_chars) + " characters"};
  return std::optional<std::string>{*text};
}

std::variant<std::optional<bool>, FieldError> JsonBody::GetBool(std::string_view field) const {
  const JsonValue* value = Find(field);
  if (!value) return std::optional<bool>{};
  const auto* flag = std::get_if<bool>(value);
  if (!flag) return FieldError{std::string(field), "must be true or false"};
  return std::optional<bool>{*flag};
}

std::variant<std::optional<JsonBody>, FieldError> JsonBody::GetObject(std::string_view field) const {
  const JsonValue* value = Find(field);
  if (!value) return std::optional<JsonBody>{};
  const auto* nested = std::get_if<JsonOther>(value);
  if (!nested || nested->array) return FieldError{std::string(field), "must be an object"};
  auto parsed = Parse(nested->json);
  if (auto* failure = std::get_if<FieldError>(&parsed))
    return FieldError{std::string(field), failure->message};
  return std::optional<JsonBody>{std::get<JsonBody>(std::move(parsed))};
}

std::variant<std::optional<std::vector<std::string>>, FieldError> JsonBody::GetStringArray(
    std::string_view field, std::size_t max_items, std::size_t max_chars) const try {
  const JsonValue* value = Find(field);
  if (!value) return std::optional<std::vector<std::string>>{};
  const auto* nested = std::get_if<JsonOther>(value);
  if (!nested || !nested->array) return FieldError{std::string(field), "must be an array of strings"};
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(nested->json).get_array().get(array))
    return FieldError{std::string(field), "must be an array of strings"};
  std::vector<std::string> items;
  for (simdjson::dom::element element : array) {
    std::string_view text;
    if (element.get_string().get(text)) return FieldError{std::string(field), "must be an array of strings"};
    if (CountCodePoints(text) > max_chars)
      return FieldError{std::string(field), "has an item longer than " + std::to_string(max_chars) + " characters"};
    if (items.size() == max_items)
      return FieldError{std::string(field), "must have at most " + std::to_string(max_items) + " items"};
    items.emplace_back(text);
  }
  return std::optional<std::vector<std::string>>{std::move(items)};
} catch (const std::exception&) {
  return FieldError{std::string(field), "must be an array of strings"};
}

}  // namespace ticketd::api

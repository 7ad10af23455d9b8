// JsonWriter: appends compact JSON to a std::string. Strings are escaped
// per RFC 8259 (control characters as \u00XX); invalid UTF-8 is replaced by
// U+FFFD so every response is valid JSON whatever is stored. Commas are
// handled by the writer. Not thread-safe (one per response).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ticketd::projections {

class JsonWriter {
 public:
  JsonWriter() { out_.reserve(512); }
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Double(double value);  // non-finite -> null
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Appends pre-rendered JSON as one value.
  JsonWriter& Raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Separate();
  std::string out_;
  bool need_comma_ = false;
};

void AppendJsonEscaped(std::string& out, std::string_view text);

}  // namespace ticketd::projections

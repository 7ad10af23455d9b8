#include "ticketd/projections/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

namespace ticketd::projections {
namespace {

// Parses `json` (must be one JSON string) and returns its value.
std::optional<std::string> ParseString(const std::string& json) {
  simdjson::dom::parser parser;
  std::string_view value;
  if (parser.parse(simdjson::padded_string(json)).get(value)) return std::nullopt;
  return std::string(value);
}

std::string Escaped(std::string_view text) {
  std::string out;
  AppendJsonEscaped(out, text);
  return out;
}

TEST(JsonWriter, EscapesAndAlwaysProducesValidJson) {
  JsonWriter json;
  json.BeginObject().Key("s").String(std::string("q\"\\\n\t\x01\x7f \xff\xc3\x28 \xe2\x80\xa8 ok ü"));
  json.Key("n")
      .Int(-42)
      .Key("d")
      .Double(0.5)
      .Key("inf")
      .Double(1.0 / 0.0)
      .Key("b")
      .Bool(false)
      .Key("z")
      .Null();
  json.Key("a").BeginArray().Int(1).String("x").EndArray().EndObject();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json.str()).get(doc), simdjson::SUCCESS) << json.str();
  EXPECT_NE(json.str().find("\\ufffd"), std::string::npos);
  EXPECT_NE(json.str().find("\\u2028"), std::string::npos);
  EXPECT_NE(json.str().find("\\u0001"), std::string::npos);
  EXPECT_NE(json.str().find("\"inf\":null"), std::string::npos);
  EXPECT_NE(json.str().find("\"a\":[1,\"x\"]"), std::string::npos);
  EXPECT_NE(json.str().find("ü"), std::string::npos);
}

TEST(JsonWriter, ShortEscapesAndControlCharacters) {
  EXPECT_EQ(Escaped("\"\\\n\r\t\b\f"), R"("\"\\\n\r\t\b\f")");
  EXPECT_EQ(Escaped(std::string("\x00\x1f", 2)), R"("\u0000\u001f")");
  EXPECT_EQ(Escaped("/"), R"("/")");
  EXPECT_EQ(Escaped("\xe2\x80\xa8\xe2\x80\xa9"), R"("\u2028\u2029")");
  EXPECT_EQ(Escaped("\xe2\x82\xac"), "\"\xe2\x82\xac\"");  // other 3-byte characters pass through
}

TEST(JsonWriter, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(Escaped("a\xff"
                    "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(Escaped("\xc3"), R"("\ufffd")");                                // truncated sequence at the end
  EXPECT_EQ(Escaped("\xc0\xaf"), R"("\ufffd\ufffd")");                      // overlong
  EXPECT_EQ(Escaped("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");            // a UTF-16 surrogate
  EXPECT_EQ(Escaped("\xf4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")");  // above U+10FFFF
  EXPECT_EQ(ParseString(Escaped("\xf0\x9f\x98\x80")), "\xf0\x9f\x98\x80");  // a valid emoji survives
}

TEST(JsonWriter, RandomBytesAlwaysEscapeToValidJson) {
  const unsigned seed = std::random_device{}();
  std::printf("JsonWriter.RandomBytesAlwaysEscapeToValidJson seed %u\n", seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  for (int i = 0; i < 10000; ++i) {
    std::string input(rng() % 24, '\0');
    for (char& c : input) c = static_cast<char>(rng() % 3 == 0 ? 0x80 | (rng() & 0x7f) : rng());
    std::string json = Escaped(input);
    auto parsed = ParseString(json);
    ASSERT_TRUE(parsed) << json;
    // Valid UTF-8 round-trips exactly; anything else only loses bad bytes.
    if (simdjson::validate_utf8(input.data(), input.size())) {
      ASSERT_EQ(*parsed, input);
    }
    ASSERT_TRUE(simdjson::validate_utf8(parsed->data(), parsed->size()));
  }
}

TEST(JsonWriter, NumbersRoundTrip) {
  JsonWriter json;
  json.BeginArray()
      .Int(std::numeric_limits<std::int64_t>::min())
      .Int(std::numeric_limits<std::int64_t>::max())
      .Double(0.1)
      .Double(1e300)
      .Double(-2.5e-8)
      .Double(std::nan(""))
      .Double(-1.0 / 0.0)
      .Double(3)
      .EndArray();
  EXPECT_EQ(json.str(), "[-9223372036854775808,9223372036854775807,0.1,1e+300,-2.5e-08,null,null,3]");
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  ASSERT_EQ(parser.parse(simdjson::padded_string(json.str())).get(array), simdjson::SUCCESS);
  EXPECT_DOUBLE_EQ(double(array.at(2)), 0.1);
  EXPECT_DOUBLE_EQ(double(array.at(4)), -2.5e-8);
}

TEST(JsonWriter, CommasAndNesting) {
  JsonWriter json;
  json.BeginObject().Key("a").BeginObject().EndObject().Key("b").BeginArray().BeginArray().EndArray();
  json.BeginObject().Key("c").Raw("{\"d\":1}").EndObject().EndArray().EndObject();
  EXPECT_EQ(json.str(), R"({"a":{},"b":[[],{"c":{"d":1}}]})");
  EXPECT_EQ(json.Take(), R"({"a":{},"b":[[],{"c":{"d":1}}]})");
}

}  // namespace
}  // namespace ticketd::projections

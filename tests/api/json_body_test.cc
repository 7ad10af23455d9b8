#include "json_body.h"

#include <gtest/gtest.h>

#include <random>

namespace ticketd::api {
namespace {

JsonBody ParseOk(std::string_view text) {
  auto parsed = JsonBody::Parse(text);
  EXPECT_TRUE(std::holds_alternative<JsonBody>(parsed)) << text;
  return std::holds_alternative<JsonBody>(parsed) ? std::get<JsonBody>(parsed) : JsonBody{};
}

FieldError ParseError(std::string_view text) {
  auto parsed = JsonBody::Parse(text);
  EXPECT_TRUE(std::holds_alternative<FieldError>(parsed)) << text;
  return std::holds_alternative<FieldError>(parsed) ? std::get<FieldError>(parsed) : FieldError{};
}

TEST(JsonBody, ReadsScalarsAndNamesBadFields) {
  JsonBody body = ParseOk(R"({"s":"x","n":3,"d":1.5,"b":true,"z":null,"o":{"a":[1]}})");
  EXPECT_EQ(std::get<std::optional<std::string>>(body.GetString("s", true, 10)), "x");
  EXPECT_EQ(std::get<FieldError>(body.GetString("n", true, 10)).field, "n");
  EXPECT_EQ(std::get<FieldError>(body.GetString("z", false, 10)).message, "must be a string");
  EXPECT_EQ(std::get<FieldError>(body.GetString("o", false, 10)).field, "o");
  EXPECT_EQ(std::get<FieldError>(body.GetString("missing", true, 10)).message, "is required");
  EXPECT_FALSE(std::get<std::optional<std::string>>(body.GetString("missing", false, 10)).has_value());
  EXPECT_EQ(std::get<std::optional<bool>>(body.GetBool("b")), true);
  EXPECT_TRUE(std::holds_alternative<FieldError>(body.GetBool("s")));
  EXPECT_TRUE(body.IsNull("z"));
  EXPECT_EQ(body.FirstUnknownKey({"s", "n", "d", "b", "z"}), "o");
  EXPECT_EQ(std::get<FieldError>(ParseOk(R"({"s":"ääää"})").GetString("s", true, 3)).field, "s");
  EXPECT_TRUE(
      std::holds_alternative<std::optional<std::string>>(ParseOk(R"({"s":"äää"})").GetString("s", true, 3)));
}

TEST(JsonBody, RejectsWhatIsNotOneJsonObject) {
  for (std::string_view bad : {"", "[]", "\"x\"", "{", "{\"a\":1} x", "{\"a\":1,\"a\":2}", "{'a':1}",
                               "{\"a\":tru}", "{\"a\":\"\xff\"}", "nul"}) {
    (void)ParseError(bad);
  }
  EXPECT_EQ(ParseError(R"({"a":1,"a":2})").field, "a");
  EXPECT_TRUE(std::holds_alternative<JsonBody>(JsonBody::Parse("  ", /*allow_empty=*/true)));
  std::string deep = "{\"a\":" + std::string(10000, '[') + std::string(10000, ']') + "}";
  (void)ParseError(deep);
  (void)ParseError(R"({"n":123456789012345678901234567890})");  // beyond 64 bits: refused, not wrapped
}

TEST(JsonBody, ReadsEachScalarType) {
  JsonBody body = ParseOk(R"({"i":-42,"big":9223372036854775807,"u":18446744073709551615,"d":2.5,"e":1e3,)"
                          R"("t":true,"f":false,"z":null,"s":"h\u00e9\n","a":[1,{"x":[]}],"o":{}})");
  ASSERT_EQ(body.fields().size(), 11u);
  EXPECT_EQ(std::get<std::int64_t>(*body.Find("i")), -42);
  EXPECT_EQ(std::get<std::int64_t>(*body.Find("big")), INT64_MAX);
  EXPECT_DOUBLE_EQ(std::get<double>(*body.Find("u")), 18446744073709551615.0);  // above int64: a double
  EXPECT_DOUBLE_EQ(std::get<double>(*body.Find("d")), 2.5);
  EXPECT_DOUBLE_EQ(std::get<double>(*body.Find("e")), 1000.0);
  EXPECT_EQ(std::get<bool>(*body.Find("t")), true);
  EXPECT_EQ(std::get<bool>(*body.Find("f")), false);
  EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(*body.Find("z")));
  EXPECT_EQ(std::get<std::string>(*body.Find("s")), "h\xc3\xa9\n");
  EXPECT_TRUE(std::holds_alternative<JsonOther>(*body.Find("a")));
  EXPECT_TRUE(std::holds_alternative<JsonOther>(*body.Find("o")));
  EXPECT_EQ(body.fields()[0].first, "i");  // document order is kept
  EXPECT_EQ(body.fields()[10].first, "o");
  EXPECT_FALSE(body.Has("nope"));
  EXPECT_EQ(body.Find("nope"), nullptr);
}

TEST(JsonBody, GettersReportTypeErrorsByField) {
  JsonBody body = ParseOk(R"({"s":"x","n":1,"z":null,"a":[],"b":"true"})");
  EXPECT_EQ(std::get<FieldError>(body.GetString("a", true, 10)).message, "must be a string");
  EXPECT_EQ(std::get<FieldError>(body.GetString("z", true, 10)).field, "z");
  EXPECT_EQ(std::get<FieldError>(body.GetBool("b")).field, "b");
  EXPECT_EQ(std::get<FieldError>(body.GetBool("z")).field, "z");
  EXPECT_EQ(std::get<FieldError>(body.GetBool("a")).field, "a");
  EXPECT_FALSE(std::get<std::optional<bool>>(body.GetBool("missing")).has_value());
  EXPECT_FALSE(body.IsNull("s"));
  EXPECT_FALSE(body.IsNull("missing"));
  EXPECT_FALSE(body.FirstUnknownKey({"s", "n", "z", "a", "b"}).has_value());
  EXPECT_EQ(body.FirstUnknownKey({}), "s");
  auto too_long = body.GetString("s", true, 0);
  ASSERT_TRUE(std::holds_alternative<FieldError>(too_long));
  EXPECT_EQ(std::get<FieldError>(too_long).field, "s");
  EXPECT_NE(std::get<FieldError>(too_long).message.find("at most 0"), std::string::npos);
}

TEST(JsonBody, DuplicateKeysAreRefusedEvenWhenSpelledWithEscapes) {
  EXPECT_EQ(ParseError(R"({"subject":"a","x":1,"subject":"b"})").field, "subject");
  EXPECT_EQ(ParseError(R"({"ab":1,"a\u0062":2})").field, "ab");
  EXPECT_EQ(ParseError(R"({"":1,"":2})").field, "");
  (void)ParseOk(R"({"a":{"k":1},"b":{"k":1}})");  // the same key in different nested objects is fine
}

TEST(JsonBody, MalformedNestedContentIsAnError) {
  for (std::string_view bad : {R"({"a":[1,]})", R"({"a":{"b":}})", R"({"a":[1 2]})", R"({"a":{"b":1,"b"}})",
                               R"({"a":["\x"]})", R"({"a":[nul]})", R"({"a":[1]]})"}) {
    EXPECT_EQ(ParseError(bad).field, "") << bad;
  }
}

TEST(JsonBody, InvalidUtf8AnywhereIsRefused) {
  for (std::string bad : {std::string("{\"a\":\"\xc3\x28\"}"), std::string("{\"\xff\":1}"),
                          std::string("{\"a\":[\"\xed\xa0\x80\"]}"),    // a surrogate
                          std::string("{\"a\":\"\xf4\x90\x80\x80\"}"),  // above U+10FFFF
                          std::string("{\"a\":\"\xc0\xaf\"}")}) {       // overlong
    FieldError error = ParseError(bad);
    EXPECT_NE(error.message.find("UTF-8"), std::string::npos) << error.message;
  }
}

TEST(JsonBody, DeepNestingIsAnErrorNotACrash) {
  for (std::size_t depth : {65u, 1000u, 10000u, 100000u}) {
    std::string open(depth, '['), close(depth, ']');
    EXPECT_EQ(ParseError("{\"a\":" + open + close + "}").field, "") << depth;
    EXPECT_EQ(ParseError("{\"a\":" + open).field, "") << depth;  // unterminated as well
  }
  std::string objects;
  for (int i = 0; i < 10000; ++i) objects += "{\"a\":";
  (void)ParseError(objects);
  (void)ParseOk("{\"a\":" + std::string(20, '[') + std::string(20, ']') + "}");
}

TEST(JsonBody, HugeNumbersAreRefusedOrKeptAsDoubles) {
  (void)ParseError(R"({"n":-9223372036854775809000})");
  (void)ParseError(R"({"n":1e999})");
  (void)ParseError(R"({"n":01})");
  (void)ParseError(R"({"n":1.})");
  (void)ParseError(R"({"n":-})");
  (void)ParseError(R"({"n":NaN})");
  EXPECT_EQ(std::get<std::int64_t>(*ParseOk(R"({"n":-9223372036854775808})").Find("n")), INT64_MIN);
  EXPECT_DOUBLE_EQ(std::get<double>(*ParseOk(R"({"n":1e308})").Find("n")), 1e308);
  EXPECT_DOUBLE_EQ(std::get<double>(*ParseOk(R"({"n":-0.0})").Find("n")), 0.0);
}

TEST(JsonBody, EmptyBlankAndTrailingContent) {
  EXPECT_EQ(ParseError("").message, "the body must be a JSON object");
  (void)ParseError(" \r\n\t");
  EXPECT_TRUE(std::holds_alternative<JsonBody>(JsonBody::Parse("", /*allow_empty=*/true)));
  EXPECT_TRUE(std::get<JsonBody>(JsonBody::Parse("", true)).fields().empty());
  (void)ParseOk(" \n{ \"a\" : 1 }\n ");
  for (std::string_view bad : {"{}{}", "{} {}", "{}x", "{},", "{}]", "{}\"", "{}0"}) (void)ParseError(bad);
  (void)ParseError(std::string_view("{}\0", 3));
  (void)ParseError(std::string_view("{\"a\":\"x\0y\"}", 11));  // a raw NUL inside a string
  EXPECT_EQ(std::get<std::string>(*ParseOk(R"({"a":"x\u0000y"})").Find("a")), std::string("x\0y", 3));
}

TEST(JsonBody, CountCodePoints) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("\xc3\xa9t\xc3\xa9"), 3u);                 // été
  EXPECT_EQ(CountCodePoints("\xe2\x82\xac"), 1u);                      // €
  EXPECT_EQ(CountCodePoints("\xf0\x9f\x98\x80\xf0\x9f\x98\x80"), 2u);  // two emoji
}

}  // namespace
}  // namespace ticketd::api

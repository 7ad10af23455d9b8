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

TEST(JsonBody, RandomBytesNeverCrash) {
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  const std::string good = R"({"subject":"Printer","description":"x","priority":"high","due_at":null})";
  int parsed = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string s = good;
    for (int k = rng() % 5; k >= 0; --k) s[rng() % s.size()] = static_cast<char>(rng());
    if (std::holds_alternative<JsonBody>(JsonBody::Parse(s))) ++parsed;
  }
  EXPECT_LT(parsed, 10000);
}

}  // namespace
}  // namespace ticketd::api

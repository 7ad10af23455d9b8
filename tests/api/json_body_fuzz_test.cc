// JsonBody against hostile bytes: random documents and mutations of a
// valid one never crash, and whatever parses is a valid flat object.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "json_body.h"

namespace ticketd::api {

// For comparing whole JsonValues: any object or array equals any other.
bool operator==(const JsonOther&, const JsonOther&) { return true; }

namespace {

// What a successful parse promises: text was an object, keys are unique and
// every string is valid UTF-8.
void ExpectWellFormed(const JsonBody& body, const std::string& input) {
  std::size_t first = input.find_first_not_of(" \t\r\n");
  ASSERT_NE(first, std::string::npos) << input;
  EXPECT_EQ(input[first], '{') << input;
  for (std::size_t i = 0; i < body.fields().size(); ++i) {
    const auto& [key, value] = body.fields()[i];
    EXPECT_TRUE(simdjson::validate_utf8(key.data(), key.size())) << input;
    if (const auto* text = std::get_if<std::string>(&value)) {
      EXPECT_TRUE(simdjson::validate_utf8(text->data(), text->size())) << input;
    }
    for (std::size_t k = 0; k < i; ++k) EXPECT_NE(body.fields()[k].first, key) << input;
  }
}

TEST(JsonBodyFuzz, RandomBytes) {
  const unsigned seed = std::random_device{}();
  std::printf("JsonBodyFuzz.RandomBytes seed %u\n", seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  static constexpr char kAlphabet[] = "{}[]:,\"\\ \n0123456789-+.eEtrufalsnu\xc3\xa9\xff\x80\x01";
  for (int i = 0; i < 10000; ++i) {
    std::string input;
    if (rng() % 2) input = "{";
    std::size_t length = rng() % 48;
    for (std::size_t k = 0; k < length; ++k) {
      if (rng() % 8 == 0) {
        input.push_back(static_cast<char>(rng()));  // any byte at all
      } else {
        input.push_back(kAlphabet[rng() % (sizeof kAlphabet - 1)]);
      }
    }
    auto parsed = JsonBody::Parse(input);
    if (const auto* body = std::get_if<JsonBody>(&parsed)) {
      ExpectWellFormed(*body, input);
    } else {
      EXPECT_FALSE(std::get<FieldError>(parsed).message.empty());
    }
  }
}

// A random value as JSON text; `expected` gets what JsonBody should read.
std::string RandomValue(std::mt19937& rng, JsonValue* expected, int depth = 0) {
  switch (rng() % 7) {
    case 0:
      *expected = nullptr;
      return "null";
    case 1:
      *expected = rng() % 2 == 0;
      return std::get<bool>(*expected) ? "true" : "false";
    case 2: {
      std::int64_t n = static_cast<std::int64_t>(rng()) * (rng() % 2 ? 1 : -1) * (rng() % 1000);
      *expected = n;
      return std::to_string(n);
    }
    case 3: {
      double d = static_cast<double>(rng() % 100000) / 64.0 + 0.5;  // exact in binary
      *expected = d;
      return std::to_string(d);
    }
    case 4: {
      static constexpr std::string_view kPieces[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                                     " "};
      std::string text;
      for (int k = rng() % 6; k > 0; --k) text += kPieces[rng() % std::size(kPieces)];
      *expected = text;
      return "\"" + text + "\"";
    }
    default: {
      *expected = JsonOther{};
      if (depth > 3) return "[]";
      JsonValue ignored;
      std::string inner = rng() % 2 ? "[" + RandomValue(rng, &ignored, depth + 1) + "]"
                                    : "{\"k\":" + RandomValue(rng, &ignored, depth + 1) + "}";
      return inner;
    }
  }
}

TEST(JsonBodyFuzz, RandomValidObjectsReadBackExactly) {
  const unsigned seed = std::random_device{}();
  std::printf("JsonBodyFuzz.RandomValidObjectsReadBackExactly seed %u\n", seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  for (int i = 0; i < 10000; ++i) {
    std::vector<std::pair<std::string, JsonValue>> expected(rng() % 6);
    std::string input = "{";
    for (std::size_t k = 0; k < expected.size(); ++k) {
      expected[k].first = "f" + std::to_string(k);
      if (k > 0) input += rng() % 2 ? "," : " ,\n";
      input += "\"" + expected[k].first + "\":" + RandomValue(rng, &expected[k].second);
    }
    input += "}";
    auto parsed = JsonBody::Parse(input);
    ASSERT_TRUE(std::holds_alternative<JsonBody>(parsed)) << input;
    const JsonBody& body = std::get<JsonBody>(parsed);
    ASSERT_EQ(body.fields().size(), expected.size()) << input;
    for (std::size_t k = 0; k < expected.size(); ++k) {
      EXPECT_EQ(body.fields()[k].first, expected[k].first);
      // Every generated double is exact in binary and in its decimal text.
      EXPECT_TRUE(body.fields()[k].second == expected[k].second) << input << " field " << k;
    }
  }
}

TEST(JsonBodyFuzz, MutatedValidDocuments) {
  const unsigned seed = std::random_device{}();
  std::printf("JsonBodyFuzz.MutatedValidDocuments seed %u\n", seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  const std::string good =
      R"({"subject":"Printer on fire","description":"Sm\u00f6ke","priority":"high","due_at":null,)"
      R"("tags":["a","b"],"n":12,"x":1.5e2,"internal":false})";
  ASSERT_TRUE(std::holds_alternative<JsonBody>(JsonBody::Parse(good)));
  int still_valid = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string input = good;
    for (int edits = 1 + rng() % 4; edits > 0; --edits) {
      std::size_t at = rng() % input.size();
      switch (rng() % 3) {
        case 0:
          input[at] = static_cast<char>(rng());
          break;
        case 1:
          input.erase(at, 1 + rng() % 3);
          break;
        default:
          input.insert(at, 1, static_cast<char>(rng()));
      }
      if (input.empty()) input = "{";
    }
    auto parsed = JsonBody::Parse(input);
    if (const auto* body = std::get_if<JsonBody>(&parsed)) {
      ++still_valid;
      ExpectWellFormed(*body, input);
    }
  }
  EXPECT_LT(still_valid, 10000);
}

}  // namespace
}  // namespace ticketd::api

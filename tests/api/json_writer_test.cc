#include "ticketd/projections/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace ticketd::projections {
namespace {

TEST(JsonWriter, EscapesAndAlwaysProducesValidJson) {
  JsonWriter json;
  json.BeginObject().Key("s").String(std::string("q\"\\\n\t\x01\x7f \xff\xc3\x28 \xe2\x80\xa8 ok ü", 28));
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

}  // namespace
}  // namespace ticketd::projections

#include "query_string.h"

#include <gtest/gtest.h>

namespace ticketd::api {
namespace {

TEST(QueryString, DecodesPathAndParams) {
  auto t = ParseTarget("/api/v1/tickets?status=open,in_progress&status=on_hold&q=printer+jam%21&empty=");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->path, "/api/v1/tickets");
  EXPECT_EQ(ValuesOf(*t, "status"), (std::vector<std::string>{"open", "in_progress", "on_hold"}));
  EXPECT_EQ(ValueOf(*t, "q"), "printer jam!");
  EXPECT_EQ(ValueOf(*t, "empty"), "");
  EXPECT_FALSE(ValueOf(*t, "nothing").has_value());
  EXPECT_EQ(ParseTarget("/a%00b")->path, std::string("/a\0b", 4));
}

TEST(QueryString, MalformedEscapesFail) {
  for (std::string_view bad : {"/x?q=%", "/x?q=%4", "/x?q=%zz", "x", "", "/a%g0"})
    EXPECT_FALSE(ParseTarget(bad)) << bad;
}

TEST(QueryString, PathSegments) {
  EXPECT_EQ(PathSegments("/api/v1/tickets/abc/"),
            (std::vector<std::string_view>{"api", "v1", "tickets", "abc"}));
  EXPECT_TRUE(PathSegments("/").empty());
}

TEST(QueryString, PlusIsASpaceOnlyInTheQuery) {
  auto t = ParseTarget("/a+b/c%20d?k+1=v+2%2B");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/a+b/c d");
  ASSERT_EQ(t->params.size(), 1u);
  EXPECT_EQ(t->params[0].first, "k 1");
  EXPECT_EQ(t->params[0].second, "v 2+");
}

TEST(QueryString, EscapesDecodeToAnyByte) {
  auto t = ParseTarget("/x?b=%ff%FE%00&u=%C3%A9&amp=%26&eq=a%3Db");
  ASSERT_TRUE(t);
  EXPECT_EQ(ValueOf(*t, "b"), std::string("\xff\xfe\0", 3));
  EXPECT_EQ(ValueOf(*t, "u"), "\xc3\xa9");
  EXPECT_EQ(ValueOf(*t, "amp"), "&");
  EXPECT_EQ(ValueOf(*t, "eq"), "a=b");
}

TEST(QueryString, MalformedEscapesAnywhereFail) {
  for (std::string_view bad : {"/x%", "/x%1", "/x?%=1", "/x?a%2=1", "/x?q=%%41", "/x?q=%-1", "/x?q=% 1",
                               "/x?a=1&b=%G1", "*", "http://host/x"})
    EXPECT_FALSE(ParseTarget(bad)) << bad;
  EXPECT_TRUE(ParseTarget("/x?q=%41%42"));
}

TEST(QueryString, RepeatedAndCommaSeparatedValues) {
  auto t = ParseTarget("/t?tag=a&tag=b,c&tag=&tag=,,d,&other=x&tag=e%2Cf");
  ASSERT_TRUE(t);
  EXPECT_EQ(ValuesOf(*t, "tag"), (std::vector<std::string>{"a", "b", "c", "d", "e", "f"}));
  EXPECT_EQ(ValueOf(*t, "tag"), "e,f");  // the last one wins
  EXPECT_TRUE(ValuesOf(*t, "none").empty());
  EXPECT_TRUE(ValuesOf(*t, "TAG").empty());  // keys are case-sensitive
}

TEST(QueryString, EmptyPartsAndKeysWithoutValues) {
  auto t = ParseTarget("/t?&&flag&=v&k=&&");
  ASSERT_TRUE(t);
  EXPECT_EQ(ValueOf(*t, "flag"), "");
  EXPECT_EQ(ValueOf(*t, ""), "v");
  EXPECT_EQ(ValueOf(*t, "k"), "");
  auto bare = ParseTarget("/t?");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->path, "/t");
  EXPECT_TRUE(bare->params.empty());
}

TEST(QueryString, PathSegmentsIgnoreEmptyOnes) {
  EXPECT_EQ(PathSegments("//api///v1/"), (std::vector<std::string_view>{"api", "v1"}));
  EXPECT_EQ(PathSegments("/a"), (std::vector<std::string_view>{"a"}));
  EXPECT_EQ(PathSegments("no-slash"), (std::vector<std::string_view>{"no-slash"}));
  EXPECT_TRUE(PathSegments("").empty());
  EXPECT_TRUE(PathSegments("///").empty());
}

TEST(QueryString, AnyBytesAreSafe) {
  std::string target = "/";
  for (int c = 0; c < 256; ++c) target.push_back(static_cast<char>(c));
  (void)ParseTarget(target);                          // has a bad escape ('%' then '&'): fails cleanly
  EXPECT_TRUE(ParseTarget(std::string(20000, '/')));  // long targets are fine
}

}  // namespace
}  // namespace ticketd::api

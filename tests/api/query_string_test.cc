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

}  // namespace
}  // namespace ticketd::api

#include "mail_fixture.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace ticketd::test_support {

std::string MailFixture(std::string_view name, const MailValues& values) {
  const std::string path = std::string(TICKETD_MAIL_FIXTURES) + "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "missing mail fixture " << path;
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::string text = bytes.str();
  for (const auto& [key, value] : values) {
    const std::string placeholder = "{{" + key + "}}";
    for (std::size_t pos = 0; (pos = text.find(placeholder, pos)) != std::string::npos; pos += value.size())
      text.replace(pos, placeholder.size(), value);
  }
  return text;
}

}  // namespace ticketd::test_support

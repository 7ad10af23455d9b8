// The one hex, base64url and SHA-256 of the project (base/).
#include "ticketd/base/encoding.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "ticketd/base/sha256.h"

namespace ticketd {
namespace {

TEST(HexTest, EncodesLowercaseAndDecodesEitherCase) {
  const std::uint8_t bytes[] = {0x00, 0x9f, 0xa0, 0xff};
  EXPECT_EQ(HexEncode(bytes), "009fa0ff");
  std::uint8_t out[4];
  ASSERT_TRUE(HexDecode("009FA0ff", out));
  EXPECT_EQ(std::memcmp(out, bytes, 4), 0);
}

TEST(HexTest, RefusesWrongLengthsAndNonHex) {
  std::uint8_t out[2];
  EXPECT_FALSE(HexDecode("abc", out));
  EXPECT_FALSE(HexDecode("abcdef", out));
  EXPECT_FALSE(HexDecode("abcg", out));
  EXPECT_FALSE(HexDecode("ab d", out));
  EXPECT_FALSE(HexDecode("", out));
}

TEST(Base64UrlTest, Rfc4648Vectors) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foob"), "Zm9vYg");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlDecode("Zm9vYg"), "foob");
}

TEST(Base64UrlTest, RoundTripsRandomBytes) {
  std::mt19937 random(42);  // seed printed by being fixed
  for (int n = 0; n < 200; ++n) {
    std::string bytes(static_cast<std::size_t>(n), '\0');
    for (char& c : bytes) c = static_cast<char>(random());
    auto decoded = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(decoded.has_value()) << n;
    EXPECT_EQ(*decoded, bytes) << n;
  }
}

TEST(Base64UrlTest, IsStrict) {
  EXPECT_FALSE(Base64UrlDecode("Zg==").has_value());   // padding
  EXPECT_FALSE(Base64UrlDecode("Z+8").has_value());    // the standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm 9v").has_value());  // whitespace
  EXPECT_FALSE(Base64UrlDecode("Z").has_value());      // a length no encoding has
  EXPECT_FALSE(Base64UrlDecode("Zh").has_value());     // non-zero unused bits: a second spelling of "f"
}

TEST(Sha256Test, KnownDigestsAndPartsConcatenate) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256({"a", "", "bc"}), Sha256("abc"));
}

}  // namespace
}  // namespace ticketd

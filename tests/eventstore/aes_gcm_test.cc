// eventstore/src/aes_gcm: SealGcm, GcmSealer and OpenGcm against OpenSSL's
// AES-256-GCM driven directly here (the same nonce must give the same bytes:
// what was stored before still opens, and what is sealed now opens with any
// GCM), and against the GCM specification's test case 16.
#include "aes_gcm.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

namespace ticketd::eventstore {
namespace {

std::string FromHex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

SecretKey KeyFrom(std::string_view raw) {
  SecretKey key{};
  std::copy(raw.begin(), raw.end(), key.begin());
  return key;
}

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// Ciphertext + tag of `plaintext` under `nonce`, straight from OpenSSL.
std::string ReferenceSeal(const SecretKey& key, std::string_view nonce, std::string_view aad, std::string_view plaintext) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(plaintext.size() + kGcmTagBytes, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  int n = 0;
  int tail = 0;
  EXPECT_EQ(EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), U(nonce)), 1);
  EXPECT_EQ(EVP_EncryptUpdate(ctx.get(), nullptr, &n, U(aad), static_cast<int>(aad.size())), 1);
  EXPECT_EQ(EVP_EncryptUpdate(ctx.get(), o, &n, U(plaintext), static_cast<int>(plaintext.size())), 1);
  EXPECT_EQ(EVP_EncryptFinal_ex(ctx.get(), o + n, &tail), 1);
  EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagBytes, o + plaintext.size()), 1);
  return out;
}

std::string RandomText(std::mt19937_64& rng, std::size_t size) {
  std::string s(size, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

const std::vector<std::size_t> kSizes = {0, 1, 15, 16, 17, 255, 4096, 70'001};

// check(key, plaintext) for one random key and a random text of each size.
template <class Check>
void ForEachText(std::uint64_t seed, const Check& check) {
  std::mt19937_64 rng(seed);
  const SecretKey key = KeyFrom(RandomText(rng, 32));
  for (std::size_t size : kSizes) {
    SCOPED_TRACE(size);
    check(key, RandomText(rng, size));
  }
}

// Sealed by main at de4cc75 (SealGcm and GcmSealer with their own sequences
// of OpenSSL calls), key 32 x 0x07: a text (nonce and sealed apart) and a
// streamed chunk ("first piece, " and "second piece", one string).
SecretKey OldKey() {
  SecretKey key;
  key.fill(7);
  return key;
}
constexpr std::string_view kOldTextNonce = "b72d9abe8cadb63cc8b8800b";
constexpr std::string_view kOldTextSealed = "ece4ed4ad18651a63009e95ce57771bebea318543d363f39c71f070ce9c2288828cbc9237c0e485b404389294a";
constexpr std::string_view kOldChunk =
    "7f1511f8606950ff64213c732379f6975aade7e2bfdf33a144e28d7187f86f7728ea56f83c8d55aaa56248bcb6a7701950893e6f6f";

TEST(AesGcm, OpensTheSpecificationsTestCase16) {
  // "The Galois/Counter Mode of Operation", McGrew & Viega, test case 16
  // (AES-256, 96-bit IV, 20 bytes of AAD).
  const SecretKey key = KeyFrom(FromHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"));
  const std::string plaintext = FromHex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  const std::string aad = FromHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const std::string nonce = FromHex("cafebabefacedbaddecaf888");
  const std::string sealed = FromHex(
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
      "76fc6ece0f4e1768cddf8853bb2d551b");
  std::string opened;
  ASSERT_TRUE(OpenGcm(key, aad, nonce, sealed, &opened));
  EXPECT_EQ(opened, plaintext);
  EXPECT_EQ(ReferenceSeal(key, nonce, aad, plaintext), sealed);
  std::string altered = sealed;
  altered.back() ^= 1;
  EXPECT_FALSE(OpenGcm(key, aad, nonce, altered, &opened));
  EXPECT_TRUE(opened.empty());
  EXPECT_FALSE(OpenGcm(key, aad.substr(1), nonce, sealed, &opened));
}

TEST(AesGcm, ValuesSealedBeforeTheSealersWereOneStillOpen) {
  std::string opened;
  ASSERT_TRUE(OpenGcm(OldKey(), "subject-key:0193a1b2", FromHex(kOldTextNonce), FromHex(kOldTextSealed), &opened));
  EXPECT_EQ(opened, "Printer on floor 3 is on fire");
  const std::string chunk = FromHex(kOldChunk);
  ASSERT_TRUE(OpenGcm(OldKey(), "chunk aad", std::string_view(chunk).substr(0, kGcmNonceBytes),
                      std::string_view(chunk).substr(kGcmNonceBytes), &opened));
  EXPECT_EQ(opened, "first piece, second piece");
}

TEST(AesGcm, SealGcmIsOpenSslsGcmUnderItsNonceByteForByte) {
  ForEachText(16, [](const SecretKey& key, const std::string& plaintext) {
    const std::string aad = "key-id-" + std::to_string(plaintext.size());
    std::string nonce = "left over", sealed = "left over from before";
    ASSERT_TRUE(SealGcm(key, aad, plaintext, &nonce, &sealed));
    ASSERT_EQ(nonce.size(), kGcmNonceBytes);
    EXPECT_EQ(sealed, ReferenceSeal(key, nonce, aad, plaintext));
    std::string opened;
    ASSERT_TRUE(OpenGcm(key, aad, nonce, sealed, &opened));
    EXPECT_EQ(opened, plaintext);
    std::string nonce2, sealed2;
    ASSERT_TRUE(SealGcm(key, aad, plaintext, &nonce2, &sealed2));
    EXPECT_NE(nonce2, nonce) << "a fresh nonce per text";
  });
}

TEST(AesGcm, GcmSealerInPiecesIsSealGcmsLayoutInOneString) {
  GcmSealer sealer;  // one sealer, text after text, as a staging file uses it
  ForEachText(17, [&](const SecretKey& key, const std::string& plaintext) {
    const std::size_t size = plaintext.size();
    for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, size + 1}) {
      SCOPED_TRACE(testing::Message() << "pieces of " << piece);
      const std::string aad = "chunk-" + std::to_string(piece);
      std::string out = "prefix";
      ASSERT_TRUE(sealer.Begin(key, aad, &out));
      for (std::size_t at = 0; at < size; at += piece)
        ASSERT_TRUE(sealer.Update(std::string_view(plaintext).substr(at, piece), &out));
      ASSERT_TRUE(sealer.End(&out));
      ASSERT_EQ(out.size(), 6 + kGcmNonceBytes + size + kGcmTagBytes);
      ASSERT_EQ(out.substr(0, 6), "prefix") << "appended, never overwritten";
      const std::string nonce = out.substr(6, kGcmNonceBytes);
      const std::string sealed = out.substr(6 + kGcmNonceBytes);
      EXPECT_EQ(sealed, ReferenceSeal(key, nonce, aad, plaintext));
      std::string opened;
      ASSERT_TRUE(OpenGcm(key, aad, nonce, sealed, &opened));
      EXPECT_EQ(opened, plaintext);
    }
  });
}

TEST(AesGcm, TheJoinedLayoutIsTheNonceThenSealGcmsBytes) {
  ForEachText(18, [](const SecretKey& key, const std::string& plaintext) {
    std::string out = "K";  // a tag byte in front, as the key vault and the attachment store write
    ASSERT_TRUE(SealGcmJoined(key, "aad", plaintext, &out));
    ASSERT_EQ(out.size(), 1 + kGcmNonceBytes + plaintext.size() + kGcmTagBytes);
    EXPECT_EQ(out[0], 'K');
    const std::string_view joined = std::string_view(out).substr(1);
    EXPECT_EQ(joined.substr(kGcmNonceBytes), ReferenceSeal(key, joined.substr(0, kGcmNonceBytes), "aad", plaintext));
    std::string opened = "stale";
    ASSERT_TRUE(OpenGcmJoined(key, "aad", joined, &opened));
    EXPECT_EQ(opened, plaintext);
    EXPECT_FALSE(OpenGcmJoined(key, "other aad", joined, &opened));
  });
  // The chunk GcmSealer wrote before the sealers were one opens joined too;
  // anything shorter than a nonce does not.
  std::string opened;
  ASSERT_TRUE(OpenGcmJoined(OldKey(), "chunk aad", FromHex(kOldChunk), &opened));
  EXPECT_EQ(opened, "first piece, second piece");
  opened = "stale";
  EXPECT_FALSE(OpenGcmJoined(OldKey(), "chunk aad", "short", &opened));
  EXPECT_TRUE(opened.empty());
}

}  // namespace
}  // namespace ticketd::eventstore

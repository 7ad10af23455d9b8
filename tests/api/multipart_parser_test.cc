#include "multipart_parser.h"

#include <gtest/gtest.h>

#include <vector>

namespace ticketd::api {
namespace {

struct Part {
  PartHeaders headers;
  std::string data;
  bool ended = false;
};

class Collect : public PartSink {
 public:
  Status OnPartBegin(const PartHeaders& headers) override {
    parts.push_back({headers, "", false});
    return Status::Ok();
  }
  Status OnPartData(std::string_view bytes) override {
    parts.back().data.append(bytes);
    return Status::Ok();
  }
  Status OnPartEnd() override {
    parts.back().ended = true;
    return Status::Ok();
  }
  std::vector<Part> parts;
};

// Parses `body` fed in chunks of `chunk` bytes.
Status Parse(std::string_view body, std::size_t chunk, Collect& sink, std::string_view boundary = "XyZ") {
  MultipartParser parser(boundary, sink);
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    if (Status status = parser.Feed(body.substr(at, chunk)); !status.ok()) return status;
  }
  return parser.Finish();
}

const std::string kBody =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"body\"\r\n\r\n"
    "printer is on fire\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"C:\\shots\\a.png\"\r\n"
    "Content-Type: image/png\r\n\r\n"
    "\x89PNG\r\n--XyNOT a boundary\r\n--X\r\n"
    "--XyZ--\r\n"
    "epilogue";

TEST(MultipartParser, SplitsPartsAlikeWhateverTheChunking) {
  for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{64}, kBody.size()}) {
    Collect sink;
    ASSERT_TRUE(Parse(kBody, chunk, sink).ok()) << chunk;
    ASSERT_EQ(sink.parts.size(), 2u) << chunk;
    EXPECT_EQ(sink.parts[0].headers.name, "body");
    EXPECT_FALSE(sink.parts[0].headers.filename);
    EXPECT_EQ(sink.parts[0].data, "printer is on fire");
    EXPECT_EQ(sink.parts[1].headers.name, "file");
    EXPECT_EQ(sink.parts[1].headers.filename, "C:\\shots\\a.png");
    EXPECT_EQ(sink.parts[1].headers.content_type, "image/png");
    EXPECT_EQ(sink.parts[1].data, "\x89PNG\r\n--XyNOT a boundary\r\n--X") << chunk;
    EXPECT_TRUE(sink.parts[1].ended);
  }
}

TEST(MultipartParser, ExtendedFilenameWinsAndIsDecoded) {
  Collect sink;
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=file; filename=\"fallback.png\"; "
      "filename*=UTF-8''%C3%9Cbersicht%20%E2%82%AC.pdf\r\n\r\nx\r\n--XyZ--";
  ASSERT_TRUE(Parse(body, 5, sink).ok());
  EXPECT_EQ(sink.parts[0].headers.filename, "Übersicht €.pdf");

  Collect latin;
  body = "--XyZ\r\nContent-Disposition: form-data; name=file; filename*=iso-8859-1'de'%FCber.png\r\n\r\nx\r\n--XyZ--";
  ASSERT_TRUE(Parse(body, 5, latin).ok());
  EXPECT_EQ(latin.parts[0].headers.filename, "über.png");

  Collect bad;
  body = "--XyZ\r\nContent-Disposition: form-data; name=file; filename*=UTF-8''%G1.png\r\n\r\nx\r\n--XyZ--";
  EXPECT_FALSE(Parse(body, 5, bad).ok());
}

TEST(MultipartParser, RefusesMalformedBodies) {
  const std::vector<std::string> bad = {
      "",                                                                        // nothing at all
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue",       // truncated
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ",  // no closing --
      "--XyZ--",                                                                 // no part
      "--XyZjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--",                       // no disposition
      "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--XyZ--",  // not form-data
      "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--",               // no name
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--",     // open quote
      "--XyZ\r\nno colon here\r\n\r\nv\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX: " + std::string(9000, 'h') + "\r\n\r\nv\r\n--XyZ--",
  };
  for (const std::string& body : bad) {
    for (std::size_t chunk : {std::size_t{1}, std::size_t{1000}}) {
      Collect sink;
      Status status = Parse(body, chunk, sink);
      EXPECT_EQ(status.code(), Status::Code::kInvalidArgument) << body.substr(0, 80) << " chunk " << chunk;
    }
  }
}

TEST(MultipartParser, AThousandTinyPartsAreRefused) {
  std::string body;
  for (int i = 0; i < 1000; ++i) body += "--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
  body += "--XyZ--";
  Collect sink;
  EXPECT_EQ(Parse(body, 4096, sink).code(), Status::Code::kInvalidArgument);
  EXPECT_LE(sink.parts.size(), MultipartParser::kMaxParts);
}

TEST(MultipartParser, TheSinksRefusalStopsTheParse) {
  struct Refuse : Collect {
    Status OnPartData(std::string_view) override { return Status::Unavailable("full"); }
  } sink;
  EXPECT_EQ(Parse(kBody, 3, sink).code(), Status::Code::kUnavailable);
}

TEST(MultipartParser, HoldsOnlyADelimitersTailOfTheData) {
  Collect sink;
  MultipartParser parser("XyZ", sink);
  ASSERT_TRUE(parser.Feed("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n").ok());
  ASSERT_TRUE(parser.Feed(std::string(100000, 'a')).ok());
  EXPECT_GE(sink.parts[0].data.size(), 100000u - 8) << "the data is handed on as it arrives";
}

TEST(MultipartBoundary, ReadsTheBoundaryOfFormDataOnly) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=----WebKitFormBoundaryQ"), "----WebKitFormBoundaryQ");
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_FALSE(MultipartBoundary("multipart/form-data"));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary="));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'b')));
  EXPECT_FALSE(MultipartBoundary("application/json; boundary=x"));
}

}  // namespace
}  // namespace ticketd::api

#include "upload_limits.h"

namespace ticketd::api {
namespace {

http::request_header<> Header(http::verb verb, std::string target, std::string type) {
  http::request_header<> header;
  header.method(verb);
  header.target(target);
  header.set(http::field::content_type, type);
  return header;
}

TEST(UploadLimits, OnlyMultipartPostsToTheThreeUploadRoutesGetRoom) {
  const std::string form = "multipart/form-data; boundary=x";
  constexpr std::size_t kJson = 1 << 20;
  EXPECT_EQ(BodyLimitFor(Header(http::verb::post, "/api/v1/tickets/abc/attachments", form), kJson), kUploadBodyLimit);
  EXPECT_EQ(BodyLimitFor(Header(http::verb::post, "/api/v1/tickets/abc/comments", form), kJson), kUploadBodyLimit);
  EXPECT_EQ(BodyLimitFor(Header(http::verb::post, "/api/v1/tickets", form), kJson), kUploadBodyLimit);
  EXPECT_EQ(BodyLimitFor(Header(http::verb::post, "/api/v1/tickets?x=1", form), kJson), kUploadBodyLimit);
  EXPECT_EQ(BodyLimitFor(Header(http::verb::post, "/api/v1/tickets/abc/attachments", "application/json"), kJson), kJson);
  EXPECT_EQ(BodyLimitFor(Header(http::verb::patch, "/api/v1/tickets/abc", form), kJson), kJson);
  EXPECT_EQ(BodyLimitFor(Header(http::verb::post, "/api/v1/tickets/abc/status", form), kJson), kJson);
  EXPECT_EQ(BodyLimitFor(Header(http::verb::post, "/api/v1/tickets//attachments", form), kJson), kJson);
  EXPECT_EQ(BodyLimitFor(Header(http::verb::post, "/api/v1/tenants", form), kJson), kJson);
}

}  // namespace
}  // namespace ticketd::api

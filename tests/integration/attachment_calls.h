// Multipart bodies and the attachment routes' calls, shared by the
// attachment tests (attachments_test.cc, attachment_counts_test.cc,
// attachment_stream_test.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api_fixture.h"

namespace ticketd::integration {

inline constexpr std::string_view kBoundary = "----ticketdTestBoundary7MA4YWxkTrZu0gW";

struct Part {
  std::string name;
  std::string filename;  // empty: a text part
  std::string bytes;
};

inline std::string Multipart(const std::vector<Part>& parts) {
  std::string body;
  for (const Part& part : parts) {
    body += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
    if (!part.filename.empty()) body += "; filename=\"" + part.filename + "\"\r\nContent-Type: application/octet-stream";
    body += "\r\n\r\n" + part.bytes + "\r\n";
  }
  return body + "--" + std::string(kBoundary) + "--\r\n";
}

inline std::string MultipartType() { return "multipart/form-data; boundary=" + std::string(kBoundary); }

// Helpers for a fixture that derives from ApiTest (TenantTest, OwnServerTest).
template <class Base>
class AttachmentCalls : public Base {
 protected:
  HttpResponse Upload(const User& user, const std::string& ticket, const std::vector<Part>& parts) {
    return this->Call("POST", user.token, "/api/v1/tickets/" + ticket + "/attachments", Multipart(parts),
                      {{"Content-Type", MultipartType()}});
  }
  // Uploads one file; expects 201 and returns the attachment's id.
  std::string UploadOne(const User& user, const std::string& ticket, const std::string& filename,
                        const std::string& bytes) {
    HttpResponse response = Upload(user, ticket, {{"file", filename, bytes}});
    EXPECT_TRUE(HasStatus(response, 201)) << response.body;
    Json json(response.body);
    auto items = GetArray(json.root(), "items");
    return items.empty() ? "" : GetString(items[0], "id");
  }
  HttpResponse Download(const User& user, const std::string& id) {
    return this->Get(user.token, "/api/v1/attachments/" + id);
  }
};

}  // namespace ticketd::integration

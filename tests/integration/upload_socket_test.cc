// Upload bodies read by the attachment workers straight from the socket
// (request_body.h SocketBody, http_session_body.cc), against the real
// binary: a body split into odd-sized TCP writes is stored byte for byte and
// the request behind it on the connection is answered; more concurrent
// uploads than the intake has workers all succeed (a worker with nothing to
// read hands its thread back); a body cut short stores nothing and leaves
// the server serving.
#include <atomic>
#include <thread>

#include "api_fixture.h"
#include "attachment_calls.h"
#include "sample_files.h"

namespace ticketd::integration {
namespace {

using test_support::SamplePdf;
using test_support::SamplePng;

class UploadSocketTest : public AttachmentCalls<TenantTest> {
 protected:
  std::string UploadHead(const std::string& ticket, std::size_t length) {
    return "POST /api/v1/tickets/" + ticket + "/attachments HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " +
           agent_.token + "\r\nContent-Type: " + MultipartType() + "\r\nContent-Length: " +
           std::to_string(length) + "\r\n\r\n";
  }
  std::int64_t StoredFiles() {
    HttpResponse storage = Get(tenant_.admin.token, "/api/v1/admin/storage");
    return GetInt(Json(storage.body).root(), "attachments").value_or(-1);
  }
};

TEST_F(UploadSocketTest, OddSizedWritesStoreTheFileByteForByteAndTheNextRequestIsAnswered) {
  const std::string ticket = CreateTicket(agent_);
  std::string filler(700'001, '\0');
  for (std::size_t i = 0; i < filler.size(); ++i) filler[i] = static_cast<char>((i * 131 + i / 977) & 0xff);
  const std::string pdf = SamplePdf(filler);
  const std::string body = Multipart({{"file", "odd.pdf", pdf}});
  HttpClient client("127.0.0.1", server().port());
  ASSERT_TRUE(client.Connect());
  std::size_t at = 3;
  ASSERT_TRUE(client.Send(UploadHead(ticket, body.size()) + body.substr(0, at)));
  for (std::size_t step : {1, 5, 61, 4097, 65535, 1, 262'145, 7}) {
    ASSERT_TRUE(client.Send(body.substr(at, step)));
    at += step;
  }
  ASSERT_TRUE(client.Send(body.substr(at) + GetRequest("/healthz")));
  HttpResponse uploaded;
  ASSERT_TRUE(client.Read(uploaded));
  ASSERT_TRUE(HasStatus(uploaded, 201)) << uploaded.body;
  Json json(uploaded.body);
  auto items = GetArray(json.root(), "items");
  ASSERT_EQ(items.size(), 1u);
  HttpResponse next;
  ASSERT_TRUE(client.Read(next));
  EXPECT_EQ(next.status, 200) << "the request behind the body: " << next.body;
  HttpResponse bytes = Download(agent_, GetString(items[0], "id"));
  ASSERT_TRUE(HasStatus(bytes, 200));
  EXPECT_TRUE(bytes.body == pdf) << "the stored file differs from the one sent";
}

TEST_F(UploadSocketTest, MoreConcurrentUploadsThanWorkersAllSucceed) {
  constexpr int kUploads = 12;  // the intake has two workers
  const std::string ticket = CreateTicket(agent_);
  const std::uint16_t port = server().port();
  std::atomic<int> created{0};
  std::vector<std::string> failures(kUploads);
  std::vector<std::thread> clients;
  for (int i = 0; i < kUploads; ++i) {
    clients.emplace_back([&, i] {
      std::vector<Part> parts;
      for (int f = 0; f < 3; ++f)
        parts.push_back({"file", "f" + std::to_string(f) + ".png",
                         SamplePng(std::string(600 * 1024, static_cast<char>('A' + i)) + std::to_string(f))});
      HttpClient client("127.0.0.1", port);
      HttpResponse response = client.Request("POST", "/api/v1/tickets/" + ticket + "/attachments", Multipart(parts),
                                             {{"Authorization", "Bearer " + agent_.token}, {"Content-Type", MultipartType()}});
      if (response.status == 201) {
        ++created;
      } else {
        failures[i] = std::to_string(response.status) + " " + response.body;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(created.load(), kUploads);
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");
  HttpResponse listed = Get(agent_.token, "/api/v1/tickets/" + ticket + "/attachments");
  EXPECT_EQ(GetArray(Json(listed.body).root(), "items").size(), static_cast<std::size_t>(3 * kUploads));
}

TEST_F(UploadSocketTest, ABodyCutShortStoresNothingAndTheServerServesOn) {
  const std::string ticket = CreateTicket(agent_);
  const std::int64_t before = StoredFiles();
  const std::string body = Multipart({{"file", "cut.pdf", SamplePdf(std::string(500 * 1024, 'c'))}});
  {
    HttpClient client("127.0.0.1", server().port());
    ASSERT_TRUE(client.Connect());
    ASSERT_TRUE(client.Send(UploadHead(ticket, body.size()) + body.substr(0, body.size() / 2)));
  }  // the client goes away mid-body
  HttpResponse next = Upload(agent_, ticket, {{"file", "whole.pdf", SamplePdf("whole")}});
  EXPECT_TRUE(HasStatus(next, 201)) << next.body;
  EXPECT_EQ(StoredFiles(), before + 1) << "the cut body's file was stored";
}

}  // namespace
}  // namespace ticketd::integration

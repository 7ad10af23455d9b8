#include "raw_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

namespace ticketd::api::testing {

namespace net = boost::asio;

RawClient::RawClient(std::uint16_t port) : stream_(ioc_) {
  net::ip::tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  stream_.expires_after(kTimeout);
  done_ = false;
  stream_.async_connect(endpoint, [this](beast::error_code ec) {
    result_ = ec;
    done_ = true;
  });
  connected_ = !Run();
}

beast::error_code RawClient::Run() {
  ioc_.restart();
  ioc_.run();  // the stream's timeout bounds every operation
  return done_ ? result_ : beast::error_code(beast::error::timeout);
}

beast::error_code RawClient::Send(std::string_view bytes) {
  stream_.expires_after(kTimeout);
  done_ = false;
  net::async_write(stream_, net::buffer(bytes.data(), bytes.size()),
                   [this](beast::error_code ec, std::size_t) {
                     result_ = ec;
                     done_ = true;
                   });
  return Run();
}

beast::error_code RawClient::Read(ClientResponse& response) {
  response = {};
  stream_.expires_after(kTimeout);
  done_ = false;
  http::async_read(stream_, buffer_, response, [this](beast::error_code ec, std::size_t) {
    result_ = ec;
    done_ = true;
  });
  return Run();
}

bool RawClient::ReadsEof() {
  if (buffer_.size() > 0) return false;
  char byte;
  stream_.expires_after(kTimeout);
  done_ = false;
  stream_.async_read_some(net::buffer(&byte, 1), [this](beast::error_code ec, std::size_t) {
    result_ = ec;
    done_ = true;
  });
  beast::error_code ec = Run();
  return ec == net::error::eof || ec == net::error::connection_reset;
}

ClientResponse RawClient::Get(std::string_view target, beast::error_code* ec) {
  ClientResponse response;
  beast::error_code error = Send(GetRequest(target));
  if (!error) error = Read(response);
  if (ec) *ec = error;
  return response;
}

std::string GetRequest(std::string_view target, bool keep_alive) {
  std::string request = "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!keep_alive) request += "Connection: close\r\n";
  return request + "\r\n";
}

}  // namespace ticketd::api::testing

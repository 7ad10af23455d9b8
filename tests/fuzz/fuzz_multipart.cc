// libFuzzer target: the streaming multipart/form-data parser. The first byte
// picks the chunk size, so every split of the body is tried; the parser must
// never crash, must hand on every data byte at most once, and must give the
// same answer whatever the chunking.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "multipart_parser.h"

namespace {

class Count : public ticketd::api::PartSink {
 public:
  ticketd::Status OnPartBegin(const ticketd::api::PartHeaders&) override {
    ++parts;
    return ticketd::Status::Ok();
  }
  ticketd::Status OnPartData(std::string_view bytes) override {
    data += bytes;
    return ticketd::Status::Ok();
  }
  ticketd::Status OnPartEnd() override { return ticketd::Status::Ok(); }
  std::size_t parts = 0;
  std::string data;
};

ticketd::Status Run(std::string_view body, std::size_t chunk, Count& sink) {
  ticketd::api::MultipartParser parser("b0undary", sink);
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    if (auto status = parser.Feed(body.substr(at, chunk)); !status.ok()) return status;
  }
  return parser.Finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::size_t chunk = static_cast<std::size_t>(data[0] % 64) + 1;
  Count split;
  Count whole;
  auto split_status = Run(body, chunk, split);
  auto whole_status = Run(body, body.size() + 1, whole);
  if (split_status.ok() != whole_status.ok()) __builtin_trap();
  if (split_status.ok() && (split.parts != whole.parts || split.data != whole.data)) __builtin_trap();
  if (split.data.size() > body.size()) __builtin_trap();
  ticketd::api::MultipartBoundary(body);
  return 0;
}

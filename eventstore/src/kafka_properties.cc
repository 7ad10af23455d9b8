// librdkafka property files (`--kafka-config FILE`): key=value lines, as in
// the Java client's .properties files minus escapes and continuations.
#include <fstream>
#include <sstream>

#include "ticketd/eventstore/outbox_relay.h"

namespace ticketd::eventstore {
namespace {

std::string_view Trim(std::string_view text) {
  const char* kSpace = " \t\r";
  auto begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  auto end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

}  // namespace

Status ParseKafkaProperties(std::string_view text, KafkaProperties* out) {
  out->clear();
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    auto newline = text.find('\n');
    std::string_view line = Trim(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    if (line.empty() || line.front() == '#') continue;
    auto eq = line.find('=');
    std::string_view key = eq == std::string_view::npos ? std::string_view() : Trim(line.substr(0, eq));
    if (key.empty())
      return Status::InvalidArgument("line " + std::to_string(line_number) + ": expected key=value");
    out->emplace_back(std::string(key), std::string(Trim(line.substr(eq + 1))));
  }
  return Status::Ok();
}

Status LoadKafkaProperties(const std::string& path, KafkaProperties* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  Status s = ParseKafkaProperties(text.str(), out);
  if (!s.ok()) return Status::InvalidArgument(path + ": " + s.message());
  return s;
}

}  // namespace ticketd::eventstore

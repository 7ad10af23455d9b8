#include "multipart_parser.h"

#include <vector>

#include "ticketd/base/hex_digit.h"

namespace ticketd::api {
namespace {

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

constexpr std::string_view kCrlf = "\r\n";
constexpr std::size_t kMaxBoundary = 70;       // RFC 2046
constexpr std::size_t kMaxTransportPadding = 64;  // spaces after a delimiter

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// One `name=value` parameter of a header (value unquoted). Browsers send a
// Windows path's backslashes raw inside the quotes (WHATWG), so a backslash
// only escapes a quote; anything else stays as sent.
struct Parameter {
  std::string name;
  std::string value;
};

// Splits `type; a=b; c="d;e"` into the type and its parameters; nullopt for
// an unterminated quote.
std::optional<std::pair<std::string, std::vector<Parameter>>> SplitParameters(std::string_view header) {
  std::vector<Parameter> parameters;
  std::size_t semi = header.find(';');
  std::string type(Trim(header.substr(0, semi)));
  std::size_t at = semi == std::string_view::npos ? header.size() : semi + 1;
  while (at < header.size()) {
    std::size_t eq = header.find('=', at);
    std::size_t next_semi = header.find(';', at);
    if (eq == std::string_view::npos || (next_semi != std::string_view::npos && next_semi < eq)) {
      // A parameter without a value: skipped (`; ;` or a bare flag).
      if (next_semi == std::string_view::npos) break;
      at = next_semi + 1;
      continue;
    }
    Parameter parameter;
    parameter.name = std::string(Trim(header.substr(at, eq - at)));
    for (char& c : parameter.name) c = AsciiLower(c);
    at = eq + 1;
    while (at < header.size() && (header[at] == ' ' || header[at] == '\t')) ++at;
    if (at < header.size() && header[at] == '"') {
      ++at;
      bool closed = false;
      while (at < header.size()) {
        char c = header[at++];
        if (c == '\\' && at < header.size() && header[at] == '"') {
          parameter.value += '"';
          ++at;
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          parameter.value += c;
        }
      }
      if (!closed) return std::nullopt;
      std::size_t end = header.find(';', at);
      at = end == std::string_view::npos ? header.size() : end + 1;
    } else {
      std::size_t end = header.find(';', at);
      parameter.value = std::string(Trim(header.substr(at, end == std::string_view::npos ? end : end - at)));
      at = end == std::string_view::npos ? header.size() : end + 1;
    }
    parameters.push_back(std::move(parameter));
  }
  return std::make_pair(std::move(type), std::move(parameters));
}

// RFC 5987 ext-value: charset'language'percent-encoded. UTF-8 as is,
// ISO-8859-1 widened to UTF-8; any other charset or a bad escape: nullopt.
std::optional<std::string> DecodeExtValue(std::string_view ext) {
  std::size_t first = ext.find('\'');
  if (first == std::string_view::npos) return std::nullopt;
  std::size_t second = ext.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  std::string charset(ext.substr(0, first));
  for (char& c : charset) c = AsciiLower(c);
  const bool latin1 = charset == "iso-8859-1";
  if (charset != "utf-8" && !latin1) return std::nullopt;
  std::string out;
  std::string_view value = ext.substr(second + 1);
  for (std::size_t i = 0; i < value.size(); ++i) {
    unsigned char byte = static_cast<unsigned char>(value[i]);
    if (value[i] == '%') {
      if (i + 2 >= value.size()) return std::nullopt;
      int high = HexDigitValue(value[i + 1]);
      int low = HexDigitValue(value[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      byte = static_cast<unsigned char>(high * 16 + low);
      i += 2;
    }
    if (latin1 && byte >= 0x80) {
      out += static_cast<char>(0xC0 | (byte >> 6));
      out += static_cast<char>(0x80 | (byte & 0x3F));
    } else {
      out += static_cast<char>(byte);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  auto split = SplitParameters(content_type);
  if (!split || !EqualsIgnoringCase(split->first, "multipart/form-data")) return std::nullopt;
  for (const Parameter& parameter : split->second) {
    if (parameter.name != "boundary") continue;
    if (parameter.value.empty() || parameter.value.size() > kMaxBoundary) return std::nullopt;
    for (char c : parameter.value) {
      if (c == '\r' || c == '\n' || c == '\0') return std::nullopt;
    }
    return parameter.value;
  }
  return std::nullopt;
}

MultipartParser::MultipartParser(std::string_view boundary, PartSink& sink)
    : delimiter_("\r\n--" + std::string(boundary)), sink_(sink), pending_(kCrlf) {}

Status MultipartParser::Fail(Status status) {
  state_ = State::kFailed;
  error_ = status;
  pending_.clear();
  pending_.shrink_to_fit();
  return status;
}

Status MultipartParser::Feed(std::string_view chunk) {
  if (state_ == State::kFailed) return error_;
  if (state_ == State::kEpilogue) return Status::Ok();  // the epilogue is ignored
  pending_.append(chunk);
  bool progressed = true;
  while (progressed && state_ != State::kFailed) {
    progressed = false;
    if (Status status = Step(&progressed); !status.ok()) return Fail(std::move(status));
  }
  return Status::Ok();
}

Status MultipartParser::Finish() {
  if (state_ == State::kFailed) return error_;
  if (state_ != State::kEpilogue) {
    return Fail(Status::InvalidArgument("the multipart body ends before its closing boundary"));
  }
  return Status::Ok();
}

Status MultipartParser::Step(bool* progressed) {
  const std::string_view view = pending_;
  switch (state_) {
    case State::kPreamble: {
      std::size_t at = view.find(delimiter_);
      if (at == std::string_view::npos) {
        // Keep only what could still begin a delimiter.
        if (pending_.size() >= delimiter_.size()) pending_.erase(0, pending_.size() - delimiter_.size() + 1);
        return Status::Ok();
      }
      pending_.erase(0, at + delimiter_.size());
      state_ = State::kAfterDelimiter;
      *progressed = true;
      return Status::Ok();
    }
    case State::kAfterDelimiter: {
      if (view.size() < 2) return Status::Ok();
      if (view.substr(0, 2) == "--") {
        if (parts_ == 0) return Status::InvalidArgument("the multipart body has no part");
        state_ = State::kEpilogue;
        pending_.clear();
        *progressed = true;
        return Status::Ok();
      }
      std::size_t at = 0;
      while (at < view.size() && (view[at] == ' ' || view[at] == '\t')) ++at;
      if (at > kMaxTransportPadding) return Status::InvalidArgument("a multipart boundary is followed by junk");
      if (view.size() - at < 2) return Status::Ok();
      if (view.substr(at, 2) != kCrlf) return Status::InvalidArgument("a multipart boundary is followed by junk");
      pending_.erase(0, at + 2);
      state_ = State::kHeaders;
      *progressed = true;
      return Status::Ok();
    }
    case State::kHeaders: {
      std::size_t end = view.substr(0, 2) == kCrlf ? 0 : view.find("\r\n\r\n");
      if (end == std::string_view::npos) {
        if (view.size() > kMaxHeaderBytes) return Status::InvalidArgument("a multipart part's headers are too long");
        return Status::Ok();
      }
      if (end > kMaxHeaderBytes) return Status::InvalidArgument("a multipart part's headers are too long");
      if (++parts_ > kMaxParts) {
        return Status::InvalidArgument("the multipart body has more than " + std::to_string(kMaxParts) + " parts");
      }
      if (Status status = ParseHeaders(view.substr(0, end)); !status.ok()) return status;
      pending_.erase(0, end == 0 ? 2 : end + 4);
      state_ = State::kData;
      *progressed = true;
      return Status::Ok();
    }
    case State::kData: {
      std::size_t at = view.find(delimiter_);
      if (at == std::string_view::npos) {
        if (view.size() < delimiter_.size()) return Status::Ok();
        std::size_t safe = view.size() - delimiter_.size() + 1;
        if (Status status = sink_.OnPartData(view.substr(0, safe)); !status.ok()) return status;
        pending_.erase(0, safe);
        return Status::Ok();
      }
      if (at > 0) {
        if (Status status = sink_.OnPartData(view.substr(0, at)); !status.ok()) return status;
      }
      if (Status status = sink_.OnPartEnd(); !status.ok()) return status;
      pending_.erase(0, at + delimiter_.size());
      state_ = State::kAfterDelimiter;
      *progressed = true;
      return Status::Ok();
    }
    case State::kEpilogue:
      pending_.clear();
      return Status::Ok();
    case State::kFailed:
      return error_;
  }
  return Status::Ok();
}

Status MultipartParser::ParseHeaders(std::string_view block) {
  PartHeaders headers;
  bool disposition_seen = false;
  while (!block.empty()) {
    std::size_t end = block.find(kCrlf);
    std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view() : block.substr(end + 2);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || line.front() == ' ' || line.front() == '\t') {
      return Status::InvalidArgument("a multipart part has a malformed header line");
    }
    std::string_view name = line.substr(0, colon);
    std::string_view value = Trim(line.substr(colon + 1));
    if (EqualsIgnoringCase(name, "content-type")) {
      headers.content_type = std::string(value);
      continue;
    }
    if (!EqualsIgnoringCase(name, "content-disposition")) continue;  // Content-Transfer-Encoding etc.
    auto split = SplitParameters(value);
    if (!split || !EqualsIgnoringCase(split->first, "form-data")) {
      return Status::InvalidArgument("a multipart part's Content-Disposition is not form-data");
    }
    disposition_seen = true;
    std::optional<std::string> plain_name;
    std::optional<std::string> extended_name;
    for (Parameter& parameter : split->second) {
      if (parameter.name == "name") {
        headers.name = std::move(parameter.value);
      } else if (parameter.name == "filename") {
        plain_name = std::move(parameter.value);
      } else if (parameter.name == "filename*") {
        extended_name = DecodeExtValue(parameter.value);
        if (!extended_name) return Status::InvalidArgument("a part's filename* is not valid RFC 5987");
      }
    }
    headers.filename = extended_name ? std::move(extended_name) : std::move(plain_name);
  }
  if (!disposition_seen || headers.name.empty()) {
    return Status::InvalidArgument("a multipart part has no Content-Disposition with a name");
  }
  return sink_.OnPartBegin(headers);
}

}  // namespace ticketd::api

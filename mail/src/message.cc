#include "ticketd/mail/message.h"

#include <openssl/evp.h>

#include <ctime>
#include <string_view>

namespace ticketd::mail {
namespace {

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Base64 in lines of 76 characters (RFC 2045).
std::string Base64Body(std::string_view bytes) {
  std::string encoded = Base64(bytes), out;
  for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

std::string OneLine(std::string_view value) {
  std::string out;
  for (char c : value) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  return out;
}

bool PlainAscii(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// RFC 2047 encoded-words of at most ~45 input bytes each, never splitting a
// UTF-8 sequence, folded onto continuation lines.
std::string EncodedWords(std::string_view text) {
  if (PlainAscii(text)) return std::string(text);
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

// A display name: a quoted-string when ASCII, else encoded-words.
std::string DisplayName(std::string_view name) {
  if (!PlainAscii(name)) return EncodedWords(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "\"";
}

std::string RfcDate(domain::Timestamp micros) {
  std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buffer;
}

}  // namespace

std::string ComposeMessage(const OutgoingMail& mail) {
  // The boundary only needs to be absent from the base64 parts: '=' and '_'
  // around it cannot occur in base64 lines.
  const std::string boundary = "=_ticketd_" + OneLine(mail.message_id.substr(1, 24)) + "_=";
  std::string m;
  m += "From: " + OneLine(mail.from) + "\r\n";
  m += "To: " + (mail.to_name.empty() ? "" : DisplayName(OneLine(mail.to_name)) + " ") + "<" + OneLine(mail.to) +
       ">\r\n";
  m += "Subject: " + EncodedWords(OneLine(mail.subject)) + "\r\n";
  m += "Date: " + RfcDate(mail.date) + "\r\n";
  m += "Message-ID: " + OneLine(mail.message_id) + "\r\n";
  if (!mail.in_reply_to.empty()) {
    m += "In-Reply-To: " + OneLine(mail.in_reply_to) + "\r\n";
    m += "References: " + OneLine(mail.in_reply_to) + "\r\n";
  }
  if (!mail.reply_to.empty()) m += "Reply-To: " + OneLine(mail.reply_to) + "\r\n";
  m += "Auto-Submitted: auto-generated\r\n";
  if (!mail.personal_data.empty()) {
    m += "X-Ticketd-Personal-Data:";
    for (const std::string& tag : mail.personal_data) m += " " + OneLine(tag);
    m += "\r\n";
  }
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  m += "--" + boundary + "\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += Base64Body(mail.text);
  m += "--" + boundary + "\r\n";
  m += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += Base64Body(mail.html);
  m += "--" + boundary + "--\r\n";
  return m;
}

}  // namespace ticketd::mail

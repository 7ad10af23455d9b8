// --smtp smtp://… | smtps://…: delivery to a relay with libcurl. One easy
// handle is kept, so consecutive mails reuse the relay connection.
#include <curl/curl.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "ticketd/mail/transport.h"

namespace ticketd::mail {
namespace {

struct Upload {
  const std::string* message;
  std::size_t offset = 0;
};

std::size_t ReadChunk(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->message->size() - upload->offset);
  std::memcpy(buffer, upload->message->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

// The relay's answer may quote the recipient's address; the log must not keep it.
std::string WithoutAddress(std::string text, const std::string& address) {
  if (address.empty()) return text;
  for (std::size_t at; (at = text.find(address)) != std::string::npos;) text.replace(at, address.size(), "<recipient>");
  return text;
}

class SmtpTransport final : public Transport {
 public:
  SmtpTransport(std::string url, SmtpConfig config) : url_(std::move(url)), config_(std::move(config)) {
    curl_ = curl_easy_init();
  }
  ~SmtpTransport() override {
    if (curl_) curl_easy_cleanup(curl_);
  }

  DeliveryResult Deliver(const OutgoingMail& mail, const std::string& message) override {
    if (!curl_) return {DeliveryOutcome::kRetry, "libcurl did not initialise"};
    curl_easy_reset(curl_);
    Upload upload{&message};
    const std::string from = "<" + mail.from + ">", to = "<" + mail.to + ">";
    curl_slist* recipients = curl_slist_append(nullptr, to.c_str());
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl_, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl_, CURLOPT_READFUNCTION, ReadChunk);
    curl_easy_setopt(curl_, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 60000L);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_USE_SSL, config_.starttls == StartTls::kRequired        ? CURLUSESSL_ALL
                                             : config_.starttls == StartTls::kOpportunistic ? CURLUSESSL_TRY
                                                                                             : CURLUSESSL_NONE);
    if (!config_.username.empty()) {
      curl_easy_setopt(curl_, CURLOPT_USERNAME, config_.username.c_str());
      curl_easy_setopt(curl_, CURLOPT_PASSWORD, config_.password.c_str());
    }
    const CURLcode rc = curl_easy_perform(curl_);
    long code = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(recipients);
    if (rc == CURLE_OK) return {DeliveryOutcome::kSent, ""};
    std::string why = std::string(curl_easy_strerror(rc)) + (error[0] ? std::string(": ") + error : "");
    if (code > 0) why = "SMTP " + std::to_string(code) + ": " + why;
    why = WithoutAddress(std::move(why), mail.to);
    // A 5xx answer is the relay's final word on this mail; everything else
    // (no connection, 4xx, timeouts) may pass.
    const bool permanent = code >= 500 && code < 600 && rc != CURLE_COULDNT_CONNECT;
    return {permanent ? DeliveryOutcome::kPermanent : DeliveryOutcome::kRetry, why};
  }

 private:
  std::string url_;
  SmtpConfig config_;
  CURL* curl_ = nullptr;
};

}  // namespace

Status ParseSmtpConfig(const std::string& text, SmtpConfig* config) {
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find('=');
    const std::string key = line.substr(0, eq), value = eq == std::string::npos ? "" : line.substr(eq + 1);
    const std::string where = "line " + std::to_string(number) + ": ";
    if (eq == std::string::npos) return Status::InvalidArgument(where + "expected key=value");
    if (key == "username") {
      config->username = value;
    } else if (key == "password") {
      config->password = value;
    } else if (key == "starttls") {
      if (value == "required") config->starttls = StartTls::kRequired;
      else if (value == "opportunistic") config->starttls = StartTls::kOpportunistic;
      else if (value == "off") config->starttls = StartTls::kOff;
      else return Status::InvalidArgument(where + "starttls must be required, opportunistic or off");
    } else {
      return Status::InvalidArgument(where + "unknown key " + key);
    }
  }
  return Status::Ok();
}

Status LoadSmtpConfig(const std::string& path, SmtpConfig* config) {
  std::ifstream in(path);
  if (!in) return Status::IOError("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return ParseSmtpConfig(text.str(), config);
}

Status MakeSmtpTransport(const std::string& url, const SmtpConfig& config, std::unique_ptr<Transport>* transport) {
  if (!url.starts_with("smtp://") && !url.starts_with("smtps://"))
    return Status::InvalidArgument("--smtp must be off, spool, smtp://HOST:PORT or smtps://HOST:PORT");
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK) return Status::Unavailable("libcurl did not initialise");
  *transport = std::make_unique<SmtpTransport>(url, config);
  return Status::Ok();
}

}  // namespace ticketd::mail

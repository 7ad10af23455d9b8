// GET /api/v1/stream: the tenant's live ticket events as server-sent events
// (WEB-UI.md "Live"; the protocol and its limits: docs/api-decisions.md).
// The handler checks the request and hands a LiveHub stream to the session;
// everything after the header is the hub's (live_hub.h).
#include "handler_support.h"
#include "handlers.h"
#include "live_event.h"
#include "live_hub.h"

namespace ticketd::api {
namespace {

constexpr int kRetryAfterSeconds = 5;

Response Refused(LiveHub::Refusal refusal, const LiveHubOptions& options) {
  switch (refusal) {
    case LiveHub::Refusal::kTooManyForUser: {
      Response response = ErrorResponse(
          http::status::too_many_requests, "TOO_MANY_STREAMS",
          "this user already has " + std::to_string(options.max_streams_per_user) + " open streams; close one",
          "{\"limit\":" + std::to_string(options.max_streams_per_user) + "}");
      response.set(http::field::retry_after, std::to_string(kRetryAfterSeconds));
      return response;
    }
    case LiveHub::Refusal::kTooMany:
    case LiveHub::Refusal::kStopping:
      break;
  }
  Response response = ErrorResponse(http::status::service_unavailable, "UNAVAILABLE",
                                    "the server takes no more streams now; retry later");
  response.set(http::field::retry_after, std::to_string(kRetryAfterSeconds));
  return response;
}

// Last-Event-ID (what EventSource sends on reconnecting), else
// ?last_event_id= (for clients that cannot set headers); nullopt in *resume
// when neither is given. Replies 400 and returns false when malformed.
bool ReadResume(const CallPtr& call, std::optional<std::uint64_t>* resume) {
  const Request& request = call->request;
  std::string_view field = "Last-Event-ID";
  std::optional<std::string> text;
  if (request.count("Last-Event-ID") > 1) {
    call->Reply(ValidationError(field, "must be sent once"));
    return false;
  }
  if (auto it = request.find("Last-Event-ID"); it != request.end()) {
    text = std::string(it->value().data(), it->value().size());
  } else if ((text = ValueOf(call->target, "last_event_id"))) {
    field = "last_event_id";
  }
  if (!text) return true;
  *resume = ParseLastEventId(*text);
  if (*resume) return true;
  call->Reply(ValidationError(field, "must be a log position (the id of an event of this stream)"));
  return false;
}

}  // namespace

void HandleStream(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  std::optional<std::uint64_t> resume;
  if (!ReadResume(call, &resume)) return;
  if (!services.live || !call->stream)
    return call->Reply(FromStatus(Status::Unavailable("live streams are not served here")));
  StreamCredential credential{.actor = call->actor,
                              .session_id = call->session_id,
                              .token_sha256 = call->token_sha256,
                              .expires_at_seconds = call->token_expires_at};
  LiveHub::Refusal refusal{};
  ResponseStreamPtr stream = services.live->Subscribe(credential, resume, &refusal);
  if (!stream) return call->Reply(Refused(refusal, services.live->options()));
  Response head{http::status::ok, 11};
  head.set(http::field::content_type, "text/event-stream");  // always UTF-8 (HTML, SSE)
  head.set(http::field::cache_control, "no-store");
  head.set("X-Accel-Buffering", "no");  // proxies such as nginx: pass each event on at once
  call->ReplyStream(std::move(head), std::move(stream));
}

}  // namespace ticketd::api

// Operations routes: /healthz and /metrics (no tenant, no token).
#include "handler_support.h"
#include "handlers.h"
#include "ticketd/app/metrics.h"

namespace ticketd::api {

void HandleHealth(Services&, const CallPtr& call) {
  call->Reply(JsonResponse(http::status::ok, R"({"status":"ok"})"));
}

void HandleMetrics(Services& services, const CallPtr& call) {
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, "text/plain; version=0.0.4");
  response.body() = services.metrics.Render();
  call->Reply(std::move(response));
}

}  // namespace ticketd::api

// GET /api/v1/audit/read-models (platform admin): the canonical hashes of the
// write model and every read model at one log position. They are computed
// on the engine's writer thread between batches so all six describe the
// same position; the reply is rendered there too.
#include "ticketd/app/engine.h"
#include "handlers.h"
#include "responses.h"

namespace ticketd::api {

void HandleReadModelHashes(Services& services, const CallPtr& call) {
  if (!call->actor.IsPlatformAdmin())
    return call->Reply(Forbidden("the read-model hashes are for the platform admin"));
  services.engine.ComputeReadModelHashes([call](app::ReadModelHashes&& hashes) {
    call->Reply(JsonResponse(http::status::ok, ReadModelHashesJson(hashes)));
  });
}

}  // namespace ticketd::api

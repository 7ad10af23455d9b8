// POST /api/v1/admin/backups: an online backup taken by the running server
// (it holds the log's lock, so nobody else can). Platform admin only.
#include "ticketd/app/backup.h"
#include "ticketd/app/engine.h"
#include "handler_support.h"
#include "handlers.h"

namespace ticketd::api {

void HandleCreateBackup(Services& services, const CallPtr& call) {
  if (!call->actor.IsPlatformAdmin())
    return call->Reply(Forbidden("backups are for the platform admin"));
  auto body = ReadBody(call, {"to"});
  if (!body) return;
  FieldReader fields(*body);
  std::optional<std::string> to = fields.String("to", true, 4096);
  if (fields.error) return call->Reply(std::move(*fields.error));
  // The backup runs on the engine's backup thread (seconds on a large data
  // dir); this HTTP thread goes back to other requests, and the answer is
  // sent when the backup is done.
  services.engine.Backup(std::move(*to), [call](Status s, const app::BackupResult& result) {
    if (s.code() == Status::Code::kInvalidArgument) return call->Reply(ValidationError("to", s.message()));
    if (!s.ok()) return call->Reply(FromStatus(s));
    call->Reply(JsonResponse(http::status::created, BackupJson(result)));
  });
}

}  // namespace ticketd::api

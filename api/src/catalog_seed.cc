#include "catalog_seed.h"

#include <future>
#include <vector>

#include "ticketd/app/ids.h"

namespace ticketd::api {

Status SeedDefaultCatalogs(app::Engine& engine, domain::Timestamp now) {
  domain::Actor system;
  system.kind = domain::Actor::Kind::kPlatformAdmin;
  std::vector<std::future<Status>> pending;
  for (const domain::Id& tenant_id : engine.catalog().UnseededTenants()) {
    domain::SeedDefaultCatalog command{.actor = system, .at = now, .tenant_id = tenant_id};
    for (domain::Id& id : command.entry_ids) id = app::RandomId();
    auto done = std::make_shared<std::promise<Status>>();
    pending.push_back(done->get_future());
    engine.Submit(domain::DirectoryCommand{command}, app::RandomId(), [done](app::CommandOutcome&& outcome) {
      if (!outcome.status.ok()) return done->set_value(outcome.status);
      if (outcome.error) return done->set_value(Status::InvalidArgument(outcome.error->message));
      done->set_value(Status::Ok());
    });
  }
  for (auto& result : pending)
    if (Status s = result.get(); !s.ok()) return s;
  return Status::Ok();
}

}  // namespace ticketd::api

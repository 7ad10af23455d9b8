#include "fixtures.h"

namespace ticketd::domain::testing {

const Actors& TheActors() {
  static const Actors actors = [] {
    auto user = [](std::uint8_t tag, Role role, bool it = false, const Id& tenant = kTenant) {
      return Actor{Actor::Kind::kUser, MakeId(tag, tenant.bytes[0]), tenant, role, it};
    };
    Actors a;
    a.reporter = user(1, Role::kReporter);
    a.other_reporter = user(2, Role::kReporter);
    a.agent = user(3, Role::kAgent);
    a.it_reporter = user(4, Role::kReporter, true);
    a.manager = user(5, Role::kManager);
    a.admin = user(6, Role::kAdmin);
    a.foreign_admin = user(7, Role::kAdmin, false, kOtherTenant);
    a.platform = Actor{Actor::Kind::kPlatformAdmin};
    return a;
  }();
  return actors;
}

CommandHeader Header(const Actor& actor, std::optional<std::int64_t> expected) {
  return CommandHeader{actor, 1'000'000, kTicket, expected};
}

TicketContext ContextWithAgent() {
  TicketContext context{"TKT", 1};
  context.assignee = UserFacts{TheActors().agent.user_id, kTenant, true};
  return context;
}

TicketState Fold(TicketState state, const std::vector<DomainEvent>& events) {
  for (const auto& e : events) state = EvolveTicket(std::move(state), e);
  return state;
}

TicketState TicketIn(TicketStatus status, std::optional<Id> assignee) {
  CreateTicket create;
  create.header = Header(TheActors().reporter);
  create.subject = "Printer jams";
  create.description = "third floor";
  auto created = DecideTicket(InitialTicketState(), create, TicketContext{"TKT", 1});
  TicketState state = Fold(InitialTicketState(), created.value());
  if (assignee) {
    DomainEvent e{kTenant, kTicket, 2'000'000, TheActors().agent.user_id, TicketAssigned{assignee}};
    state = EvolveTicket(std::move(state), e);
  }
  if (status != TicketStatus::kOpen) {
    DomainEvent e{kTenant, kTicket, 3'000'000, TheActors().agent.user_id,
                  TicketStatusChanged{TicketStatus::kOpen, status}};
    state = EvolveTicket(std::move(state), e);
  }
  return state;
}

}  // namespace ticketd::domain::testing

// Builders of ticket views for the read-model tests.
#pragma once

#include <cstring>
#include <memory>

#include "test_ids.h"
#include "ticketd/projections/ticket_read_model.h"

namespace ticketd::projections::testing {

inline domain::Id Tid(std::uint32_t n, std::uint8_t tenant = 1) { return test_support::TestIdOf(tenant, n, 9); }

inline const domain::Id kTenantA = Tid(0, 1);
inline const domain::Id kTenantB = Tid(0, 2);

inline domain::Ticket MakeTicket(std::uint32_t n, const domain::Id& tenant = kTenantA) {
  domain::Ticket t;
  t.id = Tid(n, tenant.bytes[0]);
  t.tenant_id = tenant;
  t.number = n;
  t.number_text = "TKT-" + std::to_string(n);
  t.subject = "ticket " + std::to_string(n);
  t.reporter_id = Tid(1000);
  t.created_at = t.updated_at = 1'000'000 * static_cast<std::int64_t>(n);
  t.version = 1;
  return t;
}

inline TicketPtr Ptr(domain::Ticket t) { return std::make_shared<const domain::Ticket>(std::move(t)); }

}  // namespace ticketd::projections::testing

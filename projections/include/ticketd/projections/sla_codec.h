// Canonical binary encoding of the SLA state (issue 12): a tenant's SLA
// settings (policies, auto-close) and a ticket's SLA history and reading,
// shared by the write model's, the directory's and the tickets' snapshots
// and canonical hashes (binary_codec.h).
#pragma once

#include "ticketd/domain/sla_events.h"
#include "ticketd/projections/binary_codec.h"

namespace ticketd::projections {

void EncodeSlaSettings(BinaryWriter& out, const domain::SlaSettings& settings);
[[nodiscard]] bool DecodeSlaSettings(BinaryReader& in, domain::SlaSettings* settings);

// Ticket::sla_history and Ticket::sla.
void EncodeTicketSla(BinaryWriter& out, const domain::Ticket& ticket);
[[nodiscard]] bool DecodeTicketSla(BinaryReader& in, domain::Ticket* ticket);

}  // namespace ticketd::projections

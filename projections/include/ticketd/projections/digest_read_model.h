// DigestReadModel: the morning digest of each tenant: the open and
// in_progress tickets grouped by priority, each group ordered by due date
// (none last). Build() is what GET /api/v1/digest and the 07:00 UTC mailer
// call. It keeps no copy of the tickets: Build reads the tenant's live
// tickets from the ticket read model in one pass and sorts the active ones
// (O(n log n) per digest, whose answer is O(n) anyway), instead of keeping
// an ordered map node per active ticket (96 bytes each, ~92 MiB at a
// million open tickets; issue 16, RSS).
// Threading: OnTicketEvent on the writer thread; Build from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ticketd/domain/id.h"
#include "ticketd/domain/time.h"
#include "ticketd/projections/binary_codec.h"
#include "ticketd/projections/projector.h"
#include "ticketd/projections/ticket_read_model.h"

namespace ticketd::projections {

struct DigestEntry {
  TicketPtr ticket;
  bool overdue = false;  // due_at before the digest day's 07:00 UTC
};

struct DigestGroup {
  domain::Priority priority = domain::Priority::kMedium;
  std::vector<DigestEntry> tickets;
};

struct Digest {
  domain::Timestamp day = 0;        // midnight UTC of the digest's date
  bool skipped = false;             // nothing open: a mailer sends nothing
  std::vector<DigestGroup> groups;  // urgent -> low, only non-empty groups
};

inline constexpr domain::Timestamp kDigestHourUtc = 7;

class DigestReadModel final : public TicketProjector {
 public:
  // `tickets` (which must outlive this) holds the live tickets.
  explicit DigestReadModel(const TicketReadModel& tickets);
  ~DigestReadModel() override;

  void OnTicketEvent(const domain::DomainEvent& event, const TicketPtr& before,
                     const TicketPtr& after) override;

  // `day` is midnight UTC of the digest's date (domain::ParseDate).
  Digest Build(const domain::Id& tenant_id, domain::Timestamp day) const;

  // Canonical serialization (binary_codec.h) of the content, tenants and
  // tickets by id: equal content, equal bytes, whatever the history. Not part
  // of snapshots: this model is rebuilt from the write model's live tickets.
  void EncodeCanonical(BinaryWriter& out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketd::projections

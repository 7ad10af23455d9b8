// EngineState: everything the engine folds from the log — the write model
// and the five read models — and the one way events are folded into them,
// shared by the engine's recovery and writer, snapshots, and
// `ticket-replay read-models` (read_model_hashes.h). Writer thread only
// (the read models' own locks make their const methods safe elsewhere).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ticketd/app/read_model_hashes.h"
#include "ticketd/domain/events.h"
#include "ticketd/projections/analytics_read_model.h"
#include "ticketd/projections/attachment_storage_read_model.h"
#include "ticketd/projections/catalog_read_model.h"
#include "ticketd/projections/comment_read_model.h"
#include "ticketd/projections/digest_read_model.h"
#include "ticketd/projections/directory_read_model.h"
#include "ticketd/projections/ticket_read_model.h"
#include "write_model.h"

namespace ticketd::app {

struct EngineState {
  WriteModel write_model;
  projections::TicketReadModel tickets;
  projections::DirectoryReadModel directory;
  projections::CommentReadModel comments;
  projections::DigestReadModel digest{tickets};  // reads the live tickets from `tickets`
  projections::AnalyticsReadModel analytics;
  projections::CatalogReadModel catalog;  // workflow (issue 12)
  projections::AttachmentStorageReadModel storage;  // attachments (issue 13)
  std::vector<projections::TicketProjector*> projectors{&digest, &analytics, &storage};
  // The SLA scheduler's view of ticket changes (Engine::AttachTicketObserver).
  std::function<void(const domain::Id&, const domain::Id&, const projections::TicketPtr&)> ticket_observer;

  // For a state folded only to encode a snapshot body (snapshot_rebuild.h):
  // the ticket list and the digest are not in the body, so they are not kept.
  void FoldOnlyWhatSnapshotsHold() {
    index_tickets = false;
    projectors = {&analytics};
  }
  bool index_tickets = true;

  // Folds one stored event into the write model, then the read models.
  void Apply(const domain::DomainEvent& event);
  // Feeds the read models one event whose effect on the write model is
  // known: `before`/`after` are the ticket around it (null for directory events).
  void Project(const domain::DomainEvent& event, const projections::TicketPtr& before,
               const projections::TicketPtr& after);

  // The snapshot body: the write model, directory, comments, analytics and catalog
  // (tickets and digest are functions of the live tickets and are rebuilt).
  // The layout EncodeSnapshotBody writes: bump it whenever any model's
  // snapshot encoding changes, so an older file is skipped (and the log
  // replayed) instead of misread.
  // 2: the write model's tenants and the directory carry the access state
  // (groups, settings, licence, alerts, API keys; issue 11).
  // 3: and the sign-in state (slugs, users' active flag, sessions, resets).
  // 4: tickets carry catalog ids and closed_at; tenants their catalog; the
  // write model the assignment ledger; a catalog section (issue 12); SLA
  // settings and each ticket's SLA history and reading (wf-sla).
  // 5: tickets carry their attachment counts; an attachment storage section
  // (issue 13, upload2).
  static constexpr std::uint32_t kSnapshotBodyLayout = 5;
  std::string EncodeSnapshotBody() const;
  // Loads a body into this fresh state; false if it does not parse.
  [[nodiscard]] bool DecodeSnapshotBody(std::string_view body);

  ReadModelHashes Hashes(std::uint64_t position) const;

 private:
  // The ticket list and the digest from the write model's live tickets.
  void RebuildFromLiveTickets();
};

}  // namespace ticketd::app

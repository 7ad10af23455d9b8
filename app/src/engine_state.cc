#include "engine_state.h"

#include <algorithm>
#include <future>
#include <thread>

#include "ticketd/base/sha256.h"
#include "ticketd/projections/json_writer.h"

namespace ticketd::app {

using projections::BinaryReader;
using projections::BinaryWriter;
using projections::TicketPtr;

namespace {

template <class Model>
std::string CanonicalHash(const Model& model) {
  BinaryWriter out;
  model.EncodeCanonical(out);
  return Sha256Hex(out.str());
}

// Sections are length-prefixed so a reader knows each model's bytes exactly.
template <class Model>
void AppendSection(BinaryWriter& body, const Model& model) {
  BinaryWriter section;
  model.EncodeCanonical(section);
  body.Bytes(section.str());
}

}  // namespace

void EngineState::Apply(const domain::DomainEvent& event) {
  TicketPtr before = write_model.Ticket(event.stream_id);
  TicketPtr after = write_model.Apply(event);
  Project(event, before, after);
}

void EngineState::Project(const domain::DomainEvent& event, const TicketPtr& before, const TicketPtr& after) {
  directory.Apply(event);
  comments.Apply(event);
  if (std::holds_alternative<domain::SlaDirectoryEvent>(event.payload)) {
    // A policy change recomputed governed tickets: the newest version of each.
    for (const TicketPtr& restamped : write_model.TakeSlaRestamped()) {
      if (TicketPtr current = write_model.Ticket(restamped->id); current && index_tickets) {
        tickets.Upsert(current);
        if (ticket_observer) ticket_observer(current->tenant_id, current->id, current);
      }
    }
  }
  catalog.Apply(event);  // workflow (issue 12)
  if (!before && !after) return;  // not a ticket event
  if (index_tickets && std::holds_alternative<domain::TicketDeleted>(event.payload)) {
    tickets.Remove(event.tenant_id, event.stream_id);
  } else if (index_tickets && after) {
    tickets.Upsert(after);
  }
  for (projections::TicketProjector* projector : projectors) projector->OnTicketEvent(event, before, after);
  if (ticket_observer) ticket_observer(event.tenant_id, event.stream_id, after);
}

std::string EngineState::EncodeSnapshotBody() const {
  BinaryWriter body;
  AppendSection(body, write_model);
  AppendSection(body, directory);
  AppendSection(body, comments);
  AppendSection(body, analytics);
  AppendSection(body, catalog);  // workflow (issue 12)
  AppendSection(body, storage);  // attachments (issue 13)
  return body.Take();
}

bool EngineState::DecodeSnapshotBody(std::string_view body) {
  BinaryReader in(body);
  std::string_view write_bytes, directory_bytes, comment_bytes, analytics_bytes, catalog_bytes, storage_bytes;
  if (!in.BytesView(&write_bytes) || !in.BytesView(&directory_bytes) || !in.BytesView(&comment_bytes) ||
      !in.BytesView(&analytics_bytes) || !in.BytesView(&catalog_bytes) || !in.BytesView(&storage_bytes) ||
      !in.AtEnd())
    return false;
  // The sections are independent: the directory, comments and analytics
  // load on a second thread while this one loads the write model and
  // rebuilds the ticket index from it (restart time on a 2-core machine).
  std::future<bool> others = std::async(std::launch::async, [&] {
    BinaryReader directory_in(directory_bytes), comment_in(comment_bytes), analytics_in(analytics_bytes),
        catalog_in(catalog_bytes), storage_in(storage_bytes);
    return directory.DecodeSnapshot(directory_in) && directory_in.AtEnd() && comments.DecodeSnapshot(comment_in) &&
           comment_in.AtEnd() && analytics.DecodeSnapshot(analytics_in) && analytics_in.AtEnd() &&
           catalog.DecodeSnapshot(catalog_in) && catalog_in.AtEnd() && storage.DecodeSnapshot(storage_in) &&
           storage_in.AtEnd();
  });
  BinaryReader write_in(write_bytes);
  const bool write_ok = write_model.Decode(write_in) && write_in.AtEnd();
  if (write_ok && index_tickets) RebuildFromLiveTickets();
  const bool others_ok = others.get();
  return write_ok && others_ok;
}

void EngineState::RebuildFromLiveTickets() {
  // The ticket list and the digest hold exactly the live tickets. The list
  // is built in bulk, tenants split over the cores (restart time: one
  // ordered insert per ticket cost most of a 1M-ticket restart); a creation
  // (before = null) puts each ticket where the digest wants it.
  std::vector<TicketPtr> live;
  write_model.ForEachLiveTicket([&](const TicketPtr& ticket) { live.push_back(ticket); });
  domain::DomainEvent as_created;
  for (const TicketPtr& ticket : live) {
    as_created.tenant_id = ticket->tenant_id;
    as_created.stream_id = ticket->id;
    digest.OnTicketEvent(as_created, nullptr, ticket);
  }
  const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  tickets.AddNew(std::move(live), threads);
}

ReadModelHashes EngineState::Hashes(std::uint64_t position) const {
  ReadModelHashes hashes;
  hashes.position = position;
  hashes.tickets = CanonicalHash(tickets);
  hashes.directory = CanonicalHash(directory);
  hashes.comments = CanonicalHash(comments);
  hashes.digest = CanonicalHash(digest);
  hashes.analytics = CanonicalHash(analytics);
  hashes.write_model = CanonicalHash(write_model);
  return hashes;
}

Status RebuildReadModelHashes(const eventstore::EventLog& log, ReadModelHashes* hashes) {
  auto state = std::make_unique<EngineState>();
  std::uint64_t position = 0;
  Status s = log.ReadAllPipelined(1, [&](const eventstore::RecordedEvent& recorded) {
    state->Apply(recorded.event);
    position = recorded.position;
    return true;
  });
  if (!s.ok()) return s;
  *hashes = state->Hashes(position);
  return Status::Ok();
}

std::string ReadModelHashesJson(const ReadModelHashes& hashes) {
  projections::JsonWriter json;
  json.BeginObject().Key("position").Int(static_cast<std::int64_t>(hashes.position));
  json.Key("hashes").BeginObject();
  json.Key("tickets").String(hashes.tickets);
  json.Key("directory").String(hashes.directory);
  json.Key("comments").String(hashes.comments);
  json.Key("digest").String(hashes.digest);
  json.Key("analytics").String(hashes.analytics);
  json.Key("write_model").String(hashes.write_model);
  json.EndObject().EndObject();
  return json.Take();
}

}  // namespace ticketd::app

// Engine: the application shell around the deciders. One writer thread owns
// the write-side state (every ticket's and tenant's folded state), takes the
// commands queued by all connections, decides them in arrival order, appends
// all their events in ONE synced WriteBatch (group commit), then updates the
// read models and only then completes the commands. Nothing is acknowledged
// before its batch is on disk, and a client that got its answer sees its
// write in the next read.
//
// Threading: Submit() and the read-model accessors from any thread;
// completions run on the writer thread and must be quick (render, post).
// Because one thread decides, there are no lost updates: If-Match is checked
// against the state the command is decided on.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ticketd/app/backup.h"
#include "ticketd/app/read_model_hashes.h"
#include "ticketd/base/command_path_load.h"
#include "ticketd/domain/directory.h"
#include "ticketd/domain/errors.h"
#include "ticketd/base/status.h"
#include "ticketd/domain/ticket.h"
#include "ticketd/eventstore/event_log.h"
#include "ticketd/projections/analytics_read_model.h"
#include "ticketd/projections/attachment_storage_read_model.h"
#include "ticketd/projections/catalog_read_model.h"
#include "ticketd/projections/comment_read_model.h"
#include "ticketd/projections/digest_read_model.h"
#include "ticketd/projections/directory_read_model.h"
#include "ticketd/projections/ticket_read_model.h"

namespace ticketd::app {

class Metrics;

// The id of a FireTimer's first event: derived from (ticket, kind, due time).
domain::Id TimerEventId(const domain::FireTimer& timer);

using EngineCommand = std::variant<domain::TicketCommand, domain::DirectoryCommand>;

struct CommandOutcome {
  Status status;                             // not OK: storage failed (503), nothing happened
  std::optional<domain::DomainError> error;  // the decider refused (4xx)
  std::vector<domain::DomainEvent> events;   // what was committed (may be empty: no-op)
  projections::TicketPtr ticket;             // ticket commands: the ticket after the command
  bool replayed = false;                     // idempotent retry of an already-committed create
  std::optional<domain::Timestamp> erased_at;  // erasure commands: when the subject was erased
};

using Completion = std::function<void(CommandOutcome&&)>;

struct EngineOptions {
  std::string data_dir;
  bool sync = true;
  std::size_t max_batch_commands = 2048;
  domain::Timestamp stale_after = projections::kDefaultStaleAfter;  // analytics: stale in_progress
  // Seals personal data (crypto-shredding); none: stored plain (benchmarks).
  std::optional<eventstore::MasterKey> master_key;
  // Snapshots (DATA_DIR/snapshots, docs/snapshots.md): one every this many
  // events and one on a clean Stop(); 0 = never write one (existing ones are
  // still used at start).
  std::uint64_t snapshot_every = 100000;
};

class Engine {
 public:
  // Opens the log under data_dir and rebuilds state and read models from it.
  static Status Open(const EngineOptions& options, Metrics* metrics, std::unique_ptr<Engine>* engine);
  ~Engine();  // Stop()s
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Queues a command; `done` runs exactly once on the writer thread (or
  // inline with Unavailable after Stop()).
  void Submit(EngineCommand command, domain::Id correlation_id, Completion done);

  // `listener` runs on the writer thread after every batch that committed
  // events (a cheap wake-up for the outbox relay, the notifier, live streams,
  // timers); it must not block, nor add or remove listeners. Any number may
  // be added, at any time; the handle removes it again.
  std::uint64_t AddCommitListener(std::function<void()> listener);
  void RemoveCommitListener(std::uint64_t handle);

  // workflow (issue 12): `observer` is told every live ticket now, then each
  // ticket the engine changes (after: null when deleted), on the writer
  // thread after its batch is committed; it must be quick. One observer (the
  // SLA scheduler); a second call replaces it. Waits for the writer.
  using TicketObserver =
      std::function<void(const domain::Id& tenant_id, const domain::Id& ticket_id, const projections::TicketPtr& after)>;
  void AttachTicketObserver(TicketObserver observer);
  // The tenant's auto_close_resolved_after (the default for an unknown tenant).
  std::optional<domain::Duration> AutoCloseAfter(const domain::Id& tenant_id) const;

  // Finishes every queued command, then stops the writer thread. Idempotent.
  // Finishes every queued command, stops the writer thread, then writes a
  // snapshot if anything happened since the last one. Idempotent.
  void Stop();

  // Writes a snapshot of the current state synchronously and deletes every
  // other snapshot file, so no older snapshot keeps state that has since been
  // removed (GDPR erasure). Safe from any thread, also from a completion on
  // the writer thread; waits for a background snapshot in flight first.
  Status RetakeSnapshotNow();

  // Backs the data dir up into `to` (BackupDataDir) on the engine's backup
  // thread, never on the caller's. Ordered with erasures: it starts only
  // when no erasure is between its fence and its completion (purge and
  // snapshot retake), and erasures arriving meanwhile wait until it ends; so
  // a backup whose position is at or after an erasure holds neither the
  // destroyed key nor a snapshot from before it. `done` runs on that thread.
  void Backup(std::string to, std::function<void(Status, const BackupResult&)> done);

  // Runs `job` on the engine's slow-read thread, in order with other such
  // jobs: reads over many tickets (SLA simulate) that must stay off the HTTP
  // threads and the writer. False (and `job` dropped) once stopping.
  bool PostSlowRead(std::function<void()> job);

  // Hashes every model at one log position, on the writer thread between
  // batches (it pauses writes for the time it takes); `done` runs there.
  void ComputeReadModelHashes(std::function<void(ReadModelHashes&&)> done);

  // How hard the writer works right now (bulk work paces itself by it).
  const CommandPathLoad& command_path_load() const;

  const projections::TicketReadModel& tickets() const;
  const projections::DirectoryReadModel& directory() const;
  const projections::CommentReadModel& comments() const;
  const projections::DigestReadModel& digest() const;
  const projections::AnalyticsReadModel& analytics() const;
  const projections::CatalogReadModel& catalog() const;  // workflow (issue 12)
  const projections::AttachmentStorageReadModel& attachment_storage() const;  // attachments (issue 13)
  domain::Timestamp stale_after() const;
  eventstore::EventLog& log() const;
  const std::string& data_dir() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketd::app

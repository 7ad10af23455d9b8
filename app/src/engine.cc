#include "ticketd/app/engine.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "engine_state.h"
#include "ticketd/app/attachment_stream.h"
#include "ticketd/app/backup.h"
#include "ticketd/base/answer_batch.h"
#include "ticketd/app/ids.h"
#include "ticketd/app/metrics.h"
#include "serial_worker.h"
#include "snapshot_rebuild.h"
#include "snapshot_scheduler.h"
#include "idle_memory.h"
#include "ticketd/domain/idempotency.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::app {

using domain::DomainEvent;

namespace {

struct Pending {
  EngineCommand command;
  domain::Id correlation_id;
  Completion done;
};

// The result of deciding one command against the write model.
struct Decision {
  CommandOutcome outcome;
  // Per event: the ticket before and after it (both null for directory events).
  std::vector<projections::TicketPtr> ticket_before, ticket_after;
  eventstore::Commit commit;
};

bool IsErasureCommand(const EngineCommand& command) {
  // A hard delete may shred attachment bytes (their keys are purged the same way).
  if (const auto* ticket = std::get_if<domain::TicketCommand>(&command))
    return std::holds_alternative<domain::EraseTicket>(*ticket) || std::holds_alternative<domain::DeleteTicket>(*ticket);
  return std::holds_alternative<domain::EraseUser>(std::get<domain::DirectoryCommand>(command));
}

// The QuotaAlertRaised to record for a directory command refused with
// QUOTA_EXCEEDED; nullopt for any other outcome.
std::optional<DomainEvent> QuotaAlertFor(const EngineCommand& command, const domain::DomainError& error) {
  const auto* directory = std::get_if<domain::DirectoryCommand>(&command);
  if (!directory || error.code != domain::ErrorCode::kQuotaExceeded) return std::nullopt;
  return std::visit(
      [&](const auto& c) { return domain::QuotaAlertEvent(error, c.tenant_id, c.actor, c.at); }, *directory);
}

double SecondsSince(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

// CPU time of the calling thread: recovery runs on one thread, and on a
// shared machine its CPU time says more about "events/s on one core" than
// the wall clock does.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// The files a ticket command carries (their bytes, or their staged chunks).
const std::vector<domain::NewAttachment>* AttachmentsOf(const EngineCommand& command) {
  const auto* ticket_command = std::get_if<domain::TicketCommand>(&command);
  if (ticket_command == nullptr) return nullptr;
  if (const auto* attach = std::get_if<domain::AttachFiles>(ticket_command)) return &attach->files;
  if (const auto* comment = std::get_if<domain::AddComment>(ticket_command)) return &comment->attachments;
  if (const auto* create = std::get_if<domain::CreateTicket>(ticket_command)) return &create->attachments;
  if (const auto* status = std::get_if<domain::ChangeStatus>(ticket_command)) return &status->attachments;  // email in
  return nullptr;
}

// Staged upload bytes belong to the command that carries them: only its
// commit adopts them, so when it fails (refused, conflict, I/O, shutting
// down) they are dropped here, for every command and route alike, instead
// of lingering until the next start's sweep. On the writer thread: one
// small unsynced RocksDB write, on failures only.
Completion DropStagedOnFailure(eventstore::EventLog& log, const EngineCommand& command, Completion done) {
  const std::vector<domain::NewAttachment>* files = AttachmentsOf(command);
  std::vector<domain::NewAttachment> staged;
  if (files != nullptr) {
    for (const domain::NewAttachment& file : *files)
      if (!file.staged.empty()) staged.push_back({{}, {}, {}, {}, 0, nullptr, file.staged});
  }
  if (staged.empty()) return done;
  return [&log, staged = std::move(staged), done = std::move(done)](CommandOutcome&& outcome) {
    if (!outcome.status.ok() || outcome.error) DropStagedFiles(log, staged);
    done(std::move(outcome));
  };
}

// The same for every thread of the process: the replay's reading thread too.
double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string RenderCommandPathLoad(const CommandPathLoad& load) {
  auto now = CommandPathLoad::Clock::now();
  CommandPathLoad::Reading reading = load.Read(now);
  char text[640];
  std::snprintf(text, sizeof text,
                "# HELP ticketd_command_path_busy_ratio Share of the last 100 ms the writer spent in batches.\n"
                "# TYPE ticketd_command_path_busy_ratio gauge\n"
                "ticketd_command_path_busy_ratio %.3f\n"
                "# HELP ticketd_command_path_commands_per_batch Commands per group commit in the last 100 ms.\n"
                "# TYPE ticketd_command_path_commands_per_batch gauge\n"
                "ticketd_command_path_commands_per_batch %.2f\n"
                "# HELP ticketd_command_path_saturated 1 while bulk work (uploads, mail rounds) yields to commands.\n"
                "# TYPE ticketd_command_path_saturated gauge\n"
                "ticketd_command_path_saturated %d\n",
                reading.busy_fraction, reading.commands_per_batch, load.Saturated(now) ? 1 : 0);
  return text;
}

}  // namespace

struct Engine::Impl {
  EngineOptions options;
  Metrics* metrics = nullptr;
  CommandPathLoad load;  // reported by the writer after each batch
  std::uint64_t load_metrics_source = 0;
  std::unique_ptr<eventstore::EventLog> log;
  // Replaced only while recovering, before anyone else sees the engine.
  std::unique_ptr<EngineState> state = std::make_unique<EngineState>();

  std::mutex mu;
  std::condition_variable cv;
  std::deque<Pending> queue;
  std::deque<std::function<void()>> tasks;  // run on the writer between batches
  bool stopping = false;
  bool writer_done = false;  // tasks posted now run on the caller's thread
  std::thread writer;
  // Commit listeners (outbox relay, notifier, live stream, timers), called on
  // the writer thread after each batch that committed events.
  std::mutex listeners_mu;
  std::vector<std::pair<std::uint64_t, std::function<void()>>> commit_listeners;
  std::uint64_t next_listener = 1;

  std::unique_ptr<SnapshotScheduler> snapshots;
  std::unique_ptr<IdleMemory> idle_memory;  // rssfixed: memory given back when quiet
  std::uint64_t loaded_snapshot_position = 0;  // set while recovering

  // Backups and erasures are ordered (README "Backups and erasure"): while
  // a backup runs, erasure commands wait in held_erasures instead of being
  // decided, and a backup starts only between batches, so never while an
  // erasure is between its fence and its completion. Writer thread only.
  bool backup_running = false;
  std::deque<Pending> held_erasures;
  std::unique_ptr<SerialWorker> backups;  // runs Engine::Backup jobs
  std::unique_ptr<SerialWorker> slow_reads;  // runs Engine::PostSlowRead jobs (wf-sla)

  Status Recover();
  // Purges destroyed keys, replaces every snapshot, then records the
  // erasures as complete; Ok at once when none is unfinished. Writer thread
  // (or before it starts).
  Status CompleteErasures();
  Status BackupOrderedWithErasures(const std::string& to, BackupResult* result);
  bool LoadSnapshot(const SnapshotHeader& header, std::string_view body);
  void WriterLoop();
  void ProcessBatch(std::vector<Pending>& batch);
  Decision Decide(const Pending& pending);
  std::optional<domain::DomainError> CheckCreateRetry(const domain::CreateTicket& retry,
                                                      const domain::TicketState& existing) const;
  Status RebuildWriteModel();
  // False when the writer has finished: the caller runs `task` itself.
  bool PostTask(std::function<void()> task);
  // Writer thread: the head and the encoded state, for the scheduler.
  std::pair<SnapshotHeader, std::string> CaptureSnapshot() const;
  SnapshotHeader CaptureSnapshotHead() const;
};

Status Engine::Impl::Recover() {
  auto started = std::chrono::steady_clock::now();
  const double cpu_started = ThreadCpuSeconds();
  Status loaded = snapshots->store().LoadNewest(
      [this](const SnapshotHeader& header, std::string_view body) { return LoadSnapshot(header, body); });
  if (!loaded.ok() && !loaded.IsNotFound()) return loaded;
  const double snapshot_seconds = SecondsSince(started);
  std::uint64_t replayed = 0;
  // Read and decoded on a second thread, folded on this one.
  const double process_cpu_started = ProcessCpuSeconds();
  Status s = log->ReadAllPipelined(loaded_snapshot_position + 1,
                                   [this, &replayed](const eventstore::RecordedEvent& recorded) {
    state->Apply(recorded.event);
    ++replayed;
    return true;
  });
  if (!s.ok()) return s;
  snapshots->Recovered(loaded_snapshot_position, replayed);
  std::fprintf(stderr,
               "ticketd: recovered to position %llu in %.3f s (%.3f s CPU): snapshot at position %llu "
               "(%.3f s), then %llu events replayed (%.3f s CPU of all threads)\n",
               static_cast<unsigned long long>(log->HeadPosition()), SecondsSince(started),
               ThreadCpuSeconds() - cpu_started,
               static_cast<unsigned long long>(loaded_snapshot_position), snapshot_seconds,
               static_cast<unsigned long long>(replayed), ProcessCpuSeconds() - process_cpu_started);
  return Status::Ok();
}

// Accepts a snapshot only if it belongs to this log: its position exists and
// carries the same chain hash (not a copy from another data dir, not a log
// that was restored from an older backup).
bool Engine::Impl::LoadSnapshot(const SnapshotHeader& header, std::string_view body) {
  if (!SnapshotMatchesLog(*log, header)) return false;
  auto fresh = std::make_unique<EngineState>();
  if (header.body_layout != EngineState::kSnapshotBodyLayout || !fresh->DecodeSnapshotBody(body)) return false;
  state = std::move(fresh);
  loaded_snapshot_position = header.position;
  return true;
}

std::pair<SnapshotHeader, std::string> Engine::Impl::CaptureSnapshot() const {
  SnapshotHeader header = CaptureSnapshotHead();
  return {header, state->EncodeSnapshotBody()};
}

SnapshotHeader Engine::Impl::CaptureSnapshotHead() const {
  SnapshotHeader header;
  log->Head(&header.position, &header.chain_hash);
  header.body_layout = EngineState::kSnapshotBodyLayout;
  return header;
}

Status Engine::Impl::CompleteErasures() {
  std::uint64_t position = 0;
  Status s = log->UnpurgedErasure(&position);
  if (!s.ok() || position == 0) return s;
  Status purged = log->PurgeErasedKeys();
  // Older snapshots hold the erased text (sealed, but under the master key,
  // which still exists): replace them all.
  Status retaken = snapshots->WriteNow(/*only_this=*/true);
  if (!purged.ok()) return purged;
  if (!retaken.ok()) return retaken;
  return log->MarkErasuresPurged(position);
}

Status Engine::Impl::BackupOrderedWithErasures(const std::string& to, BackupResult* result) {
  // Enters between two batches: any erasure before is complete (its purge
  // and snapshot retake ran inside its batch), any after waits for the end.
  std::fprintf(stderr, "ticketd: backup to %s requested\n", to.c_str());
  std::promise<void> entered;
  const bool ordered = PostTask([this, &entered] {
    backup_running = true;
    entered.set_value();
  });
  if (ordered) entered.get_future().wait();  // else the writer is done: no erasure can start
  std::fprintf(stderr, "ticketd: backup to %s started\n", to.c_str());
  Status s = BackupDataDir(*log, options.data_dir, to, result);
  if (ordered) {
    PostTask([this] {
      backup_running = false;
      std::lock_guard lock(mu);
      while (!held_erasures.empty()) {
        queue.push_front(std::move(held_erasures.back()));
        held_erasures.pop_back();
      }
    });
  }
  return s;
}

bool Engine::Impl::PostTask(std::function<void()> task) {
  {
    std::lock_guard lock(mu);
    if (writer_done) return false;
    tasks.push_back(std::move(task));
  }
  cv.notify_one();
  return true;
}

Status Engine::Impl::RebuildWriteModel() {
  state->write_model.Clear();
  return log->ReadAll(1, [this](const eventstore::RecordedEvent& recorded) {
    (void)state->write_model.Apply(recorded.event);
    return true;
  });
}

// A create whose ticket exists: a replay of the first answer only when it
// asks for the same thing (one stream read, for retries alone).
std::optional<domain::DomainError> Engine::Impl::CheckCreateRetry(const domain::CreateTicket& retry,
                                                                  const domain::TicketState& existing) const {
  using domain::ErrorCode;
  if (existing.phase == domain::TicketState::Phase::kDeleted)
    return domain::MakeError(ErrorCode::kIdempotencyKeyReused,
                             "the ticket this Idempotency-Key created has been deleted; use a new key");
  std::vector<eventstore::RecordedEvent> events;
  Status s = log->ReadStream({existing.ticket.tenant_id, existing.ticket.id}, &events);
  const domain::TicketCreated* created =
      s.ok() && !events.empty() ? std::get_if<domain::TicketCreated>(&events.front().event.payload) : nullptr;
  if (created && domain::IsSameCreate(retry, *created)) return std::nullopt;
  return domain::MakeError(ErrorCode::kIdempotencyKeyReused,
                           "this Idempotency-Key was already used with a different request");
}

Decision Engine::Impl::Decide(const Pending& pending) {
  Decision decision;
  Result<std::vector<DomainEvent>, domain::DomainError> decided = std::visit(
      Overloaded{
          [&](const domain::TicketCommand& command) -> Result<std::vector<DomainEvent>, domain::DomainError> {
            const domain::CommandHeader& header = domain::HeaderOf(command);
            domain::TicketState ticket_state = state->write_model.TicketState(header.ticket_id);
            const auto* create = std::get_if<domain::CreateTicket>(&command);
            if (create && ticket_state.phase != domain::TicketState::Phase::kNew &&
                ticket_state.ticket.reporter_id == create->reporter_id.value_or(header.actor.user_id)) {
              // The id was derived from the same Idempotency-Key.
              std::optional<domain::DomainError> reused = CheckCreateRetry(*create, ticket_state);
              if (reused) return Err{*reused};
              decision.outcome.replayed = true;
              return std::vector<DomainEvent>{};
            }
            return domain::DecideTicket(ticket_state, command, state->write_model.ContextFor(command));
          },
          [&](const domain::DirectoryCommand& command)
              -> Result<std::vector<DomainEvent>, domain::DomainError> {
            const domain::Id& tenant_id =
                std::visit([](const auto& c) -> const domain::Id& { return c.tenant_id; }, command);
            const domain::TenantState* tenant = state->write_model.Tenant(tenant_id);
            static const domain::TenantState kNoTenant = domain::InitialTenantState();
            return domain::DecideDirectory(tenant ? *tenant : kNoTenant, command,
                                           state->write_model.ContextFor(command));
          },
      },
      pending.command);
  std::vector<DomainEvent> events;
  if (decided.ok()) {
    events = std::move(decided).value();
  } else {
    decision.outcome.error = decided.error();
    // A refusal for exceeding a quota is still recorded, as a quota alert
    // for the platform admin (ACCESS.md); the caller gets the refusal.
    std::optional<DomainEvent> alert = QuotaAlertFor(pending.command, decided.error());
    if (!alert) return decision;
    events.push_back(std::move(*alert));
  }
  const domain::FireTimer* timer = nullptr;
  if (const auto* ticket_command = std::get_if<domain::TicketCommand>(&pending.command))
    timer = std::get_if<domain::FireTimer>(ticket_command);
  for (const DomainEvent& event : events) {
    eventstore::EventToAppend append;
    // A deadline's first event has an id derived from what it is for, so the
    // log takes it once, whatever restarts or repeats come (WORKFLOW.md).
    const bool derived = timer && decision.commit.events.empty();
    append.event_id = derived ? TimerEventId(*timer) : TimeOrderedId();
    // An attachment's id is its event's id: GET /attachments/{id} finds it in the log.
    const auto* added = std::get_if<domain::AttachmentAdded>(&event.payload);
    if (added) append.event_id = added->attachment_id;
    // Only ids made here are known to be new; the others may repeat (a timer's, an upload's).
    const bool first = decision.commit.events.empty();
    decision.commit.ids_are_new = (first || decision.commit.ids_are_new) && !derived && !added;
    append.correlation_id = pending.correlation_id;
    append.version = state->write_model.NextVersion(event);
    append.event = event;
    decision.commit.events.push_back(std::move(append));
    decision.ticket_before.push_back(state->write_model.Ticket(event.stream_id));
    decision.ticket_after.push_back(state->write_model.Apply(event));
  }
  if (const auto* command = std::get_if<domain::TicketCommand>(&pending.command)) {
    const domain::Id& ticket_id = domain::HeaderOf(*command).ticket_id;
    const std::vector<domain::NewAttachment>* files = AttachmentsOf(pending.command);
    if (files && !events.empty()) {
      for (const domain::NewAttachment& file : *files)
        decision.commit.blobs.push_back({events.front().tenant_id, file.sha256, file.bytes, file.staged});
    }
    decision.outcome.ticket = state->write_model.Ticket(ticket_id);
    if (std::holds_alternative<domain::EraseTicket>(*command))
      decision.outcome.erased_at = state->write_model.TicketState(ticket_id).ticket.erased_at;
  } else if (const auto* erase = std::get_if<domain::EraseUser>(&std::get<domain::DirectoryCommand>(pending.command))) {
    if (const domain::TenantState* tenant = state->write_model.Tenant(erase->tenant_id)) {
      if (auto user = tenant->users.find(erase->user_id); user != tenant->users.end())
        decision.outcome.erased_at = user->second.erased_at;
    }
  }
  decision.outcome.events = std::move(events);
  return decision;
}

void Engine::Impl::ProcessBatch(std::vector<Pending>& batch) {
  std::vector<Decision> decisions;
  decisions.reserve(batch.size());
  std::vector<eventstore::Commit> commits;
  std::vector<std::size_t> commit_of;  // decision index -> commit index (or npos)
  for (const Pending& pending : batch) {
    decisions.push_back(Decide(pending));
    Decision& decision = decisions.back();
    if (decision.commit.events.empty()) {
      commit_of.push_back(std::string::npos);
    } else {
      commit_of.push_back(commits.size());
      commits.push_back(std::move(decision.commit));
    }
  }

  Status batch_status;
  std::vector<eventstore::CommitOutcome> outcomes;
  if (!commits.empty()) {
    auto started = std::chrono::steady_clock::now();
    batch_status = log->AppendBatch(commits, &outcomes);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    bool all_ok = batch_status.ok();
    std::size_t event_count = 0;
    for (std::size_t i = 0; i < outcomes.size() && all_ok; ++i) {
      all_ok = outcomes[i].status.ok() && !outcomes[i].duplicate;
      event_count += commits[i].events.size();
    }
    if (!all_ok) {
      // The write model ran ahead of the disk: refold it from what is stored.
      if (batch_status.ok()) batch_status = Status::Unavailable("the log rejected a commit; retry");
      Status rebuilt = RebuildWriteModel();
      if (!rebuilt.ok())
        std::fprintf(stderr, "ticketd: rebuilding state failed: %s\n", rebuilt.ToString().c_str());
    } else {
      if (metrics) {
        metrics->ObserveBatch(commits.size(), event_count, seconds);
        metrics->SetGauge("ticketd_log_head_position", "Newest committed log position.",
                          static_cast<double>(log->HeadPosition()));
      }
      for (std::size_t i = 0; i < decisions.size(); ++i) {
        if (commit_of[i] == std::string::npos) continue;
        const Decision& decision = decisions[i];
        for (std::size_t e = 0; e < decision.outcome.events.size(); ++e)
          state->Project(decision.outcome.events[e], decision.ticket_before[e], decision.ticket_after[e]);
      }
      {
        std::lock_guard listeners_lock(listeners_mu);
        for (const auto& [handle, listener] : commit_listeners) listener();
      }
      snapshots->Committed(event_count);
    }
  }

  // An erasure answers only once complete; a repeated one finishes what a
  // failed or crashed earlier completion left undone.
  bool erasure_requested = false;
  for (std::size_t i = 0; i < batch.size(); ++i)
    erasure_requested |= IsErasureCommand(batch[i].command) && !decisions[i].outcome.error;
  if (erasure_requested && batch_status.ok()) {
    Status s = CompleteErasures();
    if (!s.ok()) {
      std::fprintf(stderr, "ticketd: ERROR: completing an erasure failed (a retry completes it): %s\n",
                   s.ToString().c_str());
      for (std::size_t i = 0; i < batch.size(); ++i) {
        if (!IsErasureCommand(batch[i].command) || decisions[i].outcome.error) continue;
        decisions[i].outcome.status =
            Status::Unavailable("the erasure is recorded, but removing its traces from disk failed; retry");
      }
    }
  }

  {
    AnswerBatch answering;  // the HTTP server wakes once for the whole batch (answer_batch.h)
    for (std::size_t i = 0; i < batch.size(); ++i) {
      CommandOutcome& outcome = decisions[i].outcome;
      if (commit_of[i] != std::string::npos && !batch_status.ok()) {
        outcome = CommandOutcome{};
        outcome.status = batch_status;
      }
      batch[i].done(std::move(outcome));
    }
  }
  snapshots->MaybeWriteInBackground();
}

void Engine::Impl::WriterLoop() {
  std::vector<Pending> batch;
  std::deque<std::function<void()>> batch_tasks;
  for (;;) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return !queue.empty() || !tasks.empty() || stopping; });
      if (queue.empty() && tasks.empty()) {  // stopping, and everything queued is done
        writer_done = true;
        break;
      }
      std::size_t take = std::min(queue.size(), options.max_batch_commands);
      for (std::size_t i = 0; i < take; ++i) {
        if (backup_running && IsErasureCommand(queue.front().command)) {
          std::fprintf(stderr, "ticketd: erasure held back until the running backup ends\n");
          held_erasures.push_back(std::move(queue.front()));
        } else {
          batch.push_back(std::move(queue.front()));
        }
        queue.pop_front();
      }
      batch_tasks.swap(tasks);
    }
    if (!batch.empty()) {
      auto started = CommandPathLoad::Clock::now();
      ProcessBatch(batch);
      auto ended = CommandPathLoad::Clock::now();
      load.ObserveBatch(ended, batch.size(), ended - started);
    }
    batch.clear();
    for (auto& task : batch_tasks) task();
    batch_tasks.clear();
  }
  // Only when a backup is still running at the very end (the backup thread is normally stopped first).
  for (Pending& held : held_erasures) {
    CommandOutcome outcome;
    outcome.status = Status::Unavailable("shutting down");
    held.done(std::move(outcome));
  }
  held_erasures.clear();
}

Status Engine::Open(const EngineOptions& options, Metrics* metrics, std::unique_ptr<Engine>* engine) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->metrics = metrics;
  if (metrics) {
    const CommandPathLoad* load = &impl->load;
    impl->load_metrics_source = metrics->AddTextSource([load] { return RenderCommandPathLoad(*load); });
  }
  eventstore::EventLogOptions log_options;
  log_options.path = (std::filesystem::path(options.data_dir) / kLogDirName).string();
  log_options.sync = options.sync;
  log_options.master_key = options.master_key;
  Status layout = CheckDataDirLayout(options.data_dir);
  if (!layout.ok()) return layout;
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return Status::IOError("cannot create data dir " + options.data_dir + ": " + ec.message());
  Status s = eventstore::EventLog::Open(log_options, &impl->log);
  if (!s.ok()) return s;
  Impl* raw = impl.get();
  impl->snapshots = std::make_unique<SnapshotScheduler>(
      (std::filesystem::path(options.data_dir) / "snapshots").string(), options.master_key,
      options.snapshot_every, [raw] { return raw->CaptureSnapshot(); }, [raw] { return raw->CaptureSnapshotHead(); },
      [raw](const SnapshotStore& store, const SnapshotHeader& at, std::string* body) {
        return RebuildSnapshotBody(*raw->log, store, at, body);
      });
  s = impl->Recover();
  if (!s.ok()) return s;
  // An erasure whose purge a crash interrupted is finished before anyone
  // can read or back up the data dir.
  s = impl->CompleteErasures();
  if (!s.ok()) return s;
  impl->backups = std::make_unique<SerialWorker>();
  impl->slow_reads = std::make_unique<SerialWorker>();
  impl->writer = std::thread([raw] { raw->WriterLoop(); });
  impl->idle_memory = std::make_unique<IdleMemory>(*impl->log, metrics, IdleMemory::Options{});
  engine->reset(new Engine(std::move(impl)));
  return Status::Ok();
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

domain::Id TimerEventId(const domain::FireTimer& timer) {
  return DerivedId("sla-timer:" + timer.header.ticket_id.ToString() + ":" + std::string(domain::ToString(timer.kind)) +
                   ":" + std::to_string(timer.due_at));
}

void Engine::AttachTicketObserver(TicketObserver observer) {
  auto attach = [impl = impl_.get(), observer = std::move(observer)]() mutable {
    impl->state->write_model.ForEachLiveTicket([&](const projections::TicketPtr& ticket) { observer(ticket->tenant_id, ticket->id, ticket); });
    impl->state->ticket_observer = std::move(observer);
  };
  std::promise<void> done;
  if (!impl_->PostTask([&] {
        attach();
        done.set_value();
      })) {
    attach();
    return;
  }
  done.get_future().wait();
}

std::optional<domain::Duration> Engine::AutoCloseAfter(const domain::Id& tenant_id) const {
  std::optional<domain::SlaSettings> settings = impl_->state->directory.GetSlaSettings(tenant_id);
  return settings ? settings->auto_close_after : std::optional<domain::Duration>(domain::kDefaultAutoCloseAfter);
}

Engine::~Engine() {
  Stop();
  if (impl_->metrics) impl_->metrics->RemoveTextSource(impl_->load_metrics_source);
}

void Engine::Submit(EngineCommand command, domain::Id correlation_id, Completion done) {
  done = DropStagedOnFailure(*impl_->log, command, std::move(done));
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->stopping) {
      // The writer only sleeps on an empty queue: wake it on the first command
      // only, not once per request (a futex call each).
      const bool was_empty = impl_->queue.empty();
      impl_->queue.push_back(Pending{std::move(command), correlation_id, std::move(done)});
      if (was_empty) impl_->cv.notify_one();
      return;
    }
  }
  CommandOutcome outcome;
  outcome.status = Status::Unavailable("shutting down");
  done(std::move(outcome));
}

std::uint64_t Engine::AddCommitListener(std::function<void()> listener) {
  std::lock_guard lock(impl_->listeners_mu);
  const std::uint64_t handle = impl_->next_listener++;
  impl_->commit_listeners.emplace_back(handle, std::move(listener));
  return handle;
}

void Engine::RemoveCommitListener(std::uint64_t handle) {
  std::lock_guard lock(impl_->listeners_mu);
  std::erase_if(impl_->commit_listeners, [handle](const auto& entry) { return entry.first == handle; });
}

void Engine::Stop() {
  impl_->idle_memory.reset();
  if (impl_->backups) impl_->backups->Stop();  // first: a backup in progress needs the writer
  if (impl_->slow_reads) impl_->slow_reads->Stop();
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->writer.joinable()) impl_->writer.join();
  impl_->snapshots->WriteOnStopIfBehind(impl_->log->HeadPosition());
}

Status Engine::RetakeSnapshotNow() {
  if (std::this_thread::get_id() == impl_->writer.get_id()) return impl_->snapshots->WriteNow(/*only_this=*/true);
  std::promise<Status> written;
  std::future<Status> result = written.get_future();
  if (!impl_->PostTask([&] { written.set_value(impl_->snapshots->WriteNow(/*only_this=*/true)); }))
    return impl_->snapshots->WriteNow(/*only_this=*/true);
  return result.get();
}

void Engine::Backup(std::string to, std::function<void(Status, const BackupResult&)> done) {
  auto job = [impl = impl_.get(), to = std::move(to), done] {
    BackupResult result;
    Status s = impl->BackupOrderedWithErasures(to, &result);
    done(s, result);
  };
  if (!impl_->backups->Post(std::move(job))) done(Status::Unavailable("shutting down"), BackupResult{});
}

bool Engine::PostSlowRead(std::function<void()> job) { return impl_->slow_reads->Post(std::move(job)); }

void Engine::ComputeReadModelHashes(std::function<void(ReadModelHashes&&)> done) {
  auto task = [impl = impl_.get(), done = std::move(done)] {
    done(impl->state->Hashes(impl->log->HeadPosition()));
  };
  if (!impl_->PostTask(task)) task();
}

const CommandPathLoad& Engine::command_path_load() const { return impl_->load; }
const projections::TicketReadModel& Engine::tickets() const { return impl_->state->tickets; }
const projections::DirectoryReadModel& Engine::directory() const { return impl_->state->directory; }
const projections::CommentReadModel& Engine::comments() const { return impl_->state->comments; }
eventstore::EventLog& Engine::log() const { return *impl_->log; }
const std::string& Engine::data_dir() const { return impl_->options.data_dir; }
const projections::DigestReadModel& Engine::digest() const { return impl_->state->digest; }
const projections::AnalyticsReadModel& Engine::analytics() const { return impl_->state->analytics; }
const projections::CatalogReadModel& Engine::catalog() const { return impl_->state->catalog; }
const projections::AttachmentStorageReadModel& Engine::attachment_storage() const { return impl_->state->storage; }
domain::Timestamp Engine::stale_after() const { return impl_->options.stale_after; }

}  // namespace ticketd::app

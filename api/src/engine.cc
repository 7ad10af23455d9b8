#include "engine.h"

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

#include "engine_state.h"
#include "backup.h"
#include "ids.h"
#include "metrics.h"
#include "snapshot_store.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::api {

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

bool AnyErasure(const std::vector<Decision>& decisions, const std::vector<std::size_t>& commit_of) {
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    if (commit_of[i] == std::string::npos) continue;
    for (const domain::DomainEvent& event : decisions[i].outcome.events)
      if (eventstore::IsErasure(event.payload)) return true;
  }
  return false;
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

}  // namespace

struct Engine::Impl {
  EngineOptions options;
  Metrics* metrics = nullptr;
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
  std::function<void()> on_commit;  // set under mu before the first command

  // Snapshots. snapshot_mu serializes capturing-and-writing against a
  // background write in flight; events_since_snapshot is writer-thread only.
  std::unique_ptr<SnapshotStore> snapshots;
  std::mutex snapshot_mu;
  std::thread snapshot_thread;
  std::atomic<bool> snapshot_busy{false};
  std::uint64_t snapshot_position = 0;  // newest snapshot loaded or written (under snapshot_mu)
  std::uint64_t events_since_snapshot = 0;

  Status Recover();
  bool LoadSnapshot(const SnapshotHeader& header, std::string_view body);
  void WriterLoop();
  void ProcessBatch(std::vector<Pending>& batch);
  Decision Decide(const Pending& pending);
  Status RebuildWriteModel();
  // False when the writer has finished: the caller runs `task` itself.
  bool PostTask(std::function<void()> task);
  SnapshotHeader CaptureHead() const;
  void MaybeSnapshotInBackground();
  Status WriteSnapshotNow(bool only_this);
  void JoinSnapshotThread();
};

Status Engine::Impl::Recover() {
  auto started = std::chrono::steady_clock::now();
  const double cpu_started = ThreadCpuSeconds();
  Status loaded = snapshots->LoadNewest(
      [this](const SnapshotHeader& header, std::string_view body) { return LoadSnapshot(header, body); });
  if (!loaded.ok() && !loaded.IsNotFound()) return loaded;
  const double snapshot_seconds = SecondsSince(started);
  std::uint64_t replayed = 0;
  Status s = log->ReadAll(snapshot_position + 1, [this, &replayed](const eventstore::RecordedEvent& recorded) {
    state->Apply(recorded.event);
    ++replayed;
    return true;
  });
  if (!s.ok()) return s;
  events_since_snapshot = replayed;
  std::fprintf(stderr,
               "ticketd: recovered to position %llu in %.3f s (%.3f s CPU): snapshot at position %llu "
               "(%.3f s), then %llu events replayed\n",
               static_cast<unsigned long long>(log->HeadPosition()), SecondsSince(started),
               ThreadCpuSeconds() - cpu_started,
               static_cast<unsigned long long>(snapshot_position), snapshot_seconds,
               static_cast<unsigned long long>(replayed));
  return Status::Ok();
}

// Accepts a snapshot only if it belongs to this log: its position exists and
// carries the same chain hash (not a copy from another data dir, not a log
// that was restored from an older backup).
bool Engine::Impl::LoadSnapshot(const SnapshotHeader& header, std::string_view body) {
  if (header.position > log->HeadPosition()) return false;
  eventstore::Hash at_position{};
  if (header.position > 0) {
    bool found = false;
    Status s = log->ReadAllRaw(header.position, [&](const eventstore::RawRecord& record) {
      found = record.position == header.position;
      at_position = record.hash;
      return false;
    });
    if (!s.ok() || !found) return false;
  }
  if (at_position != header.chain_hash) return false;
  auto fresh = std::make_unique<EngineState>();
  if (!fresh->DecodeSnapshotBody(body)) return false;
  state = std::move(fresh);
  snapshot_position = header.position;
  return true;
}

SnapshotHeader Engine::Impl::CaptureHead() const {
  SnapshotHeader header;
  log->Head(&header.position, &header.chain_hash);
  return header;
}

void Engine::Impl::JoinSnapshotThread() {
  if (snapshot_thread.joinable()) snapshot_thread.join();
}

// Writer thread, after a batch: serializes here (the state cannot change
// meanwhile), checksums and writes the file on another thread.
void Engine::Impl::MaybeSnapshotInBackground() {
  if (options.snapshot_every == 0 || events_since_snapshot < options.snapshot_every) return;
  if (snapshot_busy.load()) return;  // the previous one is still being written: try after the next batch
  JoinSnapshotThread();
  events_since_snapshot = 0;
  SnapshotHeader header = CaptureHead();
  auto body = std::make_shared<std::string>(state->EncodeSnapshotBody());
  snapshot_busy = true;
  snapshot_thread = std::thread([this, header, body] {
    std::lock_guard lock(snapshot_mu);
    Status s = snapshots->Write(header, *body);
    if (s.ok()) {
      snapshot_position = header.position;
    } else {
      std::fprintf(stderr, "ticketd: writing a snapshot failed (the log is unaffected): %s\n",
                   s.ToString().c_str());
    }
    snapshot_busy = false;
  });
}

// Writer thread (or after it stopped): captures and writes synchronously.
Status Engine::Impl::WriteSnapshotNow(bool only_this) {
  JoinSnapshotThread();
  std::lock_guard lock(snapshot_mu);
  SnapshotHeader header = CaptureHead();
  Status s = snapshots->Write(header, state->EncodeSnapshotBody(), only_this);
  if (s.ok()) {
    snapshot_position = header.position;
    events_since_snapshot = 0;
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

Decision Engine::Impl::Decide(const Pending& pending) {
  Decision decision;
  Result<std::vector<DomainEvent>, domain::DomainError> decided = std::visit(
      Overloaded{
          [&](const domain::TicketCommand& command) -> Result<std::vector<DomainEvent>, domain::DomainError> {
            const domain::CommandHeader& header = domain::HeaderOf(command);
            domain::TicketState ticket_state = state->write_model.TicketState(header.ticket_id);
            const auto* create = std::get_if<domain::CreateTicket>(&command);
            if (create && ticket_state.phase == domain::TicketState::Phase::kLive &&
                ticket_state.ticket.reporter_id == create->reporter_id.value_or(header.actor.user_id)) {
              // Idempotent retry: the id was derived from the same key.
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
  for (const DomainEvent& event : events) {
    eventstore::EventToAppend append;
    append.event_id = RandomId();
    append.correlation_id = pending.correlation_id;
    append.version = state->write_model.NextVersion(event);
    append.event = event;
    decision.commit.events.push_back(std::move(append));
    decision.ticket_before.push_back(state->write_model.Ticket(event.stream_id));
    decision.ticket_after.push_back(state->write_model.Apply(event));
  }
  if (const auto* command = std::get_if<domain::TicketCommand>(&pending.command)) {
    const domain::Id& ticket_id = domain::HeaderOf(*command).ticket_id;
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
      if (on_commit) on_commit();
      events_since_snapshot += event_count;
      if (AnyErasure(decisions, commit_of)) {
        // Older snapshots hold the erased text (sealed, but under the master
        // key, which still exists): replace them all before answering.
        Status s = WriteSnapshotNow(/*only_this=*/true);
        if (!s.ok())
          std::fprintf(stderr, "ticketd: ERROR: retaking the snapshot after an erasure failed: %s\n",
                       s.ToString().c_str());
      }
    }
  }

  for (std::size_t i = 0; i < batch.size(); ++i) {
    CommandOutcome& outcome = decisions[i].outcome;
    if (commit_of[i] != std::string::npos && !batch_status.ok()) {
      outcome = CommandOutcome{};
      outcome.status = batch_status;
    }
    batch[i].done(std::move(outcome));
  }
  MaybeSnapshotInBackground();
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
        return;
      }
      std::size_t take = std::min(queue.size(), options.max_batch_commands);
      for (std::size_t i = 0; i < take; ++i) {
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
      batch_tasks.swap(tasks);
    }
    if (!batch.empty()) ProcessBatch(batch);
    batch.clear();
    for (auto& task : batch_tasks) task();
    batch_tasks.clear();
  }
}

Status Engine::Open(const EngineOptions& options, Metrics* metrics, std::unique_ptr<Engine>* engine) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->metrics = metrics;
  eventstore::EventLogOptions log_options;
  log_options.path = (std::filesystem::path(options.data_dir) / kLogDirName).string();
  log_options.sync = options.sync;
  log_options.master_key = options.master_key;
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return Status::IOError("cannot create data dir " + options.data_dir + ": " + ec.message());
  Status s = eventstore::EventLog::Open(log_options, &impl->log);
  if (!s.ok()) return s;
  impl->snapshots = std::make_unique<SnapshotStore>(
      (std::filesystem::path(options.data_dir) / "snapshots").string(), options.master_key);
  s = impl->Recover();
  if (!s.ok()) return s;
  Impl* raw = impl.get();
  impl->writer = std::thread([raw] { raw->WriterLoop(); });
  engine->reset(new Engine(std::move(impl)));
  return Status::Ok();
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Engine::~Engine() { Stop(); }

void Engine::Submit(EngineCommand command, domain::Id correlation_id, Completion done) {
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

void Engine::SetCommitListener(std::function<void()> listener) {
  std::lock_guard lock(impl_->mu);
  impl_->on_commit = std::move(listener);
}

void Engine::Stop() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->writer.joinable()) impl_->writer.join();
  impl_->JoinSnapshotThread();
  bool behind = false;
  {
    std::lock_guard lock(impl_->snapshot_mu);
    behind = impl_->log->HeadPosition() > impl_->snapshot_position;
  }
  if (impl_->options.snapshot_every > 0 && behind) {
    Status s = impl_->WriteSnapshotNow(/*only_this=*/false);
    if (!s.ok()) std::fprintf(stderr, "ticketd: the shutdown snapshot failed: %s\n", s.ToString().c_str());
  }
}

Status Engine::RetakeSnapshotNow() {
  if (std::this_thread::get_id() == impl_->writer.get_id()) return impl_->WriteSnapshotNow(/*only_this=*/true);
  std::promise<Status> written;
  std::future<Status> result = written.get_future();
  if (!impl_->PostTask([&] { written.set_value(impl_->WriteSnapshotNow(/*only_this=*/true)); }))
    return impl_->WriteSnapshotNow(/*only_this=*/true);
  return result.get();
}

void Engine::ComputeReadModelHashes(std::function<void(ReadModelHashes&&)> done) {
  auto task = [impl = impl_.get(), done = std::move(done)] {
    done(impl->state->Hashes(impl->log->HeadPosition()));
  };
  if (!impl_->PostTask(task)) task();
}

const projections::TicketReadModel& Engine::tickets() const { return impl_->state->tickets; }
const projections::DirectoryReadModel& Engine::directory() const { return impl_->state->directory; }
const projections::CommentReadModel& Engine::comments() const { return impl_->state->comments; }
eventstore::EventLog& Engine::log() const { return *impl_->log; }
const std::string& Engine::data_dir() const { return impl_->options.data_dir; }
const projections::DigestReadModel& Engine::digest() const { return impl_->state->digest; }
const projections::AnalyticsReadModel& Engine::analytics() const { return impl_->state->analytics; }
domain::Timestamp Engine::stale_after() const { return impl_->options.stale_after; }

}  // namespace ticketd::api

#include "engine.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "backup.h"
#include "ids.h"
#include "metrics.h"
#include "ticketd/domain/overloaded.h"
#include "write_model.h"

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

bool IsTicketDeleted(const DomainEvent& event) {
  return std::holds_alternative<domain::TicketDeleted>(event.payload);
}

}  // namespace

struct Engine::Impl {
  EngineOptions options;
  Metrics* metrics = nullptr;
  std::unique_ptr<eventstore::EventLog> log;
  projections::TicketReadModel tickets;
  projections::DirectoryReadModel directory;
  projections::CommentReadModel comments;
  projections::DigestReadModel digest;
  projections::AnalyticsReadModel analytics;
  std::vector<projections::TicketProjector*> projectors{&digest, &analytics};
  WriteModel write_model;  // writer thread only

  std::mutex mu;
  std::condition_variable cv;
  std::deque<Pending> queue;
  bool stopping = false;
  std::thread writer;

  Status Recover();
  void Project(const DomainEvent& event, const projections::TicketPtr& before,
               const projections::TicketPtr& after);
  void WriterLoop();
  void ProcessBatch(std::vector<Pending>& batch);
  Decision Decide(const Pending& pending);
  Status RebuildWriteModel();
};

Status Engine::Impl::Recover() {
  return log->ReadAll(1, [this](const eventstore::RecordedEvent& recorded) {
    projections::TicketPtr before = write_model.Ticket(recorded.event.stream_id);
    projections::TicketPtr after = write_model.Apply(recorded.event);
    Project(recorded.event, before, after);
    return true;
  });
}

Status Engine::Impl::RebuildWriteModel() {
  write_model.Clear();
  return log->ReadAll(1, [this](const eventstore::RecordedEvent& recorded) {
    (void)write_model.Apply(recorded.event);
    return true;
  });
}

void Engine::Impl::Project(const DomainEvent& event, const projections::TicketPtr& before,
                           const projections::TicketPtr& after) {
  directory.Apply(event);
  comments.Apply(event);
  if (!before && !after) return;  // not a ticket event
  if (IsTicketDeleted(event)) {
    tickets.Remove(event.tenant_id, event.stream_id);
  } else if (after) {
    tickets.Upsert(after);
  }
  for (projections::TicketProjector* projector : projectors) projector->OnTicketEvent(event, before, after);
}

Decision Engine::Impl::Decide(const Pending& pending) {
  Decision decision;
  Result<std::vector<DomainEvent>, domain::DomainError> decided = std::visit(
      Overloaded{
          [&](const domain::TicketCommand& command) -> Result<std::vector<DomainEvent>, domain::DomainError> {
            const domain::CommandHeader& header = domain::HeaderOf(command);
            domain::TicketState state = write_model.TicketState(header.ticket_id);
            if (std::holds_alternative<domain::CreateTicket>(command) &&
                state.phase == domain::TicketState::Phase::kLive &&
                state.ticket.reporter_id == header.actor.user_id) {
              // Idempotent retry: the id was derived from the same key.
              decision.outcome.replayed = true;
              return std::vector<DomainEvent>{};
            }
            return domain::DecideTicket(state, command, write_model.ContextFor(command));
          },
          [&](const domain::DirectoryCommand& command)
              -> Result<std::vector<DomainEvent>, domain::DomainError> {
            const domain::Id& tenant_id =
                std::visit([](const auto& c) -> const domain::Id& { return c.tenant_id; }, command);
            const domain::TenantState* tenant = write_model.Tenant(tenant_id);
            static const domain::TenantState kNoTenant = domain::InitialTenantState();
            return domain::DecideDirectory(tenant ? *tenant : kNoTenant, command,
                                           write_model.ContextFor(command));
          },
      },
      pending.command);
  if (!decided.ok()) {
    decision.outcome.error = decided.error();
    return decision;
  }
  std::vector<DomainEvent> events = std::move(decided).value();
  for (const DomainEvent& event : events) {
    eventstore::EventToAppend append;
    append.event_id = RandomId();
    append.correlation_id = pending.correlation_id;
    append.version = write_model.NextVersion(event);
    append.event = event;
    decision.commit.events.push_back(std::move(append));
    decision.ticket_before.push_back(write_model.Ticket(event.stream_id));
    decision.ticket_after.push_back(write_model.Apply(event));
  }
  if (const auto* command = std::get_if<domain::TicketCommand>(&pending.command)) {
    decision.outcome.ticket = write_model.Ticket(domain::HeaderOf(*command).ticket_id);
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
          Project(decision.outcome.events[e], decision.ticket_before[e], decision.ticket_after[e]);
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
}

void Engine::Impl::WriterLoop() {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return !queue.empty() || stopping; });
      if (queue.empty()) return;  // stopping, and everything queued is done
      std::size_t take = std::min(queue.size(), options.max_batch_commands);
      for (std::size_t i = 0; i < take; ++i) {
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
    }
    ProcessBatch(batch);
    batch.clear();
  }
}

Status Engine::Open(const EngineOptions& options, Metrics* metrics, std::unique_ptr<Engine>* engine) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->metrics = metrics;
  eventstore::EventLogOptions log_options;
  log_options.path = (std::filesystem::path(options.data_dir) / kLogDirName).string();
  log_options.sync = options.sync;
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return Status::IOError("cannot create data dir " + options.data_dir + ": " + ec.message());
  Status s = eventstore::EventLog::Open(log_options, &impl->log);
  if (!s.ok()) return s;
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

void Engine::Stop() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->writer.joinable()) impl_->writer.join();
}

const projections::TicketReadModel& Engine::tickets() const { return impl_->tickets; }
const projections::DirectoryReadModel& Engine::directory() const { return impl_->directory; }
const projections::CommentReadModel& Engine::comments() const { return impl_->comments; }
eventstore::EventLog& Engine::log() const { return *impl_->log; }
const std::string& Engine::data_dir() const { return impl_->options.data_dir; }
const projections::DigestReadModel& Engine::digest() const { return impl_->digest; }
const projections::AnalyticsReadModel& Engine::analytics() const { return impl_->analytics; }
domain::Timestamp Engine::stale_after() const { return impl_->options.stale_after; }

}  // namespace ticketd::api

#include "live_hub.h"

#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "live_event.h"
#include "live_stream.h"
#include "ticketd/app/engine.h"
#include "ticketd/app/metrics.h"
#include "ticketd/eventstore/event_codec.h"

namespace ticketd::api {
namespace {

using Clock = std::chrono::steady_clock;
using StreamRef = std::weak_ptr<LiveStream>;

// How often the thread looks at token expiry when nothing else wakes it.
constexpr std::chrono::milliseconds kTick{1000};
// While a stream replays: how soon to continue, and how many records one
// step reads at most (the other streams wait meanwhile).
constexpr std::chrono::milliseconds kReplayStep{20};
constexpr std::size_t kReplayRecordsPerStep = 4096;
// Passes start at most this often: under a stream of commits one pass reads
// many batches (one log iterator, one wake-up per stream) for a few ms of
// latency, far inside the 2 s a client may wait.
constexpr std::chrono::milliseconds kMinPassInterval{5};

std::int64_t NowSeconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

struct LiveHub::Impl {
  Impl(app::Engine& engine_in, app::Metrics* metrics_in, const LiveHubOptions& options_in)
      : engine(engine_in), metrics(metrics_in), options(options_in) {}

  app::Engine& engine;
  app::Metrics* const metrics;
  const LiveHubOptions& options;
  std::uint64_t listener = 0;
  // Newest position whose read models are up to date (commit listener).
  std::atomic<std::uint64_t> committed{0};
  std::atomic<bool> woken{false};

  std::mutex mu;  // guards the fields up to `thread`
  std::condition_variable cv;
  bool stopping = false;
  std::vector<StreamRef> joining;
  std::unordered_map<domain::Id, int, domain::IdHash> per_user;
  std::size_t total = 0;
  std::thread thread;

  // Fan-out thread only.
  std::uint64_t cursor = 0;  // every position <= cursor went to the live streams
  std::vector<StreamRef> replaying;
  std::unordered_map<domain::Id, std::vector<StreamRef>, domain::IdHash> live;  // by tenant
  Clock::time_point next_heartbeat;
  Clock::time_point next_housekeep;
  std::size_t gauge = static_cast<std::size_t>(-1);
  std::vector<std::shared_ptr<LiveStream>> touched;  // offered to in this pass

  void OnCommit() {
    committed.store(engine.log().HeadPosition(), std::memory_order_release);
    if (!woken.exchange(true, std::memory_order_acq_rel)) {
      std::lock_guard lock(mu);
      cv.notify_one();
    }
  }

  void Release(const domain::Id& user_id) {
    std::lock_guard lock(mu);
    --total;
    if (auto it = per_user.find(user_id); it != per_user.end() && --it->second <= 0) per_user.erase(it);
  }

  void Run();
  void Admit(std::vector<StreamRef>&& streams);
  void Replay();
  void FanOut(std::uint64_t head);
  void Housekeep(bool heartbeat);
  // Visits the ticket events of positions [from, to] (decoded without text
  // keys); visit returns false to stop. Logs and returns false on a bad record.
  bool ReadLiveEvents(std::uint64_t from, std::uint64_t to,
                      const std::function<bool(const LiveEvent&, const domain::DomainEvent&)>& visit);
  // Offers `event` to `stream` if its user may read it; `frame` is made once.
  // The stream is remembered in `touched` for the pass's Flush.
  void Deliver(LiveStream& stream, const LiveEvent& event, const domain::DomainEvent& source,
               projections::TicketPtr& ticket, bool& looked_up, std::string& frame);
  void FlushTouched();
  void EndAll();
};

LiveHub::LiveHub(app::Engine& engine, app::Metrics* metrics, const LiveHubOptions& options)
    : options_(options), impl_(std::make_unique<Impl>(engine, metrics, options_)) {
  Impl& impl = *impl_;
  impl.committed = engine.log().HeadPosition();  // every read model is current at start
  impl.cursor = impl.committed;
  impl.next_heartbeat = Clock::now() + options_.heartbeat;
  impl.listener = engine.AddCommitListener([&impl] { impl.OnCommit(); });
  impl.thread = std::thread([&impl] { impl.Run(); });
}

LiveHub::~LiveHub() { Stop(); }

void LiveHub::Stop() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping) return;
    impl_->stopping = true;
    impl_->cv.notify_one();
  }
  impl_->engine.RemoveCommitListener(impl_->listener);
  if (impl_->thread.joinable()) impl_->thread.join();
}

ResponseStreamPtr LiveHub::Subscribe(const StreamCredential& credential, std::optional<std::uint64_t> resume,
                                     Refusal* refusal) {
  Impl& impl = *impl_;
  const domain::Id user = credential.actor.user_id;
  {
    std::lock_guard lock(impl.mu);
    if (impl.stopping) {
      *refusal = Refusal::kStopping;
      return nullptr;
    }
    if (impl.total >= options_.max_streams) {
      *refusal = Refusal::kTooMany;
      return nullptr;
    }
    int& count = impl.per_user[user];
    if (count >= options_.max_streams_per_user) {
      *refusal = Refusal::kTooManyForUser;
      return nullptr;
    }
    ++count;
    ++impl.total;
  }
  const std::uint64_t now = impl.committed.load(std::memory_order_acquire);
  // A position beyond the head (another data dir's, or made up) resumes from now.
  const std::uint64_t start = resume && *resume < now ? *resume : now;
  auto stream = std::make_shared<LiveStream>(credential, start, options_.max_buffer_bytes,
                                             FrameStreamStart(start, options_.retry_ms),
                                             [&impl, user] { impl.Release(user); });
  std::lock_guard lock(impl.mu);
  impl.joining.push_back(stream);
  impl.cv.notify_one();
  return stream;
}

void LiveHub::Impl::Run() {
  pthread_setname_np(pthread_self(), "ticketd-live");  // for top -H and ops/bench-sse
  std::unique_lock lock(mu);
  Clock::time_point last_pass = Clock::now();
  while (!stopping) {
    cv.wait_until(lock, last_pass + kMinPassInterval, [this] { return stopping; });
    const Clock::duration wait =
        replaying.empty() ? std::min<Clock::duration>(kTick, options.heartbeat) : Clock::duration(kReplayStep);
    cv.wait_for(lock, wait, [this] { return stopping || woken.load() || !joining.empty(); });
    if (stopping) break;
    last_pass = Clock::now();
    // An exchange, not a store: it reads the last OnCommit's flag, so that
    // commit's `committed` is visible below (no wake-up is lost).
    woken.exchange(false, std::memory_order_acq_rel);
    std::vector<StreamRef> admitted = std::move(joining);
    joining.clear();
    lock.unlock();
    const std::uint64_t head = committed.load(std::memory_order_acquire);
    Admit(std::move(admitted));
    Replay();
    FanOut(head);
    FlushTouched();
    const Clock::time_point now = Clock::now();
    if (now >= next_housekeep) {
      next_housekeep = now + std::min<Clock::duration>(kTick, options.heartbeat);
      const bool heartbeat = now >= next_heartbeat;
      if (heartbeat) next_heartbeat = now + options.heartbeat;
      Housekeep(heartbeat);
    }
    lock.lock();
  }
  lock.unlock();
  EndAll();
}

void LiveHub::Impl::Admit(std::vector<StreamRef>&& streams) {
  for (StreamRef& ref : streams) {
    std::shared_ptr<LiveStream> stream = ref.lock();
    if (!stream) continue;
    if (stream->cursor < cursor) {
      replaying.push_back(std::move(ref));
    } else {
      live[stream->credential.actor.tenant_id].push_back(std::move(ref));
    }
  }
}

// One bounded step of every replaying stream: from its cursor towards the
// live cursor, as far as its buffer has room (half of it: live events keep
// some). A stream that reaches the live cursor joins the live fan-out.
void LiveHub::Impl::Replay() {
  std::erase_if(replaying, [this](StreamRef& ref) {
    std::shared_ptr<LiveStream> stream = ref.lock();
    if (!stream || stream->closed()) return true;
    std::size_t scanned = 0;
    bool paused = false;  // out of room or of this step's records: continue next step
    const domain::Id tenant = stream->credential.actor.tenant_id;
    ReadLiveEvents(stream->cursor + 1, cursor, [&](const LiveEvent& event, const domain::DomainEvent& source) {
      if (++scanned > kReplayRecordsPerStep || stream->room() < options.max_buffer_bytes / 2) {
        paused = true;
        return false;
      }
      if (event.tenant_id == tenant) {
        projections::TicketPtr ticket;
        bool looked_up = false;
        std::string frame;
        Deliver(*stream, event, source, ticket, looked_up, frame);
      }
      stream->cursor = event.position;
      return true;
    });
    if (paused) return false;
    stream->cursor = cursor;  // the rest of the range holds no ticket event
    live[tenant].push_back(std::move(ref));
    return true;
  });
}

void LiveHub::Impl::FanOut(std::uint64_t head) {
  if (head <= cursor) return;
  if (!live.empty()) {
    ReadLiveEvents(cursor + 1, head, [&](const LiveEvent& event, const domain::DomainEvent& source) {
      auto it = live.find(event.tenant_id);
      if (it == live.end()) return true;
      projections::TicketPtr ticket;
      bool looked_up = false;
      std::string frame;
      for (const StreamRef& ref : it->second) {
        std::shared_ptr<LiveStream> stream = ref.lock();
        if (!stream || stream->cursor >= event.position) continue;
        Deliver(*stream, event, source, ticket, looked_up, frame);
      }
      return true;
    });
  }
  cursor = head;
}

bool LiveHub::Impl::ReadLiveEvents(
    std::uint64_t from, std::uint64_t to,
    const std::function<bool(const LiveEvent&, const domain::DomainEvent&)>& visit) {
  if (from > to) return true;
  Status problem;
  eventstore::RecordedEvent recorded;
  Status s = engine.log().ReadAllRaw(from, [&](const eventstore::RawRecord& record) {
    if (record.position > to) return false;
    // Without text keys: personal text stays sealed, the ids are plain.
    Status decoded = eventstore::DecodeEnvelope(record.envelope, &recorded, nullptr);
    if (!decoded.ok()) {
      problem = decoded;
      return false;
    }
    std::optional<LiveEvent> event = ToLiveEvent(record.position, recorded.event);
    return !event || visit(*event, recorded.event);
  });
  if (s.ok()) s = problem;
  if (!s.ok()) std::fprintf(stderr, "ticketd: live stream: reading the log: %s\n", s.ToString().c_str());
  return s.ok();
}

void LiveHub::Impl::Deliver(LiveStream& stream, const LiveEvent& event, const domain::DomainEvent& source,
                            projections::TicketPtr& ticket, bool& looked_up, std::string& frame) {
  if (!looked_up) {
    looked_up = true;
    // A deleted ticket is known by its last snapshot; the others as the
    // read model has them now (their reporter and tenant never change).
    if (const auto* deleted = std::get_if<domain::TicketDeleted>(&source.payload))
      ticket = std::make_shared<const domain::Ticket>(deleted->snapshot);
    else
      ticket = engine.tickets().Get(event.tenant_id, event.ticket_id);
  }
  if (!ticket || !MayReceive(stream.credential.actor, *ticket, event)) return;
  if (frame.empty()) frame = FrameLiveEvent(event, ticket->number_text);
  if (stream.Offer(frame) && !stream.touched) {
    stream.touched = true;
    touched.push_back(stream.shared_from_this());
  }
}

void LiveHub::Impl::FlushTouched() {
  for (const auto& stream : touched) {
    stream->touched = false;
    stream->Flush();
  }
  touched.clear();
}

// Prunes closed streams; every second ends those whose token expired; at a
// heartbeat pings the others and checks their credential again.
void LiveHub::Impl::Housekeep(bool heartbeat) {
  const std::int64_t now = NowSeconds();
  const auto& directory = engine.directory();
  std::size_t open = 0;
  auto keep = [&](StreamRef& ref) {
    std::shared_ptr<LiveStream> stream = ref.lock();
    if (!stream || stream->closed()) return false;
    StreamCredential& credential = stream->credential;
    if (credential.expires_at_seconds && now >= *credential.expires_at_seconds) {
      stream->End();
      return false;
    }
    if (heartbeat) {
      std::optional<domain::Actor> actor =
          credential.session_id
              ? directory.AuthenticateSession(credential.actor.tenant_id, credential.actor.user_id,
                                              *credential.session_id)
              : directory.Authenticate(credential.token_sha256);
      if (!actor) {
        stream->End();
        return false;
      }
      credential.actor = *actor;
      stream->OfferPing();
    }
    ++open;
    return true;
  };
  std::erase_if(replaying, [&](StreamRef& ref) { return !keep(ref); });
  for (auto it = live.begin(); it != live.end();) {
    std::erase_if(it->second, [&](StreamRef& ref) { return !keep(ref); });
    it = it->second.empty() ? live.erase(it) : std::next(it);
  }
  if (metrics && open != gauge) {
    gauge = open;
    metrics->SetGauge("ticketd_live_streams", "Open GET /api/v1/stream connections.", static_cast<double>(open));
  }
}

void LiveHub::Impl::EndAll() {
  std::vector<StreamRef> all;
  {
    std::lock_guard lock(mu);
    all = std::move(joining);
  }
  for (StreamRef& ref : replaying) all.push_back(std::move(ref));
  for (auto& [tenant, streams] : live)
    for (StreamRef& ref : streams) all.push_back(std::move(ref));
  replaying.clear();
  live.clear();
  for (StreamRef& ref : all)
    if (auto stream = ref.lock()) stream->End();
}

}  // namespace ticketd::api

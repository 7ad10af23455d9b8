// The relay thread: read the log after the cursor, produce, collect delivery
// reports, advance the cursor over the delivered prefix (see outbox_relay.h
// for the guarantees). kafka_producer.cc owns the librdkafka handle.
#include "ticketd/eventstore/outbox_relay.h"

#include <atomic>
#include <charconv>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

#include "kafka_producer.h"

namespace ticketd::eventstore {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// After a failed delivery or read, wait this long before producing again,
// so a permanent error (message too large, no authorization) does not spin.
constexpr std::chrono::milliseconds kRetryBackoff{1000};
// While the brokers are down, ask for metadata this often.
constexpr std::chrono::milliseconds kProbeInterval{1000};

class RelayImpl final : public OutboxRelay, private ProducerListener {
 public:
  RelayImpl(const OutboxRelayOptions& options, EventLog* log) : options_(options), log_(log) {
    if (!options_.log)
      options_.log = [](std::string_view line) {
        std::fprintf(stderr, "ticketd: kafka: %.*s\n", static_cast<int>(line.size()), line.data());
      };
  }
  ~RelayImpl() override { Stop(std::chrono::milliseconds(0)); }

  Status Init() {
    Status s = LoadCursor();
    if (!s.ok()) return s;
    std::unique_ptr<KafkaProducer> producer;
    s = KafkaProducer::Create(options_, this, &producer);
    if (!s.ok()) return s;
    ReplaceProducer(std::move(producer));
    thread_ = std::thread([this] { Run(); });
    return Status::Ok();
  }

  void Notify() override {
    // Only the first notification per wake-up pays for the signal.
    if (!notified_.exchange(true, std::memory_order_acq_rel)) Wake();
  }

  OutboxRelayStats Stats() const override {
    OutboxRelayStats stats;
    stats.head_position = log_->HeadPosition();
    stats.published_position = cursor_.load(std::memory_order_acquire);
    stats.lag_events =
        stats.head_position > stats.published_position ? stats.head_position - stats.published_position : 0;
    const std::int64_t oldest = oldest_undelivered_us_.load(std::memory_order_relaxed);
    if (stats.lag_events > 0 && oldest > 0) stats.lag_seconds = std::max<double>(0, WallMicros() - oldest) / 1e6;
    stats.published_total = published_total_.load(std::memory_order_relaxed);
    stats.errors_total = errors_total_.load(std::memory_order_relaxed);
    stats.broker_up = broker_up_.load(std::memory_order_relaxed);
    return stats;
  }

  void Stop(std::chrono::milliseconds drain) override {
    if (stopped_.exchange(true)) return;
    drain_ = drain;
    stopping_.store(true, std::memory_order_release);
    Wake();
    if (thread_.joinable()) thread_.join();
  }

 private:
  enum class Delivery { kPending, kDelivered, kFailed };
  struct InFlight {
    std::uint64_t position;
    std::int64_t occurred_at_us;
    Delivery state;
  };

  // Any thread. The lock only guards the pointer against RecreateProducer.
  void Wake() {
    std::lock_guard lock(producer_mu_);
    if (producer_) producer_->Wake();
  }

  void ReplaceProducer(std::unique_ptr<KafkaProducer> producer) {
    std::lock_guard lock(producer_mu_);
    producer_ = std::move(producer);
  }

  Status LoadCursor() {
    std::uint64_t cursor = 0;
    if (!options_.cursor_key.empty()) {
      std::string stored;
      Status s = log_->GetMeta(options_.cursor_key, &stored);
      if (s.ok()) {
        auto [end, ec] = std::from_chars(stored.data(), stored.data() + stored.size(), cursor);
        if (ec != std::errc() || end != stored.data() + stored.size())
          return Status::Corruption("relay cursor " + options_.cursor_key + " is not a number");
      } else if (!s.IsNotFound()) {
        return s;
      }
    }
    cursor_.store(cursor);
    persisted_cursor_ = cursor;
    next_position_ = cursor + 1;
    return Status::Ok();
  }

  void Run() {
    ProbeBrokers(/*first=*/true);
    while (!stopping_.load(std::memory_order_acquire)) {
      producer_->Poll(options_.idle_wakeup);
      notified_.store(false, std::memory_order_release);
      if (producer_->fatal()) RecreateProducer();
      Settle();
      if (Clock::now() >= backoff_until_) ProduceAvailable();
      producer_->Poll(std::chrono::milliseconds(0));
      Settle();
      if (!broker_up_.load(std::memory_order_relaxed) && Clock::now() >= next_probe_) ProbeBrokers(false);
      PersistCursor(/*force=*/false);
    }
    // Shutdown: give outstanding deliveries `drain_`, then drop the rest;
    // they stay after the cursor and go out on the next start.
    producer_->Flush(drain_);
    producer_->PurgeAll();
    Settle();
    PersistCursor(/*force=*/true);
    ReplaceProducer(nullptr);
  }

  // Reads committed records after next_position_ and hands them to the
  // producer until the log's head, the in-flight bound, or a full queue.
  void ProduceAvailable() {
    if (rewind_pending_) return;
    const std::uint64_t head = log_->HeadPosition();
    if (next_position_ > head) return;
    Status problem;
    Status s = log_->ReadAllRaw(next_position_, [&](const RawRecord& record) {
      if (record.position > head || in_flight_.size() >= options_.max_in_flight) return false;
      EnvelopeFacts facts;
      if (!ReadEnvelopeFacts(record.envelope, &facts)) {
        problem = Status::Corruption("position " + std::to_string(record.position) + ": envelope does not parse");
        return false;
      }
      ProduceResult result = producer_->Produce(record, facts);
      if (result == ProduceResult::kQueueFull) return false;
      if (result == ProduceResult::kFailed) {
        problem = Status::Unavailable("produce refused at position " + std::to_string(record.position));
        return false;
      }
      in_flight_.push_back(InFlight{record.position, facts.occurred_at_us, Delivery::kPending});
      next_position_ = record.position + 1;
      return true;
    });
    if (s.ok()) s = problem;
    if (!s.ok()) {
      errors_total_.fetch_add(1, std::memory_order_relaxed);
      LogThrottled("cannot publish: " + s.ToString());
      backoff_until_ = Clock::now() + kRetryBackoff;
    }
    if (!in_flight_.empty()) oldest_undelivered_us_.store(in_flight_.front().occurred_at_us);
  }

  // Pops the delivered prefix into the cursor; after a failure, once nothing
  // is pending, rewinds so everything after the cursor is produced again.
  void Settle() {
    std::uint64_t cursor = cursor_.load(std::memory_order_relaxed);
    while (!in_flight_.empty() && in_flight_.front().state == Delivery::kDelivered) {
      cursor = in_flight_.front().position;
      in_flight_.pop_front();
    }
    cursor_.store(cursor, std::memory_order_release);
    if (rewind_pending_ && pending_ == 0) {
      in_flight_.clear();
      next_position_ = cursor + 1;
      rewind_pending_ = false;
      backoff_until_ = Clock::now() + kRetryBackoff;
    }
    if (!in_flight_.empty()) {
      oldest_undelivered_us_.store(in_flight_.front().occurred_at_us, std::memory_order_relaxed);
    } else if (cursor >= log_->HeadPosition()) {
      oldest_undelivered_us_.store(0, std::memory_order_relaxed);
    }
  }

  void PersistCursor(bool force) {
    if (options_.cursor_key.empty()) return;
    const std::uint64_t cursor = cursor_.load(std::memory_order_relaxed);
    if (cursor == persisted_cursor_) return;
    if (!force && Clock::now() - persisted_at_ < options_.cursor_persist_interval) return;
    Status s = log_->PutMeta(options_.cursor_key, std::to_string(cursor));
    persisted_at_ = Clock::now();
    if (!s.ok()) {
      LogThrottled("cannot store the cursor: " + s.ToString());
      return;
    }
    persisted_cursor_ = cursor;
  }

  void ProbeBrokers(bool first) {
    next_probe_ = Clock::now() + kProbeInterval;
    if (producer_->Reachable(std::chrono::milliseconds(first ? 2000 : 300))) {
      MarkBrokersUp();
    } else if (first) {
      options_.log("brokers " + options_.brokers +
                   " unreachable; ticketd serves on and publishes the backlog once they answer");
    }
  }

  void MarkBrokersUp() {
    if (!broker_up_.exchange(true, std::memory_order_relaxed))
      options_.log("brokers reachable; publishing to topic " + options_.topic + " after position " +
                   std::to_string(cursor_.load()));
  }

  // A fatal idempotence error ends the producer instance; a new one starts
  // a new producer id, from the cursor (at-least-once still holds).
  void RecreateProducer() {
    LogThrottled("fatal producer error: " + producer_->FatalReason() + "; restarting the producer");
    errors_total_.fetch_add(1, std::memory_order_relaxed);
    producer_->PurgeAll();
    ReplaceProducer(nullptr);
    pending_ = 0;
    rewind_pending_ = true;
    Settle();
    // The same options worked at Start(), so this fails only on exhaustion:
    // keep trying rather than give up publishing for good.
    for (;;) {
      std::unique_ptr<KafkaProducer> producer;
      Status s = KafkaProducer::Create(options_, this, &producer);
      if (s.ok()) {
        ReplaceProducer(std::move(producer));
        return;
      }
      LogThrottled("cannot restart the producer: " + s.ToString());
      std::this_thread::sleep_for(kRetryBackoff);
    }
  }

  // ProducerListener (called on this thread, inside Poll/PurgeAll).
  void OnProduced() override { ++pending_; }
  void OnDelivered(std::uint64_t position, const char* error) override {
    --pending_;
    InFlight* entry = Find(position);
    if (!error) {
      if (entry) entry->state = Delivery::kDelivered;
      published_total_.fetch_add(1, std::memory_order_relaxed);
      MarkBrokersUp();
      if (options_.on_delivered) options_.on_delivered(position);
      return;
    }
    if (entry) entry->state = Delivery::kFailed;
    rewind_pending_ = true;
    errors_total_.fetch_add(1, std::memory_order_relaxed);
    if (!stopping_.load(std::memory_order_relaxed))
      LogThrottled("delivery of position " + std::to_string(position) + " failed: " + error);
  }
  void OnClientError(bool all_brokers_down, const std::string& reason) override {
    errors_total_.fetch_add(1, std::memory_order_relaxed);
    if (all_brokers_down && broker_up_.exchange(false, std::memory_order_relaxed)) {
      next_probe_ = Clock::now() + kProbeInterval;
      options_.log("all brokers down (" + reason + "); events wait in the log");
    }
  }

  InFlight* Find(std::uint64_t position) {
    if (in_flight_.empty() || position < in_flight_.front().position) return nullptr;
    const std::uint64_t index = position - in_flight_.front().position;
    return index < in_flight_.size() ? &in_flight_[index] : nullptr;
  }

  void LogThrottled(const std::string& line) {
    const auto now = Clock::now();
    if (now - last_logged_ < std::chrono::seconds(10)) return;
    last_logged_ = now;
    options_.log(line);
  }

  OutboxRelayOptions options_;
  EventLog* log_;
  std::mutex producer_mu_;  // writes of producer_ (relay thread) vs Wake() (any thread)
  std::unique_ptr<KafkaProducer> producer_;
  std::thread thread_;
  std::atomic<bool> notified_{false}, stopping_{false}, stopped_{false};
  std::chrono::milliseconds drain_{0};

  // Shared with Stats().
  std::atomic<std::uint64_t> cursor_{0};
  std::atomic<std::int64_t> oldest_undelivered_us_{0};
  std::atomic<std::uint64_t> published_total_{0}, errors_total_{0};
  std::atomic<bool> broker_up_{false};

  // Relay thread only. Positions in in_flight_ are dense and ascending, so a
  // delivery report finds its entry by subtraction.
  std::deque<InFlight> in_flight_;
  std::uint64_t next_position_ = 1;
  std::size_t pending_ = 0;  // produced, no report yet
  bool rewind_pending_ = false;
  std::uint64_t persisted_cursor_ = 0;
  Clock::time_point persisted_at_{}, backoff_until_{}, next_probe_{}, last_logged_{};
};

}  // namespace

Status OutboxRelay::Start(const OutboxRelayOptions& options, EventLog* log, std::unique_ptr<OutboxRelay>* relay) {
  if (options.brokers.empty()) return Status::InvalidArgument("the relay needs brokers");
  if (options.topic.empty()) return Status::InvalidArgument("the relay needs a topic");
  if (options.max_in_flight == 0) return Status::InvalidArgument("max_in_flight must be > 0");
  auto impl = std::make_unique<RelayImpl>(options, log);
  Status s = impl->Init();
  if (!s.ok()) return s;
  *relay = std::move(impl);
  return Status::Ok();
}

}  // namespace ticketd::eventstore

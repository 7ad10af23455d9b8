// Mailer internals shared by mailer.cc (wiring, reads, digest requests),
// mail_notifier.cc (log -> queue) and mail_delivery.cc (queue -> transport).
//
// Locking: `mu` guards `pending`, `due`, `digest_requests`, setting
// `stopping`, and every write of a queued entry's key (so the notifier
// dropping an entry and the delivery thread finishing it cannot overwrite
// each other). `wake_mu` guards only `notified`: the engine's commit listener
// runs on the writer thread and must never wait behind a synced write made
// under `mu`.
// The notifier's own state (cursor, sequence, month counts) is its thread's.
#pragma once

#include <array>
#include <chrono>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "mail_entry.h"
#include "mail_hold.h"
#include "ticketd/app/engine.h"
#include "ticketd/app/mailer.h"
#include "ticketd/app/metrics.h"
#include "ticketd/eventstore/side_store.h"
#include "ticketd/mail/transport.h"

namespace ticketd::app {

struct DigestRequest {
  domain::Id tenant_id;
  domain::Timestamp day = 0;
  std::function<void(DigestSendResult)> done;  // empty for the 07:00 run
};

struct Mailer::Impl {
  MailerOptions options;
  Engine& engine;
  eventstore::EventLog& log;  // events are read here; nothing is written
  // The queue, the cursor and the counters: DATA_DIR/mail-queue, a RocksDB
  // of its own (eventstore/side_store.h) so the mail threads never share a
  // write group with the writer's commits.
  std::unique_ptr<eventstore::SideStore> queue;
  std::string queue_dir;
  Metrics& metrics;
  std::unique_ptr<mail::Transport> transport;
  std::uint64_t commit_listener = 0;
  std::uint64_t metrics_source = 0;

  std::mutex mu;
  std::condition_variable delivery_cv;  // with mu
  std::mutex wake_mu;
  std::condition_variable notifier_cv;  // with wake_mu
  std::atomic<bool> stopping{false};
  bool notified = false;  // guarded by wake_mu
  std::map<std::string, MailEntry> pending;                  // key -> queued entry
  std::set<std::pair<domain::Timestamp, std::string>> due;   // (next attempt, key) of pending ones not in flight
  std::deque<DigestRequest> digest_requests;
  std::string public_url;  // links in mails (guarded by mu: set once the port is known)
  std::atomic<std::uint64_t> applied_head{0};  // read models are current up to here
  std::atomic<std::uint64_t> sent_total{0}, failed_total{0}, dropped_total{0};
  // The notifier or delivery waited for a saturated writer (mail_hold.h):
  // holds begun, and holds ended by the bound while it was still saturated.
  std::atomic<std::uint64_t> holds_total{0}, hold_releases_total{0};

  // Notifier thread only.
  std::uint64_t cursor = 0;
  std::uint64_t sequence = 0;
  std::unordered_map<std::string, std::int64_t> month_counts;  // "tenant/YYYY-MM" -> queued mails
  domain::Timestamp auto_digest_day = -1;  // the day whose 07:00 run is done

  std::thread notifier, delivery;

  // Wakes the notifier (commits, digest requests, stop).
  void WakeNotifier();

  Impl(const MailerOptions& o, Engine& e, Metrics& m) : options(o), engine(e), log(e.log()), metrics(m) {}
  domain::Timestamp Now() const { return options.clock(); }

  Status LoadState();  // mailer.cc: cursor, sequence, pending entries
  Status MoveQueueFromLog();  // mailer.cc: the queue of a data dir from before the store
  // The queue's unsynced writes made durable (a failure is logged): at a
  // clean stop, and from the notifier at most once per second.
  void SyncQueue();
  void SyncQueueIfDue(std::chrono::steady_clock::time_point& last_sync);
  // mail_notifier.cc
  void NotifierLoop();
  // Until when the notifier's round waits for a saturated writer; nullopt: go.
  std::optional<MailHold::Clock::time_point> HoldNotifier(MailHold& hold);
  Status ProcessEvents(std::uint64_t up_to);
  void ProcessDigest(DigestRequest request);
  void RunMorningDigests();
  // Records the month's max_emails_month alert (an engine command).
  void RaiseQuotaAlert(const domain::Id& tenant_id, std::int64_t limit, std::int64_t current);
  // The tenant's template of one kind (override or default), cached per
  // tenant until the notifier sees a template event of it.
  MailTemplateView TemplateFor(const domain::Id& tenant_id, domain::MailTemplate kind) const;
  void ForgetTemplates(const domain::Id& tenant_id) const;
  using TenantTemplates = std::array<std::optional<MailTemplateView>, domain::kMailTemplates.size()>;
  mutable std::mutex templates_mu;
  mutable std::unordered_map<domain::Id, TenantTemplates, domain::IdHash> templates;
  // mail_delivery.cc
  void DeliveryLoop();
  // Under mu: since when the mail of a `due` element has waited.
  domain::Timestamp DueSince(const std::pair<domain::Timestamp, std::string>& due_entry) const;
  // Under mu: changed entries back to disk in one write (unsynced: made
  // durable by the queue's next sync, within a second), and to
  // `pending`/`due` while queued.
  void StoreLocked(const std::vector<MailEntry>& entries);
  std::string RenderMetrics() const;
};

// The notifier and delivery threads run at a lower priority than the writer
// and the HTTP threads (SCHED_IDLE and the idle I/O class, nice +10 where
// that is refused: mail may lag, creates must not), and hold
// themselves to one round per kMailRoundGap, so under load a round carries
// many mails behind one write instead of one write each; idle, a
// round starts at once.
inline constexpr std::chrono::milliseconds kMailRoundGap{25};
// The longest a mail waits for a saturated writer before it goes out anyway
// (mail_hold.h; docs/api-decisions.md, mail out, mailpace).
inline constexpr std::chrono::milliseconds kMailHoldBound{10000};
// Waits (with `lock` held on entry and exit) until kMailRoundGap has passed
// since `last_round` or `stopping`; then sets `last_round` to now.
template <typename Lock>
void PaceRound(std::condition_variable& cv, Lock& lock, const std::atomic<bool>& stopping,
               std::chrono::steady_clock::time_point& last_round) {
  const auto next = last_round + kMailRoundGap;
  if (std::chrono::steady_clock::now() < next) cv.wait_until(lock, next, [&] { return stopping.load(); });
  last_round = std::chrono::steady_clock::now();
}

// "{tenant}/YYYY-MM": a month's mail count is meta "mail/count/" + this
// (mails queued in that UTC month of their event; dropped ones not counted).
std::string MonthOf(const domain::Id& tenant_id, domain::Timestamp at);

// The tickets of `refs` (tenant, ticket id), nullptr where gone: for a mail
// thread's whole round, one hold of each tenant's read-model lock taken at
// normal scheduling (background_thread.h). One Get per mail at SCHED_IDLE
// made the writer wait behind a preempted mail thread (docs/performance.md,
// mailcost).
std::vector<projections::TicketPtr> FetchTickets(const Engine& engine,
                                                 const std::vector<std::pair<domain::Id, domain::Id>>& refs);

// Shared facts of one tenant for the pure rules.
std::vector<domain::Id> StaffOf(const Engine& engine, const domain::Id& tenant_id);
bool NotificationsEnabled(const Engine& engine, const domain::Id& tenant_id);

}  // namespace ticketd::app

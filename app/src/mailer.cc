// Mailer wiring (mailer.h): start-up state, the threads, reads for the API,
// and the /metrics series.
#include "ticketd/app/mailer.h"


#include <charconv>
#include <cstdio>
#include <sstream>

#include "mailer_impl.h"
#include "ticketd/app/backup.h"
#include "ticketd/base/background_thread.h"
#include "ticketd/eventstore/failpoint.h"
#include "ticketd/mail/templates.h"

namespace ticketd::app {
namespace {

std::uint64_t ParseCount(const std::string& text) {
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

domain::Timestamp SystemNow() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// Until session 7 the queue lived in the event log's metadata ("mail/..."):
// moved to the store once, in one synced write, then removed from the log.
// A crash in between leaves stale keys in the log that nothing reads.
Status Mailer::Impl::MoveQueueFromLog() {
  std::string stored;
  Status s = queue->Get("mail/cursor", &stored);
  if (!s.IsNotFound()) return s;
  s = log.GetMeta("mail/cursor", &stored);
  if (s.IsNotFound()) return Status::Ok();
  if (!s.ok()) return s;
  std::vector<eventstore::MetaWrite> moved, removed;
  s = log.ScanMeta("mail/", [&](std::string_view key, std::string_view value) {
    moved.push_back({std::string(key), std::string(value)});
    removed.push_back({std::string(key), std::nullopt});
    return true;
  });
  if (s.ok()) s = queue->Write(moved, eventstore::MetaDurability::kSynced);
  if (s.ok()) s = log.WriteMeta(removed, eventstore::MetaDurability::kSynced);
  return s;
}

Status Mailer::Impl::LoadState() {
  Status s = MoveQueueFromLog();
  if (!s.ok()) return s;
  std::string stored;
  s = queue->Get("mail/cursor", &stored);
  if (s.IsNotFound()) {
    // First start with mail: the history before it is not mailed.
    cursor = log.HeadPosition();
    const std::vector<eventstore::MetaWrite> first = {{"mail/cursor", std::to_string(cursor)}};
    s = queue->Write(first, eventstore::MetaDurability::kSynced);
  } else if (s.ok()) {
    cursor = ParseCount(stored);
  }
  if (!s.ok()) return s;
  if (queue->Get("mail/seq", &stored).ok()) sequence = ParseCount(stored);
  Status problem;
  s = queue->Scan(kMailEntryPrefix, [&](std::string_view key, std::string_view value) {
    MailEntry entry;
    if (!DecodeMailEntry(value, &entry)) {
      problem = Status::Corruption("mail queue entry " + std::string(key) + " does not decode");
      return false;
    }
    if (entry.status == MailStatus::kQueued) {
      pending[std::string(key)] = entry;
      due.insert({entry.next_attempt_at, std::string(key)});
    }
    return true;
  });
  return s.ok() ? problem : s;
}

std::vector<projections::TicketPtr> FetchTickets(const Engine& engine,
                                                 const std::vector<std::pair<domain::Id, domain::Id>>& refs) {
  std::vector<projections::TicketPtr> tickets(refs.size());
  std::unordered_map<domain::Id, std::vector<std::size_t>, domain::IdHash> by_tenant;
  for (std::size_t i = 0; i < refs.size(); ++i) by_tenant[refs[i].first].push_back(i);
  NormalSchedulingScope reading;
  for (const auto& [tenant_id, indexes] : by_tenant) {
    std::vector<domain::Id> ids;
    ids.reserve(indexes.size());
    for (std::size_t i : indexes) ids.push_back(refs[i].second);
    std::vector<projections::TicketPtr> found = engine.tickets().GetMany(tenant_id, ids);
    for (std::size_t j = 0; j < indexes.size(); ++j) tickets[indexes[j]] = std::move(found[j]);
  }
  return tickets;
}

void Mailer::Impl::SyncQueue() {
  Status s = queue->SyncWal();
  if (!s.ok()) std::fprintf(stderr, "ticketd: mail: cannot sync the mail queue: %s\n", s.ToString().c_str());
}

void Mailer::Impl::SyncQueueIfDue(std::chrono::steady_clock::time_point& last_sync) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_sync < std::chrono::seconds(1)) return;
  last_sync = now;
  SyncQueue();
}

void Mailer::Impl::WakeNotifier() {
  {
    std::lock_guard wake(wake_mu);
    notified = true;
  }
  notifier_cv.notify_one();
}

void Mailer::Impl::RaiseQuotaAlert(const domain::Id& tenant_id, std::int64_t limit, std::int64_t current) {
  domain::RecordQuotaAlert command;
  command.actor = domain::Actor{.kind = domain::Actor::Kind::kPlatformAdmin};
  command.at = Now();
  command.tenant_id = tenant_id;
  command.alert = domain::QuotaAlertRaised{domain::Quota::kMaxEmailsMonth, limit, current};
  engine.Submit(domain::DirectoryCommand{std::move(command)}, domain::Id{}, [](CommandOutcome&& outcome) {
    if (!outcome.status.ok())
      std::fprintf(stderr, "ticketd: mail: cannot record the quota alert: %s\n", outcome.status.ToString().c_str());
  });
}

MailTemplateView Mailer::Impl::TemplateFor(const domain::Id& tenant_id, domain::MailTemplate kind) const {
  const mail::TemplateText& fallback = mail::DefaultTemplate(kind);
  MailTemplateView view{kind, fallback.subject, fallback.text, fallback.html, false};
  if (!engine.directory().FeatureEnabled(tenant_id, domain::Feature::kEmailTemplates)) return view;
  std::lock_guard lock(templates_mu);
  auto it = templates.find(tenant_id);
  if (it == templates.end()) {
    // Fold the tenant's template events (rare: once per change).
    TenantTemplates folded;
    std::vector<eventstore::RecordedEvent> events;
    if (!log.ReadStream({tenant_id, tenant_id}, &events).ok()) return view;
    for (const eventstore::RecordedEvent& recorded : events) {
      const auto* mail_event = std::get_if<domain::MailEvent>(&recorded.event.payload);
      if (!mail_event) continue;
      if (const auto* set = std::get_if<domain::EmailTemplateSet>(mail_event)) {
        folded[static_cast<std::size_t>(set->kind)] = MailTemplateView{set->kind, set->subject, set->text, set->html, true};
      } else {
        folded[static_cast<std::size_t>(std::get<domain::EmailTemplateReset>(*mail_event).kind)].reset();
      }
    }
    it = templates.emplace(tenant_id, std::move(folded)).first;
  }
  if (const auto& custom = it->second[static_cast<std::size_t>(kind)]) return *custom;
  return view;
}

void Mailer::Impl::ForgetTemplates(const domain::Id& tenant_id) const {
  std::lock_guard lock(templates_mu);
  templates.erase(tenant_id);
}

std::string Mailer::Impl::RenderMetrics() const {
  std::size_t queued = 0;
  domain::Timestamp oldest = 0;
  {
    std::lock_guard lock(const_cast<std::mutex&>(mu));
    queued = pending.size();
    for (const auto& [key, entry] : pending)
      if (oldest == 0 || entry.queued_at < oldest) oldest = entry.queued_at;
  }
  const double oldest_seconds = oldest == 0 ? 0 : std::max<double>(0, (Now() - oldest) / 1e6);
  std::ostringstream out;
  out << "# HELP ticketd_mail_queued Mails waiting for delivery.\n# TYPE ticketd_mail_queued gauge\n"
      << "ticketd_mail_queued " << queued << "\n"
      << "# HELP ticketd_mail_sent_total Mails handed to the relay or spool.\n"
      << "# TYPE ticketd_mail_sent_total counter\nticketd_mail_sent_total " << sent_total.load() << "\n"
      << "# HELP ticketd_mail_failed_total Mails refused for good (5xx).\n"
      << "# TYPE ticketd_mail_failed_total counter\nticketd_mail_failed_total " << failed_total.load() << "\n"
      << "# HELP ticketd_mail_dropped_total Mails not sent (quota, disabled, erased).\n"
      << "# TYPE ticketd_mail_dropped_total counter\nticketd_mail_dropped_total " << dropped_total.load() << "\n"
      << "# HELP ticketd_mail_oldest_queued_seconds Age of the oldest queued mail.\n"
      << "# TYPE ticketd_mail_oldest_queued_seconds gauge\nticketd_mail_oldest_queued_seconds " << oldest_seconds
      << "\n"
      << "# HELP ticketd_mail_holds_total Times the notifier or delivery waited for a saturated writer.\n"
      << "# TYPE ticketd_mail_holds_total counter\nticketd_mail_holds_total " << holds_total.load()
      << "\n"
      << "# HELP ticketd_mail_hold_releases_total Holds ended by the lag bound, the writer still saturated.\n"
      << "# TYPE ticketd_mail_hold_releases_total counter\nticketd_mail_hold_releases_total "
      << hold_releases_total.load() << "\n";
  return out.str();
}

Status Mailer::Start(const MailerOptions& options, Engine& engine, Metrics& metrics, std::unique_ptr<Mailer>* mailer) {
  auto impl = std::make_unique<Impl>(options, engine, metrics);
  if (!impl->options.clock) impl->options.clock = SystemNow;
  impl->public_url = impl->options.public_url;
  if (impl->options.spool_dir.empty()) impl->options.spool_dir = engine.data_dir() + "/mail";
  Status s;
  if (options.smtp == "spool") {
    // A kill -9 between a round's file writes and their sync (the crash
    // tests; eventstore/failpoint.h: nothing without TICKETD_FAILPOINT).
    s = mail::MakeSpoolTransport(impl->options.spool_dir, &impl->transport, mail::SpoolSync::kAuto,
                                 [] { (void)eventstore::Failpoint("mail.spool.before_sync"); });
  } else {
    mail::SmtpConfig config;
    if (!options.smtp_config.empty()) s = mail::LoadSmtpConfig(options.smtp_config, &config);
    if (!s.ok()) return Status::InvalidArgument("--smtp-config: " + s.message());
    s = mail::MakeSmtpTransport(options.smtp, config, &impl->transport);
  }
  if (!s.ok()) return s;
  impl->queue_dir = engine.data_dir() + "/mail-queue";
  s = eventstore::SideStore::Open(impl->queue_dir, &impl->queue);
  if (!s.ok()) return s;
  s = impl->LoadState();
  if (!s.ok()) return s;
  impl->applied_head.store(engine.log().HeadPosition());
  Impl* raw = impl.get();
  impl->commit_listener = engine.AddCommitListener([raw] {
    raw->applied_head.store(raw->log.HeadPosition(), std::memory_order_release);
    raw->WakeNotifier();
  });
  impl->metrics_source = metrics.AddTextSource([raw] { return raw->RenderMetrics(); });
  RegisterLiveDirectory(impl->queue_dir, [raw](const std::string& to) { return raw->queue->Checkpoint(to); });
  impl->notifier = std::thread([raw] { raw->NotifierLoop(); });
  impl->delivery = std::thread([raw] { raw->DeliveryLoop(); });
  mailer->reset(new Mailer(std::move(impl)));
  return Status::Ok();
}

Mailer::Mailer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Mailer::~Mailer() { Stop(); }

void Mailer::Stop() {
  if (!impl_ || impl_->notifier.get_id() == std::thread::id()) return;
  impl_->engine.RemoveCommitListener(impl_->commit_listener);
  impl_->metrics.RemoveTextSource(impl_->metrics_source);
  {
    std::lock_guard lock(impl_->mu);
    std::lock_guard wake(impl_->wake_mu);
    impl_->stopping = true;
  }
  impl_->notifier_cv.notify_all();
  impl_->delivery_cv.notify_all();
  impl_->notifier.join();
  impl_->delivery.join();
  UnregisterLiveDirectory(impl_->queue_dir);
  impl_->SyncQueue();
}

Status Mailer::ListNotifications(const domain::Id& tenant_id, const NotificationFilter& filter,
                                 std::vector<NotificationView>* out) const {
  const Engine& engine = impl_->engine;
  Status problem;
  Status s = impl_->queue->Scan(MailEntryTenantPrefix(tenant_id), [&](std::string_view, std::string_view value) {
    MailEntry e;
    if (!DecodeMailEntry(value, &e)) {
      problem = Status::Corruption("a mail queue entry does not decode");
      return false;
    }
    if (filter.ticket_id && e.ticket_id != filter.ticket_id) return true;
    if (filter.status && ToString(e.status) != *filter.status) return true;
    NotificationView v;
    v.id = e.id;
    v.event_id = e.event_id;
    v.ticket_id = e.ticket_id;
    v.template_name = std::string(domain::ToString(e.kind));
    std::optional<domain::User> user = engine.directory().GetUser(tenant_id, e.recipient_id);
    const bool erased = !user || user->erased_at || e.reason == domain::MailDropReason::kErased;
    v.recipient = erased ? std::string(domain::kErasedText) : user->email;
    v.status = std::string(ToString(e.status));
    if (e.reason) v.reason = std::string(domain::ToString(*e.reason));
    if (!e.last_error.empty()) v.last_error = e.last_error;
    v.attempts = e.attempts;
    v.message_id = e.message_id;
    v.queued_at = e.queued_at;
    v.sent_at = e.sent_at;
    v.next_attempt_at = e.status == MailStatus::kQueued ? std::optional(e.next_attempt_at) : std::nullopt;
    out->push_back(std::move(v));
    return true;
  });
  return s.ok() ? problem : s;
}

void Mailer::SendDigest(const domain::Id& tenant_id, domain::Timestamp day, std::function<void(DigestSendResult)> done) {
  bool queued = false;
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->stopping) {
      impl_->digest_requests.push_back(DigestRequest{tenant_id, day, std::move(done)});
      queued = true;
    }
  }
  if (queued) {
    impl_->WakeNotifier();
    return;
  }
  done(DigestSendResult{Status::Unavailable("shutting down")});
}

void Mailer::SetPublicUrl(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  std::lock_guard lock(impl_->mu);
  impl_->public_url = std::move(url);
}

std::int64_t Mailer::EmailsThisMonth(const domain::Id& tenant_id) const {
  std::string stored;
  if (!impl_->queue->Get("mail/count/" + MonthOf(tenant_id, impl_->Now()), &stored).ok()) return 0;
  return static_cast<std::int64_t>(ParseCount(stored));
}

MailTemplateView Mailer::Template(const domain::Id& tenant_id, domain::MailTemplate kind, bool fresh) const {
  if (fresh) impl_->ForgetTemplates(tenant_id);
  return impl_->TemplateFor(tenant_id, kind);
}

}  // namespace ticketd::app

// The notifier thread: committed events -> queue entries (mailer.h).
#include <algorithm>
#include <cstdio>

#include "mail_hold.h"
#include "mailer_impl.h"
#include "ticketd/base/background_thread.h"
#include "ticketd/domain/overloaded.h"
#include "ticketd/domain/ticket_mail_ids.h"

namespace ticketd::app {
namespace {

// A round's events, bounded so a long backlog still commits in steps.
constexpr std::size_t kEventsPerBatch = 4096;
constexpr std::string_view kCursorKey = "mail/cursor";
constexpr std::string_view kSequenceKey = "mail/seq";


// What one notifier batch writes, all at once.
class QueueBatch {
 public:
  explicit QueueBatch(Mailer::Impl& impl) : impl_(impl) {}

  // Queues `planned` (or records it dropped), applying the monthly quota.
  void Add(MailEntry entry, std::optional<domain::MailDropReason> dropped, domain::Timestamp month_of) {
    entry.sequence = ++impl_.sequence;
    if (!dropped && OverQuota(entry.tenant_id, month_of)) dropped = domain::MailDropReason::kQuota;
    if (dropped) {
      entry.status = MailStatus::kDropped;
      entry.reason = dropped;
      ++dropped_;
    }
    entries_.push_back(std::move(entry));
  }
  void Drop(const MailEntry& queued) {
    MailEntry entry = queued;
    entry.status = MailStatus::kDropped;
    entry.reason = domain::MailDropReason::kErased;
    entry.last_error.clear();
    ++dropped_;
    entries_.push_back(std::move(entry));
  }
  std::int64_t QueuedFor(const domain::Id& tenant_id) const {
    std::int64_t n = 0;
    for (const MailEntry& e : entries_) n += e.tenant_id == tenant_id && e.status == MailStatus::kQueued;
    return n;
  }
  void Put(std::string key, std::string value) { writes_.push_back({std::move(key), std::move(value)}); }

  // Writes everything with the cursor; then (under mu) makes the queued
  // entries visible to the delivery thread. Caller holds impl_.mu.
  Status CommitLocked(std::uint64_t cursor, eventstore::MetaDurability durability) {
    for (const MailEntry& e : entries_) writes_.push_back({MailEntryKey(e), EncodeMailEntry(e)});
    for (const auto& [month, count] : touched_) writes_.push_back({"mail/count/" + month, std::to_string(count)});
    writes_.push_back({std::string(kCursorKey), std::to_string(cursor)});
    writes_.push_back({std::string(kSequenceKey), std::to_string(impl_.sequence)});
    // A quota alert is an event of its own: its "raised" mark must not be
    // lost while the event stays, or the month would get a second alert.
    if (!alerted_.empty()) durability = eventstore::MetaDurability::kSynced;
    Status s = impl_.queue->Write(writes_, durability);
    if (!s.ok()) return s;
    for (const MailEntry& e : entries_) {
      const std::string key = MailEntryKey(e);
      if (e.status == MailStatus::kQueued) {
        impl_.pending[key] = e;
        impl_.due.insert({e.next_attempt_at, key});
      } else if (auto it = impl_.pending.find(key); it != impl_.pending.end()) {
        impl_.due.erase({it->second.next_attempt_at, key});
        impl_.pending.erase(it);
      }
    }
    for (const auto& [month, count] : touched_) impl_.month_counts[month] = count;
    impl_.cursor = cursor;
    impl_.dropped_total.fetch_add(dropped_, std::memory_order_relaxed);
    return Status::Ok();
  }

 private:
  bool OverQuota(const domain::Id& tenant_id, domain::Timestamp at) {
    std::optional<domain::TenantAccess> access = impl_.engine.directory().GetAccess(tenant_id);
    const std::string month = MonthOf(tenant_id, at);
    std::int64_t& count = Count(month);
    const std::optional<std::int64_t> limit = access ? access->quotas[domain::Quota::kMaxEmailsMonth] : std::nullopt;
    if (limit && count >= *limit) {
      RaiseAlertOnce(tenant_id, month, *limit, count);
      return true;
    }
    ++count;
    return false;
  }
  std::int64_t& Count(const std::string& month) {
    if (auto it = touched_.find(month); it != touched_.end()) return it->second;
    std::int64_t count = 0;
    if (auto it = impl_.month_counts.find(month); it != impl_.month_counts.end()) {
      count = it->second;
    } else {
      std::string stored;
      if (impl_.queue->Get("mail/count/" + month, &stored).ok()) count = std::stoll(stored);
    }
    return touched_[month] = count;
  }
  // One alert per tenant and month (ACCESS.md quota alerts), recorded once.
  void RaiseAlertOnce(const domain::Id& tenant_id, const std::string& month, std::int64_t limit,
                      std::int64_t current) {
    const std::string key = "mail/alert/" + month;
    std::string stored;
    if (alerted_.contains(key) || impl_.queue->Get(key, &stored).ok()) return;
    alerted_.insert(key);
    Put(key, "1");
    impl_.RaiseQuotaAlert(tenant_id, limit, current);
  }

  Mailer::Impl& impl_;
  std::vector<MailEntry> entries_;
  std::vector<eventstore::MetaWrite> writes_;
  std::map<std::string, std::int64_t> touched_;
  std::set<std::string> alerted_;
  std::uint64_t dropped_ = 0;
};

}  // namespace

std::string MonthOf(const domain::Id& tenant_id, domain::Timestamp at) {
  return tenant_id.ToString() + "/" + domain::FormatDate(at).substr(0, 7);
}

std::vector<domain::Id> StaffOf(const Engine& engine, const domain::Id& tenant_id) {
  std::vector<domain::Id> staff;
  std::optional<domain::TenantAccess> access = engine.directory().GetAccess(tenant_id);
  if (!access) return staff;
  for (const domain::User& user : engine.directory().ListUsers(tenant_id)) {
    if (user.erased_at || !user.active) continue;
    if (domain::EffectivePermissions(*access, user).Has(domain::Permission::kTicketsManage))
      staff.push_back(user.id);
  }
  return staff;
}

// The audiences an escalation may name (WORKFLOW.md escalate.notify): the
// ticket group's team (active members only) and the tenant's managers (role
// manager: ACCESS.md's roles; permission groups add rights, not roles).
void AddEscalationAudiences(const Engine& engine, const domain::Id& tenant_id, const std::optional<domain::Id>& group_id,
                            domain::MailFacts* facts) {
  std::vector<domain::Id> team_ids;
  if (group_id) {
    const domain::Catalog catalog = engine.catalog().Get(tenant_id);
    if (const domain::CatalogEntry* group = catalog.Find(*group_id)) team_ids = group->team_ids;
  }
  for (const domain::User& user : engine.directory().ListUsers(tenant_id)) {
    if (user.erased_at || !user.active) continue;
    if (std::find(team_ids.begin(), team_ids.end(), user.id) != team_ids.end()) facts->team.push_back(user.id);
    if (user.role == domain::Role::kManager) facts->managers.push_back(user.id);
  }
}

bool NotificationsEnabled(const Engine& engine, const domain::Id& tenant_id) {
  return engine.directory().FeatureEnabled(tenant_id, domain::Feature::kEmailNotifications);
}

namespace {

// Who an event of a ticket concerns (`ticket`: as the read model holds it
// now, fetched with the round's, FetchTickets; unused for a creation);
// nullopt when the ticket is gone and there is nothing to tell.
std::optional<domain::MailFacts> FactsOf(const Engine& engine, const domain::DomainEvent& event,
                                         const projections::TicketPtr& ticket) {
  domain::MailFacts facts;
  if (const auto* created = std::get_if<domain::TicketCreated>(&event.payload)) {
    facts.reporter_id = created->reporter_id;
    facts.assignee_id = created->assignee_id;
  } else if (ticket) {
    facts.reporter_id = ticket->reporter_id;
    facts.assignee_id = ticket->assignee_id;
    const auto* sla = std::get_if<domain::SlaTicketEvent>(&event.payload);
    if (sla && std::holds_alternative<domain::SlaEscalated>(*sla))
      AddEscalationAudiences(engine, event.tenant_id, ticket->group_id, &facts);
  } else {
    return std::nullopt;  // deleted since
  }
  facts.staff = StaffOf(engine, event.tenant_id);
  facts.notifications_enabled = NotificationsEnabled(engine, event.tenant_id);
  return facts;
}

}  // namespace

Status Mailer::Impl::ProcessEvents(std::uint64_t up_to) {
  QueueBatch batch(*this);
  std::vector<std::pair<bool, domain::Id>> erasures;  // (is ticket, id) + tenant below
  std::vector<domain::Id> erasure_tenants;
  std::vector<eventstore::RecordedEvent> ticket_events;
  std::uint64_t last = cursor;
  std::size_t seen = 0;
  Status s = log.ReadAll(cursor + 1, [&](const eventstore::RecordedEvent& recorded) {
    if (recorded.position > up_to || seen++ >= kEventsPerBatch) return false;
    last = recorded.position;
    const domain::DomainEvent& event = recorded.event;
    if (std::holds_alternative<domain::TicketErased>(event.payload)) {
      erasures.push_back({true, event.stream_id});
      erasure_tenants.push_back(event.tenant_id);
    } else if (const auto* erased = std::get_if<domain::UserErased>(&event.payload)) {
      erasures.push_back({false, erased->user_id});
      erasure_tenants.push_back(event.tenant_id);
    }
    if (std::holds_alternative<domain::MailEvent>(event.payload)) ForgetTemplates(event.tenant_id);
    if (domain::IsTicketEvent(event.payload)) ticket_events.push_back(recorded);
    return true;
  });
  if (!s.ok()) return s;
  std::vector<std::pair<domain::Id, domain::Id>> ticket_refs;  // of the events after a creation
  for (const eventstore::RecordedEvent& recorded : ticket_events)
    if (!std::holds_alternative<domain::TicketCreated>(recorded.event.payload))
      ticket_refs.push_back({recorded.event.tenant_id, recorded.event.stream_id});
  const std::vector<projections::TicketPtr> tickets = FetchTickets(engine, ticket_refs);
  std::size_t next_ticket = 0;
  for (const eventstore::RecordedEvent& recorded : ticket_events) {
    const domain::DomainEvent& event = recorded.event;
    const bool created = std::holds_alternative<domain::TicketCreated>(event.payload);
    const std::optional<domain::MailFacts> facts = FactsOf(engine, event, created ? nullptr : tickets[next_ticket++]);
    if (!facts) continue;
    for (const domain::PlannedMail& planned : domain::PlanTicketMails(event, *facts)) {
      MailEntry entry;
      entry.id = MailEntryId(recorded.event_id.AsBytes(), planned.recipient);
      entry.tenant_id = event.tenant_id;
      entry.event_id = recorded.event_id;
      entry.position = recorded.position;
      entry.ticket_id = event.stream_id;
      entry.kind = planned.kind;
      entry.recipient_id = planned.recipient;
      entry.message_id = domain::TicketMessageId(event.stream_id, recorded.event_id, planned.recipient, options.mail_from);
      entry.queued_at = Now();
      entry.next_attempt_at = entry.queued_at;
      entry.committed_at = event.at;
      batch.Add(std::move(entry), planned.dropped, event.at);
    }
  }
  std::lock_guard lock(mu);
  for (std::size_t i = 0; i < erasures.size(); ++i) {
    const auto& [is_ticket, id] = erasures[i];
    for (const auto& [key, entry] : pending) {
      if (entry.tenant_id != erasure_tenants[i]) continue;
      if (is_ticket ? entry.ticket_id == id : entry.recipient_id == id) batch.Drop(entry);
    }
  }
  // Kept copies (the spool) of mails holding the erased subject's data go too.
  for (const auto& [is_ticket, id] : erasures) transport->ForgetPersonalData((is_ticket ? "ticket:" : "user:") + id.ToString());
  if (last == cursor && erasures.empty()) return Status::Ok();
  // Unsynced: the events are durable, so a power loss that takes this
  // write (and only then) moves the cursor back and the same mails, same
  // Message-IDs, are queued again: at least once, never lost.
  s = batch.CommitLocked(last, eventstore::MetaDurability::kWithNextSync);
  if (s.ok()) delivery_cv.notify_one();
  return s;
}

void Mailer::Impl::ProcessDigest(DigestRequest request) {
  DigestSendResult result;
  result.date = domain::FormatDate(request.day);
  const std::string record_key = "mail/digest/" + request.tenant_id.ToString() + "/" + result.date;
  std::string stored;
  Status s = queue->Get(record_key, &stored);
  if (s.ok()) {
    result.already_sent = true;
  } else if (!s.IsNotFound()) {
    result.status = s;
  } else {
    projections::Digest digest = engine.digest().Build(request.tenant_id, request.day);
    result.skipped = digest.skipped;
    QueueBatch batch(*this);
    if (!digest.skipped) {
      domain::MailFacts facts;
      facts.staff = StaffOf(engine, request.tenant_id);
      facts.notifications_enabled = NotificationsEnabled(engine, request.tenant_id);
      for (const domain::PlannedMail& planned : domain::PlanDigestMails(facts)) {
        MailEntry entry;
        entry.id = MailEntryId("digest/" + record_key, planned.recipient);
        entry.tenant_id = request.tenant_id;
        entry.digest = true;
        entry.digest_day = request.day;
        entry.kind = domain::MailTemplate::kDigest;
        entry.recipient_id = planned.recipient;
        entry.message_id = domain::DigestMessageId(request.tenant_id, result.date, planned.recipient, options.mail_from);
        entry.queued_at = Now();
        entry.next_attempt_at = entry.queued_at;
        batch.Add(std::move(entry), planned.dropped, Now());
      }
    }
    result.recipients = batch.QueuedFor(request.tenant_id);
    batch.Put(record_key, std::to_string(result.recipients) + (result.skipped ? " skipped" : ""));
    std::lock_guard lock(mu);
    // Synced: the day's record is what answers a second send with 409.
    result.status = batch.CommitLocked(cursor, eventstore::MetaDurability::kSynced);
    if (result.status.ok()) delivery_cv.notify_one();
  }
  if (request.done) request.done(std::move(result));
}

void Mailer::Impl::RunMorningDigests() {
  const domain::Timestamp now = Now();
  const domain::Timestamp day = now - now % domain::kMicrosPerDay;
  if (day == auto_digest_day || now < day + projections::kDigestHourUtc * 3600 * domain::kMicrosPerSecond) return;
  const domain::Timestamp seven = day + projections::kDigestHourUtc * 3600 * domain::kMicrosPerSecond;
  for (const projections::TenantInfo& tenant : engine.directory().ListTenants()) {
    // A tenant born after this 07:00 has its first digest tomorrow (or on request).
    std::vector<eventstore::RecordedEvent> directory;
    if (!log.ReadStream({tenant.id, tenant.id}, &directory).ok() || directory.empty() ||
        directory.front().event.at >= seven)
      continue;
    ProcessDigest(DigestRequest{tenant.id, day, {}});
  }
  auto_digest_day = day;
}

std::optional<MailHold::Clock::time_point> Mailer::Impl::HoldNotifier(MailHold& hold) {
  {
    std::lock_guard lock(mu);
    if (!digest_requests.empty()) return std::nullopt;
  }
  if (cursor >= applied_head.load(std::memory_order_acquire)) return std::nullopt;  // nothing to queue
  const MailHold::Clock::time_point now = MailHold::Clock::now();
  const bool was_holding = hold.held_since().has_value();
  // After any round the notifier has caught up: a hold's own length bounds
  // the wait of the events it holds.
  const MailHold::Verdict verdict =
      hold.Decide(now, engine.command_path_load().Saturated(now), MailHold::Clock::duration::zero());
  if (verdict.wait_until && !was_holding) holds_total.fetch_add(1, std::memory_order_relaxed);
  if (verdict.released) hold_releases_total.fetch_add(1, std::memory_order_relaxed);
  return verdict.wait_until;
}

void Mailer::Impl::NotifierLoop() {
  RunThisThreadInBackground("ticketd-mailq", BackgroundClass::kIdle);
  auto last_round = std::chrono::steady_clock::time_point{};
  auto last_sync = std::chrono::steady_clock::now();
  MailHold notifier_hold(kMailHoldBound);
  for (;;) {
    // A hold holds the queue's sync too, for at most the bound.
    if (!notifier_hold.held_since() || std::chrono::steady_clock::now() - last_sync >= kMailHoldBound)
      SyncQueueIfDue(last_sync);
    std::deque<DigestRequest> requests;
    {
      std::unique_lock wake(wake_mu);
      notifier_cv.wait_for(wake, std::chrono::seconds(1), [&] { return stopping.load() || notified; });
      // Let commits gather: one round (one write) for all of them.
      PaceRound(notifier_cv, wake, stopping, last_round);
      notified = false;
    }
    if (stopping) break;
    // While the writer is saturated, the queue's writes (and its syncs)
    // wait too, bounded (mail_hold.h): a round after the burst carries the
    // events of the whole hold. Not while a digest request waits for its
    // answer. The events are in the log: nothing is lost by waiting.
    if (std::optional<MailHold::Clock::time_point> until = HoldNotifier(notifier_hold)) {
      std::unique_lock wake(wake_mu);
      notifier_cv.wait_until(wake, *until, [&] { return stopping.load(); });
      notified = true;  // ask again at once
      continue;
    }
    {
      std::lock_guard lock(mu);
      requests.swap(digest_requests);
    }
    // Events first: a digest asked for after a change includes it.
    const std::uint64_t up_to = applied_head.load(std::memory_order_acquire);
    while (cursor < up_to) {
      const std::uint64_t before = cursor;
      Status s = ProcessEvents(up_to);
      if (!s.ok()) {
        std::fprintf(stderr, "ticketd: mail: cannot queue mails: %s\n", s.ToString().c_str());
        break;
      }
      if (cursor == before) break;
    }
    for (DigestRequest& request : requests) ProcessDigest(std::move(request));
    RunMorningDigests();
  }
  std::lock_guard lock(mu);
  for (DigestRequest& request : digest_requests)
    if (request.done) request.done(DigestSendResult{Status::Unavailable("shutting down")});
  digest_requests.clear();
}

}  // namespace ticketd::app

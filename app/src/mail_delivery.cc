// The delivery thread: queued entries -> rendered mails -> the transport.
#include <algorithm>
#include <cstdio>

#include "mailer_impl.h"
#include "ticketd/base/background_thread.h"
#include "ticketd/mail/message.h"
#include "ticketd/domain/ticket_mail_ids.h"
#include "ticketd/mail/template_cache.h"

namespace ticketd::app {
namespace {

std::string NameOf(const Engine& engine, const domain::Id& tenant_id, const std::optional<domain::Id>& user_id) {
  if (!user_id) return "";
  std::optional<domain::User> user = engine.directory().GetUser(tenant_id, *user_id);
  return user ? user->name : "";
}

// What the mail tells of its own event, read back from the log: a
// comment's text (opened with the ticket's data key; "[erased]" once that is
// destroyed), an escalation's missed target. Only those two kinds of mail
// come from events that carry such values (domain/mail_rules.cc): the others
// skip the read and the envelope's decryption.
void AddEventValues(const eventstore::EventLog& log, const MailEntry& entry, mail::TicketMailValues* values) {
  if (entry.kind != domain::MailTemplate::kCommentAdded && entry.kind != domain::MailTemplate::kSlaEscalated) return;
  const std::uint64_t position = entry.position;
  (void)log.ReadAll(position, [&](const eventstore::RecordedEvent& recorded) {
    const domain::EventPayload& payload = recorded.event.payload;
    if (const auto* comment = std::get_if<domain::CommentAdded>(&payload)) values->comment_body = comment->body;
    const auto* sla = std::get_if<domain::SlaTicketEvent>(&payload);
    if (const auto* escalated = sla ? std::get_if<domain::SlaEscalated>(sla) : nullptr)
      values->sla_target = std::string(domain::ToString(escalated->target));
    return false;
  });
}

}  // namespace

// A mail as read from the read models, ready to render: everything but the
// subject and the parts, the template's text and the values it shows.
struct PreparedMail {
  mail::OutgoingMail mail;
  mail::TemplateText text;
  std::optional<mail::TicketMailValues> ticket;  // a ticket mail's values, or
  mail::DigestMailValues digest;                 // the digest's
};

// Fills `prepared` for `entry` (a ticket mail's ticket fetched with the
// round's, FetchTickets); a drop reason instead when the mail must not go.
std::optional<domain::MailDropReason> PrepareMail(const Mailer::Impl& impl, const MailEntry& entry,
                                                  const projections::TicketPtr& ticket, const std::string& base,
                                                  PreparedMail* prepared) {
  const Engine& engine = impl.engine;
  mail::OutgoingMail* out = &prepared->mail;
  std::optional<domain::User> recipient = engine.directory().GetUser(entry.tenant_id, entry.recipient_id);
  if (!recipient || recipient->erased_at) return domain::MailDropReason::kErased;
  if (!NotificationsEnabled(engine, entry.tenant_id)) return domain::MailDropReason::kDisabled;
  std::optional<domain::TenantAccess> access = engine.directory().GetAccess(entry.tenant_id);
  // WEB-UI.md: /tickets/{number} is for staff and managers (tickets:read_all),
  // /desk/tickets/{number} for a reporter.
  const bool staff =
      access && domain::EffectivePermissions(*access, *recipient).Has(domain::Permission::kTicketsReadAll);
  MailTemplateView tmpl = impl.TemplateFor(entry.tenant_id, entry.kind);
  prepared->text = mail::TemplateText{std::move(tmpl.subject), std::move(tmpl.text), std::move(tmpl.html)};
  if (entry.digest) {
    projections::Digest digest = engine.digest().Build(entry.tenant_id, entry.digest_day);
    mail::DigestMailValues& values = prepared->digest;
    values.date = domain::FormatDate(entry.digest_day);
    values.ticket_url = base + "/tickets";
    for (const projections::DigestGroup& group : digest.groups) {
      mail::DigestGroupValues g{std::string(domain::ToString(group.priority)), {}};
      for (const projections::DigestEntry& e : group.tickets) {
        const domain::Ticket& t = *e.ticket;
        out->personal_data.push_back("ticket:" + t.id.ToString());
        if (t.assignee_id) out->personal_data.push_back("user:" + t.assignee_id->ToString());
        g.tickets.push_back(mail::DigestLine{t.number_text, t.subject, std::string(domain::ToString(t.status)),
                                             NameOf(engine, t.tenant_id, t.assignee_id),
                                             t.due_at ? domain::FormatRfc3339(*t.due_at) : "",
                                             base + "/tickets/" + t.number_text, e.overdue,
                                             t.sla && !t.sla->breached.empty()});
      }
      values.groups.push_back(std::move(g));
    }
  } else {
    if (!ticket || ticket->erased_at) return domain::MailDropReason::kErased;
    mail::TicketMailValues& values = prepared->ticket.emplace();
    values.ticket_number = ticket->number_text;
    values.ticket_title = ticket->subject;
    values.ticket_status = std::string(domain::ToString(ticket->status));
    values.assignee_name = NameOf(engine, entry.tenant_id, ticket->assignee_id);
    values.reporter_name = NameOf(engine, entry.tenant_id, ticket->reporter_id);
    AddEventValues(impl.log, entry, &values);
    values.ticket_url = base + (staff ? "/tickets/" : "/desk/tickets/") + ticket->number_text;
    out->personal_data.push_back("ticket:" + ticket->id.ToString());
    out->personal_data.push_back("user:" + ticket->reporter_id.ToString());
    if (ticket->assignee_id) out->personal_data.push_back("user:" + ticket->assignee_id->ToString());
    out->in_reply_to = domain::TicketThreadId(*entry.ticket_id, impl.options.mail_from);
    out->reply_to = domain::TicketReplyTo(*entry.ticket_id, impl.options.mail_from);
  }
  out->personal_data.push_back("user:" + entry.recipient_id.ToString());
  out->from = impl.options.mail_from;
  out->to = recipient->email;
  out->to_name = recipient->name;
  out->message_id = entry.message_id;
  out->date = impl.Now();
  return std::nullopt;
}

// Renders a prepared mail's subject and parts (no lock: at SCHED_IDLE).
void RenderPrepared(mail::TemplateCache& compiled, const MailEntry& entry, PreparedMail* prepared) {
  mail::CompiledTemplate& tmpl = compiled.Get(entry.tenant_id, entry.kind, prepared->text);
  mail::TemplateText rendered =
      prepared->ticket ? tmpl.RenderTicket(*prepared->ticket) : tmpl.RenderDigest(prepared->digest);
  prepared->mail.subject = std::move(rendered.subject);
  prepared->mail.text = std::move(rendered.text);
  prepared->mail.html = std::move(rendered.html);
}

void Mailer::Impl::StoreLocked(const std::vector<MailEntry>& entries) {
  if (entries.empty()) return;
  std::vector<eventstore::MetaWrite> writes;
  writes.reserve(entries.size());
  for (const MailEntry& entry : entries) writes.push_back({MailEntryKey(entry), EncodeMailEntry(entry)});
  // Unsynced: the transport has made these mails durable already, so
  // losing this write to a power cut only re-sends them (same Message-ID).
  Status s = queue->Write(writes, eventstore::MetaDurability::kWithNextSync);
  if (!s.ok()) std::fprintf(stderr, "ticketd: mail: cannot record deliveries: %s\n", s.ToString().c_str());
  for (const MailEntry& entry : entries) {
    const std::string key = MailEntryKey(entry);
    if (entry.status == MailStatus::kQueued) {
      pending[key] = entry;
      due.insert({entry.next_attempt_at, key});
    } else {
      pending.erase(key);
    }
  }
}

namespace {

// Mails taken per delivery round: rendered, handed over together, recorded
// in one write.
constexpr std::size_t kMailsPerRound = 256;

void ApplyResult(const Mailer::Impl& impl, const mail::DeliveryResult& result, MailEntry* entry,
                 std::atomic<std::uint64_t>& sent, std::atomic<std::uint64_t>& failed) {
  ++entry->attempts;
  switch (result.outcome) {
    case mail::DeliveryOutcome::kSent:
      entry->status = MailStatus::kSent;
      entry->sent_at = impl.Now();
      sent.fetch_add(1, std::memory_order_relaxed);
      break;
    case mail::DeliveryOutcome::kPermanent:
      entry->status = MailStatus::kFailed;
      entry->last_error = result.error;
      failed.fetch_add(1, std::memory_order_relaxed);
      break;
    case mail::DeliveryOutcome::kRetry: {
      entry->last_error = result.error;
      const auto shift = std::min<std::int64_t>(entry->attempts - 1, 20);
      const auto delay =
          std::min<std::int64_t>(impl.options.max_retry.count(), impl.options.first_retry.count() << shift);
      entry->next_attempt_at = impl.Now() + delay * 1000;
      break;
    }
  }
}

}  // namespace

// Since when a due mail has waited: from its event's commit on a first
// attempt (the notifier may have held it too), else from its due time.
domain::Timestamp Mailer::Impl::DueSince(const std::pair<domain::Timestamp, std::string>& due_entry) const {
  const auto it = pending.find(due_entry.second);
  if (it == pending.end() || it->second.attempts > 0 || it->second.committed_at == 0) return due_entry.first;
  return std::min(due_entry.first, it->second.committed_at);
}

void Mailer::Impl::DeliveryLoop() {
  RunThisThreadInBackground("ticketd-mailout", BackgroundClass::kIdle);  // the spool's sync threads inherit both
  auto last_round = std::chrono::steady_clock::time_point{};
  mail::TemplateCache compiled;  // this thread's
  MailHold hold(kMailHoldBound);
  // After a release: mails due up to here go out without asking again.
  std::optional<domain::Timestamp> release_cutoff;
  std::unique_lock lock(mu);
  while (!stopping) {
    if (due.empty() || due.begin()->first > Now()) {
      auto wait = std::chrono::milliseconds(1000);
      if (!due.empty())
        wait = std::min(wait, std::chrono::milliseconds((due.begin()->first - Now()) / 1000 + 1));
      delivery_cv.wait_for(lock, wait);
      continue;
    }
    // While the writer is saturated, wait (bounded) so the round's disk work
    // falls between bursts (mail_hold.h). Only the timer or Stop ends the
    // wait: new mails (the notifier's wake-ups) do not change the verdict.
    if (!release_cutoff || due.begin()->first > *release_cutoff) {
      release_cutoff.reset();
      const MailHold::Clock::time_point steady = MailHold::Clock::now();
      const bool was_holding = hold.held_since().has_value();
      const auto oldest_waited =
          std::chrono::microseconds(std::max<domain::Timestamp>(0, Now() - DueSince(*due.begin())));
      const MailHold::Verdict verdict =
          hold.Decide(steady, engine.command_path_load().Saturated(steady), oldest_waited);
      if (verdict.wait_until) {
        if (!was_holding) holds_total.fetch_add(1, std::memory_order_relaxed);
        delivery_cv.wait_until(lock, *verdict.wait_until, [&] { return stopping.load(); });
        continue;
      }
      if (verdict.released) {
        hold_releases_total.fetch_add(1, std::memory_order_relaxed);
        release_cutoff = Now();
      }
    }
    // Let queued mails gather: one transport sync and one write for all.
    PaceRound(delivery_cv, lock, stopping, last_round);
    if (stopping) break;
    std::vector<std::string> keys;
    std::vector<MailEntry> entries;
    const domain::Timestamp now = Now();
    while (!due.empty() && due.begin()->first <= now && entries.size() < kMailsPerRound) {
      std::string key = due.begin()->second;
      due.erase(due.begin());
      auto it = pending.find(key);
      if (it == pending.end()) continue;
      entries.push_back(it->second);
      keys.push_back(std::move(key));
    }
    const std::string base = public_url;
    lock.unlock();

    std::vector<std::pair<domain::Id, domain::Id>> ticket_refs;
    std::vector<std::size_t> ticket_of(entries.size(), 0);  // entries[i]'s index in ticket_refs
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (!entries[i].ticket_id) continue;
      ticket_of[i] = ticket_refs.size();
      ticket_refs.push_back({entries[i].tenant_id, *entries[i].ticket_id});
    }
    const std::vector<projections::TicketPtr> tickets = FetchTickets(engine, ticket_refs);
    std::vector<PreparedMail> prepared(entries.size());
    std::vector<bool> dropped(entries.size(), false);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const projections::TicketPtr& ticket = entries[i].ticket_id ? tickets[ticket_of[i]] : nullptr;
      if (std::optional<domain::MailDropReason> reason = PrepareMail(*this, entries[i], ticket, base, &prepared[i])) {
        entries[i].status = MailStatus::kDropped;
        entries[i].reason = reason;
        dropped_total.fetch_add(1, std::memory_order_relaxed);
        dropped[i] = true;
      }
    }
    std::vector<mail::Transport::Item> items;
    std::vector<std::size_t> sent_index;  // items[j] is entries[sent_index[j]]
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (dropped[i]) continue;
      RenderPrepared(compiled, entries[i], &prepared[i]);
      items.push_back({&prepared[i].mail, mail::ComposeMessage(prepared[i].mail)});
      sent_index.push_back(i);
    }
    const std::vector<mail::DeliveryResult> results =
        items.empty() ? std::vector<mail::DeliveryResult>{} : transport->DeliverAll(items);
    for (std::size_t j = 0; j < results.size(); ++j)
      ApplyResult(*this, results[j], &entries[sent_index[j]], sent_total, failed_total);

    lock.lock();
    // Dropped by an erasure while in flight: keep the drop unless it went out.
    std::vector<MailEntry> changed;
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (pending.contains(keys[i]) || entries[i].status == MailStatus::kSent) changed.push_back(std::move(entries[i]));
    StoreLocked(changed);
  }
}

}  // namespace ticketd::app

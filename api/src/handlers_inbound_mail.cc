// POST /public/v1/inbound-mail (MAIL.md "Email in"): an MTA pipes a received
// mail here with an API key of scope mail:inbound. The bytes are parsed and
// the attachments checked on the attachment intake's worker pool, never on
// an HTTP thread (mime_reader.h, inbound_mail_files.h); the decision is the
// pure domain::DecideInboundMail, and its command goes to the engine like any
// other, the accepted attachments in the same commit as the ticket or
// comment. A repeat of a Message-ID is recognised by the ids its first post
// made (derived from tenant and Message-ID: durable in the log, so also after
// a restart); a repeat arriving while the first is still in flight waits for
// it and is then answered like any later repeat.
#include <mutex>
#include <unordered_map>

#include "attachment_form.h"
#include "handler_support.h"
#include "handlers.h"
#include "handlers_attachments.h"
#include "inbound_mail_files.h"
#include "inbound_mail_lookups.h"
#include "mime_reader.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::api {
namespace {

using domain::MailDecision;

// Mails of one (tenant, Message-ID) being decided and committed: a second
// copy waits (`then` runs once the first is answered) instead of racing it.
class InFlightMails {
 public:
  // True: `key` is ours until Leave(key). False: `then` runs after that Leave.
  bool Enter(const std::string& key, std::function<void()> then) {
    std::lock_guard lock(mu_);
    auto [it, fresh] = waiting_.try_emplace(key);
    if (!fresh) it->second.push_back(std::move(then));
    return fresh;
  }
  void Leave(const std::string& key) {
    std::vector<std::function<void()>> waiters;
    {
      std::lock_guard lock(mu_);
      auto it = waiting_.find(key);
      if (it == waiting_.end()) return;
      waiters = std::move(it->second);
      waiting_.erase(it);
    }
    for (auto& waiter : waiters) waiter();
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::vector<std::function<void()>>> waiting_;
};

InFlightMails& InFlight() {
  static InFlightMails mails;  // one per process: every router shares the engine's log
  return mails;
}

bool IsRfc822(const Request& request) {
  auto it = request.find(http::field::content_type);
  if (it == request.end()) return false;
  std::string_view value(it->value().data(), it->value().size());
  value = value.substr(0, value.find(';'));
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  constexpr std::string_view kType = "message/rfc822";
  if (value.size() != kType.size()) return false;
  for (std::size_t i = 0; i < kType.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(value[i])) != kType[i]) return false;
  return true;
}

// The ids this mail's effects get: derived from the tenant and the
// Message-ID, so a repeat finds them; a mail without one cannot be told
// from another and gets fresh ids.
domain::MailIds IdsFor(const domain::Id& tenant_id, const std::string& message_id) {
  if (message_id.empty()) return {RandomId(), RandomId(), RandomId()};
  const std::string base = tenant_id.ToString() + "|" + message_id;
  return {app::DerivedId("mail-in|ticket|" + base), app::DerivedId("mail-in|comment|" + base),
          app::DerivedId("mail-in|reopen|" + base)};
}

struct MailCall {
  CallPtr call;
  const app::AttachmentPolicy* policy = nullptr;  // the intake's (lives as long as the process)
  domain::InboundMail mail;
  std::vector<app::IncomingFile> files;  // the mail's attachment parts, unchecked
  MailFiles checked;                     // after CheckMailFiles
  domain::MailIds ids;
  std::string key;    // tenant|Message-ID; empty when the mail has none
  bool gated = false;  // holds `key` in InFlight() until answered
};

// {action, ticket_id, comment_id?, skipped:[...]}: the same for a repeat of
// the mail (the skipped parts follow from its bytes), so a repeat gets the
// first answer.
Response ActionResponse(http::status status, const MailCall& mail_call, domain::MailAction action,
                        const domain::Id& ticket_id, const std::optional<domain::Id>& comment_id) {
  JsonWriter json;
  json.BeginObject();
  json.Key("action").String(ToString(action));
  json.Key("ticket_id").String(ticket_id.ToString());
  if (comment_id) json.Key("comment_id").String(comment_id->ToString());
  json.Key("skipped");
  WriteSkipped(json, mail_call.checked.skipped, mail_call.policy->limits());
  json.EndObject();
  return JsonResponse(status, json.Take());
}
using MailCallPtr = std::shared_ptr<MailCall>;

void Decide(Services& services, const MailCallPtr& mail_call);

// Answers, then lets a waiting copy of the same mail go.
void Finish(const MailCallPtr& mail_call, Response&& response) {
  mail_call->call->Reply(std::move(response));
  if (mail_call->gated) InFlight().Leave(mail_call->key);
}

void SubmitComment(Services& services, const MailCallPtr& mail_call, const domain::CommentFromMail& comment,
                   const domain::Actor& author) {
  const CallPtr& call = mail_call->call;
  domain::CommandHeader header{author, call->now, comment.ticket_id, std::nullopt};
  std::vector<domain::NewAttachment> files = app::ToNewAttachments(std::move(mail_call->checked.accepted));
  domain::TicketCommand command =
      comment.reopen ? domain::TicketCommand(domain::ChangeStatus{header, domain::TicketStatus::kOpen, comment.body,
                                                                  comment.comment_id, std::move(files)})
                     : domain::TicketCommand(
                           domain::AddComment{header, comment.comment_id, comment.body, false, std::move(files)});
  const domain::MailAction action = comment.reopen ? domain::MailAction::kReopen : domain::MailAction::kComment;
  services.engine.Submit(std::move(command), call->correlation_id,
                         [mail_call, action, ticket_id = comment.ticket_id, comment_id = comment.comment_id](
                             CommandOutcome&& outcome) {
                           if (!outcome.status.ok()) return Finish(mail_call, FromStatus(outcome.status));
                           if (outcome.error) return Finish(mail_call, FromDomainError(*outcome.error));
                           Finish(mail_call,
                                  ActionResponse(http::status::created, *mail_call, action, ticket_id, comment_id));
                         });
}

void SubmitTicket(Services& services, const MailCallPtr& mail_call, const domain::TicketFromMail& ticket,
                  const domain::Actor& reporter) {
  const CallPtr& call = mail_call->call;
  domain::CreateTicket command;
  command.header = domain::CommandHeader{reporter, call->now, ticket.ticket_id, std::nullopt};
  command.subject = ticket.subject;
  command.description = ticket.description;
  command.attachments = app::ToNewAttachments(std::move(mail_call->checked.accepted));
  services.engine.Submit(std::move(command), call->correlation_id,
                         [mail_call, ticket_id = ticket.ticket_id](CommandOutcome&& outcome) {
                           if (!outcome.status.ok()) return Finish(mail_call, FromStatus(outcome.status));
                           // The id this Message-ID derived is taken: its ticket was deleted since the
                           // first post. Still a repeat, answered as the first time.
                           const bool repeat = outcome.replayed || (outcome.error && outcome.error->code ==
                                                                    domain::ErrorCode::kIdempotencyKeyReused);
                           if (outcome.error && !repeat) return Finish(mail_call, FromDomainError(*outcome.error));
                           Finish(mail_call, ActionResponse(repeat ? http::status::ok : http::status::created,
                                                            *mail_call, domain::MailAction::kTicket, ticket_id,
                                                            std::nullopt));
                         });
}

// Checks the attachments of a mail that adds something (or repeats a mail
// that did: its answer lists the same skipped parts). False: answered 503.
bool CheckFiles(const MailCallPtr& mail_call, const MailDecision& decision) {
  const bool adds = std::holds_alternative<domain::RepeatedMail>(decision) ||
                    std::holds_alternative<domain::CommentFromMail>(decision) ||
                    std::holds_alternative<domain::TicketFromMail>(decision);
  if (!adds) return true;
  mail_call->checked = CheckMailFiles(*mail_call->policy, std::move(mail_call->files));
  if (!mail_call->checked.scanner_unavailable) return true;
  using Kind = app::AttachmentRefusal::Kind;
  Finish(mail_call, AttachmentRefusalResponse(app::AttachmentRefusal{Kind::kScannerUnavailable, "", ""},
                                              mail_call->policy->limits()));
  return false;
}

void Decide(Services& services, const MailCallPtr& mail_call) {
  const CallPtr& call = mail_call->call;
  ReadModelMailLookups lookups(services.engine, call->actor.tenant_id);
  const MailDecision decision =
      domain::DecideInboundMail(mail_call->mail, mail_call->ids, services.mail_from, lookups);
  if (!CheckFiles(mail_call, decision)) return;
  std::visit(Overloaded{
                 [&](const domain::IgnoreMail& ignored) {
                   JsonWriter json;
                   json.BeginObject();
                   json.Key("ignored").Bool(true);
                   json.Key("reason").String(ignored.reason);
                   json.EndObject();
                   Finish(mail_call, JsonResponse(http::status::ok, json.Take()));
                 },
                 [&](const domain::RepeatedMail& repeat) {
                   Finish(mail_call, ActionResponse(http::status::ok, *mail_call, repeat.action, repeat.ticket_id,
                                                    repeat.comment_id));
                 },
                 [&](const domain::UnknownSender& unknown) {
                   JsonWriter details;
                   details.BeginObject();
                   details.Key("from").String(unknown.address);
                   details.EndObject();
                   Finish(mail_call, ErrorResponse(http::status::unprocessable_entity, "UNKNOWN_SENDER",
                                                   "the sender " + unknown.address + " is not accepted: " + unknown.why,
                                                   details.Take()));
                 },
                 [&](const domain::CommentFromMail& comment) {
                   std::optional<domain::Actor> author = lookups.ActorFor(comment.author_id);
                   if (!author) return Finish(mail_call, NotFound("the sender's account is gone"));
                   SubmitComment(services, mail_call, comment, *author);
                 },
                 [&](const domain::TicketFromMail& ticket) {
                   std::optional<domain::Actor> reporter = lookups.ActorFor(ticket.reporter_id);
                   if (!reporter) return Finish(mail_call, NotFound("the sender's account is gone"));
                   SubmitTicket(services, mail_call, ticket, *reporter);
                 },
             },
             decision);
}

// Decides now, or once a copy of the same mail in flight is answered (then
// back on the intake pool: Leave runs on the engine's callback thread).
void Admit(Services& services, const MailCallPtr& mail_call) {
  auto again = [&services, mail_call] {
    RunAttachmentIntake(mail_call->call, [&services, mail_call](const app::AttachmentPolicy&) { Admit(services, mail_call); });
  };
  if (!InFlight().Enter(mail_call->key, std::move(again))) return;
  mail_call->gated = true;
  Decide(services, mail_call);
}

}  // namespace

void HandleInboundMail(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!IsRfc822(call->request))
    return call->Reply(ErrorResponse(http::status::unsupported_media_type, "UNSUPPORTED_MEDIA_TYPE",
                                     "send the raw mail with Content-Type: message/rfc822",
                                     R"({"expected":"message/rfc822"})"));
  RunAttachmentIntake(call, [&services, call](const app::AttachmentPolicy& policy) {
    auto mail_call = std::make_shared<MailCall>();
    Result<domain::InboundMail, MimeProblem> parsed = ReadMime(call->request.body(), &mail_call->files);
    std::string().swap(call->request.body());  // parsed: the 10 MiB need not wait for the answer
    if (!parsed) return call->Reply(ValidationError(parsed.error().field, parsed.error().message));
    mail_call->call = call;
    mail_call->policy = &policy;
    mail_call->mail = std::move(parsed).value();
    mail_call->ids = IdsFor(call->actor.tenant_id, mail_call->mail.message_id);
    if (mail_call->mail.message_id.empty()) return Decide(services, mail_call);
    mail_call->key = call->actor.tenant_id.ToString() + "|" + mail_call->mail.message_id;
    Admit(services, mail_call);
  });
}

}  // namespace ticketd::api

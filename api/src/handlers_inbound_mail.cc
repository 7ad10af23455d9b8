// POST /public/v1/inbound-mail (MAIL.md "Email in"): an MTA pipes a received
// mail here with an API key of scope mail:inbound. The bytes are parsed on
// this (HTTP) thread (mime_reader.h), the decision is the pure
// domain::DecideInboundMail, and its command goes to the engine like any
// other. A repeat of a Message-ID is recognised by the ids its first post
// made (derived from tenant and Message-ID: durable in the log, so also after
// a restart); a repeat arriving while the first is still in flight waits for
// it and is then answered like any later repeat.
#include <mutex>
#include <unordered_map>

#include "handler_support.h"
#include "handlers.h"
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

Response ActionResponse(http::status status, domain::MailAction action, const domain::Id& ticket_id,
                        const std::optional<domain::Id>& comment_id) {
  JsonWriter json;
  json.BeginObject();
  json.Key("action").String(ToString(action));
  json.Key("ticket_id").String(ticket_id.ToString());
  if (comment_id) json.Key("comment_id").String(comment_id->ToString());
  json.EndObject();
  return JsonResponse(status, json.Take());
}

struct MailCall {
  CallPtr call;
  domain::InboundMail mail;
  domain::MailIds ids;
  std::string key;    // tenant|Message-ID; empty when the mail has none
  bool gated = false;  // holds `key` in InFlight() until answered
};
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
  domain::TicketCommand command = comment.reopen
                                      ? domain::TicketCommand(domain::ChangeStatus{
                                            header, domain::TicketStatus::kOpen, comment.body, comment.comment_id})
                                      : domain::TicketCommand(domain::AddComment{header, comment.comment_id,
                                                                                 comment.body, false});
  const domain::MailAction action = comment.reopen ? domain::MailAction::kReopen : domain::MailAction::kComment;
  services.engine.Submit(std::move(command), call->correlation_id,
                         [mail_call, action, ticket_id = comment.ticket_id, comment_id = comment.comment_id](
                             CommandOutcome&& outcome) {
                           Response response = outcome.status.ok() && !outcome.error
                                                   ? ActionResponse(http::status::created, action, ticket_id,
                                                                    comment_id)
                                                   : (outcome.error ? FromDomainError(*outcome.error)
                                                                    : FromStatus(outcome.status));
                           Finish(mail_call, std::move(response));
                         });
}

void SubmitTicket(Services& services, const MailCallPtr& mail_call, const domain::TicketFromMail& ticket,
                  const domain::Actor& reporter) {
  const CallPtr& call = mail_call->call;
  domain::CreateTicket command;
  command.header = domain::CommandHeader{reporter, call->now, ticket.ticket_id, std::nullopt};
  command.subject = ticket.subject;
  command.description = ticket.description;
  services.engine.Submit(std::move(command), call->correlation_id,
                         [mail_call, ticket_id = ticket.ticket_id](CommandOutcome&& outcome) {
                           if (!outcome.status.ok()) return Finish(mail_call, FromStatus(outcome.status));
                           // The id this Message-ID derived is taken: its ticket was deleted since the
                           // first post. Still a repeat, answered as the first time.
                           const bool repeat = outcome.replayed || (outcome.error && outcome.error->code ==
                                                                    domain::ErrorCode::kIdempotencyKeyReused);
                           if (outcome.error && !repeat) return Finish(mail_call, FromDomainError(*outcome.error));
                           Finish(mail_call, ActionResponse(repeat ? http::status::ok : http::status::created,
                                                            domain::MailAction::kTicket, ticket_id, std::nullopt));
                         });
}

void Decide(Services& services, const MailCallPtr& mail_call) {
  const CallPtr& call = mail_call->call;
  ReadModelMailLookups lookups(services.engine, call->actor.tenant_id);
  const MailDecision decision =
      domain::DecideInboundMail(mail_call->mail, mail_call->ids, services.mail_from, lookups);
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
                   Finish(mail_call,
                          ActionResponse(http::status::ok, repeat.action, repeat.ticket_id, repeat.comment_id));
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

// Decides now, or once a copy of the same mail in flight is answered.
void Admit(Services& services, const MailCallPtr& mail_call) {
  if (!InFlight().Enter(mail_call->key, [&services, mail_call] { Admit(services, mail_call); })) return;
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
  Result<domain::InboundMail, MimeProblem> parsed = ReadMime(call->request.body());
  if (!parsed) return call->Reply(ValidationError(parsed.error().field, parsed.error().message));
  auto mail_call = std::make_shared<MailCall>();
  mail_call->call = call;
  mail_call->mail = std::move(parsed).value();
  mail_call->ids = IdsFor(call->actor.tenant_id, mail_call->mail.message_id);
  if (mail_call->mail.message_id.empty()) return Decide(services, mail_call);
  mail_call->key = call->actor.tenant_id.ToString() + "|" + mail_call->mail.message_id;
  Admit(services, mail_call);
}

}  // namespace ticketd::api

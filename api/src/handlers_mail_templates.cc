// Mail templates (MAIL.md "The mails"; ACCESS.md flag email_templates):
// GET /api/v1/email-templates, PUT/DELETE /api/v1/email-templates/{event},
// POST /api/v1/email-templates/{event}/preview. Overrides are directory
// events (ChangeEmailTemplate); validation and rendering are mail/'s.
#include "handler_support.h"
#include "handlers.h"
#include "ticketd/app/mailer.h"
#include "ticketd/domain/mail_events.h"
#include "ticketd/mail/templates.h"

namespace ticketd::api {
namespace {

constexpr std::size_t kMaxTemplateChars = 20000;

// Settings permission, the flag, and the {event} of the path; replies otherwise.
std::optional<domain::MailTemplate> Prepare(Services& services, const CallPtr& call, bool with_event) {
  if (!RequireTenantUser(call)) return std::nullopt;
  if (!RequirePermission(call, domain::Permission::kSettingsManage)) return std::nullopt;
  if (!services.engine.directory().FeatureEnabled(call->actor.tenant_id, domain::Feature::kEmailTemplates)) {
    call->Reply(ErrorResponse(http::status::forbidden, "FEATURE_DISABLED", "email_templates is switched off",
                              R"({"feature":"email_templates"})"));
    return std::nullopt;
  }
  if (!with_event) return domain::MailTemplate::kTicketCreated;
  std::optional<domain::MailTemplate> kind = domain::ParseMailTemplate(call->path_params.at(0));
  if (!kind) call->Reply(NotFound("no such template; see GET /api/v1/email-templates"));
  return kind;
}

app::MailTemplateView Current(Services& services, const CallPtr& call, domain::MailTemplate kind) {
  if (services.mailer) return services.mailer->Template(call->actor.tenant_id, kind, /*fresh=*/true);
  const mail::TemplateText& d = mail::DefaultTemplate(kind);
  return app::MailTemplateView{kind, d.subject, d.text, d.html, false};
}

void WriteTemplate(JsonWriter& json, const app::MailTemplateView& t) {
  json.BeginObject().Key("event").String(domain::ToString(t.kind)).Key("subject").String(t.subject);
  json.Key("text").String(t.text).Key("html").String(t.html).Key("custom").Bool(t.custom).EndObject();
}

// {subject, text, html}: all required (`partial`: each optional, defaulting
// to `base`), then validated. Replies and returns nullopt on a problem.
std::optional<mail::TemplateText> ReadTemplate(const CallPtr& call, domain::MailTemplate kind, bool partial,
                                               const app::MailTemplateView& base) {
  std::optional<JsonBody> body = ReadBody(call, {"subject", "text", "html"}, /*allow_empty=*/partial);
  if (!body) return std::nullopt;
  FieldReader fields(*body);
  std::optional<std::string> subject = fields.String("subject", !partial, 998);
  std::optional<std::string> text = fields.String("text", !partial, kMaxTemplateChars);
  std::optional<std::string> html = fields.String("html", !partial, kMaxTemplateChars);
  if (fields.error) {
    call->Reply(std::move(*fields.error));
    return std::nullopt;
  }
  mail::TemplateText t{subject.value_or(base.subject), text.value_or(base.text), html.value_or(base.html)};
  if (std::optional<mail::TemplateProblem> problem = mail::ValidateTemplate(kind, t)) {
    call->Reply(ValidationError(problem->field, problem->message));
    return std::nullopt;
  }
  return t;
}

}  // namespace

void HandleListEmailTemplates(Services& services, const CallPtr& call) {
  if (!Prepare(services, call, false)) return;
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  for (const domain::MailTemplateRow& row : domain::kMailTemplates) WriteTemplate(json, Current(services, call, row.kind));
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

void HandlePutEmailTemplate(Services& services, const CallPtr& call) {
  std::optional<domain::MailTemplate> kind = Prepare(services, call, true);
  if (!kind) return;
  std::optional<mail::TemplateText> t = ReadTemplate(call, *kind, false, {});
  if (!t) return;
  domain::ChangeEmailTemplate command{call->actor, call->now, call->actor.tenant_id, *kind,
                                      domain::EmailTemplateSet{*kind, t->subject, t->text, t->html}};
  services.engine.Submit(domain::DirectoryCommand{std::move(command)}, call->correlation_id,
                         [call, kind = *kind, text = *t](CommandOutcome&& outcome) {
                           if (!outcome.status.ok()) return call->Reply(FromStatus(outcome.status));
                           if (outcome.error) return call->Reply(FromDomainError(*outcome.error));
                           JsonWriter json;
                           WriteTemplate(json, app::MailTemplateView{kind, text.subject, text.text, text.html, true});
                           call->Reply(JsonResponse(http::status::ok, json.Take()));
                         });
}

void HandleDeleteEmailTemplate(Services& services, const CallPtr& call) {
  std::optional<domain::MailTemplate> kind = Prepare(services, call, true);
  if (!kind) return;
  domain::ChangeEmailTemplate command{call->actor, call->now, call->actor.tenant_id, *kind, std::nullopt};
  services.engine.Submit(domain::DirectoryCommand{std::move(command)}, call->correlation_id,
                         [call](CommandOutcome&& outcome) {
                           if (!outcome.status.ok()) return call->Reply(FromStatus(outcome.status));
                           if (outcome.error) return call->Reply(FromDomainError(*outcome.error));
                           call->Reply(EmptyResponse(http::status::no_content));
                         });
}

// Renders the posted template (fields left out: the tenant's current one)
// for a sample ticket, so an admin sees the result before saving it.
void HandlePreviewEmailTemplate(Services& services, const CallPtr& call) {
  std::optional<domain::MailTemplate> kind = Prepare(services, call, true);
  if (!kind) return;
  std::optional<mail::TemplateText> t = ReadTemplate(call, *kind, true, Current(services, call, *kind));
  if (!t) return;
  std::optional<projections::TenantInfo> tenant = services.engine.directory().GetTenant(call->actor.tenant_id);
  const std::string number = domain::FormatTicketNumber(tenant ? tenant->ticket_prefix : "TKT", 42);
  const std::string url = "https://helpdesk.example.com/tickets/" + number;
  mail::TemplateText out;
  if (*kind == domain::MailTemplate::kDigest) {
    mail::DigestMailValues values{"2030-01-02",
                                  {{"urgent", {{number, "Printer <jams> & smokes", "open", "Ada Agent",
                                                "2030-01-01T12:00:00Z", url, true}}}},
                                  "https://helpdesk.example.com/tickets"};
    out = mail::RenderDigestMail(*t, values);
  } else {
    mail::TicketMailValues values{number,       "Printer <jams> & smokes", "in_progress", "Ada Agent",
                                  "Rob Reporter", "Tried turning it off & on again.", url, "resolution"};
    out = mail::RenderTicketMail(*kind, *t, values);
  }
  JsonWriter json;
  json.BeginObject().Key("subject").String(out.subject).Key("text").String(out.text).Key("html").String(out.html);
  json.EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

}  // namespace ticketd::api

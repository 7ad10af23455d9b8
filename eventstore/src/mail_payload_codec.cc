#include "mail_payload_codec.h"

#include "ticketd/domain/overloaded.h"

namespace ticketd::eventstore {

using namespace ticketd::domain;

void EncodeMailPayload(const MailEvent& event, v1::EventEnvelope* env) {
  std::visit(Overloaded{
                 [&](const EmailTemplateSet& e) {
                   auto* p = env->mutable_email_template_set();
                   p->set_template_(std::string(ToString(e.kind)));
                   p->set_subject(e.subject);
                   p->set_text(e.text);
                   p->set_html(e.html);
                 },
                 [&](const EmailTemplateReset& e) {
                   env->mutable_email_template_reset()->set_template_(std::string(ToString(e.kind)));
                 },
             },
             event);
}

Status DecodeMailPayload(const v1::EventEnvelope& env, EventPayload* payload) {
  if (env.has_email_template_set()) {
    const auto& p = env.email_template_set();
    std::optional<MailTemplate> kind = ParseMailTemplate(p.template_());
    if (!kind) return Status::Corruption("email_template.set names an unknown template");
    *payload = MailEvent{EmailTemplateSet{*kind, p.subject(), p.text(), p.html()}};
    return Status::Ok();
  }
  std::optional<MailTemplate> kind = ParseMailTemplate(env.email_template_reset().template_());
  if (!kind) return Status::Corruption("email_template.reset names an unknown template");
  *payload = MailEvent{EmailTemplateReset{*kind}};
  return Status::Ok();
}

}  // namespace ticketd::eventstore

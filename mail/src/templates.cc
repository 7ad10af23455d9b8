// Validation and rendering of mail templates with kainjow/mustache.
#include "ticketd/mail/templates.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <array>
#include <string_view>

namespace ticketd::mail {
namespace {

namespace mst = kainjow::mustache;

constexpr std::array<std::string_view, 7> kTicketPlaceholders = {
    "ticket_number", "ticket_title", "ticket_status", "assignee_name", "reporter_name", "comment_body", "ticket_url"};
constexpr std::array<std::string_view, 7> kDigestExtras = {"date",   "groups",  "priority",    "tickets",
                                                           "due_at", "overdue", "sla_breached"};

constexpr std::string_view kEscalationExtra = "sla_target";

bool KnownPlaceholder(domain::MailTemplate kind, std::string_view name) {
  if (std::find(kTicketPlaceholders.begin(), kTicketPlaceholders.end(), name) != kTicketPlaceholders.end())
    return true;
  if (kind == domain::MailTemplate::kSlaEscalated) return name == kEscalationExtra;
  return kind == domain::MailTemplate::kDigest &&
         std::find(kDigestExtras.begin(), kDigestExtras.end(), name) != kDigestExtras.end();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Checks every {{tag}} of one part; nullopt when all are allowed.
std::optional<std::string> CheckTags(domain::MailTemplate kind, std::string_view text, bool html) {
  std::size_t at = 0;
  while ((at = text.find("{{", at)) != std::string_view::npos) {
    const bool triple = text.substr(at).starts_with("{{{");
    const std::size_t open = at + (triple ? 3 : 2);
    const std::size_t close = text.find(triple ? "}}}" : "}}", open);
    if (close == std::string_view::npos) return std::string("unclosed tag");
    std::string_view tag = Trim(text.substr(open, close - open));
    at = close + (triple ? 3 : 2);
    if (tag.empty()) return std::string("empty tag");
    const char sigil = tag.front();
    if (sigil == '!') continue;  // a comment
    if (sigil == '>' || sigil == '=' || sigil == '<')
      return "unsupported tag {{" + std::string(tag) + "}} (partials and delimiter changes are not allowed)";
    bool unescaped = triple || sigil == '&';
    if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '&') tag = Trim(tag.substr(1));
    if (!KnownPlaceholder(kind, tag)) return "unknown placeholder {{" + std::string(tag) + "}}";
    if (html && unescaped)
      return "unescaped placeholder {{{" + std::string(tag) + "}}} is not allowed in html (values are escaped)";
  }
  return std::nullopt;
}

std::string NoEscape(const std::string& s) { return s; }

// One part parsed; a template that does not parse falls back to the default's part.
mst::mustache ParsePart(const std::string& tmpl, bool html, const std::string& fallback) {
  mst::mustache m(tmpl);
  if (!m.is_valid()) m = mst::mustache(fallback);
  if (!html) m.set_custom_escape(NoEscape);
  return m;
}

std::string PrefixedSubject(std::string subject, const std::string& number) {
  for (char& c : subject)
    if (c == '\r' || c == '\n') c = ' ';
  if (!number.empty() && subject.find(number) == std::string::npos) subject = "[" + number + "] " + subject;
  return subject;
}

}  // namespace

std::optional<TemplateProblem> ValidateTemplate(domain::MailTemplate kind, const TemplateText& text) {
  const std::pair<const char*, const std::string*> parts[] = {
      {"subject", &text.subject}, {"text", &text.text}, {"html", &text.html}};
  for (const auto& [field, value] : parts) {
    mst::mustache parsed(*value);
    if (!parsed.is_valid()) return TemplateProblem{field, "does not parse: " + parsed.error_message()};
    if (auto problem = CheckTags(kind, *value, std::string_view(field) == "html"))
      return TemplateProblem{field, *problem};
  }
  return std::nullopt;
}

struct CompiledTemplate::Parts {
  mst::mustache subject, text, html;
  TemplateText Render(const mst::data& data) {
    return TemplateText{subject.render(data), text.render(data), html.render(data)};
  }
};

CompiledTemplate::CompiledTemplate(domain::MailTemplate kind, TemplateText text) : kind_(kind), text_(std::move(text)) {
  const TemplateText& fallback = DefaultTemplate(kind);
  parts_.reset(new Parts{ParsePart(text_.subject, false, fallback.subject), ParsePart(text_.text, false, fallback.text),
                         ParsePart(text_.html, true, fallback.html)});
}

CompiledTemplate::~CompiledTemplate() = default;

TemplateText RenderTicketMail(domain::MailTemplate kind, const TemplateText& tmpl, const TicketMailValues& v) {
  return CompiledTemplate(kind, tmpl).RenderTicket(v);
}

TemplateText RenderDigestMail(const TemplateText& tmpl, const DigestMailValues& v) {
  return CompiledTemplate(domain::MailTemplate::kDigest, tmpl).RenderDigest(v);
}

TemplateText CompiledTemplate::RenderTicket(const TicketMailValues& v) {
  mst::data data;
  data.set("ticket_number", v.ticket_number);
  data.set("ticket_title", v.ticket_title);
  data.set("ticket_status", v.ticket_status);
  data.set("assignee_name", v.assignee_name);
  data.set("reporter_name", v.reporter_name);
  data.set("comment_body", v.comment_body);
  data.set("ticket_url", v.ticket_url);
  if (kind_ == domain::MailTemplate::kSlaEscalated) data.set(std::string(kEscalationExtra), v.sla_target);
  TemplateText out = parts_->Render(data);
  out.subject = PrefixedSubject(std::move(out.subject), v.ticket_number);
  return out;
}

TemplateText CompiledTemplate::RenderDigest(const DigestMailValues& v) {
  mst::data groups{mst::data::type::list};
  for (const DigestGroupValues& g : v.groups) {
    mst::data tickets{mst::data::type::list};
    for (const DigestLine& line : g.tickets) {
      mst::data t;
      t.set("ticket_number", line.ticket_number);
      t.set("ticket_title", line.ticket_title);
      t.set("ticket_status", line.ticket_status);
      t.set("assignee_name", line.assignee_name);
      t.set("due_at", line.due_at.empty() ? mst::data(false) : mst::data(line.due_at));
      t.set("overdue", mst::data(line.overdue));
      t.set("sla_breached", mst::data(line.sla_breached));
      t.set("ticket_url", line.ticket_url);
      tickets.push_back(t);
    }
    mst::data group;
    group.set("priority", g.priority);
    group.set("tickets", tickets);
    groups.push_back(group);
  }
  mst::data data;
  data.set("date", v.date);
  data.set("groups", groups);
  data.set("ticket_url", v.ticket_url);
  TemplateText out = parts_->Render(data);
  out.subject = PrefixedSubject(std::move(out.subject), "");
  return out;
}

}  // namespace ticketd::mail

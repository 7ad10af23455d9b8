// SLA policies (WORKFLOW.md "SLA policies"): settings:manage creates,
// changes and deletes them (the decider checks it); GET lists them for the
// same. Bodies are validated here to the field ("calendar.timezone",
// "first_response", ...) and again by the decider.
#include <algorithm>

#include "handler_support.h"
#include "handlers.h"
#include "sla_policy_reader.h"
#include "ticketd/app/time_zones.h"
#include "ticketd/domain/iso_duration.h"
#include "ticketd/domain/status_facts.h"

namespace ticketd::api {
namespace {

using domain::SlaPolicy;

#define TICKETD_SLA_POLICY_FIELDS \
  { "name", "order", "applies_to", "first_response", "resolution", "calendar", "pause_on", "escalate" }

// Reads the fields present in `body` onto `policy`; on a problem replies 400
// naming the field and returns false. `create`: the required fields must be there.
// `prefix`: where the policy sits in the body ("policy." for simulate's
// candidate), so errors name the field as the client sent it.
class PolicyReader {
 public:
  PolicyReader(const CallPtr& call, SlaPolicy* policy, std::string prefix = {})
      : call_(call), policy_(policy), prefix_(std::move(prefix)) {}

  // `create`: the required fields must be there; `name_required`: also the name.
  bool Read(const JsonBody& body, bool create, bool name_required = true) {
    FieldReader fields(body);
    if (auto name = fields.String("name", create && name_required, domain::kMaxSlaPolicyNameChars))
      policy_->name = *name;
    if (fields.error) return FieldFailed("name", fields);
    if (const JsonValue* order = body.Find("order")) {
      const auto* number = std::get_if<std::int64_t>(order);
      if (!number) return Fail("order", "must be an integer");
      policy_->order = *number;
    }
    for (auto [field, target] : {std::pair{"first_response", &policy_->first_response},
                                 std::pair{"resolution", &policy_->resolution}}) {
      std::optional<std::string> text = fields.String(field, create, 64);
      if (fields.error) return FieldFailed(field, fields);
      if (!text) continue;
      std::optional<domain::Duration> duration = domain::ParseIsoDuration(*text);
      if (!duration) return Fail(field, "must be a positive ISO 8601 duration (PT4H, P2D), at most ten years");
      *target = *duration;
    }
    if (create && !body.Has("calendar")) return Fail("calendar", "is required");
    if (body.Has("calendar") && !ReadCalendar(body)) return false;
    if (body.Has("applies_to") && !ReadAppliesTo(body)) return false;
    if (body.Has("pause_on") && !ReadPauseOn(body)) return false;
    if (body.Has("escalate") && !ReadEscalate(body)) return false;
    return true;
  }

 private:
  bool Reply(Response response) {
    call_->Reply(std::move(response));
    return false;
  }
  bool Fail(std::string_view field, std::string_view message) {
    return Reply(ValidationError(prefix_ + std::string(field), message));
  }
  // A FieldReader's own error names the bare field: re-made under the prefix.
  bool FieldFailed(std::string_view field, FieldReader& fields) {
    if (prefix_.empty()) return Reply(std::move(*fields.error));
    return Fail(field, "is missing or not a string within its length limit");
  }

  std::optional<JsonBody> Object(const JsonBody& body, std::string_view field) {
    auto object = body.GetObject(field);
    if (auto* error = std::get_if<FieldError>(&object)) {
      Fail(error->field.empty() ? std::string(field) : error->field, error->message);  // already names `field`
      return std::nullopt;
    }
    auto value = std::get<std::optional<JsonBody>>(std::move(object));
    if (!value) Fail(field, "must be an object");
    return value;
  }

  std::optional<std::vector<std::string>> List(const JsonBody& body, std::string field, std::string_view name,
                                               std::size_t max_items) {
    auto list = body.GetStringArray(name, max_items, 64);
    if (auto* error = std::get_if<FieldError>(&list)) {
      Fail(field, error->message);
      return std::nullopt;
    }
    auto value = std::get<std::optional<std::vector<std::string>>>(std::move(list));
    return value ? value : std::optional<std::vector<std::string>>(std::vector<std::string>{});
  }

  template <class Enum>
  bool Enums(const std::vector<std::string>& texts, std::string_view field, std::optional<Enum> (*parse)(std::string_view),
             std::vector<Enum>* out) {
    out->clear();
    for (const std::string& text : texts) {
      std::optional<Enum> value = parse(text);
      if (!value) return Fail(field, "\"" + text + "\" is not one of the allowed values");
      if (std::find(out->begin(), out->end(), *value) == out->end()) out->push_back(*value);
    }
    return true;
  }

  bool ReadCalendar(const JsonBody& body) {
    const JsonValue* value = body.Find("calendar");
    if (const auto* text = std::get_if<std::string>(value)) {
      if (*text != "24x7") return Fail("calendar", "must be \"24x7\" or {timezone, days, from, to, holidays}");
      policy_->calendar = domain::BusinessCalendar{};
      return true;
    }
    std::optional<JsonBody> calendar = Object(body, "calendar");
    if (!calendar) return false;
    if (auto unknown = calendar->FirstUnknownKey({"timezone", "days", "from", "to", "holidays"}))
      return Fail("calendar." + *unknown, "is not a known field");
    domain::BusinessCalendar result;
    result.always_open = false;
    for (std::string_view required : {"timezone", "from", "to"})
      if (!calendar->Has(required)) return Fail("calendar." + std::string(required), "is required");
    FieldReader fields(*calendar);
    std::optional<std::string> zone = fields.String("timezone", true, 64);
    std::optional<std::string> from = fields.String("from", true, 5);
    std::optional<std::string> to = fields.String("to", true, 5);
    if (fields.error || !zone || !from || !to) return Fail("calendar", "timezone, from and to must be strings");
    if (!app::IsKnownTimeZone(*zone)) return Fail("calendar.timezone", "is not a known IANA time zone");
    result.time_zone = *zone;
    auto minutes = [](const std::string& hhmm) -> std::optional<int> {
      if (hhmm.size() != 5 || hhmm[2] != ':' || !std::isdigit(hhmm[0]) || !std::isdigit(hhmm[1]) ||
          !std::isdigit(hhmm[3]) || !std::isdigit(hhmm[4]))
        return std::nullopt;
      const int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0'), m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
      if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
      return h * 60 + m;
    };
    std::optional<int> from_minute = minutes(*from), to_minute = minutes(*to);
    if (!from_minute || *from_minute >= domain::kMinutesPerDay) return Fail("calendar.from", "must be HH:MM");
    if (!to_minute) return Fail("calendar.to", "must be HH:MM");
    result.from_minute = *from_minute;
    result.to_minute = *to_minute;
    if (!calendar->Has("days")) return Fail("calendar.days", "is required");
    std::optional<std::vector<std::string>> days = List(*calendar, "calendar.days", "days", 7);
    if (!days) return false;
    static constexpr std::string_view kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (const std::string& day : *days) {
      auto it = std::find(std::begin(kDays), std::end(kDays), day);
      if (it == std::end(kDays)) return Fail("calendar.days", "\"" + day + "\" is not mon..sun");
      result.working_days[static_cast<std::size_t>(it - std::begin(kDays))] = true;
    }
    std::optional<std::vector<std::string>> holidays =
        List(*calendar, "calendar.holidays", "holidays", domain::kMaxSlaHolidays);
    if (!holidays) return false;
    for (const std::string& text : *holidays) {
      std::optional<domain::Timestamp> day = domain::ParseDate(text);
      if (!day) return Fail("calendar.holidays", "\"" + text + "\" is not a date YYYY-MM-DD");
      result.holidays.push_back(static_cast<std::int32_t>(*day / domain::kMicrosPerDay));
    }
    std::sort(result.holidays.begin(), result.holidays.end());
    result.holidays.erase(std::unique(result.holidays.begin(), result.holidays.end()), result.holidays.end());
    policy_->calendar = std::move(result);
    return true;
  }

  bool ReadAppliesTo(const JsonBody& body) {
    std::optional<JsonBody> applies = Object(body, "applies_to");
    if (!applies) return false;
    if (auto unknown = applies->FirstUnknownKey({"priority", "type", "group_id"}))
      return Fail("applies_to." + *unknown, "is not a known field");
    domain::SlaAppliesTo result;
    auto priorities = List(*applies, "applies_to.priority", "priority", 8);
    if (!priorities || !Enums(*priorities, "applies_to.priority", domain::ParsePriority, &result.priority)) return false;
    auto types = List(*applies, "applies_to.type", "type", 8);
    if (!types || !Enums(*types, "applies_to.type", domain::ParseTicketType, &result.type)) return false;
    auto groups = List(*applies, "applies_to.group_id", "group_id", 1000);
    if (!groups) return false;
    for (const std::string& text : *groups) {
      std::optional<domain::Id> id = domain::Id::Parse(text);
      if (!id) return Fail("applies_to.group_id", "\"" + text + "\" is not a group id (UUID)");
      result.group_id.push_back(*id);
    }
    policy_->applies_to = std::move(result);
    return true;
  }

  bool ReadPauseOn(const JsonBody& body) {
    auto statuses = List(body, "pause_on", "pause_on", 16);
    std::vector<domain::TicketStatus> parsed;
    if (!statuses || !Enums(*statuses, "pause_on", domain::ParseStatus, &parsed)) return false;
    policy_->pause_on = {};
    for (domain::TicketStatus s : parsed) policy_->pause_on[domain::IndexOf(s)] = true;
    return true;
  }

  bool ReadEscalate(const JsonBody& body) {
    std::optional<JsonBody> escalate = Object(body, "escalate");
    if (!escalate) return false;
    if (auto unknown = escalate->FirstUnknownKey({"raise_priority", "notify"}))
      return Fail("escalate." + *unknown, "is not a known field");
    FieldReader fields(*escalate);
    domain::SlaEscalation result;
    result.raise_priority = fields.Bool("raise_priority").value_or(false);
    if (fields.error) return Fail("escalate.raise_priority", "must be a boolean");
    auto notify = List(*escalate, "escalate.notify", "notify", 3);
    if (!notify || !Enums(*notify, "escalate.notify", domain::ParseSlaNotify, &result.notify)) return false;
    policy_->escalate = std::move(result);
    return true;
  }

  const CallPtr& call_;
  SlaPolicy* policy_;
  std::string prefix_;
};

void ReplyPolicy(Services& services, const CallPtr& call, const domain::Id& policy_id, http::status status) {
  std::optional<domain::SlaSettings> settings = services.engine.directory().GetSlaSettings(call->actor.tenant_id);
  const SlaPolicy* policy = settings ? settings->Find(policy_id) : nullptr;
  if (!policy) return call->Reply(NotFound("no such SLA policy"));
  JsonWriter json;
  WriteSlaPolicy(json, *policy);
  call->Reply(JsonResponse(status, json.Take()));
}

void SubmitPolicy(Services& services, const CallPtr& call, domain::SaveSlaPolicy command, http::status status) {
  const domain::Id policy_id = command.policy.policy_id;
  services.engine.Submit(std::move(command), call->correlation_id,
                         [call, &services, policy_id, status](CommandOutcome&& outcome) {
                           if (ReplyIfFailed(call, outcome)) return;
                           ReplyPolicy(services, call, policy_id, status);
                         });
}

bool RequireSettingsManage(const CallPtr& call) {
  if (!RequireTenantUser(call)) return false;
  if (domain::Can(call->actor, domain::Permission::kSettingsManage)) return true;
  call->Reply(Forbidden("SLA policies need settings:manage"));
  return false;
}

}  // namespace

bool ReadCandidatePolicy(const CallPtr& call, const JsonBody& body, SlaPolicy* policy) {
  if (auto unknown = body.FirstUnknownKey(TICKETD_SLA_POLICY_FIELDS)) {
    call->Reply(ValidationError("policy." + *unknown, "is not a known field"));
    return false;
  }
  policy->name = "candidate";
  policy->pause_on = domain::DefaultPauseOn();
  if (!PolicyReader(call, policy, "policy.").Read(body, /*create=*/true, /*name_required=*/false)) return false;
  if (std::optional<domain::DomainError> error = domain::ValidateSlaPolicy(*policy)) {
    call->Reply(ValidationError("policy." + error->field, error->message));
    return false;
  }
  return true;
}

void HandleListSlaPolicies(Services& services, const CallPtr& call) {
  if (!RequireSettingsManage(call)) return;
  std::optional<domain::SlaSettings> settings = services.engine.directory().GetSlaSettings(call->actor.tenant_id);
  std::vector<SlaPolicy> policies = settings ? settings->policies : std::vector<SlaPolicy>{};
  std::sort(policies.begin(), policies.end(), [](const SlaPolicy& a, const SlaPolicy& b) {
    return a.order != b.order ? a.order < b.order : a.policy_id < b.policy_id;
  });
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  for (const SlaPolicy& policy : policies) WriteSlaPolicy(json, policy);
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

void HandleGetSlaPolicy(Services& services, const CallPtr& call) {
  if (!RequireSettingsManage(call)) return;
  std::optional<domain::Id> id = PathId(call);
  if (!id) return;
  ReplyPolicy(services, call, *id, http::status::ok);
}

void HandleCreateSlaPolicy(Services& services, const CallPtr& call) {
  if (!RequireSettingsManage(call)) return;
  auto body = ReadBody(call, TICKETD_SLA_POLICY_FIELDS);
  if (!body) return;
  SlaPolicy policy;
  policy.policy_id = RandomId();
  policy.pause_on = domain::DefaultPauseOn();
  if (!PolicyReader(call, &policy).Read(*body, /*create=*/true)) return;
  SubmitPolicy(services, call,
               domain::SaveSlaPolicy{call->actor, call->now, call->actor.tenant_id, std::move(policy), true},
               http::status::created);
}

void HandlePatchSlaPolicy(Services& services, const CallPtr& call) {
  if (!RequireSettingsManage(call)) return;
  std::optional<domain::Id> id = PathId(call);
  if (!id) return;
  auto body = ReadBody(call, TICKETD_SLA_POLICY_FIELDS);
  if (!body) return;
  std::optional<domain::SlaSettings> settings = services.engine.directory().GetSlaSettings(call->actor.tenant_id);
  const SlaPolicy* current = settings ? settings->Find(*id) : nullptr;
  if (!current) return call->Reply(NotFound("no such SLA policy"));
  SlaPolicy policy = *current;
  if (!PolicyReader(call, &policy).Read(*body, /*create=*/false)) return;
  SubmitPolicy(services, call,
               domain::SaveSlaPolicy{call->actor, call->now, call->actor.tenant_id, std::move(policy), false},
               http::status::ok);
}

void HandleDeleteSlaPolicy(Services& services, const CallPtr& call) {
  if (!RequireSettingsManage(call)) return;
  std::optional<domain::Id> id = PathId(call);
  if (!id) return;
  services.engine.Submit(domain::DeleteSlaPolicy{call->actor, call->now, call->actor.tenant_id, *id},
                         call->correlation_id, [call](CommandOutcome&& outcome) {
                           if (ReplyIfFailed(call, outcome)) return;
                           call->Reply(EmptyResponse(http::status::no_content));
                         });
}

}  // namespace ticketd::api

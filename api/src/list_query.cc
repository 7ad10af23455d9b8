#include "list_query.h"

#include <algorithm>
#include <charconv>

#include "responses.h"

namespace ticketd::api {
namespace {

constexpr std::string_view kKnownParams[] = {"status",   "priority",  "assignee_id", "category",
                                             "asset_id", "type",      "reporter_id", "q",
                                             "sort",     "page_size", "cursor",
                                             // workflow (issue 12)
                                             "group_id", "category_id", "subcategory_id", "sla_breached"};

template <class Enum>
std::optional<Response> ParseEnums(const Target& target, std::string_view key,
                                   std::optional<Enum> (*parse)(std::string_view), std::vector<Enum>* out) {
  for (const std::string& value : ValuesOf(target, key)) {
    std::optional<Enum> parsed = parse(value);
    if (!parsed) return ValidationError(key, "has a value that is not allowed");
    out->push_back(*parsed);
  }
  return std::nullopt;
}

std::optional<Response> ParseIds(const Target& target, std::string_view key, std::vector<domain::Id>* out) {
  for (const std::string& value : ValuesOf(target, key)) {
    std::optional<domain::Id> id = domain::Id::Parse(value);
    if (!id) return ValidationError(key, "must be a UUID");
    out->push_back(*id);
  }
  return std::nullopt;
}

}  // namespace

std::optional<Response> ParseListQuery(const Target& target, projections::TicketQuery* query) {
  for (const auto& [key, value] : target.params) {
    if (std::find(std::begin(kKnownParams), std::end(kKnownParams), key) == std::end(kKnownParams))
      return ValidationError(key, "is not a known query parameter");
  }
  if (auto error = ParseEnums(target, "status", domain::ParseStatus, &query->statuses)) return error;
  if (auto error = ParseEnums(target, "priority", domain::ParsePriority, &query->priorities)) return error;
  if (auto error = ParseEnums(target, "type", domain::ParseTicketType, &query->types)) return error;
  for (const std::string& value : ValuesOf(target, "assignee_id")) {
    if (value == "none") {
      query->assignees.emplace_back(std::nullopt);
      continue;
    }
    std::optional<domain::Id> id = domain::Id::Parse(value);
    if (!id) return ValidationError("assignee_id", "must be a UUID or none");
    query->assignees.emplace_back(*id);
  }
  if (auto error = ParseIds(target, "asset_id", &query->asset_ids)) return error;
  if (auto error = ParseIds(target, "reporter_id", &query->reporter_ids)) return error;
  if (auto error = ParseIds(target, "group_id", &query->group_ids)) return error;
  if (auto error = ParseIds(target, "category_id", &query->category_ids)) return error;
  if (auto error = ParseIds(target, "subcategory_id", &query->subcategory_ids)) return error;
  if (auto breached = ValueOf(target, "sla_breached")) {
    if (*breached != "true" && *breached != "false") return ValidationError("sla_breached", "must be true or false");
    query->sla_breached = *breached == "true";
  }
  query->categories = ValuesOf(target, "category");
  if (auto q = ValueOf(target, "q")) {
    if (q->size() > 10000) return ValidationError("q", "is longer than 10000 bytes");
    query->text = *q;
  }
  if (auto sort = ValueOf(target, "sort")) {
    std::optional<projections::SortSpec> spec = projections::ParseSort(*sort);
    if (!spec)
      return ValidationError("sort", "must be queue or a sortable field, optionally with a leading -");
    query->sort = *spec;
  }
  if (auto size = ValueOf(target, "page_size")) {
    std::size_t parsed = 0;
    auto [end, ec] = std::from_chars(size->data(), size->data() + size->size(), parsed);
    if (ec != std::errc() || end != size->data() + size->size() || parsed < 1 || parsed > 200)
      return ValidationError("page_size", "must be an integer from 1 to 200");
    query->page_size = parsed;
  }
  if (auto cursor = ValueOf(target, "cursor")) query->cursor = *cursor;
  return std::nullopt;
}

bool RestrictToVisibleTickets(const domain::Actor& actor, projections::TicketQuery* query) {
  if (domain::Can(actor, domain::Permission::kTicketsReadAll)) return true;
  auto& reporters = query->reporter_ids;
  if (!reporters.empty() && std::find(reporters.begin(), reporters.end(), actor.user_id) == reporters.end())
    return false;
  reporters.assign(1, actor.user_id);
  return true;
}

}  // namespace ticketd::api

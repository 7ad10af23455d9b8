// The service catalog (WORKFLOW.md "Catalog"): GET /api/v1/groups for every
// user of the tenant; creating, changing and archiving groups, categories
// and subcategories with settings:manage (the decider checks it).
#include "handler_support.h"
#include "handlers.h"

namespace ticketd::api {
namespace {

using domain::Catalog;
using domain::CatalogEntry;
using domain::CatalogKind;

void WriteIds(JsonWriter& json, const std::vector<domain::Id>& ids) {
  json.BeginArray();
  for (const domain::Id& id : ids) json.String(id.ToString());
  json.EndArray();
}

// The live children of `parent` of one kind, oldest first.
std::vector<const CatalogEntry*> LiveChildren(const Catalog& catalog, CatalogKind kind, const domain::Id& parent) {
  std::vector<const CatalogEntry*> children;
  for (const domain::Id& id : catalog.creation_order) {
    const CatalogEntry& e = catalog.entries.at(id);
    if (!e.archived && e.kind == kind && e.parent_id == parent) children.push_back(&e);
  }
  return children;
}

// An entry with its live subtree: a group {id, name, description, team_ids,
// assignment, categories}, a category {id, group_id, name, description,
// subcategories}, a subcategory {id, category_id, name, description}.
void WriteEntry(JsonWriter& json, const Catalog& catalog, const CatalogEntry& e) {
  json.BeginObject().Key("id").String(e.id.ToString());
  if (e.kind == CatalogKind::kCategory) json.Key("group_id").String(e.parent_id.ToString());
  if (e.kind == CatalogKind::kSubcategory) json.Key("category_id").String(e.parent_id.ToString());
  json.Key("name").String(e.name);
  json.Key("description").String(e.description);
  switch (e.kind) {
    case CatalogKind::kGroup:
      json.Key("team_ids");
      WriteIds(json, e.team_ids);
      json.Key("assignment").String(domain::ToString(e.assignment));
      json.Key("categories").BeginArray();
      for (const CatalogEntry* c : LiveChildren(catalog, CatalogKind::kCategory, e.id)) WriteEntry(json, catalog, *c);
      json.EndArray();
      break;
    case CatalogKind::kCategory:
      json.Key("subcategories").BeginArray();
      for (const CatalogEntry* s : LiveChildren(catalog, CatalogKind::kSubcategory, e.id))
        WriteEntry(json, catalog, *s);
      json.EndArray();
      break;
    case CatalogKind::kSubcategory:
      break;
  }
  json.EndObject();
}

// Answers a catalog command with the entry as it is now.
void ReplyEntry(Services& services, const CallPtr& call, const domain::Id& entry_id, http::status status) {
  const Catalog catalog = services.engine.catalog().Get(call->actor.tenant_id);
  const CatalogEntry* entry = catalog.Find(entry_id);
  if (!entry) return call->Reply(NotFound("no such entry"));
  JsonWriter json;
  WriteEntry(json, catalog, *entry);
  call->Reply(JsonResponse(status, json.Take()));
}

// team_ids: an array of user ids (absent: nullopt); replies 400 when malformed.
std::optional<std::optional<std::vector<domain::Id>>> ReadTeam(const CallPtr& call, const JsonBody& body) {
  auto texts = body.GetStringArray("team_ids", domain::kMaxTeamSize + 1, 64);
  if (auto* failure = std::get_if<FieldError>(&texts)) {
    call->Reply(ValidationError("team_ids", failure->message));
    return std::nullopt;
  }
  const auto& list = std::get<std::optional<std::vector<std::string>>>(texts);
  if (!list) return std::optional<std::vector<domain::Id>>();
  std::vector<domain::Id> ids;
  for (const std::string& text : *list) {
    std::optional<domain::Id> id = domain::Id::Parse(text);
    if (!id) {
      call->Reply(ValidationError("team_ids", "\"" + text + "\" is not a user id (UUID)"));
      return std::nullopt;
    }
    ids.push_back(*id);
  }
  return std::optional(std::move(ids));
}

void SubmitCatalog(Services& services, const CallPtr& call, domain::DirectoryCommand command,
                   const domain::Id& entry_id, http::status status) {
  services.engine.Submit(std::move(command), call->correlation_id,
                         [call, &services, entry_id, status](CommandOutcome&& outcome) {
                           if (ReplyIfFailed(call, outcome)) return;
                           ReplyEntry(services, call, entry_id, status);
                         });
}

// POST /groups, /groups/{id}/categories, /categories/{id}/subcategories.
void CreateEntry(Services& services, const CallPtr& call, CatalogKind kind) {
  if (!RequireTenantUser(call)) return;
  domain::CreateCatalogEntry command{.actor = call->actor, .at = call->now, .tenant_id = call->actor.tenant_id,
                                     .kind = kind, .entry_id = RandomId()};
  if (kind != CatalogKind::kGroup) {
    std::optional<domain::Id> parent = PathId(call);
    if (!parent) return;
    command.parent_id = *parent;
  }
  auto body = kind == CatalogKind::kGroup ? ReadBody(call, {"name", "description", "team_ids", "assignment"})
                                          : ReadBody(call, {"name", "description"});
  if (!body) return;
  FieldReader fields(*body);
  command.name = fields.String("name", true, 1 << 16).value_or("");
  if (!body->IsNull("description")) command.description = fields.String("description", false, 1 << 20).value_or("");
  command.assignment = fields.EnumValue<domain::AssignmentMode>("assignment", false, domain::ParseAssignmentMode)
                           .value_or(domain::AssignmentMode::kManual);
  if (fields.error) return call->Reply(std::move(*fields.error));
  auto team = ReadTeam(call, *body);
  if (!team) return;
  command.team_ids = team->value_or(std::vector<domain::Id>{});
  const domain::Id entry_id = command.entry_id;
  SubmitCatalog(services, call, std::move(command), entry_id, http::status::created);
}

void PatchEntry(Services& services, const CallPtr& call, CatalogKind kind) {
  if (!RequireTenantUser(call)) return;
  std::optional<domain::Id> entry_id = PathId(call);
  if (!entry_id) return;
  auto body = kind == CatalogKind::kGroup ? ReadBody(call, {"name", "description", "team_ids", "assignment"})
                                          : ReadBody(call, {"name", "description"});
  if (!body) return;
  domain::UpdateCatalogEntry command{.actor = call->actor, .at = call->now, .tenant_id = call->actor.tenant_id,
                                     .kind = kind, .entry_id = *entry_id};
  FieldReader fields(*body);
  command.name = fields.String("name", false, 1 << 16);
  command.description = body->IsNull("description") ? std::optional<std::string>("")
                                                    : fields.String("description", false, 1 << 20);
  command.assignment = fields.EnumValue<domain::AssignmentMode>("assignment", false, domain::ParseAssignmentMode);
  if (fields.error) return call->Reply(std::move(*fields.error));
  auto team = ReadTeam(call, *body);
  if (!team) return;
  command.team_ids = std::move(*team);
  SubmitCatalog(services, call, std::move(command), *entry_id, http::status::ok);
}

void ArchiveEntry(Services& services, const CallPtr& call, CatalogKind kind) {
  if (!RequireTenantUser(call)) return;
  std::optional<domain::Id> entry_id = PathId(call);
  if (!entry_id) return;
  domain::ArchiveCatalogEntry command{.actor = call->actor, .at = call->now, .tenant_id = call->actor.tenant_id,
                                      .kind = kind, .entry_id = *entry_id};
  services.engine.Submit(domain::DirectoryCommand{command}, call->correlation_id, [call](CommandOutcome&& outcome) {
    if (ReplyIfFailed(call, outcome)) return;
    call->Reply(EmptyResponse(http::status::no_content));
  });
}

}  // namespace

void HandleListGroups(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  const Catalog catalog = services.engine.catalog().Get(call->actor.tenant_id);
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  for (const CatalogEntry* group : LiveChildren(catalog, CatalogKind::kGroup, domain::Id{}))
    WriteEntry(json, catalog, *group);
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

void HandleCreateGroup(Services& s, const CallPtr& call) { CreateEntry(s, call, CatalogKind::kGroup); }
void HandleCreateCategory(Services& s, const CallPtr& call) { CreateEntry(s, call, CatalogKind::kCategory); }
void HandleCreateSubcategory(Services& s, const CallPtr& call) { CreateEntry(s, call, CatalogKind::kSubcategory); }
void HandlePatchGroup(Services& s, const CallPtr& call) { PatchEntry(s, call, CatalogKind::kGroup); }
void HandlePatchCategory(Services& s, const CallPtr& call) { PatchEntry(s, call, CatalogKind::kCategory); }
void HandlePatchSubcategory(Services& s, const CallPtr& call) { PatchEntry(s, call, CatalogKind::kSubcategory); }
void HandleArchiveGroup(Services& s, const CallPtr& call) { ArchiveEntry(s, call, CatalogKind::kGroup); }
void HandleArchiveCategory(Services& s, const CallPtr& call) { ArchiveEntry(s, call, CatalogKind::kCategory); }
void HandleArchiveSubcategory(Services& s, const CallPtr& call) { ArchiveEntry(s, call, CatalogKind::kSubcategory); }

}  // namespace ticketd::api

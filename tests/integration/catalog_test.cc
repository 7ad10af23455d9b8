// WORKFLOW.md "Catalog" against the real binary: the default tree, the
// catalog routes and their errors, tickets' catalog fields, list filters,
// history details and the closed_reopen setting.
#include "api_fixture.h"

namespace ticketd::integration {
namespace {

class CatalogTest : public TenantTest {
 protected:
  // The tenant's group IT and its category `name`.
  std::string ItGroup() { return GetString(GetArray(Json(Get(agent_.token, "/api/v1/groups").body).root(), "items").at(0), "id"); }
  std::string Category(std::string_view name) {
    Json groups(Get(agent_.token, "/api/v1/groups").body);
    for (auto c : GetArray(GetArray(groups.root(), "items").at(0), "categories"))
      if (GetString(c, "name") == name) return GetString(c, "id");
    return "";
  }
  std::string Created(const HttpResponse& r) {
    EXPECT_TRUE(HasStatus(r, 201));
    return GetString(Json(r.body).root(), "id");
  }
};

TEST_F(CatalogTest, NewTenantHasGroupItWithFiveCategoriesForEveryUser) {
  for (const User* user : {&reporter_, &agent_, &manager_, &tenant_.admin}) {
    HttpResponse r = Get(user->token, "/api/v1/groups");
    ASSERT_TRUE(HasStatus(r, 200));
    Json body(r.body);
    auto items = GetArray(body.root(), "items");
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(GetString(items[0], "name"), "IT");
    EXPECT_EQ(GetString(items[0], "assignment"), "manual");
    EXPECT_TRUE(GetArray(items[0], "team_ids").empty());
    std::vector<std::string> names;
    for (auto c : GetArray(items[0], "categories")) {
      names.push_back(GetString(c, "name"));
      EXPECT_TRUE(GetArray(c, "subcategories").empty());
    }
    EXPECT_EQ(names, (std::vector<std::string>{"Hardware", "Software", "Network", "Account", "Other"}));
  }
  EXPECT_TRUE(IsError(Get("nope", "/api/v1/groups"), 401, "UNAUTHENTICATED"));
}

TEST_F(CatalogTest, SettingsManageCreatesRenamesAndArchives) {
  const std::string admin = tenant_.admin.token;
  HttpResponse group = Post(admin, "/api/v1/groups",
                            R"({"name":"Facilities","description":"Buildings","team_ids":[)" + Quote(agent_.id) +
                                R"(],"assignment":"least_loaded"})");
  const std::string group_id = Created(group);
  EXPECT_EQ(GetString(Json(group.body).root(), "assignment"), "least_loaded");
  EXPECT_EQ(GetStrings(Json(group.body).root(), "team_ids"), std::vector<std::string>{agent_.id});
  const std::string category = Created(Post(admin, "/api/v1/groups/" + group_id + "/categories", R"({"name":"Doors"})"));
  HttpResponse sub = Post(admin, "/api/v1/categories/" + category + "/subcategories", R"({"name":"Locks"})");
  const std::string subcategory = Created(sub);
  EXPECT_EQ(GetString(Json(sub.body).root(), "name"), "Locks");

  HttpResponse renamed = Patch(admin, "/api/v1/subcategories/" + subcategory, R"({"name":"Keys"})");
  ASSERT_TRUE(HasStatus(renamed, 200));
  EXPECT_EQ(GetString(Json(renamed.body).root(), "name"), "Keys");
  ASSERT_TRUE(HasStatus(Patch(admin, "/api/v1/categories/" + category, R"({"name":"Entrances"})"), 200));
  HttpResponse group_patch = Patch(admin, "/api/v1/groups/" + group_id, R"({"assignment":"round_robin","team_ids":[]})");
  ASSERT_TRUE(HasStatus(group_patch, 200));
  EXPECT_EQ(GetString(Json(group_patch.body).root(), "assignment"), "round_robin");

  Json tree(Get(reporter_.token, "/api/v1/groups").body);
  auto groups = GetArray(tree.root(), "items");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(GetString(groups[1], "name"), "Facilities");
  EXPECT_EQ(GetString(GetArray(groups[1], "categories").at(0), "name"), "Entrances");
  EXPECT_EQ(GetString(GetArray(GetArray(groups[1], "categories").at(0), "subcategories").at(0), "name"), "Keys");

  ASSERT_TRUE(HasStatus(Delete(admin, "/api/v1/subcategories/" + subcategory), 204));
  EXPECT_TRUE(IsError(Delete(admin, "/api/v1/subcategories/" + subcategory), 404, "NOT_FOUND"));
  ASSERT_TRUE(HasStatus(Delete(admin, "/api/v1/groups/" + group_id), 204));
  EXPECT_EQ(GetArray(Json(Get(agent_.token, "/api/v1/groups").body).root(), "items").size(), 1u)
      << "archived entries are left out";
}

TEST_F(CatalogTest, WritesNeedSettingsManageAndBadInputNamesTheField) {
  HttpResponse by_agent = Post(agent_.token, "/api/v1/groups", R"({"name":"X"})");
  EXPECT_TRUE(IsError(by_agent, 403, "FORBIDDEN"));
  EXPECT_EQ(GetString(Json(by_agent.body).root(), "error.details.permission"), "settings:manage");
  EXPECT_TRUE(IsError(Delete(manager_.token, "/api/v1/categories/" + Category("Other")), 403, "FORBIDDEN"));
  const std::string admin = tenant_.admin.token;
  auto field_of = [](const HttpResponse& r) { return GetString(Json(r.body).root(), "error.details.field"); };
  HttpResponse taken = Post(admin, "/api/v1/groups/" + ItGroup() + "/categories", R"({"name":"hardware"})");
  EXPECT_TRUE(IsError(taken, 409, "NAME_TAKEN"));
  EXPECT_TRUE(IsError(Post(admin, "/api/v1/groups", R"({"name":"IT"})"), 409, "NAME_TAKEN"));
  EXPECT_TRUE(IsError(Patch(admin, "/api/v1/categories/" + Category("Network"), R"({"name":"Software"})"), 409,
                      "NAME_TAKEN"));
  for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"name":""})", "name"},
           {R"({"name":")" + std::string(101, 'x') + R"("})", "name"},
           {R"({"name":7})", "name"},
           {R"({})", "name"},
           {R"({"name":"A","assignment":"random"})", "assignment"},
           {R"({"name":"A","team_ids":["not-a-uuid"]})", "team_ids"},
           {R"({"name":"A","team_ids":[")" + tenant_.id + R"("]})", "team_ids"},
           {R"({"name":"A","team_ids":"x"})", "team_ids"},
           {R"({"name":"A","colour":"red"})", "colour"},
       }) {
    HttpResponse r = Post(admin, "/api/v1/groups", body);
    EXPECT_TRUE(IsError(r, 400, "VALIDATION_ERROR")) << body;
    EXPECT_EQ(field_of(r), field) << body;
  }
  // Another tenant's entries are unknown here.
  Tenant other = CreateTenant();
  const std::string foreign_group =
      GetString(GetArray(Json(Get(other.admin.token, "/api/v1/groups").body).root(), "items").at(0), "id");
  EXPECT_TRUE(IsError(Post(admin, "/api/v1/groups/" + foreign_group + "/categories", R"({"name":"X"})"), 404,
                      "NOT_FOUND"));
  EXPECT_TRUE(IsError(Patch(admin, "/api/v1/groups/" + foreign_group, R"({"name":"X"})"), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Delete(admin, "/api/v1/groups/" + foreign_group), 404, "NOT_FOUND"));
  HttpResponse foreign_ticket = Post(agent_.token, "/api/v1/tickets",
                                     R"({"subject":"s","description":"d","group_id":")" + foreign_group + R"("})");
  EXPECT_TRUE(IsError(foreign_ticket, 400, "VALIDATION_ERROR"));
  EXPECT_EQ(field_of(foreign_ticket), "group_id");
}

TEST_F(CatalogTest, TicketsCarryCatalogFieldsValidatedOnCreateAndPatch) {
  const std::string admin = tenant_.admin.token;
  const std::string it = ItGroup(), hardware = Category("Hardware"), software = Category("Software");
  const std::string laptop =
      Created(Post(admin, "/api/v1/categories/" + hardware + "/subcategories", R"({"name":"Laptop"})"));
  HttpResponse created = Post(reporter_.token, "/api/v1/tickets",
                              R"({"subject":"s","description":"d","group_id":")" + it + R"(","category_id":")" +
                                  hardware + R"(","subcategory_id":")" + laptop + R"("})");
  ASSERT_TRUE(HasStatus(created, 201));
  Json ticket(created.body);
  EXPECT_EQ(GetString(ticket.root(), "group_id"), it);
  EXPECT_EQ(GetString(ticket.root(), "category_id"), hardware);
  EXPECT_EQ(GetString(ticket.root(), "subcategory_id"), laptop);
  EXPECT_EQ(GetString(ticket.root(), "category"), "Hardware") << "category_id sets the category's name";
  const std::string id = GetString(ticket.root(), "id");
  auto field_of = [](const HttpResponse& r) { return GetString(Json(r.body).root(), "error.details.field"); };

  HttpResponse outside = Patch(agent_.token, "/api/v1/tickets/" + id, R"({"subcategory_id":")" + laptop +
                                                                           R"(","category_id":")" + software + R"("})");
  EXPECT_TRUE(IsError(outside, 400, "VALIDATION_ERROR"));
  EXPECT_EQ(field_of(outside), "subcategory_id");
  HttpResponse moved = Patch(agent_.token, "/api/v1/tickets/" + id, R"({"category_id":")" + software + R"("})");
  ASSERT_TRUE(HasStatus(moved, 200));
  EXPECT_EQ(GetString(Json(moved.body).root(), "category"), "Software");
  EXPECT_TRUE(IsNull(Json(moved.body).root(), "subcategory_id")) << "the old subcategory is not under Software";
  HttpResponse bad_id = Patch(agent_.token, "/api/v1/tickets/" + id, R"({"group_id":"nope"})");
  EXPECT_TRUE(IsError(bad_id, 400, "VALIDATION_ERROR"));
  EXPECT_EQ(field_of(bad_id), "group_id");
  ASSERT_TRUE(HasStatus(Delete(admin, "/api/v1/categories/" + hardware), 204));
  HttpResponse archived = Post(agent_.token, "/api/v1/tickets",
                               R"({"subject":"s","description":"d","category_id":")" + hardware + R"("})");
  EXPECT_TRUE(IsError(archived, 400, "VALIDATION_ERROR"));
  EXPECT_EQ(field_of(archived), "category_id");

  // List filters.
  const std::string plain = CreateTicket(agent_);
  auto ids = [&](const std::string& query) {
    std::vector<std::string> out;
    Json list(Get(agent_.token, "/api/v1/tickets?" + query).body);
    for (auto item : GetArray(list.root(), "items"))
      out.push_back(GetString(item, "id"));
    return out;
  };
  EXPECT_EQ(ids("group_id=" + it), std::vector<std::string>{id});
  EXPECT_EQ(ids("category_id=" + software), std::vector<std::string>{id});
  EXPECT_TRUE(ids("category_id=" + hardware).empty());
  EXPECT_TRUE(ids("subcategory_id=" + laptop).empty());
  EXPECT_EQ(ids("status=open").size(), 2u);
  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/tickets?group_id=x"), 400, "VALIDATION_ERROR"));

  // History: every item has details; catalog fields show as changes.
  Json history(Get(agent_.token, "/api/v1/tickets/" + id + "/history").body);
  for (auto item : GetArray(history.root(), "items")) EXPECT_TRUE(Has(item, "details"));
  EXPECT_EQ(GetString(GetArray(history.root(), "items").at(1), "changes.category_id.to"), software);
}

TEST_F(CatalogTest, ClosedReopenPolicy) {
  const std::string admin = tenant_.admin.token;
  HttpResponse settings = Get(reporter_.token, "/api/v1/settings");
  EXPECT_EQ(GetString(Json(settings.body).root(), "closed_reopen"), "allow");
  for (const char* bad : {R"({"closed_reopen":"never"})", R"({"closed_reopen":"within:P0D"})",
                          R"({"closed_reopen":"within:P1000Y"})", R"({"closed_reopen":"within:banana"})",
                          R"({"closed_reopen":true})"}) {
    HttpResponse r = Patch(admin, "/api/v1/settings", bad);
    EXPECT_TRUE(IsError(r, 400, "VALIDATION_ERROR")) << bad;
    EXPECT_EQ(GetString(Json(r.body).root(), "error.details.field"), "closed_reopen") << bad;
  }
  EXPECT_TRUE(IsError(Patch(agent_.token, "/api/v1/settings", R"({"closed_reopen":"deny"})"), 403, "FORBIDDEN"));
  const std::string id = CreateTicket(agent_);
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, id, "closed"), 200));
  HttpResponse deny = Patch(admin, "/api/v1/settings", R"({"closed_reopen":"deny"})");
  ASSERT_TRUE(HasStatus(deny, 200));
  EXPECT_EQ(GetString(Json(deny.body).root(), "closed_reopen"), "deny");
  HttpResponse refused = ChangeStatus(agent_, id, "open");
  EXPECT_TRUE(IsError(refused, 409, "INVALID_TRANSITION"));
  EXPECT_EQ(GetString(Json(refused.body).root(), "error.details.reason"), "reopen_policy");
  ASSERT_TRUE(HasStatus(Patch(admin, "/api/v1/settings", R"({"closed_reopen":"within:P14D"})"), 200));
  EXPECT_EQ(GetString(Json(Get(agent_.token, "/api/v1/settings").body).root(), "closed_reopen"), "within:P14D");
  HttpResponse reopened = ChangeStatus(agent_, id, "open");
  ASSERT_TRUE(HasStatus(reopened, 200)) << "closed seconds ago, within 14 days";
  Json history(Get(agent_.token, "/api/v1/tickets/" + id + "/history").body);
  auto items = GetArray(history.root(), "items");
  EXPECT_EQ(GetString(items.back(), "details.from"), "closed");
  EXPECT_EQ(GetString(items.back(), "details.to"), "open");
}

}  // namespace
}  // namespace ticketd::integration

// The service catalog (WORKFLOW.md "Catalog"), the ticket's catalog fields,
// automatic assignment in the deciding command, the reopen policy, ISO 8601
// durations and history details; given events / when command / then events.
#include <gtest/gtest.h>

#include "fixtures.h"
#include "ticketd/domain/history.h"
#include "ticketd/domain/iso_duration.h"

namespace ticketd::domain::testing {
namespace {

const Actors& A = TheActors();
using Decision = Result<std::vector<DomainEvent>, DomainError>;
constexpr Id kAgentUser = MakeId(3);  // TheActors().agent
constexpr Id kReporterUser = MakeId(1);
constexpr Id kAdminUser = MakeId(6);
constexpr std::array<Id, kDefaultCatalogSize> kDefaultIds = {MakeId(40), MakeId(41), MakeId(42),
                                                             MakeId(43), MakeId(44), MakeId(45)};
constexpr Id kIt = MakeId(40), kHardware = MakeId(41), kSoftware = MakeId(42);

TenantState Decide(TenantState state, const DirectoryCommand& command) {
  Decision r = DecideDirectory(state, command, {});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (r.ok())
    for (const auto& e : r.value()) state = EvolveTenant(std::move(state), e);
  return state;
}

TenantState Tenant() {
  CreateTenant create{A.platform, 1, kTenant, "Acme", ""};
  create.itsm_agent_group_id = MakeId(70);
  create.default_catalog_ids = kDefaultIds;
  TenantState t = Decide(InitialTenantState(), create);
  t = Decide(t, CreateUser{A.platform, 2, kTenant, kReporterUser, "Rita", "rita@example.com", Role::kReporter, ""});
  t = Decide(t, CreateUser{A.platform, 3, kTenant, kAgentUser, "Abe", "abe@example.com", Role::kAgent, ""});
  return Decide(t, CreateUser{A.platform, 3, kTenant, kAdminUser, "Ada", "ada@example.com", Role::kAdmin, ""});
}

CreateCatalogEntry Create(CatalogKind kind, Id id, Id parent, std::string name) {
  return CreateCatalogEntry{A.admin, 5, kTenant, kind, id, parent, std::move(name)};
}

ErrorCode CodeOf(const Decision& r) { return r.ok() ? ErrorCode::kValidation : r.error().code; }
std::string FieldOf(const Decision& r) { return r.ok() ? "<ok>" : r.error().field; }

TEST(Catalog, NewTenantStartsWithGroupItAndItsFiveCategories) {
  const Catalog& c = Tenant().catalog;
  ASSERT_EQ(c.creation_order.size(), 6u);
  EXPECT_TRUE(c.seeded);
  EXPECT_EQ(c.Find(kIt)->name, "IT");
  EXPECT_EQ(c.Find(kIt)->kind, CatalogKind::kGroup);
  EXPECT_EQ(c.Find(kIt)->assignment, AssignmentMode::kManual);
  std::vector<std::string> names;
  for (std::size_t i = 1; i < 6; ++i) {
    const CatalogEntry* e = c.Find(c.creation_order[i]);
    EXPECT_EQ(e->parent_id, kIt);
    EXPECT_EQ(e->kind, CatalogKind::kCategory);
    names.push_back(e->name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Hardware", "Software", "Network", "Account", "Other"}));
}

TEST(Catalog, SeedingGivesAnOldTenantTheTreeOnceAndOnlyTheSystemSeeds) {
  CreateTenant create{A.platform, 1, kTenant, "Acme", ""};  // no ids: a tenant from before the catalog
  TenantState t = Decide(InitialTenantState(), create);
  EXPECT_FALSE(t.catalog.seeded);
  SeedDefaultCatalog seed{A.platform, 2, kTenant, kDefaultIds};
  EXPECT_EQ(CodeOf(DecideDirectory(t, SeedDefaultCatalog{A.admin, 2, kTenant, kDefaultIds}, {})),
            ErrorCode::kForbidden);
  t = Decide(t, seed);
  EXPECT_EQ(t.catalog.entries.size(), 6u);
  auto again = DecideDirectory(t, seed, {});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.value().empty());
}

TEST(Catalog, CreateRenameArchive) {
  TenantState t = Tenant();
  const Id kField = MakeId(50), kLaptop = MakeId(51);
  t = Decide(t, Create(CatalogKind::kGroup, kField, {}, "Field service"));
  t = Decide(t, Create(CatalogKind::kSubcategory, kLaptop, kHardware, "Laptop"));
  EXPECT_EQ(t.catalog.Find(kLaptop)->parent_id, kHardware);
  UpdateCatalogEntry rename{A.admin, 6, kTenant, CatalogKind::kSubcategory, kLaptop, "Notebook"};
  t = Decide(t, rename);
  EXPECT_EQ(t.catalog.Find(kLaptop)->name, "Notebook");
  t = Decide(t, ArchiveCatalogEntry{A.admin, 7, kTenant, CatalogKind::kCategory, kHardware});
  EXPECT_TRUE(t.catalog.Find(kHardware)->archived);
  EXPECT_EQ(t.catalog.FindChoosable(kLaptop), nullptr) << "under an archived category";
  // Archived again, or through the wrong kind: 404.
  EXPECT_EQ(CodeOf(DecideDirectory(t, ArchiveCatalogEntry{A.admin, 8, kTenant, CatalogKind::kCategory, kHardware}, {})),
            ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(DecideDirectory(t, ArchiveCatalogEntry{A.admin, 8, kTenant, CatalogKind::kGroup, kSoftware}, {})),
            ErrorCode::kNotFound);
  // A sibling may take an archived entry's name.
  t = Decide(t, Create(CatalogKind::kCategory, MakeId(52), kIt, "hardware"));
}

TEST(Catalog, NamesAreUniqueAmongLiveSiblingsCaseInsensitively) {
  TenantState t = Tenant();
  auto r = DecideDirectory(t, Create(CatalogKind::kCategory, MakeId(50), kIt, "software"), {});
  EXPECT_EQ(CodeOf(r), ErrorCode::kNameTaken);
  EXPECT_EQ(FieldOf(r), "name");
  EXPECT_EQ(CodeOf(DecideDirectory(t, Create(CatalogKind::kGroup, MakeId(50), {}, "it"), {})), ErrorCode::kNameTaken);
  // Same name under another parent is fine.
  t = Decide(t, Create(CatalogKind::kSubcategory, MakeId(51), kHardware, "Other"));
  UpdateCatalogEntry rename{A.admin, 6, kTenant, CatalogKind::kCategory, kSoftware, "Network"};
  EXPECT_EQ(CodeOf(DecideDirectory(t, rename, {})), ErrorCode::kNameTaken);
  rename.name = "Software";  // its own name: no change, no event
  auto same = DecideDirectory(t, rename, {});
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same.value().empty());
}

TEST(Catalog, BadInputNamesTheField) {
  TenantState t = Tenant();
  EXPECT_EQ(FieldOf(DecideDirectory(t, Create(CatalogKind::kGroup, MakeId(50), {}, ""), {})), "name");
  EXPECT_EQ(FieldOf(DecideDirectory(t, Create(CatalogKind::kGroup, MakeId(50), {}, std::string(101, 'x')), {})),
            "name");
  EXPECT_EQ(FieldOf(DecideDirectory(t, Create(CatalogKind::kGroup, MakeId(50), {}, "a\nb"), {})), "name");
  CreateCatalogEntry team = Create(CatalogKind::kGroup, MakeId(50), {}, "Desk");
  team.team_ids = {kAgentUser, MakeId(3, 2)};  // a user of another tenant
  EXPECT_EQ(FieldOf(DecideDirectory(t, team, {})), "team_ids");
  team.team_ids = {kAgentUser, kAgentUser};
  EXPECT_EQ(FieldOf(DecideDirectory(t, team, {})), "team_ids");
  // A parent that does not exist, is of the wrong kind, or another tenant's: 404.
  EXPECT_EQ(CodeOf(DecideDirectory(t, Create(CatalogKind::kCategory, MakeId(50), MakeId(99), "X"), {})),
            ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(DecideDirectory(t, Create(CatalogKind::kSubcategory, MakeId(50), kIt, "X"), {})),
            ErrorCode::kNotFound);
  UpdateCatalogEntry team_on_category{A.admin, 6, kTenant, CatalogKind::kCategory, kSoftware};
  team_on_category.team_ids = std::vector<Id>{kAgentUser};
  EXPECT_EQ(FieldOf(DecideDirectory(t, team_on_category, {})), "team_ids");
}

TEST(Catalog, WritesNeedSettingsManageInTheTenant) {
  TenantState t = Tenant();
  for (const Actor* actor : {&A.agent, &A.manager, &A.reporter}) {
    CreateCatalogEntry c = Create(CatalogKind::kGroup, MakeId(50), {}, "Desk");
    c.actor = *actor;
    auto r = DecideDirectory(t, c, {});
    EXPECT_EQ(CodeOf(r), ErrorCode::kForbidden);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().permission, Permission::kSettingsManage);
  }
  CreateCatalogEntry foreign = Create(CatalogKind::kGroup, MakeId(50), {}, "Desk");
  foreign.actor = A.foreign_admin;
  EXPECT_EQ(CodeOf(DecideDirectory(t, foreign, {})), ErrorCode::kNotFound);
}

// ---- the ticket's catalog fields ----

Decision CreateTicketWith(const TenantState& t, std::optional<Id> group, std::optional<Id> category,
                          std::optional<Id> subcategory) {
  CreateTicket c{Header(A.agent), "Printer", "jammed"};
  c.group_id = group;
  c.category_id = category;
  c.subcategory_id = subcategory;
  TicketContext ctx{"TKT", 1};
  ctx.catalog = &t.catalog;
  return DecideTicket(InitialTicketState(), c, ctx);
}

TEST(TicketCatalog, ValidChoiceSetsTheIdsAndTheCategoryName) {
  TenantState t = Decide(Tenant(), Create(CatalogKind::kSubcategory, MakeId(51), kHardware, "Laptop"));
  auto r = CreateTicketWith(t, kIt, kHardware, MakeId(51));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& created = std::get<TicketCreated>(r.value()[0].payload);
  EXPECT_EQ(created.group_id, kIt);
  EXPECT_EQ(created.category_id, kHardware);
  EXPECT_EQ(created.subcategory_id, MakeId(51));
  EXPECT_EQ(created.category, "Hardware");
  // A subcategory alone brings its category and group along.
  auto inferred = CreateTicketWith(t, std::nullopt, std::nullopt, MakeId(51));
  ASSERT_TRUE(inferred.ok());
  EXPECT_EQ(std::get<TicketCreated>(inferred.value()[0].payload).group_id, kIt);
}

TEST(TicketCatalog, InconsistentUnknownOrArchivedChoicesAre400NamingTheField) {
  TenantState t = Decide(Tenant(), Create(CatalogKind::kGroup, MakeId(50), {}, "Facilities"));
  t = Decide(t, Create(CatalogKind::kSubcategory, MakeId(51), kHardware, "Laptop"));
  struct Case {
    std::optional<Id> group, category, subcategory;
    const char* field;
  };
  for (const Case& c : std::vector<Case>{
           {MakeId(50), kHardware, std::nullopt, "category_id"},       // category outside the group
           {kIt, kSoftware, MakeId(51), "subcategory_id"},              // subcategory outside the category
           {MakeId(99), std::nullopt, std::nullopt, "group_id"},        // unknown
           {kHardware, std::nullopt, std::nullopt, "group_id"},         // a category given as group
           {kIt, kIt, std::nullopt, "category_id"},                     // a group given as category
           {MakeId(40, 2), std::nullopt, std::nullopt, "group_id"},     // another tenant's
       }) {
    auto r = CreateTicketWith(t, c.group, c.category, c.subcategory);
    EXPECT_EQ(CodeOf(r), ErrorCode::kValidation) << c.field;
    EXPECT_EQ(FieldOf(r), c.field);
  }
  t = Decide(t, ArchiveCatalogEntry{A.admin, 9, kTenant, CatalogKind::kCategory, kHardware});
  EXPECT_EQ(FieldOf(CreateTicketWith(t, kIt, kHardware, std::nullopt)), "category_id");
  EXPECT_EQ(FieldOf(CreateTicketWith(t, kIt, std::nullopt, MakeId(51))), "subcategory_id");
}

TEST(TicketCatalog, PatchMovesAndClearsDependentsAndKeepsArchivedReferences) {
  TenantState t = Decide(Tenant(), Create(CatalogKind::kGroup, MakeId(50), {}, "Facilities"));
  TicketState ticket = Fold(InitialTicketState(), CreateTicketWith(t, kIt, kHardware, std::nullopt).value());
  TicketContext ctx{"TKT", 2};
  ctx.catalog = &t.catalog;
  UpdateTicket move{Header(A.agent)};
  move.group_id = Nullable<Id>{MakeId(50)};
  auto r = DecideTicket(ticket, move, ctx);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& u = std::get<TicketUpdated>(r.value()[0].payload);
  EXPECT_EQ(u.group_id, Nullable<Id>{MakeId(50)});
  EXPECT_EQ(u.category_id, std::optional<Nullable<Id>>(Nullable<Id>{})) << "the old category is not under the new group";
  // The ticket's category archived since: an unrelated PATCH still works.
  t = Decide(t, ArchiveCatalogEntry{A.admin, 9, kTenant, CatalogKind::kCategory, kHardware});
  UpdateTicket subject{Header(A.agent)};
  subject.subject = "Printer on fire";
  EXPECT_TRUE(DecideTicket(ticket, subject, ctx).ok());
  // Without tickets:manage nobody moves tickets in the catalog.
  UpdateTicket by_reporter{Header(A.manager)};
  by_reporter.category_id = Nullable<Id>{kSoftware};
  EXPECT_EQ(CodeOf(DecideTicket(ticket, by_reporter, ctx)), ErrorCode::kForbidden);
}

// ---- automatic assignment in the deciding command ----

TEST(TicketCatalog, AutomaticGroupAssignsInTheSameCommandAndRecordsTheRule) {
  TenantState t = Tenant();
  TicketContext ctx{"TKT", 1};
  ctx.catalog = &t.catalog;
  ctx.assignment = AssignmentFacts{kIt, AssignmentMode::kLeastLoaded, {{kAgentUser, true, 0, std::nullopt}}, {}};
  CreateTicket c{Header(A.reporter), "Printer", "jammed"};
  c.group_id = kIt;
  auto r = DecideTicket(InitialTicketState(), c, ctx);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().size(), 2u);
  const auto& assigned = std::get<TicketAssigned>(r.value()[1].payload);
  EXPECT_EQ(assigned.assignee_id, kAgentUser);
  EXPECT_EQ(assigned.rule, AssignmentMode::kLeastLoaded);
  EXPECT_EQ(r.value()[1].stream_id, kTicket);
  // An explicit assignee wins; no group, no pick.
  c.header.actor = A.agent;
  c.assignee_id = kAgentUser;
  ctx.assignee = UserFacts{kAgentUser, kTenant, true};
  EXPECT_EQ(DecideTicket(InitialTicketState(), c, ctx).value().size(), 1u);
  c.assignee_id.reset();
  c.group_id.reset();
  EXPECT_EQ(DecideTicket(InitialTicketState(), c, ctx).value().size(), 1u);
}

TEST(TicketCatalog, MovingAnUnassignedTicketIntoAnAutomaticGroupAssignsIt) {
  TenantState t = Decide(Tenant(), Create(CatalogKind::kGroup, MakeId(50), {}, "Facilities"));
  TicketState ticket = Fold(InitialTicketState(), CreateTicketWith(t, kIt, std::nullopt, std::nullopt).value());
  TicketContext ctx{"TKT", 2};
  ctx.catalog = &t.catalog;
  ctx.assignment = AssignmentFacts{MakeId(50), AssignmentMode::kRoundRobin, {{kAgentUser, true, 3, 1}}, {}};
  UpdateTicket move{Header(A.agent)};
  move.group_id = Nullable<Id>{MakeId(50)};
  auto r = DecideTicket(ticket, move, ctx);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().size(), 2u);
  EXPECT_EQ(std::get<TicketAssigned>(r.value()[1].payload).rule, AssignmentMode::kRoundRobin);
  // Already assigned: the move assigns nothing.
  TicketState assigned = Fold(ticket, {DomainEvent{kTenant, kTicket, 3, A.agent.user_id, TicketAssigned{kAgentUser}}});
  EXPECT_EQ(DecideTicket(assigned, move, ctx).value().size(), 1u);
}

// ---- reopen policy ----

TEST(ReopenPolicy, ParsesTheThreeFormsAndRefusesTheRest) {
  EXPECT_EQ(ParseReopenPolicy("allow"), ReopenPolicy{});
  EXPECT_EQ(ParseReopenPolicy("deny")->kind, ReopenPolicy::Kind::kDeny);
  EXPECT_EQ(ParseReopenPolicy("within:P14D")->within, 14 * kMicrosPerDay);
  EXPECT_EQ(ToString(*ParseReopenPolicy("within:P14D")), "within:P14D");
  for (const char* bad : {"", "Allow", "within:", "within:P0D", "within:PT0S", "within:P1000Y", "within:14D",
                          "within:P1.5D", "within:-P1D", "sometimes"})
    EXPECT_EQ(ParseReopenPolicy(bad), std::nullopt) << bad;
}

TEST(ReopenPolicy, DenyAndWithinRefuseReopeningWithReason) {
  TicketState closed = TicketIn(TicketStatus::kClosed);
  const Timestamp closed_at = *closed.ticket.closed_at;
  for (const auto& [policy, at, allowed] : std::vector<std::tuple<std::string, Timestamp, bool>>{
           {"allow", closed_at + 1000 * kMicrosPerDay, true},
           {"deny", closed_at + 1, false},
           {"within:PT30S", closed_at + 30 * kMicrosPerSecond, true},
           {"within:PT30S", closed_at + 31 * kMicrosPerSecond, false},
       }) {
    Catalog catalog;
    catalog.reopen = *ParseReopenPolicy(policy);
    TicketContext ctx{"TKT", 2};
    ctx.catalog = &catalog;
    ChangeStatus reopen{Header(A.agent), TicketStatus::kOpen};
    reopen.header.at = at;
    auto r = DecideTicket(closed, reopen, ctx);
    EXPECT_EQ(r.ok(), allowed) << policy;
    if (r.ok()) continue;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidTransition);
    EXPECT_EQ(r.error().reason, "reopen_policy");
  }
  // The policy is about closed tickets only: resolved -> open stays allowed.
  Catalog deny;
  deny.reopen = *ParseReopenPolicy("deny");
  TicketContext ctx{"TKT", 2};
  ctx.catalog = &deny;
  EXPECT_TRUE(DecideTicket(TicketIn(TicketStatus::kResolved), ChangeStatus{Header(A.agent), TicketStatus::kOpen}, ctx).ok());
}

TEST(IsoDuration, ParsesTheContractsForms) {
  EXPECT_EQ(ParseIsoDuration("PT30S"), 30 * kMicrosPerSecond);
  EXPECT_EQ(ParseIsoDuration("PT4H"), 4 * 3600 * kMicrosPerSecond);
  EXPECT_EQ(ParseIsoDuration("P2D"), 2 * kMicrosPerDay);
  EXPECT_EQ(ParseIsoDuration("P1W"), 7 * kMicrosPerDay);
  EXPECT_EQ(ParseIsoDuration("P1DT1H1M1S"), kMicrosPerDay + 3661 * kMicrosPerSecond);
  for (const char* bad : {"", "P", "PT", "P1", "PT1D", "P1H", "P1S1D", "P1D1D", "p1d", "P-1D", "P1000Y", "P1DT"})
    EXPECT_EQ(ParseIsoDuration(bad), std::nullopt) << bad;
  EXPECT_EQ(FormatIsoDuration(14 * kMicrosPerDay), "P14D");
  EXPECT_EQ(FormatIsoDuration(kMicrosPerDay + 30 * kMicrosPerSecond), "P1DT30S");
}

TEST(HistoryDetails, StatusChangesAssignmentsAndCommentsCarryDetails) {
  auto keys = [](const DomainEvent& e) {
    std::vector<std::string> out;
    for (const HistoryDetail& d : DetailsOf(e)) out.push_back(d.key);
    return out;
  };
  DomainEvent status{kTenant, kTicket, 1, {}, TicketStatusChanged{TicketStatus::kResolved, TicketStatus::kClosed, "auto_close"}};
  EXPECT_EQ(keys(status), (std::vector<std::string>{"from", "to", "reason"}));
  EXPECT_EQ(std::get<std::string>(DetailsOf(status)[2].value), "auto_close");
  DomainEvent by_hand{kTenant, kTicket, 1, {}, TicketStatusChanged{TicketStatus::kOpen, TicketStatus::kOnHold, {}}};
  EXPECT_EQ(keys(by_hand), (std::vector<std::string>{"from", "to"}));
  DomainEvent rule{kTenant, kTicket, 1, {}, TicketAssigned{kAgentUser, AssignmentMode::kRoundRobin}};
  EXPECT_EQ(keys(rule), (std::vector<std::string>{"assignee_id", "rule"}));
  EXPECT_TRUE(DetailsOf(DomainEvent{kTenant, kTicket, 1, {}, TicketUpdated{}}).empty());
}

}  // namespace
}  // namespace ticketd::domain::testing

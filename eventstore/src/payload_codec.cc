// Payload oneof <-> domain::EventPayload: one encoder branch per payload
// (std::visit, no default: a new payload fails to compile until mapped) and
// one decoder case per oneof field, older versions through upcast.cc.
#include "payload_codec.h"

#include "access_payload_codec.h"
#include "account_payload_codec.h"
#include "sla_payload_codec.h"
#include "attachment_payload_codec.h"
#include "envelope_ids.h"
#include "mail_payload_codec.h"
#include "id_text.h"
#include "personal_text.h"
#include "ticketd/domain/overloaded.h"
#include "upcast.h"
#include "workflow_payload_codec.h"

namespace ticketd::eventstore {
namespace {

using namespace ticketd::domain;

template <class Enum>
bool InRange(int value, std::size_t count, Enum* out) {
  if (value < 0 || static_cast<std::size_t>(value) >= count) return false;
  *out = static_cast<Enum>(value);
  return true;
}

void EncodeSnapshot(const Ticket& t, TextSealer& text, v1::TicketSnapshot* s) {
  s->set_ticket_id(IdText(t.id));
  s->set_number(t.number);
  s->set_number_text(t.number_text);
  text.Set(s->mutable_subject(), t.subject);
  text.Set(s->mutable_description(), t.description);
  s->set_priority(static_cast<v1::Priority>(t.priority));
  s->set_status(static_cast<v1::TicketStatus>(t.status));
  s->set_type(static_cast<v1::TicketType>(t.type));
  s->set_category(t.category);
  s->set_reporter_id(IdText(t.reporter_id));
  if (t.assignee_id) s->set_assignee_id(IdText(*t.assignee_id));
  if (t.asset_id) s->set_asset_id(IdText(*t.asset_id));
  if (t.due_at) s->set_due_at_us(*t.due_at);
  s->set_created_at_us(t.created_at);
  s->set_updated_at_us(t.updated_at);
  s->set_version(t.version);
  if (t.erased_at) s->set_erased_at_us(*t.erased_at);
  if (t.group_id) s->set_group_id(IdText(*t.group_id));
  if (t.category_id) s->set_category_id(IdText(*t.category_id));
  if (t.subcategory_id) s->set_subcategory_id(IdText(*t.subcategory_id));
  if (t.closed_at) s->set_closed_at_us(*t.closed_at);
}

bool DecodeSnapshot(const v1::TicketSnapshot& s, const Id& tenant_id, TextOpener& text, Ticket* t) {
  t->tenant_id = tenant_id;
  t->number = s.number();
  t->number_text = s.number_text();
  t->subject = text.Get(s.subject());
  t->description = text.Get(s.description());
  t->category = s.category();
  t->created_at = s.created_at_us();
  t->updated_at = s.updated_at_us();
  t->version = s.version();
  if (s.has_due_at_us()) t->due_at = s.due_at_us();
  if (s.has_erased_at_us()) t->erased_at = s.erased_at_us();
  bool ok = ParseId(s.ticket_id(), &t->id) && ParseId(s.reporter_id(), &t->reporter_id) &&
            InRange(s.priority(), kAllPriorities.size(), &t->priority) &&
            InRange(s.status(), kAllStatuses.size(), &t->status) &&
            InRange(s.type(), kAllTypes.size(), &t->type);
  if (ok && s.has_assignee_id()) ok = ParseId(s.assignee_id(), &t->assignee_id.emplace());
  if (ok && s.has_asset_id()) ok = ParseId(s.asset_id(), &t->asset_id.emplace());
  if (ok && s.has_group_id()) ok = ParseId(s.group_id(), &t->group_id.emplace());
  if (ok && s.has_category_id()) ok = ParseId(s.category_id(), &t->category_id.emplace());
  if (ok && s.has_subcategory_id()) ok = ParseId(s.subcategory_id(), &t->subcategory_id.emplace());
  if (s.has_closed_at_us()) t->closed_at = s.closed_at_us();
  return ok;
}

}  // namespace

std::uint32_t PayloadSchemaVersion(const EventPayload& payload) {
  return std::holds_alternative<CommentAdded>(payload) ? 2 : 1;
}

void EncodePayload(const EventPayload& payload, TextSealer& text, v1::EventEnvelope* env) {
  std::visit(
      Overloaded{
          [&](const TenantCreated& e) {
            auto* p = env->mutable_tenant_created();
            p->set_tenant_id(IdText(e.tenant_id));
            p->set_name(e.name);
            p->set_ticket_prefix(e.ticket_prefix);
            p->set_slug(e.slug);
          },
          [&](const UserCreated& e) {
            auto* p = env->mutable_user_created();
            p->set_user_id(IdText(e.user_id));
            text.Set(p->mutable_name(), e.name);
            text.Set(p->mutable_email(), e.email);
            p->set_role(static_cast<v1::Role>(e.role));
            p->set_department(e.department);
          },
          [&](const TokenIssued& e) {
            auto* p = env->mutable_token_issued();
            p->set_user_id(IdText(e.user_id));
            p->set_token_sha256(std::string(reinterpret_cast<const char*>(e.token_sha256.data()), 32));
          },
          [&](const AssetCreated& e) {
            auto* p = env->mutable_asset_created();
            p->set_asset_id(IdText(e.asset_id));
            p->set_name(e.name);
            p->set_kind(e.kind);
          },
          [&](const AssetDeleted& e) { env->mutable_asset_deleted()->set_asset_id(IdText(e.asset_id)); },
          [&](const UserErased& e) { env->mutable_user_erased()->set_user_id(IdText(e.user_id)); },
          [&](const TicketCreated& e) {
            auto* p = env->mutable_ticket_created();
            p->set_ticket_id(IdText(e.ticket_id));
            p->set_number(e.number);
            p->set_number_text(e.number_text);
            text.Set(p->mutable_subject(), e.subject);
            text.Set(p->mutable_description(), e.description);
            p->set_priority(static_cast<v1::Priority>(e.priority));
            p->set_type(static_cast<v1::TicketType>(e.type));
            p->set_category(e.category);
            p->set_reporter_id(IdText(e.reporter_id));
            if (e.assignee_id) p->set_assignee_id(IdText(*e.assignee_id));
            if (e.asset_id) p->set_asset_id(IdText(*e.asset_id));
            if (e.due_at) p->set_due_at_us(*e.due_at);
            if (e.group_id) p->set_group_id(IdText(*e.group_id));
            if (e.category_id) p->set_category_id(IdText(*e.category_id));
            if (e.subcategory_id) p->set_subcategory_id(IdText(*e.subcategory_id));
          },
          [&](const TicketUpdated& e) {
            auto* p = env->mutable_ticket_updated();
            if (e.subject) text.Set(p->mutable_subject(), *e.subject);
            if (e.description) text.Set(p->mutable_description(), *e.description);
            if (e.category) p->set_category(*e.category);
            if (e.priority) p->set_priority(static_cast<v1::Priority>(*e.priority));
            if (e.due_at) {
              if (*e.due_at) {
                p->set_due_at_us(**e.due_at);
              } else {
                p->set_due_at_cleared(true);
              }
            }
            if (e.asset_id) {
              if (*e.asset_id) {
                p->set_asset_id(IdText(**e.asset_id));
              } else {
                p->set_asset_id_cleared(true);
              }
            }
            if (e.group_id) {
              if (*e.group_id) p->set_group_id(IdText(**e.group_id)); else p->set_group_id_cleared(true);
            }
            if (e.category_id) {
              if (*e.category_id) p->set_category_id(IdText(**e.category_id)); else p->set_category_id_cleared(true);
            }
            if (e.subcategory_id) {
              if (*e.subcategory_id)
                p->set_subcategory_id(IdText(**e.subcategory_id));
              else
                p->set_subcategory_id_cleared(true);
            }
          },
          [&](const TicketAssigned& e) {
            auto* p = env->mutable_ticket_assigned();
            if (e.assignee_id) p->set_assignee_id(IdText(*e.assignee_id));
            p->set_rule(static_cast<v1::AssignmentMode>(e.rule));
          },
          [&](const TicketStatusChanged& e) {
            auto* p = env->mutable_ticket_status_changed();
            p->set_from(static_cast<v1::TicketStatus>(e.from));
            p->set_to(static_cast<v1::TicketStatus>(e.to));
            p->set_reason(e.reason);
          },
          [&](const CommentAdded& e) {
            auto* p = env->mutable_comment_added_v2();
            p->set_comment_id(IdText(e.comment_id));
            text.Set(p->mutable_body(), e.body);
            p->set_visibility(e.internal ? v1::VISIBILITY_INTERNAL : v1::VISIBILITY_PUBLIC);
          },
          [&](const AttachmentAdded& e) { EncodeAttachmentPayload(e, text, env); },
          [&](const TicketErased&) { env->mutable_ticket_erased(); },
          [&](const TicketDeleted& e) {
            EncodeSnapshot(e.snapshot, text, env->mutable_ticket_deleted()->mutable_snapshot());
          },
          // access (issue 11): access_payload_codec.cc
          [&](const PermissionGroupCreated& e) { EncodeAccess(e, env); },
          [&](const PermissionGroupMemberAdded& e) { EncodeAccess(e, env); },
          [&](const PermissionGroupMemberRemoved& e) { EncodeAccess(e, env); },
          [&](const SettingsChanged& e) { EncodeAccess(e, env); },
          [&](const LicenseChanged& e) { EncodeAccess(e, env); },
          [&](const QuotaAlertRaised& e) { EncodeAccess(e, env); },
          [&](const ApiKeyCreated& e) { EncodeAccess(e, env); },
          [&](const ApiKeyRevoked& e) { EncodeAccess(e, env); },
          [&](const ApiKeyUsage& e) { EncodeAccess(e, env); },
          [&](const AccountEvent& e) { EncodeAccountPayload(e, text, env); },
          [&](const SlaDirectoryEvent& e) { EncodeSlaPayload(e, env); },
          [&](const SlaTicketEvent& e) { EncodeSlaPayload(e, env); },
          [&](const WorkflowEvent& e) { EncodeWorkflowPayload(e, env); },
          [&](const MailEvent& e) { EncodeMailPayload(e, env); },  // mail out (issue 14)
      },
      payload);
}

Status DecodePayload(const v1::EventEnvelope& env, TextOpener& text, EventPayload* payload) {
  bool ok = true;
  switch (env.payload_case()) {
    case v1::EventEnvelope::kTenantCreated: {
      const auto& p = env.tenant_created();
      TenantCreated e{.name = p.name(), .ticket_prefix = p.ticket_prefix(), .slug = p.slug()};
      ok = ParseId(p.tenant_id(), &e.tenant_id);
      *payload = std::move(e);
      break;
    }
    case v1::EventEnvelope::kUserCreated: {
      const auto& p = env.user_created();
      UserCreated e{.name = text.Get(p.name()), .email = text.Get(p.email()), .department = p.department()};
      ok = ParseId(p.user_id(), &e.user_id) && InRange(p.role(), kAllRoles.size(), &e.role);
      *payload = std::move(e);
      break;
    }
    case v1::EventEnvelope::kTokenIssued: {
      const auto& p = env.token_issued();
      TokenIssued e;
      ok = ParseId(p.user_id(), &e.user_id) && p.token_sha256().size() == 32;
      if (ok) std::copy(p.token_sha256().begin(), p.token_sha256().end(), e.token_sha256.begin());
      *payload = e;
      break;
    }
    case v1::EventEnvelope::kAssetCreated: {
      const auto& p = env.asset_created();
      AssetCreated e{.name = p.name(), .kind = p.kind()};
      ok = ParseId(p.asset_id(), &e.asset_id);
      *payload = std::move(e);
      break;
    }
    case v1::EventEnvelope::kAssetDeleted: {
      AssetDeleted e;
      ok = ParseId(env.asset_deleted().asset_id(), &e.asset_id);
      *payload = e;
      break;
    }
    case v1::EventEnvelope::kUserErased: {
      UserErased e;
      ok = ParseId(env.user_erased().user_id(), &e.user_id);
      *payload = e;
      break;
    }
    case v1::EventEnvelope::kTicketErased:
      *payload = TicketErased{};
      break;
    case v1::EventEnvelope::kTicketCreated: {
      const auto& p = env.ticket_created();
      TicketCreated e;
      e.number = p.number();
      e.number_text = p.number_text();
      e.subject = text.Get(p.subject());
      e.description = text.Get(p.description());
      e.category = p.category();
      if (p.has_due_at_us()) e.due_at = p.due_at_us();
      ok = ParseId(p.ticket_id(), &e.ticket_id) && ParseId(p.reporter_id(), &e.reporter_id) &&
           InRange(p.priority(), kAllPriorities.size(), &e.priority) &&
           InRange(p.type(), kAllTypes.size(), &e.type);
      if (ok && p.has_assignee_id()) ok = ParseId(p.assignee_id(), &e.assignee_id.emplace());
      if (ok && p.has_asset_id()) ok = ParseId(p.asset_id(), &e.asset_id.emplace());
      if (ok && p.has_group_id()) ok = ParseId(p.group_id(), &e.group_id.emplace());
      if (ok && p.has_category_id()) ok = ParseId(p.category_id(), &e.category_id.emplace());
      if (ok && p.has_subcategory_id()) ok = ParseId(p.subcategory_id(), &e.subcategory_id.emplace());
      *payload = std::move(e);
      break;
    }
    case v1::EventEnvelope::kTicketUpdated: {
      const auto& p = env.ticket_updated();
      TicketUpdated e;
      if (p.has_subject()) e.subject = text.Get(p.subject());
      if (p.has_description()) e.description = text.Get(p.description());
      if (p.has_category()) e.category = p.category();
      if (p.has_priority()) ok = InRange(p.priority(), kAllPriorities.size(), &e.priority.emplace());
      if (p.has_due_at_us()) e.due_at = Nullable<Timestamp>{p.due_at_us()};
      if (p.due_at_cleared()) e.due_at = Nullable<Timestamp>{};
      if (ok && p.has_asset_id()) ok = ParseId(p.asset_id(), &e.asset_id.emplace().emplace());
      if (p.asset_id_cleared()) e.asset_id = Nullable<Id>{};
      auto nullable_id = [&ok](bool has, const std::string& text, bool cleared, std::optional<Nullable<Id>>* out) {
        if (ok && has) ok = ParseId(text, &out->emplace().emplace());
        if (cleared) *out = Nullable<Id>{};
      };
      nullable_id(p.has_group_id(), p.group_id(), p.group_id_cleared(), &e.group_id);
      nullable_id(p.has_category_id(), p.category_id(), p.category_id_cleared(), &e.category_id);
      nullable_id(p.has_subcategory_id(), p.subcategory_id(), p.subcategory_id_cleared(), &e.subcategory_id);
      *payload = std::move(e);
      break;
    }
    case v1::EventEnvelope::kTicketAssigned: {
      TicketAssigned e;
      if (env.ticket_assigned().has_assignee_id())
        ok = ParseId(env.ticket_assigned().assignee_id(), &e.assignee_id.emplace());
      ok = ok && InRange(env.ticket_assigned().rule(), kAllAssignmentModes.size(), &e.rule);
      *payload = e;
      break;
    }
    case v1::EventEnvelope::kTicketStatusChanged: {
      TicketStatusChanged e;
      ok = InRange(env.ticket_status_changed().from(), kAllStatuses.size(), &e.from) &&
           InRange(env.ticket_status_changed().to(), kAllStatuses.size(), &e.to);
      e.reason = env.ticket_status_changed().reason();
      *payload = std::move(e);
      break;
    }
    case v1::EventEnvelope::kCommentAdded: {
      CommentAdded e;
      if (Status s = UpcastCommentAddedV1(env.comment_added(), text, &e); !s.ok()) return s;
      *payload = std::move(e);
      break;
    }
    case v1::EventEnvelope::kCommentAddedV2: {
      const auto& p = env.comment_added_v2();
      CommentAdded e{.body = text.Get(p.body())};
      ok = ParseId(p.comment_id(), &e.comment_id) &&
           (p.visibility() == v1::VISIBILITY_PUBLIC || p.visibility() == v1::VISIBILITY_INTERNAL);
      e.internal = p.visibility() == v1::VISIBILITY_INTERNAL;
      *payload = std::move(e);
      break;
    }
    case v1::EventEnvelope::kTicketDeleted: {
      TicketDeleted e;
      Id tenant_id;
      ok = EnvelopeTenantId(env, &tenant_id) &&
           DecodeSnapshot(env.ticket_deleted().snapshot(), tenant_id, text, &e.snapshot);
      *payload = std::move(e);
      break;
    }
    case v1::EventEnvelope::kAttachmentAdded:
      return DecodeAttachmentPayload(env, text, payload);
    // access (issue 11): access_payload_codec.cc
    case v1::EventEnvelope::kPermissionGroupCreated:
    case v1::EventEnvelope::kPermissionGroupMemberAdded:
    case v1::EventEnvelope::kPermissionGroupMemberRemoved:
    case v1::EventEnvelope::kSettingsChanged:
    case v1::EventEnvelope::kLicenseChanged:
    case v1::EventEnvelope::kQuotaAlertRaised:
    case v1::EventEnvelope::kApiKeyCreated:
    case v1::EventEnvelope::kApiKeyRevoked:
    case v1::EventEnvelope::kApiKeyUsage:
      DecodeAccess(env, payload, &ok);
      break;
    case v1::EventEnvelope::kPasswordSet:
    case v1::EventEnvelope::kPasswordResetIssued:
    case v1::EventEnvelope::kSessionStarted:
    case v1::EventEnvelope::kSessionRefreshed:
    case v1::EventEnvelope::kSessionRevoked:
    case v1::EventEnvelope::kUserUpdated:
      return DecodeAccountPayload(env, text, payload);
    case v1::EventEnvelope::kSlaPolicySaved:
    case v1::EventEnvelope::kSlaPolicyDeleted:
    case v1::EventEnvelope::kAutoCloseChanged:
    case v1::EventEnvelope::kSlaBreached:
    case v1::EventEnvelope::kSlaEscalated:
      return DecodeSlaPayload(env, payload);
    // workflow (issue 12): workflow_payload_codec.cc
    case v1::EventEnvelope::kCatalogEntryCreated:
    case v1::EventEnvelope::kCatalogEntryUpdated:
    case v1::EventEnvelope::kCatalogEntryArchived:
    case v1::EventEnvelope::kReopenPolicyChanged:
      return DecodeWorkflowPayload(env, payload);
    case v1::EventEnvelope::kEmailTemplateSet:  // mail out (issue 14)
    case v1::EventEnvelope::kEmailTemplateReset:
      return DecodeMailPayload(env, payload);
    case v1::EventEnvelope::PAYLOAD_NOT_SET:
      return Status::Corruption("event envelope has no payload (written by a newer ticketd?)");
  }
  if (!ok) return Status::Corruption("event payload has a malformed id or enum value");
  return Status::Ok();
}

}  // namespace ticketd::eventstore

#include "ticketd/domain/idempotency.h"

namespace ticketd::domain {
namespace {

bool SameText(const std::string& asked, const std::string& recorded) {
  return recorded == kErasedText || asked == recorded;
}

}  // namespace

bool IsSameCreate(const CreateTicket& retry, const TicketCreated& created) {
  // Catalog ids the retry names must match; parents may have been brought
  // along and a category_id names the category's text.
  auto same_entry = [](const std::optional<Id>& asked, const std::optional<Id>& recorded) {
    return !asked || asked == recorded;
  };
  const bool same_catalog = same_entry(retry.group_id, created.group_id) &&
                            same_entry(retry.category_id, created.category_id) &&
                            same_entry(retry.subcategory_id, created.subcategory_id);
  const bool same_category = retry.category == created.category || retry.category_id.has_value();
  return SameText(retry.subject, created.subject) && SameText(retry.description, created.description) &&
         retry.priority == created.priority && retry.type == created.type && same_category && same_catalog &&
         retry.assignee_id == created.assignee_id && retry.asset_id == created.asset_id &&
         retry.due_at == created.due_at;
}

}  // namespace ticketd::domain

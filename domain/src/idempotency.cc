#include "ticketd/domain/idempotency.h"

namespace ticketd::domain {
namespace {

bool SameText(const std::string& asked, const std::string& recorded) {
  return recorded == kErasedText || asked == recorded;
}

}  // namespace

bool IsSameCreate(const CreateTicket& retry, const TicketCreated& created) {
  return SameText(retry.subject, created.subject) && SameText(retry.description, created.description) &&
         retry.priority == created.priority && retry.type == created.type && retry.category == created.category &&
         retry.assignee_id == created.assignee_id && retry.asset_id == created.asset_id &&
         retry.due_at == created.due_at;
}

}  // namespace ticketd::domain

#include "ticketd/mail/template_cache.h"

namespace ticketd::mail {

CompiledTemplate& TemplateCache::Get(const domain::Id& tenant_id, domain::MailTemplate kind, const TemplateText& text) {
  if (tenants_.size() >= kMaxTenants && !tenants_.contains(tenant_id)) tenants_.clear();
  std::unique_ptr<CompiledTemplate>& slot = tenants_[tenant_id][static_cast<std::size_t>(kind)];
  if (!slot || slot->text() != text) {
    slot = std::make_unique<CompiledTemplate>(kind, text);
    ++parses_;
  }
  return *slot;
}

}  // namespace ticketd::mail

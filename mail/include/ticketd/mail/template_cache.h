// Compiled mail templates kept between mails (templates.h CompiledTemplate):
// one per tenant and kind, parsed again only when the text to render differs
// from the one it was parsed from (a tenant's override set, changed or reset),
// so no invalidation can be missed. Used by the mailer's delivery thread
// only: not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "ticketd/domain/id.h"
#include "ticketd/mail/templates.h"

namespace ticketd::mail {

class TemplateCache {
 public:
  // The template compiled from `text` for (tenant, kind).
  CompiledTemplate& Get(const domain::Id& tenant_id, domain::MailTemplate kind, const TemplateText& text);
  // How many times a template was parsed (tests, profiles).
  std::uint64_t parses() const { return parses_; }

 private:
  // Past this many tenants the cache starts over (a template costs a few KiB).
  static constexpr std::size_t kMaxTenants = 4096;
  using Kinds = std::array<std::unique_ptr<CompiledTemplate>, domain::kMailTemplates.size()>;
  std::unordered_map<domain::Id, Kinds, domain::IdHash> tenants_;
  std::uint64_t parses_ = 0;
};

}  // namespace ticketd::mail

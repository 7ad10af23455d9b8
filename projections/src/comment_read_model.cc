// CommentReadModel: each ticket's comments, in order.
#include "ticketd/projections/comment_read_model.h"

#include <unordered_map>

#include "tenant_partitions.h"

namespace ticketd::projections {

namespace {
using TicketComments = std::unordered_map<domain::Id, std::vector<Comment>, domain::IdHash>;
}  // namespace

struct CommentReadModel::Impl {
  TenantPartitions<TicketComments> tenants;
};

CommentReadModel::CommentReadModel() : impl_(std::make_unique<Impl>()) {}
CommentReadModel::~CommentReadModel() = default;

void CommentReadModel::Apply(const domain::DomainEvent& event) {
  if (const auto* added = std::get_if<domain::CommentAdded>(&event.payload)) {
    impl_->tenants.Write(event.tenant_id, [&](TicketComments& tickets) {
      tickets[event.stream_id].push_back(
          Comment{added->comment_id, event.actor_id, added->body, added->internal, event.at});
    });
  } else if (std::holds_alternative<domain::TicketErased>(event.payload)) {
    impl_->tenants.Write(event.tenant_id, [&](TicketComments& tickets) {
      auto it = tickets.find(event.stream_id);
      if (it == tickets.end()) return;
      for (Comment& comment : it->second) comment.body = domain::kErasedText;
    });
  } else if (std::holds_alternative<domain::TicketDeleted>(event.payload)) {
    impl_->tenants.Write(event.tenant_id, [&](TicketComments& tickets) { tickets.erase(event.stream_id); });
  }
}

std::vector<Comment> CommentReadModel::List(const domain::Id& tenant_id, const domain::Id& ticket_id,
                                            bool include_internal) const {
  std::vector<Comment> out;
  impl_->tenants.Read(tenant_id, [&](const TicketComments& tickets) {
    auto it = tickets.find(ticket_id);
    if (it == tickets.end()) return;
    for (const Comment& c : it->second)
      if (include_internal || !c.internal) out.push_back(c);
  });
  return out;
}

}  // namespace ticketd::projections

// CommentReadModel: each ticket's comments, in order.
#include "ticketd/projections/comment_read_model.h"

#include <algorithm>
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

namespace ticketd::projections {

void CommentReadModel::EncodeCanonical(BinaryWriter& out) const {
  impl_->tenants.ForEachSorted([&](const domain::Id& tenant_id, const TicketComments& tickets) {
    if (tickets.empty()) return;  // only deletions happened: same as never seen
    out.Bool(true);               // one more tenant follows
    out.Id(tenant_id);
    std::vector<const std::pair<const domain::Id, std::vector<Comment>>*> sorted;
    sorted.reserve(tickets.size());
    for (const auto& entry : tickets) sorted.push_back(&entry);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
    out.U64(sorted.size());
    for (const auto* entry : sorted) {
      out.Id(entry->first);
      out.U64(entry->second.size());
      for (const Comment& c : entry->second) {
        out.Id(c.id);
        out.Id(c.author_id);
        out.Bytes(c.body);
        out.Bool(c.internal);
        out.I64(c.created_at);
      }
    }
  });
  out.Bool(false);
}

bool CommentReadModel::DecodeSnapshot(BinaryReader& in) {
  for (bool more = false; in.Bool(&more);) {
    if (!more) return true;
    domain::Id tenant_id;
    std::size_t ticket_count = 0;
    if (!in.Id(&tenant_id) || !in.Count(&ticket_count)) return false;
    bool ok = true;
    impl_->tenants.Write(tenant_id, [&](TicketComments& tickets) {
      tickets.reserve(ticket_count);
      for (std::size_t t = 0; t < ticket_count && ok; ++t) {
        domain::Id ticket_id;
        std::size_t comment_count = 0;
        ok = in.Id(&ticket_id) && in.Count(&comment_count);
        std::vector<Comment>& comments = tickets[ticket_id];
        comments.resize(ok ? comment_count : 0);
        for (Comment& c : comments) {
          ok = ok && in.Id(&c.id) && in.Id(&c.author_id) && in.Bytes(&c.body) && in.Bool(&c.internal) &&
               in.I64(&c.created_at);
        }
      }
    });
    if (!ok) return false;
  }
  return false;
}

}  // namespace ticketd::projections

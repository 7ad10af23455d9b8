// CommentReadModel: each ticket's comments in order. Fed by the writer
// thread; read from any thread (per-tenant shared_mutex).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ticketd/domain/events.h"
#include "ticketd/domain/id.h"
#include "ticketd/domain/time.h"
#include "ticketd/projections/binary_codec.h"

namespace ticketd::projections {

struct Comment {
  domain::Id id;
  domain::Id author_id;
  std::string body;
  bool internal = false;
  domain::Timestamp created_at = 0;
};

class CommentReadModel {
 public:
  CommentReadModel();
  ~CommentReadModel();
  CommentReadModel(const CommentReadModel&) = delete;
  CommentReadModel& operator=(const CommentReadModel&) = delete;

  // Writer thread only: CommentAdded appends, TicketDeleted drops the
  // ticket's comments; other events are ignored.
  void Apply(const domain::DomainEvent& event);

  // In creation order; internal ones only when include_internal.
  std::vector<Comment> List(const domain::Id& tenant_id, const domain::Id& ticket_id,
                            bool include_internal) const;

  // Canonical serialization (binary_codec.h): equal content, equal bytes.
  // It is also this model's snapshot body; DecodeSnapshot loads one into an
  // empty model (writer thread, before any Apply) and returns false if the
  // bytes do not parse.
  void EncodeCanonical(BinaryWriter& out) const;
  [[nodiscard]] bool DecodeSnapshot(BinaryReader& in);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketd::projections

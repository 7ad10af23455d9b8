// Attachment events of a ticket's stream (issue 13). The event carries the
// metadata only; the bytes are stored by the event log in the same atomic
// write, content-addressed by (tenant, sha256), and shredded when no living
// ticket references them any more (eventstore/src/blob_store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ticketd/domain/id.h"

namespace ticketd::domain {

// A file was attached to the ticket (to one of its comments when comment_id
// is set). The uploader and the time are the event's actor and `at`.
struct AttachmentAdded {
  Id attachment_id;
  std::optional<Id> comment_id;
  bool internal = false;      // the comment is internal: hidden from whoever cannot see those
  std::string filename;       // personal data (sealed with the ticket's texts)
  std::string content_type;   // sniffed
  std::int64_t size = 0;      // bytes
  std::string sha256;         // lowercase hex: the content address within the tenant
  friend bool operator==(const AttachmentAdded&, const AttachmentAdded&) = default;
};

}  // namespace ticketd::domain

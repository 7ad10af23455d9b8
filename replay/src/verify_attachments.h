// ticket-replay verify, attachments (issue 13): every attachment a living
// ticket references must be present and hash to its sha256; those of erased
// or hard-deleted tickets are reported as erased (their key is destroyed by
// design), not as missing.
#pragma once

#include <cstdint>
#include <string>

#include "ticketd/eventstore/event_log.h"

namespace ticketd::replay {

struct AttachmentReport {
  bool ok = true;
  std::uint64_t checked = 0;  // attachments of living tickets whose bytes hash right
  std::uint64_t erased = 0;   // attachments of erased or deleted tickets
  std::uint64_t first_bad_position = 0;
  std::string problem;
};

AttachmentReport VerifyAttachments(const eventstore::EventLog& log);

}  // namespace ticketd::replay

// Helpers for the event log tests: ids and event builders (temp dirs:
// test_support::TempDir from temp_dir.h).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "temp_dir.h"
#include "test_ids.h"
#include "ticketd/eventstore/event_log.h"

namespace ticketd::eventstore::testing {

inline domain::Id TestId(std::uint8_t a, std::uint8_t b = 0) { return test_support::TestIdOf(a, b, 1); }

inline EventToAppend CommentEvent(const domain::Id& event_id, const domain::Id& stream, std::int64_t version,
                                  const domain::Id& tenant = TestId(200)) {
  EventToAppend e;
  e.event_id = event_id;
  e.correlation_id = TestId(250);
  e.version = version;
  e.event = domain::DomainEvent{
      tenant, stream, 1'000 * version, TestId(90),
      domain::CommentAdded{TestId(91, static_cast<std::uint8_t>(version)), "hello", false}};
  return e;
}

}  // namespace ticketd::eventstore::testing

#include "verify.h"

#include "ticketd/eventstore/event_codec.h"

namespace ticketd::replay {

VerifyReport VerifyLog(const eventstore::EventLog& log) {
  VerifyReport report;
  eventstore::Hash previous{};
  std::uint64_t expected_position = 1;
  Status s = log.ReadAllRaw(1, [&](const eventstore::RawRecord& record) {
    if (record.position != expected_position) {
      report.first_bad_position = expected_position;
      report.problem = "gap in positions: expected " + std::to_string(expected_position) + ", found " +
                       std::to_string(record.position);
      return false;
    }
    eventstore::Hash computed = eventstore::ChainHash(previous, record.envelope);
    if (computed != record.hash) {
      report.first_bad_position = record.position;
      report.problem = "hash chain broken: stored " + eventstore::HashToHex(record.hash) + ", computed " +
                       eventstore::HashToHex(computed);
      return false;
    }
    eventstore::RecordedEvent decoded;
    Status decode = eventstore::DecodeEnvelope(record.envelope, &decoded);
    if (!decode.ok() || decoded.position != record.position) {
      report.first_bad_position = record.position;
      report.problem = decode.ok() ? "envelope position does not match its key" : decode.ToString();
      return false;
    }
    previous = computed;
    ++report.events;
    ++expected_position;
    return true;
  });
  if (report.problem.empty() && !s.ok()) {
    report.first_bad_position = expected_position;
    report.problem = s.ToString();
  }
  if (report.problem.empty() && log.HeadPosition() != report.events) {
    report.first_bad_position = report.events + 1;
    report.problem = "log head is " + std::to_string(log.HeadPosition()) + " but only " +
                     std::to_string(report.events) + " events could be read";
  }
  report.ok = report.problem.empty();
  report.head_position = report.events;
  report.head_hash = previous;
  return report;
}

}  // namespace ticketd::replay

// ticket-replay: the auditors' CLI over a data dir, read-only.
//   verify  --data-dir DIR                               chain, positions, decoding
//   history --data-dir DIR --ticket ID [--as-of RFC3339]  state as of then + its events
//   export  --data-dir DIR [--from POSITION]             JSON lines, one event each
//   consume --brokers B [--topic T] [--group G] [--from-beginning] [--max N] [--timeout-ms MS]
//                                                        the Kafka stream as JSON lines
// It opens the log as a RocksDB secondary instance, so it works while ticketd
// runs and never writes to DIR.
#pragma once

#include <ostream>

namespace ticketd::replay {

// Exit codes: 0 success; 1 the log is corrupt (verify) or the ticket is
// unknown (history); 2 bad usage or a data dir that cannot be read.
int RunReplay(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace ticketd::replay

// `ticket-replay consume`: the analysts' example consumer of the event
// stream. Joins a consumer group on the topic and prints one JSON line per
// message: partition, offset, key, headers and the decoded envelope.
#pragma once

#include <ostream>

namespace ticketd::replay {

// argv[0] is the program, argv[1] "consume". Exit codes: 0 after --max
// messages, an idle --timeout-ms or SIGINT/SIGTERM; 2 bad usage or a client
// that cannot be created.
int RunConsume(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace ticketd::replay

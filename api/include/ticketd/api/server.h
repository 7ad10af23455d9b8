// The ticketd server as a library: parse the command line, open the engine
// on the data dir, serve HTTP until SIGINT/SIGTERM, drain, flush, exit.
// `ticketd`'s main() is a thin wrapper so tests and tools can reuse it.
#pragma once

namespace ticketd::api {

// Returns the process exit code: 0 after a clean shutdown, 2 for bad
// arguments, 1 when the data dir or the listen address cannot be used.
int RunServer(int argc, char** argv);

}  // namespace ticketd::api

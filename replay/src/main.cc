// ticket-replay: the auditors' CLI. All logic lives in ticketd_replay.
#include <iostream>

#include "ticketd/replay/replay.h"

int main(int argc, char** argv) { return ticketd::replay::RunReplay(argc, argv, std::cout, std::cerr); }

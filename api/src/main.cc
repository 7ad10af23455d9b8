// ticketd: the helpdesk engine server. All logic lives in ticketd_api.
#include "ticketd/api/server.h"

int main(int argc, char** argv) { return ticketd::api::RunServer(argc, argv); }

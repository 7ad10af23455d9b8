// ticketd: the helpdesk engine server. All logic lives in ticketd_api.
#include <cstddef>

#include "ticketd/api/server.h"

// gperftools' C entry point, present when the binary links tcmalloc (the
// TICKETD_TCMALLOC option), absent under the sanitizers.
extern "C" int MallocExtension_SetNumericProperty(const char* property, std::size_t value) __attribute__((weak));

int main(int argc, char** argv) {
  // tcmalloc keeps freed spans resident by default: at 200k tickets with SLAs
  // the quiet server held 497 MiB against glibc's 344. Decommitting freed
  // spans at once brings it to 349 MiB and keeps most of tcmalloc's CPU gain
  // (docs/performance.md, session 6). The hot path's small objects live in
  // thread caches, which this does not touch.
  if (MallocExtension_SetNumericProperty != nullptr)
    MallocExtension_SetNumericProperty("tcmalloc.aggressive_memory_decommit", 1);
  return ticketd::api::RunServer(argc, argv);
}

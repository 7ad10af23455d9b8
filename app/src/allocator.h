// The allocator (tcmalloc when the binary links it; glibc under the
// sanitizers): its own account of the server's memory, for /metrics, and
// handing freed memory back to the system. Thread-safe.
#pragma once

#include <string>

namespace ticketd::app {

// Prometheus text: ticketd_malloc_bytes{kind="..."} gauges, what the
// server's structures use ("in_use") against what tcmalloc holds for later
// (free pages, central, transfer and thread caches). RSS minus "in_use" is
// the allocator's share. Empty without tcmalloc.
std::string RenderAllocatorMetrics();

// Returns the allocator's free pages to the system (tcmalloc's page heap;
// glibc's top of heap): after a large structure was freed, or when quiet.
void ReleaseFreeMallocMemory();

}  // namespace ticketd::app

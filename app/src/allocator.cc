#include "allocator.h"

#include <malloc.h>

#include <cstddef>
#include <cstdio>
#include <iterator>

// gperftools' C entry point, present when the binary links tcmalloc (the
// TICKETD_TCMALLOC option), absent under the sanitizers.
extern "C" int MallocExtension_GetNumericProperty(const char* property, std::size_t* value) __attribute__((weak));
extern "C" void MallocExtension_ReleaseFreeMemory(void) __attribute__((weak));

namespace ticketd::app {
namespace {

struct Property {
  const char* kind;
  const char* name;
};
// gperftools' property names (gperftools/malloc_extension.h).
constexpr Property kProperties[] = {
    {"in_use", "generic.current_allocated_bytes"},
    {"heap", "generic.heap_size"},
    {"page_heap_free", "tcmalloc.pageheap_free_bytes"},
    {"page_heap_unmapped", "tcmalloc.pageheap_unmapped_bytes"},
    {"central_cache_free", "tcmalloc.central_cache_free_bytes"},
    {"transfer_cache_free", "tcmalloc.transfer_cache_free_bytes"},
    {"thread_cache_free", "tcmalloc.current_total_thread_cache_bytes"},
};

}  // namespace

std::string RenderAllocatorMetrics() {
  if (MallocExtension_GetNumericProperty == nullptr) return {};
  std::string out =
      "# HELP ticketd_malloc_bytes tcmalloc's account of the heap: in use by the server, or held free by kind.\n"
      "# TYPE ticketd_malloc_bytes gauge\n";
  for (const Property& p : kProperties) {
    std::size_t value = 0;
    if (!MallocExtension_GetNumericProperty(p.name, &value)) continue;
    char line[128];
    std::snprintf(line, sizeof line, "ticketd_malloc_bytes{kind=\"%s\"} %zu\n", p.kind, value);
    out += line;
  }
  return out;
}

void ReleaseFreeMallocMemory() {
  if (MallocExtension_ReleaseFreeMemory != nullptr) MallocExtension_ReleaseFreeMemory();
  malloc_trim(0);  // glibc's own heap (everything, without tcmalloc)
}

}  // namespace ticketd::app

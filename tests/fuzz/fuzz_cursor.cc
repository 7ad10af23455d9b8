// libFuzzer: the opaque list cursor. Any string decodes to nothing or to a
// key that encodes and decodes back to the same key, for every sort.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cursor.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ticketd::projections;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (SortField field : {SortField::kQueue, SortField::kCreatedAt, SortField::kUpdatedAt, SortField::kDueAt,
                          SortField::kPriority, SortField::kStatus, SortField::kNumber, SortField::kSubject}) {
    for (bool descending : {false, true}) {
      SortSpec spec = Normalize(SortSpec{field, descending});
      std::optional<CursorKey> key = DecodeCursor(text, spec);
      if (!key) continue;
      std::optional<CursorKey> again = DecodeCursor(EncodeCursor(spec, *key), spec);
      if (!again || again->key != key->key || !(again->id == key->id) || again->subject != key->subject)
        __builtin_trap();  // a cursor we accept must survive its own round trip
    }
  }
  return 0;
}

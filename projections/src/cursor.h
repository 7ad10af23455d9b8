// The opaque keyset cursor: the sort it was made for plus the full sort key
// of the last item of a page (integers, subject for the subject sort, id).
// Wire form: base64url (no padding) of
//   version(1) | sort(1: field, 0x80 = descending) | k1 k2 k3 (8 each, LE) |
//   id(16) | subject bytes (subject sort only) | CRC-32 of all before (4, LE)
// so a truncated, edited or random cursor is rejected instead of being
// read as a position. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sort_key.h"
#include "ticketd/domain/id.h"

namespace ticketd::projections {

struct CursorKey {
  SortKey key;
  domain::Id id;
  std::string subject;  // subject sort only
};

// Longest cursor accepted, in characters: a subject of kMaxSubjectChars
// 4-byte characters needs ~1,100; anything far beyond is not ours.
inline constexpr std::size_t kMaxCursorChars = 16384;

std::string EncodeCursor(const SortSpec& spec, const CursorKey& key);
// nullopt if `cursor` is not a well-formed cursor of exactly this sort.
std::optional<CursorKey> DecodeCursor(std::string_view cursor, const SortSpec& spec);

}  // namespace ticketd::projections

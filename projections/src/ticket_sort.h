// Sort keys for ticket listings and the opaque keyset cursor that encodes
// the last key of a page. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ticketd/domain/ticket_value.h"
#include "ticketd/projections/ticket_read_model.h"

namespace ticketd::projections {

struct SortKey {
  std::int64_t a = 0, b = 0, c = 0;  // meaning depends on the sort (see MakeSortKey)
  std::string text;                  // subject sort only
  domain::Id id;                     // final tie-breaker
};

SortKey MakeSortKey(const domain::Ticket& ticket, const SortSpec& spec);
// Strict weak order of keys under `spec`: true if x comes before y.
bool SortsBefore(const SortKey& x, const SortKey& y, const SortSpec& spec);

std::string EncodeCursor(const SortKey& key, const SortSpec& spec);
// nullopt for anything that is not a cursor of this sort.
std::optional<SortKey> DecodeCursor(std::string_view cursor, const SortSpec& spec);

}  // namespace ticketd::projections

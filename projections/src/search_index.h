// SearchIndex: full-text index of one tenant's tickets (subject and
// description). Words are maximal runs of ASCII letters/digits or non-ASCII
// bytes (so UTF-8 words stay whole), lowercased (ASCII and Latin-1
// letters), cut at 64 bytes. A query matches tickets in which every query
// word prefixes some word. Any input bytes are harmless. Not thread-safe:
// the owning partition's lock protects it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "ticketd/domain/id.h"
#include "ticketd/domain/ticket_value.h"

namespace ticketd::projections {

std::vector<std::string> Tokenize(std::string_view text);

class SearchIndex {
 public:
  using IdSet = std::unordered_set<domain::Id, domain::IdHash>;

  void Add(const domain::Ticket& ticket);
  void Remove(const domain::Ticket& ticket);
  // nullopt when the query has no words (no text filter); else the matches.
  std::optional<IdSet> Match(std::string_view query) const;

 private:
  static std::vector<std::string> WordsOf(const domain::Ticket& ticket);
  std::map<std::string, IdSet, std::less<>> postings_;
};

}  // namespace ticketd::projections

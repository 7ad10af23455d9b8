// SearchIndex: the full-text index of one tenant's tickets (subject and
// description), as an ordered map word -> postings (the slots of the
// tickets containing the word; compact, see word_postings.h), so a query
// word's prefix matches are one range scan.
//
// Words are maximal runs of ASCII letters/digits and bytes >= 0x80 (so a
// UTF-8 word stays whole whatever its script), with ASCII and the Latin-1
// capitals U+00C0..U+00DE (except U+00D7) folded to lowercase, cut at 64
// bytes. A query matches the tickets in which every query word prefixes some
// word; a query without words matches without filtering (nullopt). Any input
// bytes are harmless. Not thread-safe: the owning partition's lock protects it.
#pragma once

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slot_set.h"
#include "word_postings.h"
#include "ticketd/domain/ticket_value.h"

namespace ticketd::projections {

inline constexpr std::size_t kMaxWordBytes = 64;

std::vector<std::string> Tokenize(std::string_view text);

class SearchIndex {
 public:
  void Add(std::uint32_t slot, const domain::Ticket& ticket);
  // Adds many tickets at slots above every indexed one (a restart indexes a
  // million at once): the postings are collected per word in a hash table
  // and merged into the ordered map once, at Finish (or destruction).
  class Bulk {
   public:
    explicit Bulk(SearchIndex* index) : index_(index) {}
    ~Bulk() { Finish(); }
    Bulk(const Bulk&) = delete;
    Bulk& operator=(const Bulk&) = delete;
    void Add(std::uint32_t slot, const domain::Ticket& ticket);  // ascending slots
    void Finish();

   private:
    struct WordHash {
      using is_transparent = void;
      std::size_t operator()(std::string_view word) const noexcept { return std::hash<std::string_view>{}(word); }
    };
    SearchIndex* index_;
    std::unordered_map<std::string, SlotSet, WordHash, std::equal_to<>> collected_;
    std::string buffer_;
  };
  void Remove(std::uint32_t slot, const domain::Ticket& ticket);
  // Touches only the words that appear or disappear between the versions.
  void Update(std::uint32_t slot, const domain::Ticket& before, const domain::Ticket& after);

  // Slot -> the ticket indexed there (null if none).
  using TicketLookup = std::function<const domain::Ticket*(std::uint32_t)>;

  // nullopt when `query` has no words (no text filter); otherwise the
  // matching slots, in a bitmap sized for `slot_count` slots. With `lookup`,
  // once the selective words have left few candidates, a word that prefixes
  // very many postings (a short number like "1" in "1-4242") is checked on
  // those candidates' own text instead of OR-ing every posting it prefixes.
  std::optional<Bitmap> Match(std::string_view query, std::uint32_t slot_count,
                              const TicketLookup& lookup = {}) const;

  std::size_t WordCount() const { return postings_.size(); }

 private:
  // The distinct words of subject and description, sorted: views into
  // `buffer`, which it overwrites.
  static std::vector<std::string_view> WordsOf(const domain::Ticket& ticket, std::string* buffer);
  // Drops from `candidates` the slots whose ticket has no word that each of
  // `prefixes` prefixes.
  static void KeepPrefixMatches(const std::vector<const std::string*>& prefixes, const TicketLookup& lookup,
                                Bitmap* candidates);
  void AddWord(std::string_view word, std::uint32_t slot);
  void RemoveWord(std::string_view word, std::uint32_t slot);
  // Total postings of the words `prefix` prefixes (an upper bound of the
  // number of matching slots); 0 exactly when nothing matches.
  std::size_t PrefixWeight(std::string_view prefix) const;

  WordPostings postings_;
};

}  // namespace ticketd::projections

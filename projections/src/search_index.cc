#include "search_index.h"

#include <algorithm>
#include <iterator>
#include <limits>

namespace ticketd::projections {
namespace {

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

// Lowercases ASCII and the Latin-1 capitals U+00C0..U+00DE except U+00D7
// (the multiplication sign): in UTF-8, 0xC3 followed by 0x80..0x9E.
void FoldCase(char* word, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    const auto c = static_cast<unsigned char>(word[i]);
    if (c >= 'A' && c <= 'Z') {
      word[i] = static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < size) {
      const auto next = static_cast<unsigned char>(word[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) word[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    }
  }
}

// A word's place in a buffer (offsets, not views: the buffer may grow).
struct WordSpan {
  std::size_t at, size;
};

// Appends the words of `text` to `buffer`, each cut and folded as a word of
// its own, and their places to `spans`.
void AppendWords(std::string_view text, std::string* buffer, std::vector<WordSpan>* spans) {
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    const std::size_t start = i;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) {
      const std::size_t size = std::min(i - start, kMaxWordBytes);
      const std::size_t at = buffer->size();
      buffer->append(text.substr(start, size));
      FoldCase(buffer->data() + at, size);
      spans->push_back(WordSpan{at, size});
    }
  }
}

void SortUnique(std::vector<std::string>& words) {
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
}

}  // namespace

std::vector<std::string> Tokenize(std::string_view text) {
  std::string buffer;
  std::vector<WordSpan> spans;
  AppendWords(text, &buffer, &spans);
  std::vector<std::string> words;
  words.reserve(spans.size());
  for (const WordSpan& span : spans) words.emplace_back(buffer, span.at, span.size);
  return words;
}

// Views into one buffer instead of a string per word: a ticket's creation
// indexes ~20 words, and during a replay this runs once per ticket.
std::vector<std::string_view> SearchIndex::WordsOf(const domain::Ticket& ticket, std::string* buffer) {
  buffer->clear();
  std::vector<WordSpan> spans;
  AppendWords(ticket.subject, buffer, &spans);
  AppendWords(ticket.description, buffer, &spans);
  std::vector<std::string_view> words;
  words.reserve(spans.size());
  for (const WordSpan& span : spans) words.emplace_back(buffer->data() + span.at, span.size);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

void SearchIndex::AddWord(std::string_view word, std::uint32_t slot) {
  postings_.FindOrAdd(word).Insert(slot);
}

void SearchIndex::RemoveWord(std::string_view word, std::uint32_t slot) {
  SlotSet* slots = postings_.Find(word);
  if (slots == nullptr) return;
  slots->Erase(slot);
  if (slots->empty()) postings_.Erase(word);
}

void SearchIndex::Add(std::uint32_t slot, const domain::Ticket& ticket) {
  std::string buffer;
  for (std::string_view word : WordsOf(ticket, &buffer)) AddWord(word, slot);
}

void SearchIndex::Bulk::Add(std::uint32_t slot, const domain::Ticket& ticket) {
  for (std::string_view word : WordsOf(ticket, &buffer_)) {
    auto it = collected_.find(word);
    if (it == collected_.end()) it = collected_.try_emplace(std::string(word)).first;
    it->second.Insert(slot);  // ascending: an append
  }
}

void SearchIndex::Bulk::Finish() {
  std::vector<decltype(collected_)::iterator> words;
  words.reserve(collected_.size());
  for (auto it = collected_.begin(); it != collected_.end(); ++it) words.push_back(it);
  std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) { return a->first < b->first; });
  // Into an empty map (a restart) every word goes at the end: no search.
  WordPostings& postings = index_->postings_;
  const bool append = postings.empty();
  for (auto& entry : words) {
    if (append) {
      postings.Append(entry->first, std::move(entry->second));
      continue;
    }
    SlotSet& slots = postings.FindOrAdd(entry->first);
    if (slots.empty()) {
      slots = std::move(entry->second);
    } else {
      entry->second.ForEach([&](std::uint32_t added) { slots.Insert(added); });
    }
  }
  collected_.clear();
}

void SearchIndex::Remove(std::uint32_t slot, const domain::Ticket& ticket) {
  std::string buffer;
  for (std::string_view word : WordsOf(ticket, &buffer)) RemoveWord(word, slot);
}

void SearchIndex::Update(std::uint32_t slot, const domain::Ticket& before, const domain::Ticket& after) {
  if (before.subject == after.subject && before.description == after.description) return;
  std::string old_buffer, new_buffer;
  std::vector<std::string_view> old_words = WordsOf(before, &old_buffer);
  std::vector<std::string_view> new_words = WordsOf(after, &new_buffer);
  std::vector<std::string_view> gone, added;
  std::set_difference(old_words.begin(), old_words.end(), new_words.begin(), new_words.end(),
                      std::back_inserter(gone));
  std::set_difference(new_words.begin(), new_words.end(), old_words.begin(), old_words.end(),
                      std::back_inserter(added));
  for (std::string_view word : gone) RemoveWord(word, slot);
  for (std::string_view word : added) AddWord(word, slot);
}

std::size_t SearchIndex::PrefixWeight(std::string_view prefix) const {
  // Only an estimate for ordering: a short prefix of many distinct words
  // ("1" before every number) stops counting early and sorts last.
  constexpr std::size_t kMaxWordsCounted = 1024;
  std::size_t weight = 0, words = 0;
  for (auto it = postings_.LowerBound(prefix); it != postings_.end() && it.word().starts_with(prefix); ++it) {
    if (++words > kMaxWordsCounted) return std::numeric_limits<std::size_t>::max();
    weight += it.slots().size();
  }
  return weight;
}

void SearchIndex::KeepPrefixMatches(const std::vector<const std::string*>& prefixes, const TicketLookup& lookup,
                                    Bitmap* candidates) {
  std::vector<std::uint32_t> drop;
  candidates->ForEach([&](std::uint32_t slot) {
    const domain::Ticket* ticket = lookup(slot);
    if (ticket == nullptr) return drop.push_back(slot);
    std::string buffer;
    const std::vector<std::string_view> words = WordsOf(*ticket, &buffer);  // sorted
    for (const std::string* prefix : prefixes) {
      auto it = std::lower_bound(words.begin(), words.end(), std::string_view(*prefix));
      if (it == words.end() || !it->starts_with(*prefix)) return drop.push_back(slot);
    }
  });
  for (std::uint32_t slot : drop) candidates->Clear(slot);
}

std::optional<Bitmap> SearchIndex::Match(std::string_view query, std::uint32_t slot_count,
                                         const TicketLookup& lookup) const {
  std::vector<std::string> words = Tokenize(query);
  if (words.empty()) return std::nullopt;
  SortUnique(words);
  // A word that prefixes another query word adds no condition: whatever the
  // longer one matches, it matches too.
  std::vector<std::string> needed;
  for (std::size_t i = 0; i < words.size(); ++i)
    if (i + 1 == words.size() || !words[i + 1].starts_with(words[i])) needed.push_back(std::move(words[i]));

  // Most selective words first, so an empty intersection ends early.
  std::vector<std::pair<std::size_t, const std::string*>> order;
  order.reserve(needed.size());
  for (const std::string& word : needed) {
    const std::size_t weight = PrefixWeight(word);
    if (weight == 0) return Bitmap(slot_count);
    order.emplace_back(weight, &word);
  }
  std::sort(order.begin(), order.end());

  // Checking a candidate's own text costs about as much as this many postings.
  constexpr std::size_t kPostingsPerCheck = 16;
  std::optional<Bitmap> result;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto& [weight, word] = order[i];
    if (result && lookup && result->Count() <= weight / kPostingsPerCheck) {
      // The rest of the words are heavier still: check them on the few
      // candidates left.
      std::vector<const std::string*> rest;
      for (std::size_t j = i; j < order.size(); ++j) rest.push_back(order[j].second);
      KeepPrefixMatches(rest, lookup, &*result);
      break;
    }
    Bitmap matches(slot_count);
    for (auto it = postings_.LowerBound(*word); it != postings_.end() && it.word().starts_with(*word); ++it)
      it.slots().OrInto(matches);
    if (!result) {
      result = std::move(matches);
    } else {
      result->AndWith(matches);
    }
    if (result->Empty()) break;
  }
  return result;
}

}  // namespace ticketd::projections

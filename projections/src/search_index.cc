#include "search_index.h"

#include <algorithm>

namespace ticketd::projections {
namespace {

constexpr std::size_t kMaxWordBytes = 64;

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

// Lowercases ASCII and the Latin-1 capitals U+00C0..U+00DE (but U+00D7 x).
void FoldCase(std::string& word) {
  for (std::size_t i = 0; i < word.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(word[i]);
    if (c >= 'A' && c <= 'Z') {
      word[i] = static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < word.size()) {
      unsigned char next = static_cast<unsigned char>(word[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) word[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    }
  }
}

}  // namespace

std::vector<std::string> Tokenize(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) {
      std::string word(text.substr(start, std::min(i - start, kMaxWordBytes)));
      FoldCase(word);
      words.push_back(std::move(word));
    }
  }
  return words;
}

std::vector<std::string> SearchIndex::WordsOf(const domain::Ticket& ticket) {
  std::vector<std::string> words = Tokenize(ticket.subject);
  std::vector<std::string> more = Tokenize(ticket.description);
  words.insert(words.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

void SearchIndex::Add(const domain::Ticket& ticket) {
  for (std::string& word : WordsOf(ticket)) postings_[std::move(word)].insert(ticket.id);
}

void SearchIndex::Remove(const domain::Ticket& ticket) {
  for (const std::string& word : WordsOf(ticket)) {
    auto it = postings_.find(word);
    if (it == postings_.end()) continue;
    it->second.erase(ticket.id);
    if (it->second.empty()) postings_.erase(it);
  }
}

std::optional<SearchIndex::IdSet> SearchIndex::Match(std::string_view query) const {
  std::vector<std::string> words = Tokenize(query);
  if (words.empty()) return std::nullopt;
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  std::optional<IdSet> result;
  for (const std::string& word : words) {
    IdSet matches;
    for (auto it = postings_.lower_bound(word); it != postings_.end() && it->first.starts_with(word); ++it)
      matches.insert(it->second.begin(), it->second.end());
    if (!result) {
      result = std::move(matches);
    } else {
      IdSet both;
      const IdSet& small = matches.size() < result->size() ? matches : *result;
      const IdSet& large = matches.size() < result->size() ? *result : matches;
      for (const auto& id : small)
        if (large.contains(id)) both.insert(id);
      result = std::move(both);
    }
    if (result->empty()) break;
  }
  return result;
}

}  // namespace ticketd::projections

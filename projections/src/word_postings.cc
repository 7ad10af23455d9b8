#include "word_postings.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

namespace ticketd::projections {

WordPostings::Iterator& WordPostings::Iterator::operator++() {
  if (++index_ == owner_->chunks_[chunk_].size()) {
    ++chunk_;
    index_ = 0;
  }
  return *this;
}

WordPostings::Position WordPostings::Locate(std::string_view word) const {
  if (chunks_.empty()) return {};
  // The first chunk whose first word is greater; the word belongs to the one before.
  auto after =
      std::upper_bound(chunks_.begin(), chunks_.end(), word,
                       [this](std::string_view w, const auto& chunk) { return w < WordOf(chunk.front()); });
  const std::size_t chunk =
      after == chunks_.begin() ? 0 : static_cast<std::size_t>(after - chunks_.begin()) - 1;
  const std::vector<Entry>& entries = chunks_[chunk];
  auto it = std::lower_bound(entries.begin(), entries.end(), word,
                             [this](const Entry& e, std::string_view w) { return WordOf(e) < w; });
  return {chunk, static_cast<std::size_t>(it - entries.begin())};
}

WordPostings::Iterator WordPostings::LowerBound(std::string_view word) const {
  const Position at = Locate(word);
  if (chunks_.empty()) return end();
  if (at.index == chunks_[at.chunk].size()) return Iterator(this, at.chunk + 1, 0);
  return Iterator(this, at.chunk, at.index);
}

SlotSet* WordPostings::Find(std::string_view word) {
  const Position at = Locate(word);
  if (chunks_.empty() || at.index == chunks_[at.chunk].size()) return nullptr;
  Entry& e = chunks_[at.chunk][at.index];
  return WordOf(e) == word ? &e.slots : nullptr;
}

std::uint32_t WordPostings::Store(std::string_view word) {
  constexpr std::size_t kMaxArena = std::numeric_limits<std::uint32_t>::max();
  if (arena_.size() + word.size() > kMaxArena && dead_bytes_ > 0) CompactArena();
  if (arena_.size() + word.size() > kMaxArena)
    throw std::length_error("WordPostings: more than 4 GiB of words");
  const auto at = static_cast<std::uint32_t>(arena_.size());
  arena_.append(word);
  return at;
}

SlotSet& WordPostings::FindOrAdd(std::string_view word) {
  Position at = Locate(word);
  if (chunks_.empty()) {
    chunks_.emplace_back().reserve(kMaxChunk);
  } else if (at.index < chunks_[at.chunk].size() && WordOf(chunks_[at.chunk][at.index]) == word) {
    return chunks_[at.chunk][at.index].slots;
  }
  if (chunks_[at.chunk].size() == kMaxChunk) MakeRoom(&at);
  std::vector<Entry>& entries = chunks_[at.chunk];
  Entry added;
  added.at = Store(word);
  added.size = static_cast<std::uint32_t>(word.size());
  ++size_;
  return entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(at.index), std::move(added))->slots;
}

// Words often arrive in runs (numbers counting up), each just after the
// last: splitting in halves alone would leave most chunks half empty. A
// neighbour with room takes one entry first (as in a B*-tree); only when
// both are full does the chunk split.
void WordPostings::MakeRoom(Position* at) {
  std::vector<Entry>& full = chunks_[at->chunk];
  if (at->chunk > 0 && chunks_[at->chunk - 1].size() < kMaxChunk) {
    std::vector<Entry>& previous = chunks_[at->chunk - 1];
    if (at->index == 0) {  // the word itself goes last in the previous chunk
      at->chunk -= 1;
      at->index = previous.size();
      return;
    }
    previous.push_back(std::move(full.front()));
    full.erase(full.begin());
    at->index -= 1;
    return;
  }
  if (at->chunk + 1 < chunks_.size() && chunks_[at->chunk + 1].size() < kMaxChunk) {
    std::vector<Entry>& next = chunks_[at->chunk + 1];
    if (at->index == full.size()) {  // the word itself goes first in the next chunk
      at->chunk += 1;
      at->index = 0;
      return;
    }
    next.insert(next.begin(), std::move(full.back()));
    full.pop_back();
    return;
  }
  // Split in halves (each keeps room for kMaxChunk, so a chunk never
  // reallocates); the word goes into the half it belongs to.
  std::vector<Entry> upper;
  upper.reserve(kMaxChunk);
  const std::size_t half = kMaxChunk / 2;
  std::move(full.begin() + half, full.end(), std::back_inserter(upper));
  full.erase(full.begin() + half, full.end());
  chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(at->chunk) + 1, std::move(upper));
  if (at->index > half) {
    at->chunk += 1;
    at->index -= half;
  }
}

void WordPostings::Append(std::string_view word, SlotSet slots) {
  if (chunks_.empty() || chunks_.back().size() == kMaxChunk) chunks_.emplace_back().reserve(kMaxChunk);
  Entry added;
  added.at = Store(word);
  added.size = static_cast<std::uint32_t>(word.size());
  added.slots = std::move(slots);
  chunks_.back().push_back(std::move(added));
  ++size_;
}

void WordPostings::Erase(std::string_view word) {
  const Position at = Locate(word);
  if (chunks_.empty() || at.index == chunks_[at.chunk].size()) return;
  std::vector<Entry>& entries = chunks_[at.chunk];
  if (WordOf(entries[at.index]) != word) return;
  dead_bytes_ += entries[at.index].size;
  entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(at.index));
  if (entries.empty()) chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(at.chunk));
  --size_;
  constexpr std::size_t kMinCompaction = 4096;
  if (dead_bytes_ >= kMinCompaction && dead_bytes_ * 2 >= arena_.size()) CompactArena();
}

void WordPostings::CompactArena() {
  std::string live;
  live.reserve(arena_.size() - dead_bytes_);
  for (std::vector<Entry>& entries : chunks_) {
    for (Entry& e : entries) {
      const auto at = static_cast<std::uint32_t>(live.size());
      live.append(WordOf(e));
      e.at = at;
    }
  }
  arena_ = std::move(live);
  dead_bytes_ = 0;
}

std::size_t WordPostings::MemoryBytes() const {
  std::size_t bytes = chunks_.capacity() * sizeof(std::vector<Entry>) + arena_.capacity();
  for (const std::vector<Entry>& entries : chunks_) bytes += entries.capacity() * sizeof(Entry);
  return bytes;
}

}  // namespace ticketd::projections

// WordPostings: the full-text index's ordered map word -> postings (the
// slots of the tickets containing the word), compact. A std::map node per
// distinct word cost 88 bytes (96 in the allocator) plus the word's own
// allocation past 15 bytes, and most words are distinct numbers ("4242" in
// "printer issue 4242"): at a million tickets about half a million nodes
// (issue 12, RSS). Here an entry is 32 bytes (the word's offset and length
// in one shared byte arena, and its SlotSet) in sorted chunks, a one-level
// B+ tree like ChunkedSet: no allocation per word, an insert or erase moves
// at most kMaxChunk entries. The bytes of erased words stay in the arena
// until they are half of it, then the arena is rewritten from the live
// entries (amortised O(1) per erase).
//
// Not thread-safe: the owning partition's lock protects it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "slot_set.h"

namespace ticketd::projections {

class WordPostings {
  struct Entry {
    std::uint32_t at = 0;    // offset of the word in arena_
    std::uint32_t size = 0;  // its length in bytes
    SlotSet slots;
  };

 public:
  // A position in word order; invalidated by any change.
  class Iterator {
   public:
    std::string_view word() const { return owner_->WordOf(owner_->chunks_[chunk_][index_]); }
    const SlotSet& slots() const { return owner_->chunks_[chunk_][index_].slots; }
    Iterator& operator++();
    friend bool operator==(const Iterator& a, const Iterator& b) {
      return a.chunk_ == b.chunk_ && a.index_ == b.index_;
    }

   private:
    friend class WordPostings;
    Iterator(const WordPostings* owner, std::size_t chunk, std::size_t index)
        : owner_(owner), chunk_(chunk), index_(index) {}
    const WordPostings* owner_;
    std::size_t chunk_;
    std::size_t index_;
  };

  // The first word not less than `word` (end() if none).
  Iterator LowerBound(std::string_view word) const;
  Iterator begin() const { return Iterator(this, 0, 0); }
  Iterator end() const { return Iterator(this, chunks_.size(), 0); }

  // The postings of `word`, added empty if it is not in the map.
  SlotSet& FindOrAdd(std::string_view word);
  // The postings of `word`, or null.
  SlotSet* Find(std::string_view word);
  // Removes `word` (no-op if absent).
  void Erase(std::string_view word);
  // Adds a word after every word in the map (a restart fills an empty
  // index in word order): no search, chunks filled.
  void Append(std::string_view word, SlotSet slots);

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Heap bytes held (tests and benches).
  std::size_t MemoryBytes() const;

 private:
  static constexpr std::size_t kMaxChunk = 64;
  struct Position {
    std::size_t chunk = 0;
    std::size_t index = 0;
  };

  std::string_view WordOf(const Entry& e) const { return {arena_.data() + e.at, e.size}; }
  // Where `word` is or would go: its chunk (the last whose first word is
  // not greater, or 0) and its index in it.
  Position Locate(std::string_view word) const;
  // Makes room in the full chunk `at` points into; `at` follows the insert point.
  void MakeRoom(Position* at);
  std::uint32_t Store(std::string_view word);
  void CompactArena();

  std::vector<std::vector<Entry>> chunks_;  // each non-empty and sorted; ascending across chunks
  std::string arena_;
  std::size_t dead_bytes_ = 0;  // arena bytes of erased words
  std::size_t size_ = 0;
};

}  // namespace ticketd::projections

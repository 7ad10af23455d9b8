// ChunkedSet<T, Less>: an ordered set stored as a sequence of small sorted
// arrays (a one-level B+ tree). Compared with std::set it needs no node per
// element (a fraction of the memory), walks in order through contiguous
// memory, and an insert or erase moves at most kMaxChunk elements, so no
// single update stalls the writer. Positions are invalidated by any update.
//
// Less must order T strictly and may also compare a probe type P with T
// (less(P, T)) for UpperBound. Equivalent elements may be inserted (a
// multiset); Erase then removes one of them. Not thread-safe: the owner's lock protects it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <vector>

namespace ticketd::projections {

template <class T, class Less>
class ChunkedSet {
 public:
  struct Position {
    std::size_t chunk = 0;
    std::size_t index = 0;
  };

  explicit ChunkedSet(Less less = Less()) : less_(less) {}

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Bytes held by the chunks (memory accounting).
  std::size_t MemoryBytes() const {
    std::size_t bytes = chunks_.capacity() * sizeof(std::vector<T>);
    for (const auto& chunk : chunks_) bytes += chunk.capacity() * sizeof(T);
    return bytes;
  }

  // Replaces the contents with `sorted` (strictly ascending, no duplicates)
  // in O(n). Chunks are filled (no slack in memory); a chunk splits
  // on its first insert, so only chunks that take inserts carry slack.
  void AssignSorted(const std::vector<T>& sorted) {
    chunks_.clear();
    size_ = sorted.size();
    constexpr std::size_t kFill = kMaxChunk;
    for (std::size_t begin = 0; begin < sorted.size(); begin += kFill) {
      const std::size_t end = std::min(sorted.size(), begin + kFill);
      std::vector<T>& chunk = chunks_.emplace_back();
      chunk.reserve(kMaxChunk + 1);
      chunk.assign(sorted.begin() + static_cast<std::ptrdiff_t>(begin), sorted.begin() + static_cast<std::ptrdiff_t>(end));
    }
  }

  // Inserts `value` (after any equivalent elements' lower bound).
  void Insert(const T& value) {
    if (chunks_.empty()) {
      chunks_.emplace_back(1, value);  // chunks are never empty
      ++size_;
      return;
    }
    const std::size_t c = ChunkFor(value);
    std::vector<T>& chunk = chunks_[c];
    const auto at = chunk.insert(std::lower_bound(chunk.begin(), chunk.end(), value, less_), value);
    ++size_;
    if (chunk.size() > kMaxChunk) Overflow(c, static_cast<std::size_t>(at - chunk.begin()));
  }

  // Erases the element equivalent to `value`; false if there is none.
  bool Erase(const T& value) {
    if (chunks_.empty()) return false;
    const std::size_t c = ChunkFor(value);
    std::vector<T>& chunk = chunks_[c];
    auto it = std::lower_bound(chunk.begin(), chunk.end(), value, less_);
    if (it == chunk.end() || less_(value, *it)) return false;
    chunk.erase(it);
    --size_;
    if (chunk.empty()) {
      chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(c));
    } else if (chunk.size() < kMaxChunk / 4) {
      MergeSmall(c);
    }
    return true;
  }

  // Erases the elements at `ranks` (0-based, distinct, < size()) in one
  // pass over the chunks: O(chunks + ranks * kMaxChunk), no comparisons, so
  // it works even where elements' keys have changed since they were placed.
  void EraseRanks(std::vector<std::size_t> ranks) {
    std::sort(ranks.begin(), ranks.end());
    auto next = ranks.begin();
    std::size_t base = 0;
    for (std::vector<T>& chunk : chunks_) {
      if (next == ranks.end()) break;
      const std::size_t end = base + chunk.size();
      const auto stop = std::lower_bound(next, ranks.end(), end);
      for (auto it = stop; it != next;) {  // back to front: earlier indexes stay valid
        --it;
        chunk.erase(chunk.begin() + static_cast<std::ptrdiff_t>(*it - base));
      }
      size_ -= static_cast<std::size_t>(stop - next);
      next = stop;
      base = end;
    }
    chunks_.erase(std::remove_if(chunks_.begin(), chunks_.end(), [](const std::vector<T>& c) { return c.empty(); }),
                  chunks_.end());
  }

  Position Begin() const { return Position{}; }

  // The first element that `probe` sorts before.
  template <class P>
  Position UpperBound(const P& probe) const {
    auto chunk = std::partition_point(chunks_.begin(), chunks_.end(),
                                      [&](const std::vector<T>& c) { return !less_(probe, c.back()); });
    if (chunk == chunks_.end()) return Position{chunks_.size(), 0};
    auto it = std::partition_point(chunk->begin(), chunk->end(), [&](const T& v) { return !less_(probe, v); });
    return Position{static_cast<std::size_t>(chunk - chunks_.begin()), static_cast<std::size_t>(it - chunk->begin())};
  }

  // The element of rank `rank` (0-based, < size()): O(size() / chunk).
  const T& Nth(std::size_t rank) const {
    for (const auto& chunk : chunks_) {
      if (rank < chunk.size()) return chunk[rank];
      rank -= chunk.size();
    }
    return chunks_.back().back();  // unreachable for rank < size()
  }

  bool AtEnd(const Position& p) const { return p.chunk >= chunks_.size(); }
  const T& At(const Position& p) const { return chunks_[p.chunk][p.index]; }
  void Advance(Position& p) const {
    if (++p.index >= chunks_[p.chunk].size()) {
      ++p.chunk;
      p.index = 0;
    }
  }

  template <class Fn>
  void ForEach(Fn&& fn) const {
    for (const auto& chunk : chunks_)
      for (const T& v : chunk) fn(v);
  }

 private:
  static constexpr std::size_t kMaxChunk = 512;

  // The chunk whose range holds `value`: the first whose last element is not
  // before it, or the last chunk.
  std::size_t ChunkFor(const T& value) const {
    auto it = std::partition_point(chunks_.begin(), chunks_.end(),
                                   [&](const std::vector<T>& c) { return less_(c.back(), value); });
    if (it == chunks_.end()) --it;
    return static_cast<std::size_t>(it - chunks_.begin());
  }

  // Chunk c holds kMaxChunk + 1 elements after an insert at `inserted`.
  // Runs of inserts are common (a new ticket reaches the queue and the time
  // sorts at the end of its group, each just after the last), and halving
  // alone left every chunk behind such a run half full (issue 12, RSS). So:
  // at the very end of the set the new element starts a chunk of its own;
  // elsewhere a neighbour with room takes one element (as in a B*-tree);
  // only when both are full does the chunk split in halves.
  void Overflow(std::size_t c, std::size_t inserted) {
    std::vector<T>& full = chunks_[c];
    if (c + 1 == chunks_.size() && inserted + 1 == full.size()) return Split(c, inserted);
    if (c > 0 && chunks_[c - 1].size() < kMaxChunk) {
      chunks_[c - 1].push_back(full.front());
      full.erase(full.begin());
    } else if (c + 1 < chunks_.size() && chunks_[c + 1].size() < kMaxChunk) {
      chunks_[c + 1].insert(chunks_[c + 1].begin(), full.back());
      full.pop_back();
    } else {
      Split(c, full.size() / 2);
    }
  }

  // Chunk c's elements from `cut` on move to a new chunk after it. Both get
  // room for exactly kMaxChunk + 1 elements: a chunk then never
  // reallocates, and memory stays within 2x of the elements.
  void Split(std::size_t c, std::size_t cut) {
    std::vector<T> lower, upper;
    lower.reserve(kMaxChunk + 1);
    upper.reserve(kMaxChunk + 1);
    const std::vector<T>& full = chunks_[c];
    const auto middle = full.begin() + static_cast<std::ptrdiff_t>(cut);
    lower.assign(full.begin(), middle);
    upper.assign(middle, full.end());
    chunks_[c] = std::move(lower);
    chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(c) + 1, std::move(upper));
  }

  // Folds a small chunk into a neighbour that has room, so erasures do not
  // leave many near-empty chunks behind.
  void MergeSmall(std::size_t c) {
    auto merge_into_previous = [&](std::size_t second) {
      std::vector<T>& first = chunks_[second - 1];
      first.insert(first.end(), chunks_[second].begin(), chunks_[second].end());
      chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(second));
    };
    if (c > 0 && chunks_[c - 1].size() + chunks_[c].size() <= kMaxChunk) {
      merge_into_previous(c);
    } else if (c + 1 < chunks_.size() && chunks_[c].size() + chunks_[c + 1].size() <= kMaxChunk) {
      merge_into_previous(c + 1);
    }
  }

  std::vector<std::vector<T>> chunks_;
  std::size_t size_ = 0;
  Less less_;
};

}  // namespace ticketd::projections

// PagedVector<T>: an append-only array stored in fixed-size pages. Unlike
// std::vector it never copies everything to grow (no writer stall at a
// million tickets) and never holds twice the memory it needs; elements never
// move once a page is full. Not thread-safe: the owner's lock protects it.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace ticketd::projections {

template <class T>
class PagedVector {
 public:
  std::size_t size() const { return size_; }

  T& operator[](std::size_t i) { return pages_[i >> kPageBits][i & kPageMask]; }
  const T& operator[](std::size_t i) const { return pages_[i >> kPageBits][i & kPageMask]; }

  void push_back(T value) {
    if (pages_.empty() || pages_.back().size() == kPageSize) pages_.emplace_back();
    pages_.back().push_back(std::move(value));
    ++size_;
  }

 private:
  static constexpr std::size_t kPageBits = 14;
  static constexpr std::size_t kPageSize = std::size_t{1} << kPageBits;
  static constexpr std::size_t kPageMask = kPageSize - 1;

  std::vector<std::vector<T>> pages_;
  std::size_t size_ = 0;
};

}  // namespace ticketd::projections

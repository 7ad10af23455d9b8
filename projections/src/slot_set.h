// Sets of slots (a tenant's dense ticket numbering, see ticket_index.h).
//
// Bitmap: one bit per slot, grown on demand; for the small fixed-value
// fields (status, priority, type) and for query results.
// SlotSet: an adaptive set for high-cardinality fields and text postings:
// up to two slots inline (most words occur in one ticket), a sorted array
// while sparse, a bitmap once the array would be bigger than the bitmap.
// Iteration is always in ascending slot order, so scans touch the per-slot
// arrays front to back.
//
// Not thread-safe: the owning partition's lock protects them.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ticketd::projections {

class Bitmap {
 public:
  Bitmap() = default;
  explicit Bitmap(std::uint32_t slots) : words_((static_cast<std::size_t>(slots) + 63) / 64, 0) {}

  void Set(std::uint32_t slot);
  void Clear(std::uint32_t slot);
  bool Test(std::uint32_t slot) const {
    const std::size_t word = slot / 64;
    return word < words_.size() && ((words_[word] >> (slot % 64)) & 1) != 0;
  }
  std::size_t Count() const { return count_; }
  bool Empty() const { return count_ == 0; }

  // Keeps only the slots also in `other`.
  void AndWith(const Bitmap& other);
  // Sets every bit of `words` (a bitmap's words) in this one.
  void OrWords(const std::uint64_t* words, std::size_t n);
  void OrWith(const Bitmap& other) { OrWords(other.words_.data(), other.words_.size()); }

  template <class Fn>
  void ForEach(Fn&& fn) const {
    for (std::size_t w = 0; w < words_.size(); ++w) {
      for (std::uint64_t bits = words_[w]; bits != 0; bits &= bits - 1)
        fn(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
    }
  }

 private:
  void Recount();
  std::vector<std::uint64_t> words_;
  std::size_t count_ = 0;
};

class SlotSet {
 public:
  SlotSet() = default;
  ~SlotSet() { Release(); }
  SlotSet(SlotSet&& other) noexcept { Steal(other); }
  SlotSet& operator=(SlotSet&& other) noexcept;
  SlotSet(const SlotSet&) = delete;
  SlotSet& operator=(const SlotSet&) = delete;

  void Insert(std::uint32_t slot);  // no-op if present
  void Erase(std::uint32_t slot);   // no-op if absent
  bool Contains(std::uint32_t slot) const;
  std::uint32_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void OrInto(Bitmap& out) const;

  template <class Fn>
  void ForEach(Fn&& fn) const {
    if (mode_ == Mode::kDense) {
      for (std::uint32_t w = 0; w < capacity_; ++w) {
        for (std::uint64_t bits = dense_[w]; bits != 0; bits &= bits - 1)
          fn(w * 64 + static_cast<std::uint32_t>(std::countr_zero(bits)));
      }
      return;
    }
    const std::uint32_t* data = mode_ == Mode::kInline ? inline_ : sparse_;
    for (std::uint32_t i = 0; i < size_; ++i) fn(data[i]);
  }

 private:
  enum class Mode : std::uint8_t { kInline, kSparse, kDense };
  static constexpr std::uint32_t kInlineSlots = 2;

  void Release();
  void Steal(SlotSet& other);
  std::uint32_t* SparseData() { return mode_ == Mode::kInline ? inline_ : sparse_; }
  const std::uint32_t* SparseData() const { return mode_ == Mode::kInline ? inline_ : sparse_; }
  void InsertSparse(std::uint32_t slot);
  void EraseSparse(std::uint32_t slot);
  void ToDense(std::uint32_t min_words);
  void ToSparse();
  void GrowDense(std::uint32_t min_words);

  union {
    std::uint32_t inline_[kInlineSlots] = {};
    std::uint32_t* sparse_;  // sorted, capacity_ elements allocated
    std::uint64_t* dense_;   // capacity_ words
  };
  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = 0;
  Mode mode_ = Mode::kInline;
};

}  // namespace ticketd::projections

#include "slot_set.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace ticketd::projections {
namespace {

// A set switches to a bitmap once its array would need more bytes than the
// bitmap, and back once the array would need less than a quarter of them, so
// a set near the boundary does not flip back and forth.
constexpr std::uint32_t kMinDenseSize = 64;

bool WorthDense(std::uint32_t size, std::uint32_t words) {
  return size >= kMinDenseSize && std::uint64_t{size} * 4 > std::uint64_t{words} * 8;
}
bool WorthSparse(std::uint32_t size, std::uint32_t words) {
  return size < kMinDenseSize / 2 || std::uint64_t{size} * 4 * 4 < std::uint64_t{words} * 8;
}

template <class T>
T* Reallocate(T* old, std::size_t count) {
  void* p = std::realloc(old, count * sizeof(T));
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<T*>(p);
}

}  // namespace

// ---- Bitmap ----

void Bitmap::Set(std::uint32_t slot) {
  const std::size_t word = slot / 64;
  if (word >= words_.size()) words_.resize(std::max(word + 1, words_.size() + words_.size() / 2), 0);
  const std::uint64_t bit = std::uint64_t{1} << (slot % 64);
  if ((words_[word] & bit) == 0) {
    words_[word] |= bit;
    ++count_;
  }
}

void Bitmap::Clear(std::uint32_t slot) {
  const std::size_t word = slot / 64;
  if (word >= words_.size()) return;
  const std::uint64_t bit = std::uint64_t{1} << (slot % 64);
  if ((words_[word] & bit) != 0) {
    words_[word] &= ~bit;
    --count_;
  }
}

void Bitmap::AndWith(const Bitmap& other) {
  const std::size_t common = std::min(words_.size(), other.words_.size());
  for (std::size_t w = 0; w < common; ++w) words_[w] &= other.words_[w];
  std::fill(words_.begin() + static_cast<std::ptrdiff_t>(common), words_.end(), 0);
  Recount();
}

void Bitmap::OrWords(const std::uint64_t* words, std::size_t n) {
  if (n > words_.size()) words_.resize(n, 0);
  for (std::size_t w = 0; w < n; ++w) words_[w] |= words[w];
  Recount();
}

void Bitmap::Recount() {
  count_ = 0;
  for (std::uint64_t w : words_) count_ += static_cast<std::size_t>(std::popcount(w));
}

// ---- SlotSet ----

SlotSet& SlotSet::operator=(SlotSet&& other) noexcept {
  if (this != &other) {
    Release();
    Steal(other);
  }
  return *this;
}

void SlotSet::Release() {
  if (mode_ == Mode::kSparse) std::free(sparse_);
  if (mode_ == Mode::kDense) std::free(dense_);
  mode_ = Mode::kInline;
  size_ = capacity_ = 0;
}

void SlotSet::Steal(SlotSet& other) {
  std::memcpy(static_cast<void*>(inline_), static_cast<const void*>(other.inline_), sizeof(inline_));
  size_ = other.size_;
  capacity_ = other.capacity_;
  mode_ = other.mode_;
  other.mode_ = Mode::kInline;
  other.size_ = other.capacity_ = 0;
}

bool SlotSet::Contains(std::uint32_t slot) const {
  if (mode_ == Mode::kDense) {
    const std::uint32_t word = slot / 64;
    return word < capacity_ && ((dense_[word] >> (slot % 64)) & 1) != 0;
  }
  const std::uint32_t* data = SparseData();
  return std::binary_search(data, data + size_, slot);
}

void SlotSet::Insert(std::uint32_t slot) {
  if (mode_ == Mode::kDense) {
    const std::uint32_t word = slot / 64;
    if (word >= capacity_) {
      if (WorthSparse(size_ + 1, word + 1)) {
        ToSparse();
        InsertSparse(slot);
        return;
      }
      GrowDense(word + 1);
    }
    const std::uint64_t bit = std::uint64_t{1} << (slot % 64);
    if ((dense_[word] & bit) == 0) {
      dense_[word] |= bit;
      ++size_;
    }
    return;
  }
  InsertSparse(slot);
  const std::uint32_t* data = SparseData();
  const std::uint32_t words = data[size_ - 1] / 64 + 1;
  if (WorthDense(size_, words)) ToDense(words);
}

void SlotSet::Erase(std::uint32_t slot) {
  if (mode_ != Mode::kDense) {
    EraseSparse(slot);
    return;
  }
  const std::uint32_t word = slot / 64;
  if (word >= capacity_) return;
  const std::uint64_t bit = std::uint64_t{1} << (slot % 64);
  if ((dense_[word] & bit) == 0) return;
  dense_[word] &= ~bit;
  --size_;
  if (WorthSparse(size_, capacity_)) ToSparse();
}

void SlotSet::InsertSparse(std::uint32_t slot) {
  std::uint32_t* data = SparseData();
  // New tickets get the highest slot: appending is the common case.
  std::uint32_t pos = size_;
  if (size_ > 0 && data[size_ - 1] >= slot) {
    pos = static_cast<std::uint32_t>(std::lower_bound(data, data + size_, slot) - data);
    if (data[pos] == slot) return;
  }
  const std::uint32_t limit = mode_ == Mode::kInline ? kInlineSlots : capacity_;
  if (size_ == limit) {
    const std::uint32_t grown = std::max<std::uint32_t>(4, limit * 2);
    std::uint32_t* bigger = Reallocate<std::uint32_t>(mode_ == Mode::kSparse ? sparse_ : nullptr, grown);
    if (mode_ == Mode::kInline) std::memcpy(bigger, inline_, sizeof(std::uint32_t) * size_);
    sparse_ = bigger;
    capacity_ = grown;
    mode_ = Mode::kSparse;
    data = sparse_;
  }
  std::memmove(data + pos + 1, data + pos, sizeof(std::uint32_t) * (size_ - pos));
  data[pos] = slot;
  ++size_;
}

void SlotSet::EraseSparse(std::uint32_t slot) {
  std::uint32_t* data = SparseData();
  std::uint32_t* it = std::lower_bound(data, data + size_, slot);
  if (it == data + size_ || *it != slot) return;
  std::memmove(it, it + 1, sizeof(std::uint32_t) * static_cast<std::size_t>(data + size_ - it - 1));
  --size_;
  if (mode_ != Mode::kSparse) return;
  if (size_ <= kInlineSlots) {
    std::uint32_t* heap = sparse_;
    std::uint32_t keep[kInlineSlots] = {};
    std::memcpy(keep, heap, sizeof(std::uint32_t) * size_);
    std::free(heap);
    std::memcpy(inline_, keep, sizeof(keep));
    mode_ = Mode::kInline;
    capacity_ = 0;
  } else if (capacity_ > 16 && size_ < capacity_ / 4) {
    capacity_ = size_ * 2;
    sparse_ = Reallocate(sparse_, capacity_);
  }
}

void SlotSet::ToDense(std::uint32_t min_words) {
  const std::uint32_t words = std::max(min_words, min_words + min_words / 4);
  std::uint64_t* bits = static_cast<std::uint64_t*>(std::calloc(words, sizeof(std::uint64_t)));
  if (bits == nullptr) throw std::bad_alloc();
  const std::uint32_t* data = SparseData();
  for (std::uint32_t i = 0; i < size_; ++i) bits[data[i] / 64] |= std::uint64_t{1} << (data[i] % 64);
  if (mode_ == Mode::kSparse) std::free(sparse_);
  dense_ = bits;
  capacity_ = words;
  mode_ = Mode::kDense;
}

void SlotSet::ToSparse() {
  std::uint64_t* bits = dense_;
  const std::uint32_t words = capacity_;
  const std::uint32_t count = size_;
  mode_ = Mode::kInline;
  size_ = capacity_ = 0;
  if (count > kInlineSlots) {
    sparse_ = Reallocate<std::uint32_t>(nullptr, count * 2);
    capacity_ = count * 2;
    mode_ = Mode::kSparse;
  }
  std::uint32_t* data = SparseData();
  for (std::uint32_t w = 0; w < words; ++w) {
    for (std::uint64_t b = bits[w]; b != 0; b &= b - 1)
      data[size_++] = w * 64 + static_cast<std::uint32_t>(std::countr_zero(b));
  }
  std::free(bits);
}

void SlotSet::GrowDense(std::uint32_t min_words) {
  const std::uint32_t words = std::max(min_words, capacity_ + capacity_ / 2);
  dense_ = Reallocate(dense_, words);
  std::memset(dense_ + capacity_, 0, sizeof(std::uint64_t) * (words - capacity_));
  capacity_ = words;
}

void SlotSet::OrInto(Bitmap& out) const {
  if (mode_ == Mode::kDense) {
    out.OrWords(dense_, capacity_);
    return;
  }
  const std::uint32_t* data = SparseData();
  for (std::uint32_t i = 0; i < size_; ++i) out.Set(data[i]);
}

}  // namespace ticketd::projections

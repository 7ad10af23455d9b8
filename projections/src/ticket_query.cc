#include "ticket_query.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "query_filter.h"
#include "sort_key.h"

namespace ticketd::projections {
namespace {

// Up to this many candidates, one scan that counts and selects beats
// counting first and then walking the queue index.
constexpr std::size_t kSmallScan = 8192;

struct Candidate {
  SortKey key;
  std::uint32_t slot = 0;
};

// The total order of one sort over a tenant's slots (and cursors).
class Ordering {
 public:
  Ordering(const TicketIndex& index, const SortSpec& spec) : index_(index), spec_(spec) {}

  Candidate Make(std::uint32_t slot) const { return {KeyOf(index_.sort_row(slot), spec_), slot}; }

  bool Less(const Candidate& a, const Candidate& b) const {
    if (a.key != b.key) return a.key < b.key;
    return CompareTail(spec_, Subject(a.slot), Subject(b.slot), index_.id(a.slot), index_.id(b.slot)) < 0;
  }

  // True if `c` comes strictly after the cursor (always, without one).
  bool AfterCursor(const Candidate& c, const CursorKey* after) const {
    if (after == nullptr) return true;
    if (after->key != c.key) return after->key < c.key;
    return CompareTail(spec_, after->subject, Subject(c.slot), after->id, index_.id(c.slot)) < 0;
  }

  CursorKey CursorOf(std::uint32_t slot) const {
    return CursorKey{KeyOf(index_.sort_row(slot), spec_), index_.id(slot), std::string(Subject(slot))};
  }

 private:
  // Only the subject sort looks at ticket objects, and only on prefix ties.
  std::string_view Subject(std::uint32_t slot) const {
    return spec_.field == SortField::kSubject ? std::string_view(index_.ticket(slot)->subject)
                                              : std::string_view();
  }

  const TicketIndex& index_;
  SortSpec spec_;
};

// Keeps the k first candidates offered, in a buffer pruned with
// nth_element whenever it fills; once pruned, anything not before the
// current k-th is rejected with one comparison.
class TopK {
 public:
  TopK(const Ordering& order, std::size_t k) : order_(order), k_(k), cap_(std::max<std::size_t>(4 * k, 1024)) {
    buffer_.reserve(std::min<std::size_t>(cap_, 4096));
  }

  void Offer(const Candidate& c) {
    if (pruned_ && !order_.Less(c, threshold_)) return;
    buffer_.push_back(c);
    if (buffer_.size() >= cap_) Prune();
  }

  std::vector<std::uint32_t> TakeSlots() {
    auto less = [this](const Candidate& a, const Candidate& b) { return order_.Less(a, b); };
    const std::size_t keep = std::min(k_, buffer_.size());
    std::partial_sort(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(keep), buffer_.end(), less);
    std::vector<std::uint32_t> slots;
    slots.reserve(keep);
    for (std::size_t i = 0; i < keep; ++i) slots.push_back(buffer_[i].slot);
    return slots;
  }

 private:
  void Prune() {
    auto less = [this](const Candidate& a, const Candidate& b) { return order_.Less(a, b); };
    std::nth_element(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(k_ - 1), buffer_.end(), less);
    buffer_.resize(k_);
    threshold_ = buffer_[k_ - 1];
    pruned_ = true;
  }

  const Ordering& order_;
  const std::size_t k_;
  const std::size_t cap_;
  std::vector<Candidate> buffer_;
  Candidate threshold_;
  bool pruned_ = false;
};

class QueryRun {
 public:
  QueryRun(const TicketIndex& index, const TicketQuery& query, const SortSpec& spec, const CursorKey* after,
           TicketPage* page)
      : index_(index),
        spec_(spec),
        after_(after),
        page_(page),
        filter_(index, query),
        order_(index, spec),
        page_size_(std::min(query.page_size, index.live_count())) {}

  bool wants_sort_index() const { return wants_sort_index_; }

  void Run(QueryPlan plan) {
    if (filter_.MatchesNothing()) return;
    if (plan == QueryPlan::kBest) {
      if (spec_.field == SortField::kQueue ? RunQueue() : RunSorted()) return;
    }
    std::size_t source_size = 0;
    const FilterField source = filter_.SmallestSource(&source_size);
    CollectPage(source, /*count=*/true);
  }

 private:
  std::size_t want() const { return page_size_ + 1; }

  // Queue sort: the queue index covers status and priority filters.
  bool RunQueue() {
    const unsigned statuses = filter_.status_mask(), priorities = filter_.priority_mask();
    std::size_t in_groups = 0;
    for (int s = 0; s < QueueIndex::kStatuses; ++s)
      for (int p = 0; p < QueueIndex::kPriorities; ++p)
        if (((statuses >> s) & 1) && ((priorities >> p) & 1)) in_groups += index_.queue().GroupSize(s, p);
    return RunWalk(in_groups, !filter_.HasFilterBeyondStatusAndPriority(), [&](auto&& visit) {
      index_.queue().Walk(statuses, priorities, after_, visit);
    });
  }

  // Any other sort: its SortIndex covers status filters. Tenants small
  // enough to scan quickly never need one; while it is not built, the scan
  // answers and the caller has it built in the background.
  bool RunSorted() {
    if (index_.live_count() <= kSmallScan) return false;
    const SortIndex* found = index_.FindSortIndex(spec_);
    if (found == nullptr) {
      wants_sort_index_ = true;
      return false;
    }
    const SortIndex& sorted = *found;
    const unsigned statuses = filter_.status_mask();
    std::size_t in_groups = 0;
    for (int s = 0; s < SortIndex::kStatuses; ++s)
      if ((statuses >> s) & 1) in_groups += sorted.GroupSize(s);
    return RunWalk(in_groups, !filter_.HasFilterBeyondStatus(),
                   [&](auto&& visit) { sorted.Walk(statuses, after_, visit); });
  }

  // Pages by walking an ordered index whose selected groups hold `in_groups`
  // tickets; `exact` if every ticket there matches. True if the page is
  // done, false to fall back to a scan with counting.
  template <class Walk>
  bool RunWalk(std::size_t in_groups, bool exact, Walk&& walk) {
    std::vector<std::uint32_t> slots;
    if (exact) {
      page_->total = in_groups;
      walk([&](std::uint32_t slot) {
        slots.push_back(slot);
        return slots.size() < want();
      });
      FillPage(slots);
      return true;
    }
    std::size_t source_size = 0;
    const FilterField source = filter_.SmallestSource(&source_size);
    if (source_size <= kSmallScan) return false;
    // One filtered field: its set is exactly the matches.
    const std::size_t matches = filter_.filtered_fields() > 1 ? filter_.CountMatches() : source_size;
    page_->total = matches;
    if (matches == 0) return true;
    // Matches spread over the groups: a page needs about want() * in_groups
    // / matches steps. Walk if that beats scanning the candidates, and stop
    // at a budget in case the matches cluster at the end.
    const double expected = static_cast<double>(want()) * static_cast<double>(in_groups) / matches;
    if (expected > static_cast<double>(source_size)) {
      CollectPage(source, /*count=*/false);
      return true;
    }
    const auto budget = static_cast<std::size_t>(4 * expected) + 1024;
    std::size_t steps = 0;
    bool finished = true;
    walk([&](std::uint32_t slot) {
      if (++steps > budget) {
        finished = false;
        return false;
      }
      if (filter_.Matches(slot)) slots.push_back(slot);
      return slots.size() < want();
    });
    if (finished) {
      FillPage(slots);
    } else {
      CollectPage(source, /*count=*/false);
    }
    return true;
  }

  void CollectPage(FilterField source, bool count) {
    TopK top(order_, want());
    std::size_t matches = 0;
    filter_.ForEachCandidate(source, [&](std::uint32_t slot) {
      if (!filter_.Matches(slot)) return;
      ++matches;
      const Candidate c = order_.Make(slot);
      if (order_.AfterCursor(c, after_)) top.Offer(c);
    });
    if (count) page_->total = matches;
    FillPage(top.TakeSlots());
  }

  // `slots`: up to want() matches after the cursor, in order.
  void FillPage(const std::vector<std::uint32_t>& slots) {
    const std::size_t shown = std::min(slots.size(), page_size_);
    page_->items.reserve(shown);
    for (std::size_t i = 0; i < shown; ++i) page_->items.push_back(index_.ticket(slots[i]));
    if (page_size_ > 0 && slots.size() > page_size_)
      page_->next_cursor = EncodeCursor(spec_, order_.CursorOf(slots[page_size_ - 1]));
  }

  const TicketIndex& index_;
  const SortSpec spec_;
  const CursorKey* after_;
  TicketPage* page_;
  QueryFilter filter_;
  Ordering order_;
  const std::size_t page_size_;
  bool wants_sort_index_ = false;
};

}  // namespace

bool RunTicketQuery(const TicketIndex& index, const TicketQuery& query, const SortSpec& spec,
                    const CursorKey* after, TicketPage* page, QueryPlan plan) {
  QueryRun run(index, query, spec, after, page);
  run.Run(plan);
  return run.wants_sort_index();
}

}  // namespace ticketd::projections

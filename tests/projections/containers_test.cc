// The read model's containers against std::set: SlotSet through its inline,
// sparse and dense forms, Bitmap, ChunkedSet, IdSlotMap, PagedVector.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>

#include "chunked_set.h"
#include "id_slot_map.h"
#include "number_slots.h"
#include "paged_vector.h"
#include "slot_set.h"
#include "ticket_builders.h"
#include "word_postings.h"

namespace ticketd::projections::testing {
namespace {

unsigned Seed() {
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  return seed;
}

std::vector<std::uint32_t> Elements(const SlotSet& set) {
  std::vector<std::uint32_t> out;
  set.ForEach([&](std::uint32_t slot) { out.push_back(slot); });
  return out;
}

TEST(SlotSet, MatchesStdSetThroughEveryRepresentation) {
  std::mt19937 rng(Seed());
  for (int round = 0; round < 20; ++round) {
    SlotSet set;
    std::set<std::uint32_t> expected;
    const std::uint32_t universe = 1 + rng() % (round % 2 ? 200 : 100000);
    for (int op = 0; op < 20000; ++op) {
      // Phases that grow dense, then thin out to sparse, then inline.
      const bool insert = (op / 5000) % 2 == 0 ? rng() % 4 != 0 : rng() % 4 == 0;
      const std::uint32_t slot = rng() % universe;
      if (insert) {
        set.Insert(slot);
        expected.insert(slot);
      } else {
        set.Erase(slot);
        expected.erase(slot);
      }
      ASSERT_EQ(set.size(), expected.size());
      if (op % 997 == 0) {
        ASSERT_EQ(Elements(set), std::vector<std::uint32_t>(expected.begin(), expected.end()));
        for (int probe = 0; probe < 50; ++probe) {
          const std::uint32_t s = rng() % (universe + 64);
          ASSERT_EQ(set.Contains(s), expected.contains(s));
        }
      }
    }
    for (std::uint32_t s : std::vector<std::uint32_t>(expected.begin(), expected.end())) set.Erase(s);
    EXPECT_TRUE(set.empty());
    EXPECT_TRUE(Elements(set).empty());
  }
}

TEST(SlotSet, MovesAndMergesIntoBitmaps) {
  SlotSet a;
  for (std::uint32_t s = 0; s < 5000; s += 2) a.Insert(s);  // dense
  SlotSet b;
  b.Insert(7);  // inline
  SlotSet c;
  for (std::uint32_t s = 100000; s < 100010; ++s) c.Insert(s);  // sparse
  SlotSet moved = std::move(a);
  EXPECT_EQ(moved.size(), 2500u);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  Bitmap bits(1000);
  moved.OrInto(bits);
  b.OrInto(bits);
  c.OrInto(bits);
  EXPECT_EQ(bits.Count(), 2500u + 1 + 10);
  EXPECT_TRUE(bits.Test(7) && bits.Test(4998) && bits.Test(100009));
  EXPECT_FALSE(bits.Test(4999) || bits.Test(100010) || bits.Test(5000000));
  Bitmap evens(200000);
  for (std::uint32_t s = 0; s < 200000; s += 2) evens.Set(s);
  bits.AndWith(evens);
  EXPECT_EQ(bits.Count(), 2500u + 5);
  std::vector<std::uint32_t> listed;
  bits.ForEach([&](std::uint32_t s) { listed.push_back(s); });
  EXPECT_TRUE(std::is_sorted(listed.begin(), listed.end()));
  EXPECT_EQ(listed.size(), bits.Count());
  bits.Clear(7);
  bits.Clear(7);
  EXPECT_EQ(bits.Count(), 2505u);
}

struct IntLess {
  bool operator()(int a, int b) const { return a < b; }
};

TEST(ChunkedSet, MatchesStdSet) {
  std::mt19937 rng(Seed());
  ChunkedSet<int, IntLess> set;
  std::set<int> expected;
  for (int op = 0; op < 200000; ++op) {
    const int v = static_cast<int>(rng() % 20000);
    // Grow, then shrink, then grow again: chunks split and merge.
    const bool insert = (op / 50000) % 2 == 0 ? rng() % 3 != 0 : rng() % 3 == 0;
    if (insert) {
      if (expected.insert(v).second) set.Insert(v);
    } else {
      EXPECT_EQ(set.Erase(v), expected.erase(v) == 1);
    }
    ASSERT_EQ(set.size(), expected.size());
    if (op % 9973 == 0) {
      std::vector<int> got;
      set.ForEach([&](int x) { got.push_back(x); });
      ASSERT_EQ(got, std::vector<int>(expected.begin(), expected.end()));
      for (int probe = -1; probe < 20001; probe += 397) {
        auto pos = set.UpperBound(probe);
        auto it = expected.upper_bound(probe);
        for (int k = 0; k < 3 && it != expected.end(); ++k, ++it) {
          ASSERT_FALSE(set.AtEnd(pos));
          ASSERT_EQ(set.At(pos), *it);
          set.Advance(pos);
        }
        if (it == expected.end()) {
          EXPECT_TRUE(set.AtEnd(pos));
        }
      }
    }
  }
}

// New tickets reach the queue and the time sorts at the end of their group:
// runs of inserts, each just after the last, at the end of the set and in
// its middle. The chunks they pass stay (nearly) full: halving alone left
// them half full, twice the memory.
TEST(ChunkedSet, RunsOfInsertsKeepChunksFull) {
  ChunkedSet<int, IntLess> set;
  std::multiset<int> expected;
  auto insert = [&](int v) {
    set.Insert(v);
    expected.insert(v);
  };
  for (int v = 0; v < 40000; v += 4) insert(v);              // appends at the end
  for (int group = 0; group < 4; ++group)                    // four runs in the middle
    for (int v = group * 10000 + 1; v < group * 10000 + 8000; v += 4) insert(v);
  for (int v = 40000; v < 60000; v += 2) insert(v % 3 == 0 ? v : 39999);  // more at the end, with duplicates
  std::vector<int> got;
  set.ForEach([&](int x) { got.push_back(x); });
  ASSERT_EQ(got, std::vector<int>(expected.begin(), expected.end()));
  EXPECT_LT(set.MemoryBytes(), expected.size() * sizeof(int) * 23 / 20);  // within 15% of the elements
}

// As a multiset (the analytics' durations): duplicates, erase of one copy,
// ranks; and a bulk load continuing with inserts and erases.
// Erasing by rank after inserts and erasures (uneven chunks), then the set
// still orders and finds like the vector it mirrors.
TEST(ChunkedSet, EraseRanksRemovesExactlyThoseRanks) {
  std::mt19937 rng(Seed());
  ChunkedSet<int, IntLess> set;
  std::vector<int> initial;
  for (int v = 0; v < 20000; v += 2) initial.push_back(v);
  set.AssignSorted(initial);
  std::set<int> mirror(initial.begin(), initial.end());
  for (int op = 0; op < 3000; ++op) {
    const int v = static_cast<int>(rng() % 20000);
    if (rng() % 2 ? mirror.insert(v).second : false) set.Insert(v);
  }
  std::vector<int> expected(mirror.begin(), mirror.end());
  std::vector<std::size_t> ranks;
  for (std::size_t r = 0; r < expected.size(); ++r)
    if (rng() % 7 == 0 || r < 600) ranks.push_back(r);  // a whole chunk and scattered ones
  std::vector<int> kept;
  for (std::size_t r = 0, k = 0; r < expected.size(); ++r)
    if (k < ranks.size() && ranks[k] == r) ++k;
    else kept.push_back(expected[r]);
  std::shuffle(ranks.begin(), ranks.end(), rng);
  set.EraseRanks(ranks);
  ASSERT_EQ(set.size(), kept.size());
  std::vector<int> walked;
  set.ForEach([&](int v) { walked.push_back(v); });
  EXPECT_EQ(walked, kept);
  set.Insert(1);  // still a valid set: inserts land in order
  EXPECT_TRUE(set.Erase(1));
}

TEST(ChunkedSet, MatchesStdMultisetWithRanks) {
  std::mt19937 rng(Seed());
  ChunkedSet<int, IntLess> set;
  std::vector<int> initial;
  for (int v = 0; v < 3000; v += 2) initial.push_back(v);
  set.AssignSorted(initial);
  std::multiset<int> expected(initial.begin(), initial.end());
  for (int op = 0; op < 100000; ++op) {
    const int v = static_cast<int>(rng() % 3000);  // many duplicates
    if (rng() % 5 < 3) {
      set.Insert(v);
      expected.insert(v);
    } else {
      auto it = expected.find(v);
      EXPECT_EQ(set.Erase(v), it != expected.end());
      if (it != expected.end()) expected.erase(it);
    }
    ASSERT_EQ(set.size(), expected.size());
    if (op % 4999 == 0 && !expected.empty()) {
      std::vector<int> sorted(expected.begin(), expected.end());
      for (std::size_t rank = 0; rank < sorted.size(); rank += 1 + sorted.size() / 50)
        ASSERT_EQ(set.Nth(rank), sorted[rank]) << rank;
      ASSERT_EQ(set.Nth(sorted.size() - 1), sorted.back());
    }
  }
}

TEST(IdSlotMap, FindsEveryIdThroughGrowth) {
  PagedVector<domain::Id> ids;
  IdSlotMap map(&ids);
  EXPECT_FALSE(map.Find(Tid(1)).has_value());
  for (std::uint32_t n = 0; n < 50000; ++n) {
    ids.push_back(Tid(n * 7919));
    map.Insert(n);
  }
  EXPECT_EQ(map.size(), 50000u);
  for (std::uint32_t n = 0; n < 50000; ++n) {
    std::optional<std::uint32_t> slot = map.Find(Tid(n * 7919));
    ASSERT_TRUE(slot.has_value());
    ASSERT_EQ(*slot, n);
  }
  EXPECT_FALSE(map.Find(Tid(1)).has_value());
  EXPECT_FALSE(map.Find(Tid(7919, 2)).has_value());
}

TEST(PagedVector, IndexesAcrossPages) {
  PagedVector<std::uint64_t> v;
  for (std::uint64_t i = 0; i < 100000; ++i) v.push_back(i * 3);
  ASSERT_EQ(v.size(), 100000u);
  const std::uint64_t* first = &v[0];
  for (std::uint64_t i = 100000; i < 140000; ++i) v.push_back(i * 3);
  EXPECT_EQ(first, &v[0]) << "full pages never move";
  for (std::uint64_t i = 0; i < 140000; i += 7) ASSERT_EQ(v[i], i * 3);
  v[16384] = 1;
  EXPECT_EQ(v[16384], 1u);
}

}  // namespace
}  // namespace ticketd::projections::testing

namespace ticketd::projections {
namespace {

TEST(NumberSlots, FindsDenseGappedFarAndNegativeNumbers) {
  NumberSlots slots;
  for (std::uint32_t n = 1; n <= 40000; ++n) slots.Insert(n, n + 7);
  slots.Insert(50000, 1);                     // a gap: filled with "none"
  slots.Insert(std::int64_t{1} << 40, 2);     // far beyond: the map
  slots.Insert(-3, 3);
  slots.Insert(5, 99);                        // numbers never move
  EXPECT_EQ(slots.Find(1), 8u);
  EXPECT_EQ(slots.Find(40000), 40007u);
  EXPECT_EQ(slots.Find(5), 12u);
  EXPECT_EQ(slots.Find(50000), 1u);
  EXPECT_EQ(slots.Find(std::int64_t{1} << 40), 2u);
  EXPECT_EQ(slots.Find(-3), 3u);
  EXPECT_FALSE(slots.Find(0).has_value());
  EXPECT_FALSE(slots.Find(45000).has_value());
  EXPECT_FALSE(slots.Find(50001).has_value());
  EXPECT_FALSE(slots.Find((std::int64_t{1} << 40) + 1).has_value());
}

}  // namespace
}  // namespace ticketd::projections

namespace ticketd::projections::testing {
namespace {

using WordReference = std::map<std::string, std::set<std::uint32_t>>;

// Every word in order with its slots, and LowerBound of `probes`, as the reference has them.
void ExpectSameAs(const WordPostings& words, const WordReference& expected,
                  const std::vector<std::string>& probes) {
  ASSERT_EQ(words.size(), expected.size());
  auto ref = expected.begin();
  for (auto it = words.begin(); it != words.end(); ++it, ++ref) {
    ASSERT_NE(ref, expected.end());
    ASSERT_EQ(it.word(), ref->first);
    std::vector<std::uint32_t> slots;
    it.slots().ForEach([&](std::uint32_t slot) { slots.push_back(slot); });
    ASSERT_EQ(slots, std::vector<std::uint32_t>(ref->second.begin(), ref->second.end())) << ref->first;
  }
  EXPECT_EQ(ref, expected.end());
  for (const std::string& probe : probes) {
    auto it = words.LowerBound(probe);
    auto want = expected.lower_bound(probe);
    if (want == expected.end()) {
      EXPECT_TRUE(it == words.end()) << probe;
    } else {
      ASSERT_FALSE(it == words.end()) << probe;
      EXPECT_EQ(it.word(), want->first) << probe;
    }
  }
}

TEST(WordPostings, MatchesAnOrderedMapThroughSplitsErasesAndArenaCompaction) {
  std::mt19937 rng(Seed());
  // Numbers (the bulk of real words), a few letters, and words past 15 bytes.
  auto random_word = [&] {
    switch (rng() % 4) {
      case 0: return std::string(1, static_cast<char>('a' + rng() % 6));
      case 1: return "word" + std::to_string(rng() % 50) + std::string(rng() % 20, 'x');
      default: return std::to_string(rng() % 3000);
    }
  };
  WordPostings words;
  WordReference expected;
  std::vector<std::string> probes = {"", "0", "9", "a", "zz", "word", "\xff"};
  for (int round = 0; round < 6; ++round) {
    // Growing rounds, then shrinking ones (erasing most words compacts the arena).
    const bool grow = round < 3;
    for (int op = 0; op < 6000; ++op) {
      const std::string word = random_word();
      const std::uint32_t slot = rng() % 40;
      if (grow ? rng() % 4 != 0 : rng() % 5 == 0) {
        words.FindOrAdd(word).Insert(slot);
        expected[word].insert(slot);
      } else if (SlotSet* slots = words.Find(word)) {
        ASSERT_TRUE(expected.count(word)) << word;
        // Shrinking rounds drop whole words; growing ones one slot.
        for (std::uint32_t s = 0; s < 40; ++s) {
          if (grow && s != slot) continue;
          slots->Erase(s);
          expected[word].erase(s);
        }
        if (slots->empty()) {
          words.Erase(word);
          expected.erase(word);
        }
      } else {
        EXPECT_FALSE(expected.count(word)) << word;
        words.Erase(word);  // absent: a no-op
      }
      if (op % 1000 == 0) probes.push_back(random_word());
    }
    ExpectSameAs(words, expected, probes);
  }
  EXPECT_LT(expected.size(), 2000u);  // the shrinking rounds did erase (and compact)
}

TEST(WordPostings, AppendFillsInOrderThenTakesInserts) {
  WordPostings words;
  WordReference expected;
  for (int n = 1000; n < 1300; ++n) {  // ascending as strings too
    SlotSet slots;
    slots.Insert(static_cast<std::uint32_t>(n));
    words.Append(std::to_string(n), std::move(slots));
    expected[std::to_string(n)].insert(static_cast<std::uint32_t>(n));
  }
  for (const char* word : {"0", "1150x", "5", "1299", "12"}) {
    words.FindOrAdd(word).Insert(7);
    expected[word].insert(7);
  }
  ExpectSameAs(words, expected, {"", "1", "11", "1150", "13", "6"});
  // Chunks filled by Append hold kMaxChunk entries: far less than a map node each.
  EXPECT_LT(words.MemoryBytes(), expected.size() * 64);
}

// Numbers counting up arrive in runs (each word just after the last):
// neighbours take the overflow before a chunk splits, so chunks stay nearly
// full (halving alone left them half empty: ~62 B per word).
TEST(WordPostings, CountingRunsFillTheirChunks) {
  WordPostings words;
  WordReference expected;
  for (std::uint32_t n = 1; n <= 20000; ++n) {
    for (const std::string& word : {std::to_string(n % 2 + 1), std::to_string((n + 1) / 2)}) {
      words.FindOrAdd(word).Insert(n);
      expected[word].insert(n);
    }
  }
  ExpectSameAs(words, expected, {"1", "5", "9999", "10000", "10001", "2"});
  EXPECT_LT(words.MemoryBytes(), words.size() * 44);  // 32-byte entries + the word bytes
}

}  // namespace
}  // namespace ticketd::projections::testing

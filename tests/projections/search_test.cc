#include <gtest/gtest.h>

#include <random>

#include "search_index.h"
#include "ticket_builders.h"

namespace ticketd::projections::testing {
namespace {

TEST(Tokenize, SplitsOnNonWordBytesAndFoldsCase) {
  EXPECT_EQ(Tokenize("Printer-JAM on 3rd floor!"),
            (std::vector<std::string>{"printer", "jam", "on", "3rd", "floor"}));
  EXPECT_EQ(Tokenize("DRÜCKER kaputt"), (std::vector<std::string>{"drücker", "kaputt"}));
  EXPECT_EQ(Tokenize("プリンタ 故障"), (std::vector<std::string>{"プリンタ", "故障"}));
  EXPECT_TRUE(Tokenize("%*'; --").empty());
  EXPECT_EQ(Tokenize(std::string(100, 'a'))[0].size(), 64u);
}

TEST(SearchIndex, EveryWordMustPrefixMatch) {
  SearchIndex index;
  domain::Ticket a = MakeTicket(1);
  a.subject = "Printer jams";
  a.description = "Drücker im 3. Stock";
  domain::Ticket b = MakeTicket(2);
  b.subject = "Print server down";
  index.Add(a);
  index.Add(b);
  EXPECT_EQ(index.Match("print")->size(), 2u);
  EXPECT_EQ(index.Match("PRINT jam")->size(), 1u);
  EXPECT_EQ(index.Match("drück")->size(), 1u);
  EXPECT_EQ(index.Match("DRÜCKER")->size(), 1u);
  EXPECT_TRUE(index.Match("printer server")->empty());
  EXPECT_FALSE(index.Match("*** %%").has_value());
  index.Remove(a);
  EXPECT_EQ(index.Match("print")->size(), 1u);
  EXPECT_TRUE(index.Match("jam")->empty());
}

TEST(SearchIndex, HostileQueriesAreHarmless) {
  SearchIndex index;
  index.Add(MakeTicket(1));
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  for (int i = 0; i < 2000; ++i) {
    std::string q(rng() % 5000, '\0');
    for (char& c : q) c = static_cast<char>(rng());
    (void)index.Match(q);
  }
  EXPECT_EQ(index.Match(std::string("tick\0 1", 7))->size(), 1u);  // NUL separates words
  EXPECT_TRUE(index.Match(std::string("tick\0et", 7))->empty());
}

}  // namespace
}  // namespace ticketd::projections::testing

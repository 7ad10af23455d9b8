// Full-text search: tokenizing, case folding, prefixes, AND of words, UTF-8,
// hostile input, and re-indexing on update and removal.
#include <gtest/gtest.h>

#include <random>

#include "reference_query.h"
#include "search_index.h"

namespace ticketd::projections::testing {
namespace {

using Words = std::vector<std::string>;

TEST(Tokenize, SplitsOnNonWordBytesAndFoldsCase) {
  EXPECT_EQ(Tokenize("Printer-JAM on 3rd floor!"), (Words{"printer", "jam", "on", "3rd", "floor"}));
  EXPECT_EQ(Tokenize("DRÜCKER kaputt"), (Words{"drücker", "kaputt"}));
  EXPECT_EQ(Tokenize("ÀÉÎÕÜÞ"), (Words{"àéîõüþ"}));
  EXPECT_EQ(Tokenize("a×b"), (Words{"a×b"})) << "U+00D7 is not a letter to fold, but stays in the word";
  EXPECT_EQ(Tokenize("プリンタ 故障"), (Words{"プリンタ", "故障"}));
  EXPECT_EQ(Tokenize("x_y.z@w"), (Words{"x", "y", "z", "w"}));
  EXPECT_TRUE(Tokenize("%*'; --").empty());
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_EQ(Tokenize(std::string("a\0b", 3)), (Words{"a", "b"}));
  EXPECT_EQ(Tokenize(std::string(100, 'A')), (Words{std::string(64, 'a')})) << "cut at 64 bytes";
  EXPECT_EQ(Tokenize("\xc3"), (Words{"\xc3"})) << "a cut UTF-8 sequence is still just bytes";
}

class SearchTest : public ::testing::Test {
 protected:
  void Add(std::uint32_t n, std::string subject, std::string description = "") {
    domain::Ticket t = MakeTicket(n);
    t.subject = std::move(subject);
    t.description = std::move(description);
    model_.Upsert(Ptr(t));
  }
  std::vector<std::int64_t> Find(const std::string& text) {
    TicketQuery q;
    q.text = text;
    q.sort = {SortField::kNumber};
    q.page_size = 200;
    TicketPage page;
    Status s = model_.Query(kTenantA, q, &page);
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(page.total, page.items.size());
    std::vector<std::int64_t> out;
    for (const auto& t : page.items) out.push_back(t->number);
    return out;
  }
  TicketReadModel model_;
};

using Numbers = std::vector<std::int64_t>;

TEST_F(SearchTest, CaseInsensitivePrefixAndEveryWordMustMatch) {
  Add(1, "Printer jams", "Drücker im 3. Stock");
  Add(2, "Print server down");
  Add(3, "VPN", "printer driver after VPN update");
  EXPECT_EQ(Find("print"), (Numbers{1, 2, 3}));
  EXPECT_EQ(Find("PRINTER"), (Numbers{1, 3}));
  EXPECT_EQ(Find("PRINT jam"), (Numbers{1}));
  EXPECT_EQ(Find("printer server"), Numbers{});
  EXPECT_EQ(Find("vpn printer"), (Numbers{3})) << "words of subject and description combine";
  EXPECT_EQ(Find("p d"), (Numbers{1, 2, 3}));
  EXPECT_EQ(Find("stock 3"), (Numbers{1}));
  EXPECT_EQ(Find("printers"), Numbers{}) << "the query word must prefix a word, not the reverse";
  EXPECT_EQ(Find("rinter"), Numbers{}) << "prefixes only, not infixes";
}

TEST_F(SearchTest, Utf8WordsAndLatin1Folding) {
  Add(1, "Drücker kaputt");
  Add(2, "DRÜCKER im Flur");
  Add(3, "プリンタが壊れた", "故障 プリンタ");
  Add(4, "Ärger mit Öl");
  EXPECT_EQ(Find("drücker"), (Numbers{1, 2}));
  EXPECT_EQ(Find("DRÜCK"), (Numbers{1, 2}));
  EXPECT_EQ(Find("dru"), Numbers{}) << "ü is not u";
  EXPECT_EQ(Find("プリンタ"), (Numbers{3}));
  EXPECT_EQ(Find("プリ"), (Numbers{3})) << "byte prefix of a UTF-8 word";
  EXPECT_EQ(Find("故障"), (Numbers{3}));
  EXPECT_EQ(Find("ärger öl"), (Numbers{4}));
}

TEST_F(SearchTest, QueriesWithoutWordsFilterNothing) {
  Add(1, "one");
  Add(2, "two");
  for (const char* q : {"", "*", "%", "  ", "'; -- /* */", "\"\"", "!!!"})
    EXPECT_EQ(Find(q), (Numbers{1, 2})) << q;
}

TEST_F(SearchTest, HostileInputIsHarmless) {
  Add(1, "ticket one", std::string("nul\0inside", 10));
  Add(2, std::string(5000, 'x'), std::string("\xff\xfe\x80 invalid utf8 \xc3"));
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  for (int i = 0; i < 300; ++i) {
    std::string q(rng() % 5000, '\0');
    for (char& c : q) c = static_cast<char>(rng());
    TicketQuery query;
    query.text = q;
    TicketPage page;
    ASSERT_TRUE(model_.Query(kTenantA, query, &page).ok());
    EXPECT_LE(page.total, 2u);
  }
  EXPECT_EQ(Find(std::string("tick\0 1", 7)), Numbers{}) << "NUL separates words; '1' is not a word here";
  EXPECT_EQ(Find(std::string("tick\0one", 8)), (Numbers{1}));
  EXPECT_EQ(Find("inside nul"), (Numbers{1}));
  EXPECT_EQ(Find(std::string(5000, 'X')), (Numbers{2})) << "a 5000-char word matches as its 64-byte cut";
  EXPECT_EQ(Find("invalid \xff"), (Numbers{2}));
  EXPECT_EQ(Find("%_%"), (Numbers{1, 2}));
  EXPECT_EQ(Find("x* OR 1=1"), Numbers{});
}

TEST_F(SearchTest, UpdatesReindexTheTextAndRemoveDropsIt) {
  Add(1, "printer broken", "third floor");
  Add(2, "printer fixed");
  EXPECT_EQ(Find("printer"), (Numbers{1, 2}));
  Add(1, "laptop broken", "third floor");  // same ticket, new subject
  EXPECT_EQ(Find("printer"), (Numbers{2}));
  EXPECT_EQ(Find("laptop"), (Numbers{1}));
  EXPECT_EQ(Find("broken third"), (Numbers{1})) << "unchanged words stay";
  Add(1, "laptop broken", "");
  EXPECT_EQ(Find("third"), Numbers{});
  model_.Remove(kTenantA, Tid(1));
  EXPECT_EQ(Find("laptop"), Numbers{});
  EXPECT_EQ(Find("broken"), Numbers{});
  model_.Remove(kTenantA, Tid(2));
  EXPECT_EQ(Find("printer"), Numbers{});
}

TEST(SearchIndex, DropsWordsNoTicketHasAnyMore) {
  SearchIndex index;
  domain::Ticket a = MakeTicket(1);
  a.subject = "alpha beta";
  index.Add(0, a);
  EXPECT_EQ(index.WordCount(), 2u);
  domain::Ticket b = a;
  b.subject = "beta gamma";
  index.Update(0, a, b);
  EXPECT_EQ(index.WordCount(), 2u);
  EXPECT_TRUE(index.Match("alpha", 1)->Empty());
  EXPECT_EQ(index.Match("gam beta", 1)->Count(), 1u);
  index.Remove(0, b);
  EXPECT_EQ(index.WordCount(), 0u);
  EXPECT_FALSE(index.Match("", 1).has_value());
  EXPECT_FALSE(index.Match("***", 1).has_value());
}

// A short number word ("1" in "1-7") prefixes hundreds of postings: once
// "7" has left few candidates, Match checks "1" on their own text. The
// answer must be the same as OR-ing every posting "1" prefixes.
TEST(SearchIndex, ChecksAHeavyPrefixOnTheFewCandidatesLeft) {
  SearchIndex index;
  std::vector<domain::Ticket> tickets;
  for (std::uint32_t n = 1; n <= 600; ++n) {
    domain::Ticket t = MakeTicket(n);
    t.subject = "issue " + std::to_string(n % 3) + "-" + std::to_string(n);
    tickets.push_back(t);
  }
  for (std::uint32_t slot = 0; slot < tickets.size(); ++slot) index.Add(slot, tickets[slot]);
  auto lookup = [&](std::uint32_t slot) { return slot < tickets.size() ? &tickets[slot] : nullptr; };
  const auto slots = static_cast<std::uint32_t>(tickets.size());
  for (const char* query : {"1-7", "1-70", "2-7", "0-59", "1-599", "issue 1-5", "1 7 issue"}) {
    std::optional<Bitmap> checked = index.Match(query, slots, lookup);
    std::optional<Bitmap> ored = index.Match(query, slots);
    ASSERT_TRUE(checked && ored) << query;
    std::vector<std::uint32_t> a, b;
    checked->ForEach([&](std::uint32_t slot) { a.push_back(slot); });
    ored->ForEach([&](std::uint32_t slot) { b.push_back(slot); });
    EXPECT_EQ(a, b) << query;
  }
  // Ticket n sits in slot n-1; "7" prefixes 7 and 70..79, of which those
  // with n % 3 == 1 also have the word "1".
  std::vector<std::uint32_t> seven;
  index.Match("1-7", slots, lookup)->ForEach([&](std::uint32_t slot) { seven.push_back(slot); });
  EXPECT_EQ(seven, (std::vector<std::uint32_t>{6, 69, 72, 75, 78}));
}

// Many tickets sharing words (postings switch to bitmaps) and many distinct
// words (inline postings), checked against the reference matcher.
TEST(SearchIndex, LargePostingsMatchTheReference) {
  TicketReadModel model;
  std::vector<domain::Ticket> tickets;
  const char* words[] = {"printer", "print", "vpn", "laptop", "lap", "wifi"};
  for (std::uint32_t n = 1; n <= 5000; ++n) {
    domain::Ticket t = MakeTicket(n);
    t.subject = std::string(words[n % 6]) + " " + words[(n / 6) % 6] + " case" + std::to_string(n % 997);
    tickets.push_back(t);
    model.Upsert(Ptr(t));
  }
  for (const char* text : {"print", "printer lap", "case99", "case9 vpn", "lap laptop", "wifi print case1"}) {
    TicketQuery q;
    q.text = text;
    q.page_size = 200;
    std::size_t total = 0;
    std::vector<TicketPtr> got = WalkAllPages(model, kTenantA, q, &total);
    std::vector<domain::Ticket> expected = ReferenceQuery(tickets, q);
    EXPECT_EQ(total, expected.size()) << text;
    EXPECT_EQ(IdsOf(got), IdsOf(expected)) << text;
  }
}

}  // namespace
}  // namespace ticketd::projections::testing

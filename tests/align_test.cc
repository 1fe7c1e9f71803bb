#include "neardup/align.h"

#include <catch2/catch.hpp>

#include "test_data.h"

namespace {
// Every paragraph of both sides appears in exactly one step, in order.
void CheckCoversInOrder(const neardup::Alignment& al) {
  uint32_t next_a = 0, next_b = 0;
  for (const auto& p : al.pairs) {
    CHECK((!p.a.empty() || !p.b.empty()));
    for (uint32_t i : p.a) CHECK(i == next_a++);
    for (uint32_t j : p.b) CHECK(j == next_b++);
  }
  CHECK(next_a == al.paragraphs_a.size());
  CHECK(next_b == al.paragraphs_b.size());
}
}  // namespace

TEST_CASE("every paragraph of the French seed aligns with its Italian counterpart", "[align][seeds]") {
  const auto seeds = neardup::testing::SeedArticles();
  const auto al = neardup::AlignParagraphs(seeds[0], "fr", seeds[1], "it");
  REQUIRE(al.ok());
  REQUIRE(al->paragraphs_a.size() == 11);
  REQUIRE(al->paragraphs_b.size() == 11);
  REQUIRE(al->pairs.size() == 11);
  for (uint32_t i = 0; i < 11; ++i) {
    CHECK(al->pairs[i].a == std::vector<uint32_t>{i});
    CHECK(al->pairs[i].b == std::vector<uint32_t>{i});
  }
  CHECK(std::find(al->pairs[1].shared_anchors.begin(), al->pairs[1].shared_anchors.end(), "jensen huang") !=
        al->pairs[1].shared_anchors.end());
  CheckCoversInOrder(*al);
}

TEST_CASE("an added byline and a dropped paragraph become 0-1 and 1-0 steps", "[align]") {
  const auto seeds = neardup::testing::SeedArticles();
  const auto paragraphs = neardup::SplitParagraphs(seeds[1]);
  std::string edited = "Di Mario Rossi, corrispondente da Milano per la nostra agenzia di stampa internazionale\n";
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    if (i == 6) continue;  // drop "Crediti immagine: Google"'s neighbour
    edited += seeds[1].substr(paragraphs[i].begin, paragraphs[i].end - paragraphs[i].begin) + "\n";
  }
  const auto al = neardup::AlignParagraphs(seeds[0], "fr", edited, "it");
  REQUIRE(al.ok());
  CheckCoversInOrder(*al);
  REQUIRE(al->pairs.size() >= 2);
  CHECK(al->pairs[0].a.empty());  // the byline has no French counterpart
  CHECK(al->pairs[0].b == std::vector<uint32_t>{0});
  bool dropped_found = false;
  for (const auto& p : al->pairs) dropped_found |= (p.a == std::vector<uint32_t>{6} && p.b.empty());
  CHECK(dropped_found);
}

TEST_CASE("paragraphs are the trimmed non-blank lines", "[align]") {
  const auto p = neardup::SplitParagraphs("  one \n\n\t two\r\n   \nthree");
  REQUIRE(p.size() == 3);
  CHECK(p[0].begin == 2);
  CHECK(p[0].end == 5);
  CHECK(p[2].end == 24);
}

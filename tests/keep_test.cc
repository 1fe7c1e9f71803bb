// What to keep of each group of copies (index/keep.h, Deduplicator::Duplicates): the chosen
// drops checked against the rule's properties on random graphs, by brute force over the links,
// and on the cases the rule exists for (a chain, languages, translations, removals).

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include "index/keep.h"
#include "neardup/dedup.h"

namespace {

using neardup::KeepPolicy;
using neardup::MatchKind;
using neardup::internal::ChooseDrops;
using neardup::internal::Drop;
using neardup::internal::Link;
using neardup::internal::LinkGraph;

struct Graph {
  LinkGraph links;
  std::vector<uint64_t> sizes;
  std::vector<std::string> languages;
  std::vector<bool> live;

  explicit Graph(size_t n) : sizes(n, 100), languages(n, "en"), live(n, true) {
    for (size_t i = 0; i < n; ++i) links.AddDocument();
  }
  void Link(uint32_t a, uint32_t b, MatchKind kind, double score) {
    links.Add(neardup::internal::Link{score, score, score, a, b, kind, true});
  }
  std::vector<Drop> Drops(KeepPolicy keep) const {
    return ChooseDrops(
        links, keep, [&](uint32_t s) { return static_cast<bool>(live[s]); }, [&](uint32_t s) { return sizes[s]; },
        [&](uint64_t s) { return std::string_view(languages[s]); });
  }
  // Whether a live copy link in one language joins x and y, read from the links directly.
  bool Copies(uint32_t x, uint32_t y) const {
    for (uint32_t i = 0; i < links.size(); ++i) {
      const neardup::internal::Link& l = links[i];
      if (l.alive && l.kind != MatchKind::kTranslation && live[l.a] && live[l.b] && languages[l.a] == languages[l.b] &&
          ((l.a == x && l.b == y) || (l.a == y && l.b == x))) {
        return true;
      }
    }
    return false;
  }
};

std::vector<uint32_t> Dropped(const std::vector<Drop>& drops) {
  std::vector<uint32_t> out;
  for (const Drop& d : drops) out.push_back(d.dropped);
  return out;
}

}  // namespace

TEST_CASE("keep: a chain keeps its ends, not one member for all", "[keep]") {
  // 0 ~ 1 ~ 2, with 0 and 2 apart: keeping 0 drops 1, and 2, which copies only 1, stays.
  Graph g(3);
  g.Link(0, 1, MatchKind::kNear, 0.9);
  g.Link(1, 2, MatchKind::kNear, 0.9);
  CHECK(Dropped(g.Drops(KeepPolicy::kFirst)) == std::vector<uint32_t>{1});
  // The middle one is the longest: it alone stays, both ends naming it.
  g.sizes = {100, 300, 200};
  const std::vector<Drop> drops = g.Drops(KeepPolicy::kLongest);
  REQUIRE(Dropped(drops) == std::vector<uint32_t>{0, 2});
  CHECK(drops[0].kept == 1);
  CHECK(drops[1].kept == 1);
}

TEST_CASE("keep: longest keeps the larger side of a contained pair; ties go to the first", "[keep]") {
  Graph g(3);
  g.sizes = {50, 400, 400};
  g.Link(0, 1, MatchKind::kContained, 0.95);
  g.Link(1, 2, MatchKind::kNear, 0.9);
  const std::vector<Drop> drops = g.Drops(KeepPolicy::kLongest);
  REQUIRE(Dropped(drops) == std::vector<uint32_t>{0, 2});
  CHECK(drops[0].kept == 1);
  CHECK(g.links[drops[0].link].kind == MatchKind::kContained);
  CHECK(Dropped(g.Drops(KeepPolicy::kFirst)) == std::vector<uint32_t>{1});
}

TEST_CASE("keep: copies in another language, translations and removed documents are never drops", "[keep]") {
  Graph g(5);
  g.languages = {"fr", "it", "fr", "fr", "fr"};
  g.Link(0, 1, MatchKind::kNear, 0.9);         // a copy across languages (a wrong language tag, say)
  g.Link(0, 2, MatchKind::kTranslation, 0.9);  // not a copy
  g.Link(0, 3, MatchKind::kNear, 0.9);
  g.live[3] = false;                           // removed: its links do not count
  CHECK(g.Drops(KeepPolicy::kFirst).empty());
  g.Link(2, 4, MatchKind::kNear, 0.85);
  CHECK(Dropped(g.Drops(KeepPolicy::kFirst)) == std::vector<uint32_t>{4});
}

TEST_CASE("keep: the dropped document names its best kept copy", "[keep]") {
  // 3 copies both 0 and 1 (themselves apart): near before contained, then the higher score.
  Graph g(4);
  g.sizes = {200, 200, 200, 100};
  g.Link(0, 3, MatchKind::kContained, 0.99);
  g.Link(1, 3, MatchKind::kNear, 0.85);
  g.Link(2, 3, MatchKind::kNear, 0.95);
  for (KeepPolicy keep : {KeepPolicy::kFirst, KeepPolicy::kLongest}) {
    const std::vector<Drop> drops = g.Drops(keep);
    REQUIRE(drops.size() == 1);
    CHECK(drops[0].dropped == 3);
    CHECK(drops[0].kept == 2);
  }
}

TEST_CASE("keep: random graphs: kept documents are never copies, every drop names a kept copy", "[keep]") {
  std::mt19937 rng(20261204);
  for (int round = 0; round < 300; ++round) {
    const uint32_t n = 2 + rng() % 40;
    Graph g(n);
    for (uint32_t i = 0; i < n; ++i) {
      g.sizes[i] = 10 + rng() % 5;  // few sizes: ties are common
      g.languages[i] = rng() % 4 == 0 ? "de" : "en";
      g.live[i] = rng() % 10 != 0;
    }
    const int links = static_cast<int>(rng() % (3 * n));
    for (int k = 0; k < links; ++k) {
      const uint32_t a = rng() % n, b = rng() % n;
      if (a == b) continue;
      const MatchKind kind = static_cast<MatchKind>(rng() % 3);
      g.Link(std::min(a, b), std::max(a, b), kind, 0.8 + 0.01 * (rng() % 20));
      if (rng() % 8 == 0) g.links.Retract(static_cast<uint32_t>(g.links.size() - 1));
    }
    for (KeepPolicy keep : {KeepPolicy::kFirst, KeepPolicy::kLongest}) {
      const std::vector<Drop> drops = g.Drops(keep);
      std::set<uint32_t> dropped;
      for (const Drop& d : drops) dropped.insert(d.dropped);
      REQUIRE(dropped.size() == drops.size());
      // Preference: longest first (the first added among equals), or the first added.
      const auto before = [&](uint32_t x, uint32_t y) {
        if (keep == KeepPolicy::kLongest && g.sizes[x] != g.sizes[y]) return g.sizes[x] > g.sizes[y];
        return x < y;
      };
      for (const Drop& d : drops) {
        INFO("round " << round << ", dropped " << d.dropped << ", kept " << d.kept);
        CHECK(g.live[d.dropped]);
        CHECK(!dropped.count(d.kept));            // names a kept document...
        CHECK(g.Copies(d.dropped, d.kept));       // ...that it copies, directly
        CHECK(before(d.kept, d.dropped));         // ...and that the policy prefers
        const Link& l = g.links[d.link];
        CHECK(((l.a == d.dropped && l.b == d.kept) || (l.a == d.kept && l.b == d.dropped)));
      }
      for (uint32_t x = 0; x < n; ++x) {
        for (uint32_t y = x + 1; y < n; ++y) {
          if (!g.live[x] || !g.live[y] || dropped.count(x) || dropped.count(y)) continue;
          INFO("round " << round << ": kept " << x << " and " << y);
          CHECK(!g.Copies(x, y));  // no two kept documents are copies
        }
      }
      // Maximal: a dropped document's preferred copies that are kept exist (checked above);
      // and a document is dropped only if such a copy exists, so nothing is dropped in vain.
      std::vector<uint32_t> expect_kept;
      for (uint32_t x = 0; x < n; ++x) {
        if (g.live[x] && !dropped.count(x)) expect_kept.push_back(x);
      }
      for (uint32_t x : dropped) {
        bool has_kept_copy = false;
        for (uint32_t y : expect_kept) has_kept_copy |= g.Copies(x, y);
        CHECK(has_kept_copy);
      }
    }
  }
}

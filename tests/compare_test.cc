// Compare (compare.h): the one recipe of `neardup compare`, `align` and Python's compare gives
// the verdict a Deduplicator fed both documents reaches, and exact figures from the sets.

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "neardup/compare.h"
#include "neardup/dedup.h"
#include "neardup/fingerprint.h"
#include "reference/reference.h"
#include "test_data.h"

TEST_CASE("Compare gives the Deduplicator's verdict and the exact Jaccard of the shingle sets", "[compare]") {
  const std::vector<std::string> seeds = neardup::testing::SeedArticles();
  REQUIRE(seeds.size() == 5);
  // The French seed and its Italian translation; two French articles on one event; a
  // document and a trimmed copy of itself.
  const std::string trimmed = seeds[2].substr(0, seeds[2].size() * 3 / 4);
  const std::pair<std::string, std::string> pairs[] = {{seeds[0], seeds[1]}, {seeds[2], seeds[3]}, {seeds[2], trimmed}};
  for (const auto& [a, b] : pairs) {
    absl::StatusOr<neardup::Comparison> c = neardup::Compare(a, b);
    REQUIRE(c.ok());
    // The same verdict as a collection that holds a and is asked about b.
    absl::StatusOr<neardup::Deduplicator> dedup = neardup::Deduplicator::Create();
    REQUIRE(dedup->Add("a", a).ok());
    absl::StatusOr<neardup::Fingerprint> fb = dedup->fingerprinter().Compute(b);
    REQUIRE(fb.ok());
    absl::StatusOr<neardup::Verdict> v = dedup->Explain(*fb, "a");
    REQUIRE(v.ok());
    CHECK(c->verdict.linked == v->linked);
    CHECK(c->verdict.kind == v->kind);
    CHECK(c->verdict.score == v->score);
    // Exact Jaccard by the slow reference over the same sets.
    const auto set_a = dedup->fingerprinter().ShingleSet(a), set_b = dedup->fingerprinter().ShingleSet(b);
    const std::set<uint64_t> sa(set_a->begin(), set_a->end()), sb(set_b->begin(), set_b->end());
    CHECK(c->exact_jaccard == Approx(neardup::reference::Jaccard(sa, sb)).margin(1e-12));
    CHECK(c->a.shingles == set_a->size());
    CHECK(c->b.shingles == set_b->size());
    CHECK(!c->a.anchor_keys.empty());
  }
  absl::StatusOr<neardup::Comparison> translation = neardup::Compare(seeds[0], seeds[1]);
  CHECK(translation->verdict.linked);
  CHECK(translation->verdict.kind == neardup::MatchKind::kTranslation);
  CHECK(translation->a.fingerprint.language == "fr");
  CHECK(translation->b.fingerprint.language == "it");
  absl::StatusOr<neardup::Comparison> same_event = neardup::Compare(seeds[2], seeds[3]);
  CHECK(!same_event->verdict.linked);
  absl::StatusOr<neardup::Comparison> copy = neardup::Compare(seeds[2], trimmed);
  CHECK(copy->verdict.linked);
  // The trimmed copy is three quarters of the text: its shingles are almost all in the whole.
  CHECK(copy->exact_containment > 0.95);
}

TEST_CASE("Compare names the side an error concerns", "[compare]") {
  const std::string text = "a few words to compare with each other here";
  CHECK(std::string(neardup::Compare("bad \xff byte", text).status().message()).rfind("a: ", 0) == 0);
  CHECK(neardup::Compare(text, " ... ").status().message() == "b: no words to compare");
  neardup::DedupOptions bad;
  bad.lsh.threshold = 2;
  CHECK(neardup::Compare(text, text, bad).status().message() == "threshold must be in (0, 1], got 2");
}

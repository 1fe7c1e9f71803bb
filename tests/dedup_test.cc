#include "neardup/dedup.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "reference/reference.h"
#include "reference/wire_copy.h"
#include "test_data.h"

using neardup::Deduplicator;

namespace {
absl::StatusOr<Deduplicator> WithThreshold(double threshold) {
  neardup::DedupOptions options;
  options.lsh.threshold = threshold;
  return Deduplicator::Create(options);
}
}  // namespace

TEST_CASE("among the seeds only 000/001 are linked, as a translation", "[dedup][seeds]") {
  auto dedup = Deduplicator::Create();
  REQUIRE(dedup.ok());
  const auto seeds = neardup::testing::SeedArticles();
  REQUIRE(seeds.size() == 5);
  for (size_t i = 0; i < seeds.size(); ++i) {
    const auto matches = dedup->Add("seed" + std::to_string(i), seeds[i]);
    REQUIRE(matches.ok());
    if (i == 1) {
      REQUIRE(matches->size() == 1);
      CHECK(matches->front().id == "seed0");
      CHECK(matches->front().kind == neardup::MatchKind::kTranslation);
    } else {
      CHECK(matches->empty());
    }
  }
  const auto clusters = dedup->Clusters();
  REQUIRE(clusters.size() == 1);
  CHECK(clusters[0].members == std::vector<std::string>{"seed0", "seed1"});
}

TEST_CASE("generated wire copy: recall and precision against exact Jaccard", "[dedup][wire]") {
  // Each seed article is syndicated 12 times with random edits. A pair is a true copy when both
  // documents come from the same article; exact Jaccard comes from the string reference.
  const auto seeds = neardup::testing::SeedArticles();
  neardup::reference::Rng rng(2024);
  std::vector<std::string> texts;
  std::vector<size_t> origin;
  for (size_t s = 0; s < seeds.size(); ++s) {
    texts.push_back(seeds[s]);
    origin.push_back(s);
    for (int c = 0; c < 12; ++c) {
      texts.push_back(neardup::reference::MakeWireCopy(seeds[s], neardup::reference::RandomEdits(rng), rng));
      origin.push_back(s);
    }
  }
  std::vector<std::set<std::string>> shingles;
  for (const auto& t : texts) shingles.push_back(neardup::reference::WordShingles(t, 5));

  auto dedup = Deduplicator::Create();
  REQUIRE(dedup.ok());
  std::set<std::pair<size_t, size_t>> reported;
  size_t translations = 0, wrong_translations = 0;
  std::ostringstream wrong;
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto matches = dedup->Add(std::to_string(i), texts[i]);
    REQUIRE(matches.ok());
    for (const auto& m : *matches) {
      const size_t j = std::stoul(m.id);
      if (m.kind != neardup::MatchKind::kTranslation) {  // near, or contained (a trimmed copy)
        reported.emplace(j, i);
      } else {
        // Copies of 000 (French) and of 001 (its Italian translation) are translations.
        ++translations;
        if (!((origin[i] == 0 && origin[j] == 1) || (origin[i] == 1 && origin[j] == 0))) {
          ++wrong_translations;
          wrong << " " << j << "(seed " << origin[j] << ")-" << i << "(seed " << origin[i] << ") " << m.score;
        }
      }
    }
  }
  INFO("wrong translations:" << wrong.str());
  CHECK(wrong_translations == 0);
  INFO("translation links " << translations);
  const auto truth = neardup::reference::BruteForcePairs(texts.size(), 0.85, [&](size_t i, size_t j) {
    return neardup::reference::Jaccard(shingles[i], shingles[j]);
  });
  size_t found = 0;
  for (const auto& pair : truth) found += reported.count(pair);
  size_t true_copies = 0;
  for (const auto& [i, j] : reported) true_copies += origin[i] == origin[j];
  INFO("pairs with J >= 0.85: " << truth.size() << ", found " << found << "; reported " << reported.size()
                                << ", true copies " << true_copies);
  REQUIRE(truth.size() >= 20);
  // The bar: 95% recall at J >= 0.85 and 98% precision. With k = 128 an estimate of a
  // pair at J = 0.85 falls under 0.8 with probability Phi(-0.05/0.0316) = 6%, and most pairs
  // here are well above 0.85.
  CHECK(found >= 0.95 * truth.size());
  CHECK(true_copies >= 0.98 * reported.size());
}

TEST_CASE("clusters are joined transitively, a family of copies around its most linked member", "[dedup]") {
  auto dedup = WithThreshold(0.5);
  const std::string base = neardup::testing::SeedArticles()[2];
  neardup::reference::Rng rng(9);
  neardup::reference::WireCopyEdits light;
  light.word_edit_rate = 0.01;
  REQUIRE(dedup->Add("other", neardup::testing::SeedArticles()[4]).ok());
  REQUIRE(dedup->Add("original", base).ok());
  REQUIRE(dedup->Add("copy1", neardup::reference::MakeWireCopy(base, light, rng)).ok());
  REQUIRE(dedup->Add("copy2", neardup::reference::MakeWireCopy(base, light, rng)).ok());
  auto clusters = dedup->Clusters();
  REQUIRE(clusters.size() == 1);
  // Every copy is linked to the two others: equal degrees, the first added is canonical, and
  // the others hold to it directly.
  CHECK(clusters[0].canonical == "original");
  CHECK(clusters[0].members == std::vector<std::string>{"original", "copy1", "copy2"});
  CHECK(clusters[0].hops == std::vector<uint32_t>{0, 1, 1});
  REQUIRE(clusters[0].scores.size() == 3);
  CHECK(clusters[0].scores[0] == 0);
  CHECK(clusters[0].scores[1] > 0.9);  // 1% of words edited: J about 0.95
  REQUIRE(dedup->Remove("original").ok());
  clusters = dedup->Clusters();
  REQUIRE(clusters.size() == 1);
  CHECK(clusters[0].canonical == "copy1");
  CHECK(dedup->Remove("original").code() == absl::StatusCode::kNotFound);
}

namespace {
// Text of `count` paragraphs of the pool, from `first`: documents that share paragraphs.
std::string Paragraphs(const std::vector<std::string>& pool, size_t first, size_t count) {
  std::string text;
  for (size_t p = first; p < first + count; ++p) text.append(pool[p % pool.size()]).append("\n\n");
  return text;
}
}  // namespace

TEST_CASE("clusters name the most linked member and each member's hops and direct score, as a "
          "breadth-first search over Pairs() does", "[dedup]") {
  // A chain (each document shares two of its three paragraphs with the next: J = 2/4 at the
  // 0.4 threshold, 2.3 sigma above it at k = 128; 1/5 two steps apart) and families of copies
  // hanging off it.
  neardup::reference::Rng rng(17);
  std::vector<std::string> pool;
  for (int p = 0; p < 60; ++p) {
    std::string paragraph;
    for (int w = 0; w < 60; ++w) paragraph.append("w").append(std::to_string(rng.Below(50000))).append(" ");
    pool.push_back(paragraph);
  }
  auto dedup = WithThreshold(0.4);
  REQUIRE(dedup.ok());
  neardup::reference::WireCopyEdits light;
  light.word_edit_rate = 0.01;
  std::vector<std::string> ids;
  for (size_t i = 0; i < 40; ++i) {
    ids.push_back("chain" + std::to_string(i));
    const std::string text = Paragraphs(pool, i, 3);
    REQUIRE(dedup->Add(ids.back(), text).ok());
    for (uint64_t c = 0; i % 10 == 4 && c < 4; ++c) {  // a star of four copies
      ids.push_back(std::string("copy").append(std::to_string(i)).append("_").append(std::to_string(c)));
      REQUIRE(dedup->Add(ids.back(), neardup::reference::MakeWireCopy(text, light, rng)).ok());
    }
  }
  // The reference, from the pairs alone: components, degrees, breadth-first hops.
  std::map<std::string, std::vector<std::pair<std::string, double>>> adjacent;
  for (const neardup::Pair& p : dedup->Pairs()) {
    adjacent[p.id_a].push_back({p.id_b, p.score});
    adjacent[p.id_b].push_back({p.id_a, p.score});
  }
  std::map<std::string, size_t> order;
  for (size_t i = 0; i < ids.size(); ++i) order[ids[i]] = i;
  std::set<std::string> seen;
  std::vector<neardup::Cluster> expected;
  for (const std::string& start : ids) {
    if (seen.count(start) || !adjacent.count(start)) continue;
    std::vector<std::string> component{start};
    seen.insert(start);
    for (size_t k = 0; k < component.size(); ++k) {
      for (const auto& [other, score] : adjacent[component[k]]) {
        if (seen.insert(other).second) component.push_back(other);
      }
    }
    std::sort(component.begin(), component.end(), [&](const auto& x, const auto& y) { return order[x] < order[y]; });
    std::string canonical = component.front();
    for (const std::string& member : component) {
      if (adjacent[member].size() > adjacent[canonical].size()) canonical = member;
    }
    std::map<std::string, uint32_t> hops{{canonical, 0}};
    std::vector<std::string> queue{canonical};
    for (size_t k = 0; k < queue.size(); ++k) {
      for (const auto& [other, score] : adjacent[queue[k]]) {
        if (hops.emplace(other, hops[queue[k]] + 1).second) queue.push_back(other);
      }
    }
    neardup::Cluster c;
    c.canonical = canonical;
    std::vector<std::string> members{canonical};
    for (const std::string& member : component) {
      if (member != canonical) members.push_back(member);
    }
    for (const std::string& member : members) {
      double direct = 0;
      for (const auto& [other, score] : adjacent[canonical]) {
        if (other == member) direct = std::max(direct, score);
      }
      c.members.push_back(member), c.hops.push_back(hops.at(member)), c.scores.push_back(direct);
    }
    expected.push_back(c);
  }
  const std::vector<neardup::Cluster> got = dedup->Clusters();
  REQUIRE(got.size() == expected.size());
  uint32_t most_hops = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].canonical == expected[i].canonical);
    CHECK(got[i].members == expected[i].members);
    CHECK(got[i].hops == expected[i].hops);
    CHECK(got[i].scores == expected[i].scores);
    for (uint32_t h : got[i].hops) most_hops = std::max(most_hops, h);
  }
  // The data made what the test is about: a chain (members several links from the centre),
  // and a star's centre as canonical rather than the chain's first document.
  CHECK(most_hops >= 5);
  CHECK(got.front().canonical != "chain0");
}

TEST_CASE("matches report similarity and containment of trimmed copies", "[dedup]") {
  auto dedup = WithThreshold(0.5);
  const std::string full = neardup::testing::SeedArticles()[2];
  const std::string trimmed = full.substr(0, full.size() * 2 / 3);
  REQUIRE(dedup->Add("full", full).ok());
  const auto matches = dedup->Query(trimmed);
  REQUIRE(matches.ok());
  REQUIRE(matches->size() == 1);
  CHECK(matches->front().id == "full");
  CHECK(matches->front().kind == neardup::MatchKind::kNear);
  // All of the trimmed copy is in the full text: containment 1 (estimate within ~0.1).
  CHECK(matches->front().containment == Approx(1.0).margin(0.1));
  CHECK(dedup->size() == 1);  // Query does not add
}

TEST_CASE("bad documents are refused with a reason and nothing is half-added", "[dedup]") {
  auto dedup = Deduplicator::Create();
  CHECK(dedup->Add("empty", "").status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(dedup->Add("punct", " ... !!! ").status().code() == absl::StatusCode::kInvalidArgument);
  const auto bad = dedup->Add("bad", "caf\xC3\xA9 \xFF");
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(bad.status().message()).find("at byte 6") != std::string::npos);
  CHECK(dedup->size() == 0);
  REQUIRE(dedup->Add("a", "some words here").ok());
  CHECK(dedup->Add("a", "other words").status().code() == absl::StatusCode::kAlreadyExists);
  CHECK(dedup->size() == 1);
}

TEST_CASE("a trimmed copy is reported as contained, and copies of a translation share its slot", "[dedup]") {
  auto dedup = Deduplicator::Create();
  REQUIRE(dedup.ok());
  const auto seeds = neardup::testing::SeedArticles();
  REQUIRE(dedup->Add("fr", seeds[0], "fr").ok());
  const auto it = dedup->Add("it", seeds[1], "it");
  REQUIRE(it.ok());
  REQUIRE(it->size() == 1);
  CHECK(it->front().kind == neardup::MatchKind::kTranslation);
  // The Italian story again, with a byline: a near copy, and so a translation of the French.
  const std::string bylined = "Di Mario Rossi\n" + seeds[1];
  const auto copy = dedup->Add("it-bylined", bylined, "it");
  REQUIRE(copy.ok());
  std::map<std::string, neardup::MatchKind> kinds;
  for (const auto& m : *copy) kinds[m.id] = m.kind;
  REQUIRE(kinds.count("it") == 1);
  CHECK(kinds["it"] == neardup::MatchKind::kNear);
  // The French original has one translation per language, copies of one text counting as
  // one: the copy is linked too, and the first link is not retracted.
  REQUIRE(kinds.count("fr") == 1);
  CHECK(kinds["fr"] == neardup::MatchKind::kTranslation);
  size_t live_translations = 0;
  for (const auto& p : dedup->Pairs()) live_translations += p.kind == neardup::MatchKind::kTranslation;
  CHECK(live_translations == 2);
  // A regional paper keeps the first two thirds of the Italian story under its own headline:
  // contained in it (not a translation of the whole French story: half its length).
  std::string trimmed = "Notizie in breve\n";
  size_t lines = 0, end = 0;
  for (char c : seeds[1]) lines += c == '\n';
  for (size_t kept = 0; end < seeds[1].size() && kept < lines * 2 / 3; ++end) kept += seeds[1][end] == '\n';
  trimmed += seeds[1].substr(0, end);
  const auto part = dedup->Add("it-trimmed", trimmed, "it");
  REQUIRE(part.ok());
  kinds.clear();
  for (const auto& m : *part) kinds[m.id] = m.kind;
  REQUIRE(kinds.count("it") == 1);
  CHECK(kinds["it"] == neardup::MatchKind::kContained);
  CHECK(kinds.count("fr") == 0);
  // The trimmed copy is the smaller side, in its matches and in the pairs.
  for (const auto& m : *part) CHECK(!m.id_is_smaller);
  for (const auto& p : dedup->Pairs()) {
    if (p.id_b == "it-trimmed") CHECK(!p.a_is_smaller);
  }
  // What to keep: the copies in Italian, never the French translation.
  std::map<std::string, std::string> longest, first;
  for (const auto& d : dedup->Duplicates(neardup::KeepPolicy::kLongest)) longest[d.id] = d.kept;
  for (const auto& d : dedup->Duplicates(neardup::KeepPolicy::kFirst)) first[d.id] = d.kept;
  CHECK(longest == std::map<std::string, std::string>{{"it", "it-bylined"}, {"it-trimmed", "it-bylined"}});
  CHECK(first == std::map<std::string, std::string>{{"it-bylined", "it"}, {"it-trimmed", "it"}});
  // Explain gives the verdict Add acted on.
  const auto fp = dedup->fingerprinter().Compute(bylined, "it");
  REQUIRE(fp.ok());
  const auto v = dedup->Explain(*fp, "fr");
  REQUIRE(v.ok());
  CHECK(v->linked);
  CHECK(v->kind == neardup::MatchKind::kTranslation);
}

TEST_CASE("containment can be turned off and is validated", "[dedup]") {
  neardup::DedupOptions options;
  options.containment_threshold = 1.5;
  CHECK(Deduplicator::Create(options).status().code() == absl::StatusCode::kInvalidArgument);
  options.containment_threshold = 0;
  auto dedup = Deduplicator::Create(options);
  REQUIRE(dedup.ok());
  const std::string article = neardup::testing::SeedArticles()[2];
  REQUIRE(dedup->Add("full", article).ok());
  const auto half = dedup->Add("half", article.substr(0, article.size() / 2));
  REQUIRE(half.ok());
  for (const auto& m : *half) CHECK(m.kind != neardup::MatchKind::kContained);
}

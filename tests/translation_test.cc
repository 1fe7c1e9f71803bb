#include "neardup/translation.h"

#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <set>

#include "neardup/fingerprint.h"
#include "neardup/minhash.h"
#include "neardup/language.h"
#include "reference/reference.h"
#include "test_data.h"

using neardup::AnchorKind;
using neardup::AnchorProfile;
using neardup::AnchorWeights;
using neardup::CompareAnchors;

namespace {

AnchorProfile Profile(const std::string& text) {
  auto p = neardup::MakeAnchorProfile(text, neardup::DetectLanguage(text));
  REQUIRE(p.ok());
  return *std::move(p);
}

// A profile of acronym-kind anchors with the given keys (weight 1 each before idf applies).
AnchorProfile Synthetic(const std::vector<uint64_t>& keys) {
  AnchorProfile p;
  p.keys = keys;
  p.kinds.assign(keys.size(), AnchorKind::kAcronym);
  p.values.assign(keys.size(), 0);
  p.num_chars = 1000;
  return p;
}

// Longest common subsequence by plain recursion with memoization: the obviously correct
// reference for the chain's weight when every anchor weighs 1.
size_t ReferenceLcs(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  std::map<std::pair<size_t, size_t>, size_t> memo;
  std::function<size_t(size_t, size_t)> lcs = [&](size_t i, size_t j) -> size_t {
    if (i == a.size() || j == b.size()) return 0;
    if (auto it = memo.find({i, j}); it != memo.end()) return it->second;
    size_t best = std::max(lcs(i + 1, j), lcs(i, j + 1));
    if (a[i] == b[j]) best = std::max(best, 1 + lcs(i + 1, j + 1));
    return memo[{i, j}] = best;
  };
  return lcs(0, 0);
}

}  // namespace

TEST_CASE("the seed translation scores above the threshold, the other seed pairs below", "[translation][seeds]") {
  const auto seeds = neardup::testing::SeedArticles();
  const AnchorProfile it = Profile(seeds[1]);
  CHECK(it.language == "it");
  const AnchorWeights priors;  // no collection: kind priors only
  const auto original = CompareAnchors(Profile(seeds[0]), it, priors);
  INFO("000/001 score " << original.score << ", layout " << original.layout << ", anchors " << original.anchor_score);
  CHECK(original.decided);
  CHECK(original.score >= neardup::TranslationOptions().threshold + 0.25);
  for (int other : {2, 3, 4}) {
    const auto e = CompareAnchors(Profile(seeds[other]), it, priors);
    INFO("00" << other << "/001 score " << e.score);
    CHECK(e.score < neardup::TranslationOptions().threshold - 0.25);
  }
}

TEST_CASE("the matched chain is a longest common subsequence (brute-force reference)", "[translation]") {
  neardup::reference::Rng rng(77);
  const AnchorWeights priors;
  for (int round = 0; round < 200; ++round) {
    std::vector<uint64_t> a(1 + rng.Below(9)), b(1 + rng.Below(9));
    for (auto& k : a) k = rng.Below(4);  // a small alphabet: many repeats and crossings
    for (auto& k : b) k = rng.Below(4);
    const auto e = CompareAnchors(Synthetic(a), Synthetic(b), priors);
    CHECK(e.matched_weight == Approx(static_cast<double>(ReferenceLcs(a, b))));
    REQUIRE(e.chain.size() == ReferenceLcs(a, b));
    for (size_t i = 0; i < e.chain.size(); ++i) {
      CHECK(a[e.chain[i].first] == b[e.chain[i].second]);
      if (i > 0) CHECK((e.chain[i].first > e.chain[i - 1].first && e.chain[i].second > e.chain[i - 1].second));
    }
  }
}

TEST_CASE("specific numbers found on one side only count against", "[translation]") {
  const std::string fr = "Le groupe a investi 7 milliards en 2024.\nIl emploie 35 000 personnes à Paris.\nNVIDIA et AMD suivent.\nL'accord vise 1 200 centres TPU.\n";
  const std::string it = "Il gruppo ha investito 7 miliardi nel 2024.\nImpiega 35.000 persone a Parigi.\nNVIDIA e AMD seguono.\nL'accordo riguarda 1.200 centri TPU.\n";
  const std::string it_changed = "Il gruppo ha investito 9 miliardi nel 2024.\nImpiega 48.000 persone a Parigi.\nNVIDIA e AMD seguono.\nL'accordo riguarda 3.100 centri TPU.\n";
  const AnchorWeights priors;
  const auto same = CompareAnchors(*neardup::MakeAnchorProfile(fr, "fr"), *neardup::MakeAnchorProfile(it, "it"), priors);
  const auto changed = CompareAnchors(*neardup::MakeAnchorProfile(fr, "fr"), *neardup::MakeAnchorProfile(it_changed, "it"), priors);
  CHECK(same.conflicts_a.empty());
  CHECK(changed.conflicts_a.size() == 3);  // 7e9, 35000, 1200
  CHECK(changed.conflicts_b.size() == 3);
  CHECK(same.anchor_score > 0.9);
  CHECK(changed.anchor_score < same.anchor_score - 0.3);
}

TEST_CASE("too few anchors and paragraphs is undecided", "[translation]") {
  const AnchorWeights priors;
  const auto e = CompareAnchors(*neardup::MakeAnchorProfile("Bonjour à tous.", "fr"),
                                *neardup::MakeAnchorProfile("Buongiorno a tutti.", "it"), priors);
  CHECK_FALSE(e.decided);
}

TEST_CASE("rare anchors weigh more than common ones once the collection is large enough", "[translation]") {
  AnchorWeights weights;
  const uint64_t common = neardup::HashAnchorKey("google"), rare = neardup::HashAnchorKey("jensen huang");
  CHECK(weights.Weight(common, AnchorKind::kName, 0) == weights.Weight(rare, AnchorKind::kName, 0));
  for (int i = 0; i < 100; ++i) weights.AddDocument(Synthetic(i == 0 ? std::vector<uint64_t>{common, rare} : std::vector<uint64_t>{common}));
  CHECK(weights.num_documents() == 100);
  CHECK(weights.Weight(rare, AnchorKind::kName, 0) > 3 * weights.Weight(common, AnchorKind::kName, 0));
  weights.RemoveDocument(Synthetic({common, rare}));
  CHECK(weights.num_documents() == 99);
}

TEST_CASE("a closing block that many documents share is left out of the comparison", "[translation]") {
  // 40 pages close with the same two-sentence footer; a page and its "translation" differ only
  // by that footer, which doubles one side's length.
  const std::string footer_heading = "TRANSLATION CREDITS";
  const std::string footer = "This translation is free documentation; read the GNU General Public License.\n"
                             "Report translation errors to the translators' mailing list.";
  AnchorWeights weights;
  std::vector<AnchorProfile> others;
  for (int i = 0; i < 40; ++i) {
    auto p = neardup::MakeAnchorProfile("Page " + std::to_string(i) + " with some text.\n\n" + footer_heading +
                                            "\nTranslated by Person " + std::to_string(i) + ".\n" + footer,
                                        "en");
    REQUIRE(p.ok());
    weights.AddDocument(*p);
    others.push_back(*std::move(p));
  }
  // The shared block: heading, a per-page names line, two shared sentences = 4 paragraphs.
  CHECK(weights.BoilerplateTail(others[0]) == 4);
  const std::string body = "First paragraph about 3 things.\nSecond paragraph, 42 more.\nThird one: 7 and 9.\n";
  auto plain = neardup::MakeAnchorProfile(body, "en");
  auto credited = neardup::MakeAnchorProfile(body + footer_heading + "\nTranslated by Someone Else.\n" + footer, "en");
  REQUIRE(plain.ok());
  REQUIRE(credited.ok());
  CHECK(weights.BoilerplateTail(*plain) == 0);
  CHECK(weights.BoilerplateTail(*credited) == 4);
  const auto e = CompareAnchors(*plain, *credited, weights);
  CHECK(e.paragraphs_a == 3);
  CHECK(e.paragraphs_b == 3);
  // The lengths are the paragraphs' code points; the line breaks around the footer stay (4).
  CHECK(e.length_ratio == Approx(1.0).margin(0.05));
  CHECK(e.layout == 1.0);
  // Without a collection nothing is boilerplate: the footer counts.
  const auto raw = CompareAnchors(*plain, *credited, AnchorWeights());
  CHECK(raw.paragraphs_b == 7);
  CHECK(raw.length_ratio > 2);
}

TEST_CASE("weights made from the counts of two profiles' keys judge them as the whole table does", "[translation]") {
  // The Dask path's weights (AnchorWeights::FromDocumentFrequencies): frequencies of just the keys a
  // verdict reads, counted elsewhere. Here they are counted by brute force over the profiles.
  const std::string footer = "\nTRANSLATION CREDITS\nThis translation is free documentation; read the GNU GPL.\n"
                             "Report translation errors to the translators' mailing list.";
  std::vector<AnchorProfile> collection;
  for (int i = 0; i < 60; ++i) {
    auto p = neardup::MakeAnchorProfile("Page " + std::to_string(i % 7) + " of NASA's 2024 report, " +
                                            std::to_string(1000 + i % 5) + " units.\n" + footer,
                                        "en");
    REQUIRE(p.ok());
    collection.push_back(*std::move(p));
  }
  auto a = neardup::MakeAnchorProfile("NASA counted 1003 units in 2024.\nThe ESA 77 more.\n" + footer, "en");
  auto b = neardup::MakeAnchorProfile("La NASA a compté 1003 unités en 2024.\nL'ESA 77 de plus.\n", "fr");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  collection.push_back(*a);
  collection.push_back(*b);
  AnchorWeights whole;
  for (const AnchorProfile& p : collection) whole.AddDocument(p);
  std::set<uint64_t> asked;  // every key of a and b, their tail paragraphs' too
  for (const AnchorProfile* p : {&*a, &*b}) {
    asked.insert(p->keys.begin(), p->keys.end());
    asked.insert(p->tail_keys.begin(), p->tail_keys.end());
  }
  std::vector<uint64_t> keys;
  std::vector<uint32_t> counts;
  for (uint64_t key : asked) {
    uint32_t documents = 0;
    for (const AnchorProfile& p : collection) {
      const bool in = std::find(p.keys.begin(), p.keys.end(), key) != p.keys.end() ||
                      std::find(p.tail_keys.begin(), p.tail_keys.end(), key) != p.tail_keys.end();
      documents += in;
    }
    keys.push_back(key);
    counts.push_back(documents);
  }
  const AnchorWeights part = neardup::AnchorWeights::FromDocumentFrequencies(collection.size(), keys, counts);
  CHECK(part.num_documents() == whole.num_documents());
  CHECK(whole.BoilerplateTail(*a) == 3);  // the footer is the collection's: the check has something to see
  CHECK(part.BoilerplateTail(*a) == whole.BoilerplateTail(*a));
  CHECK(part.BoilerplateTail(*b) == whole.BoilerplateTail(*b));
  for (size_t i = 0; i < a->keys.size(); ++i) {
    CHECK(part.Weight(a->keys[i], a->kinds[i], a->values[i]) == whole.Weight(a->keys[i], a->kinds[i], a->values[i]));
  }
  const auto expected = CompareAnchors(*a, *b, whole), got = CompareAnchors(*a, *b, part);
  CHECK(got.score == expected.score);
  CHECK(got.chain == expected.chain);
  CHECK(expected.chain.size() >= 3);  // NASA, 1003, 2024 (and more): a real comparison
  // CountedKeys is what AddDocument counts: each key of a, tail keys included, once.
  const std::vector<uint64_t> document_keys = neardup::AnchorWeights::CountedKeys(*a);
  std::set<uint64_t> own(a->keys.begin(), a->keys.end());
  own.insert(a->tail_keys.begin(), a->tail_keys.end());
  CHECK(document_keys == std::vector<uint64_t>(own.begin(), own.end()));
}

TEST_CASE("a paragraph added late in a long page with anchors moves its translation signature little", "[translation]") {
  // 100 paragraphs and 20 distinct number anchors; the translation splits paragraph 70 in two.
  neardup::AnchorProfile original;
  for (uint32_t i = 0; i < 100; ++i) original.paragraph_lengths.push_back(40 + (i * 37) % 200);
  for (int i = 0; i < 20; ++i) {
    original.keys.push_back(neardup::HashAnchorKey("n:" + std::to_string(1000 + i)));
    original.kinds.push_back(neardup::AnchorKind::kNumber);
    original.values.push_back(1000 + i);
  }
  neardup::AnchorProfile translated = original;
  translated.paragraph_lengths.insert(translated.paragraph_lengths.begin() + 70, 25);
  auto fingerprinter = neardup::Fingerprinter::Create();
  REQUIRE(fingerprinter.ok());
  const auto estimate = neardup::EstimateJaccard(fingerprinter->TranslationSignature(original),
                                                 fingerprinter->TranslationSignature(translated));
  REQUIRE(estimate.ok());
  // Of the ~170 distinct shingles (20 anchors, 19 anchor pairs, 2 per kept paragraph, the
  // count) only the paragraph count and a few length shares (the total grew by 25 of ~14,000
  // columns) differ: true Jaccard above 0.95; with all 100 paragraphs' layout kept, the 30
  // shifted ones would take it to about 0.6. At k = 128 the estimate's standard deviation is
  // at most 0.044, so 0.85 is more than two below the truth and far above the other case.
  CHECK(*estimate >= 0.85);
}

TEST_CASE("on one layout alone, the page whose few anchors agree in order scores higher", "[translation]") {
  // Three pages of four paragraphs of the same lengths, each with 3 number anchors: under
  // min_anchors (4), so layout judges alone. The translation shares all three anchors in
  // order, a sibling page one of them: the translation must score higher (it wins the one
  // translation per language), and both keep the layout's verdict.
  const auto page = [](std::vector<int> numbers) {
    neardup::AnchorProfile p;
    p.paragraph_lengths = {60, 200, 180, 90};
    p.num_chars = 530;
    for (int v : numbers) {
      p.keys.push_back(neardup::HashAnchorKey("n:" + std::to_string(v)));
      p.kinds.push_back(neardup::AnchorKind::kNumber);
      p.values.push_back(v);
    }
    return p;
  };
  const neardup::AnchorProfile original = page({42, 314, 2718}), translation = page({42, 314, 2718}),
                               sibling = page({42, 99, 512});
  const neardup::AnchorWeights weights;
  const auto to_translation = neardup::CompareAnchors(original, translation, weights);
  const auto to_sibling = neardup::CompareAnchors(original, sibling, weights);
  REQUIRE_FALSE(to_translation.anchors_decide);
  REQUIRE(to_translation.layout == Approx(1.0));
  REQUIRE(to_sibling.layout == Approx(1.0));
  CHECK(to_translation.score > to_sibling.score);
  // 0.9 for a perfect layout alone, plus at most kAnchorTieBreak (0.01) for the anchors.
  CHECK(to_translation.score == Approx(0.91).margin(1e-9));
  CHECK(to_sibling.score < 0.91);
  CHECK(to_sibling.score >= 0.9);
}

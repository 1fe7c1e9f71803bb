#include "neardup/verdict.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "neardup/fingerprint.h"
#include "reference/reference.h"
#include "test_data.h"

using neardup::MatchKind;
using neardup::Verdict;

namespace {

constexpr auto kAlgorithm = neardup::MinHashAlgorithm::kOnePermutation;

neardup::Fingerprint Fingerprint(const std::string& text, const std::string& language = "") {
  static const auto fingerprinter = neardup::Fingerprinter::Create();
  auto fp = fingerprinter->Compute(text, language);
  REQUIRE(fp.ok());
  return *std::move(fp);
}

// The first `share` of the paragraphs of `text`.
std::string FirstParagraphs(const std::string& text, double share) {
  std::vector<std::string> lines;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  std::string out;
  for (size_t i = 0; i < static_cast<size_t>(std::ceil(share * lines.size())); ++i) out += lines[i] + "\n";
  return out;
}

}  // namespace

TEST_CASE("a trimmed copy is contained, not near; the verdict is symmetric", "[verdict]") {
  const std::string article = neardup::testing::SeedArticles()[2];
  const std::string trimmed = "Exclusive: the deal in brief\n" + FirstParagraphs(article, 0.5);
  const auto a = Fingerprint(article), b = Fingerprint(trimmed);
  // The exact containment of the trimmed copy in the article, from the string reference.
  const auto sa = neardup::reference::WordShingles(article, 5), sb = neardup::reference::WordShingles(trimmed, 5);
  size_t common = 0;
  for (const auto& s : sb) common += sa.count(s);
  const double exact = static_cast<double>(common) / static_cast<double>(sb.size());
  INFO("exact containment " << exact << ", Jaccard " << neardup::reference::Jaccard(sa, sb));
  REQUIRE(exact >= 0.9);
  const Verdict v = *neardup::JudgeText(a.signature, b.signature, kAlgorithm, {});
  CHECK(v.linked);
  CHECK(v.kind == MatchKind::kContained);
  CHECK_FALSE(v.text.a_is_smaller);
  // The estimate is over at least kMinContainmentSlots slots: sigma <= sqrt(0.1·0.9/16) < 0.08.
  CHECK(v.score == Approx(exact).margin(0.24));
  CHECK(v.text.jaccard < 0.8);
  const Verdict w = *neardup::JudgeText(b.signature, a.signature, kAlgorithm, {});
  CHECK(w.linked == v.linked);
  CHECK(w.kind == v.kind);
  CHECK(w.score == v.score);
  CHECK(w.text.a_is_smaller);
  // Containment off: not linked.
  neardup::VerdictOptions off;
  off.containment_threshold = 0;
  CHECK_FALSE(neardup::JudgeText(a.signature, b.signature, kAlgorithm, off)->linked);
  // Signatures of other parameters are refused, never judged.
  const auto other = neardup::MinHasher::Create({.seed = 99});
  REQUIRE(other.ok());
  const neardup::Signature foreign = other->Compute(std::vector<uint64_t>{1, 2, 3});
  CHECK(neardup::JudgeText(a.signature, foreign, kAlgorithm, {}).status().code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("a document of a few shingles is never contained in a longer one", "[verdict]") {
  const std::string article = neardup::testing::SeedArticles()[2];
  // Its first 12 words: 8 shingles, all of them inside the article.
  std::string sentence;
  size_t words = 0, i = 0;
  for (; i < article.size() && words < 12; ++i) words += article[i] == ' ';
  sentence = article.substr(0, i);
  const Verdict v = *neardup::JudgeText(Fingerprint(article).signature, Fingerprint(sentence).signature, kAlgorithm, {});
  CHECK(v.text.containment_slots < neardup::kMinContainmentSlots);
  CHECK_FALSE(v.linked);
}

TEST_CASE("the containment cutoff is the threshold plus a one-sided 95% margin", "[verdict]") {
  // t + 1.645·sqrt(t(1-t)/m): at t = 0.8 and m = 16, 0.8 + 1.645·0.1.
  CHECK(neardup::ContainmentCutoff(0.8, 16) == Approx(0.9645));
  CHECK(neardup::ContainmentCutoff(0.8, 128) == Approx(0.8 + 1.645 * std::sqrt(0.16 / 128)));
  CHECK(neardup::ContainmentCutoff(0.8, 64) < neardup::ContainmentCutoff(0.8, 32));
}

TEST_CASE("layout supports a translation verdict but does not make one against the anchors", "[verdict]") {
  neardup::VerdictOptions options;
  neardup::TranslationEvidence e;
  e.decided = true;
  e.paragraphs_a = e.paragraphs_b = 10;
  // Two anchor-poor pages: layout alone, at agreement 0.8 (score 0.72), is enough...
  e.anchors_decide = false;
  e.layout = 0.8;
  e.score = 0.72;
  Verdict v = neardup::JudgeTranslation(e, options);
  CHECK(v.linked);
  CHECK(v.kind == MatchKind::kTranslation);
  // ...but not when the layout shifted by a paragraph agrees nearly as well (lines of alike
  // lengths agree with anything):
  e.layout_chance = 0.7;
  v = neardup::JudgeTranslation(e, options);
  CHECK_FALSE(v.linked);
  e.layout_chance = 0;
  // ...at 0.65 (score 0.585, above the threshold) it is not: undecided.
  e.layout = 0.65;
  e.score = 0.585;
  v = neardup::JudgeTranslation(e, options);
  CHECK_FALSE(v.linked);
  CHECK(v.undecided);
  // Pages with anchors to judge by that share almost none are not translations, whatever
  // their layout.
  e.anchors_decide = true;
  e.anchor_score = 0.05;
  e.layout = 1.0;
  e.score = 0.6;
  v = neardup::JudgeTranslation(e, options);
  CHECK_FALSE(v.linked);
  // A copy stays a copy: a text verdict is not overridden.
  Verdict text;
  text.linked = true;
  text.kind = MatchKind::kNear;
  e.anchor_score = 0.9;
  v = neardup::JudgeTranslation(e, options, text);
  CHECK(v.kind == MatchKind::kNear);
  CHECK(v.cross_language);
}

TEST_CASE("a short layout is no support when both pages have anchors and share none", "[verdict]") {
  neardup::VerdictOptions options;
  neardup::TranslationEvidence e;  // 4 paragraphs a side that agree perfectly, well above chance
  e.decided = true, e.anchors_decide = false;
  e.paragraphs_a = e.paragraphs_b = 4;
  e.layout = 1.0, e.layout_chance = 0.25, e.score = 0.9;
  e.hard_anchors_a = 2, e.hard_anchors_b = 3;
  const auto linked = [&] {
    return neardup::JudgeTranslation(e, options).linked;
  };
  CHECK_FALSE(linked());  // anchors on both sides, none shared: chance, not support
  e.shares_anchor = true;
  CHECK(linked());
  e.shares_anchor = false, e.hard_anchors_b = 0;  // one side has nothing to share: layout decides
  CHECK(linked());
  e.hard_anchors_b = 3, e.paragraphs_a = e.paragraphs_b = 7;  // 7 paragraphs: layout decides
  CHECK(linked());
}

TEST_CASE("lengths are compared in Latin letters: a Chinese translation has a quarter of the characters", "[verdict]") {
  // Counted by hand from the length model (length_model.cc): a Han character 3.7 letters, a
  // kana 1.4, a Hangul syllable 2.5, anything else (the path, spaces, full-width Latin
  // letters, the ideographic full stop) 1; each line's total rounded.
  const std::string en = "Edit the file debian/rules now.";  // 31
  const std::string zh = "现在编辑文件 debian/rules。";        // 6 Han (22.2) + 14 others: 36
  const std::string ja = "でびあん ＡＢＣ";                   // 4 kana (5.6) + 4 others: 10
  const std::string ko = "데비안 3";                          // 3 Hangul (7.5) + 2 others: 10
  const auto profile = [](const std::string& text, const char* language) {
    auto p = neardup::MakeAnchorProfile(text + "\n" + text + "\n" + text, language);
    REQUIRE(p.ok());
    return *std::move(p);
  };
  const neardup::AnchorProfile p_en = profile(en, "en"), p_zh = profile(zh, "zh");
  CHECK(p_en.paragraph_lengths == std::vector<uint32_t>{31, 31, 31});
  CHECK(p_zh.paragraph_lengths == std::vector<uint32_t>{36, 36, 36});
  CHECK(profile(ja, "ja").paragraph_lengths == std::vector<uint32_t>{10, 10, 10});
  CHECK(profile(ko, "ko").paragraph_lengths == std::vector<uint32_t>{10, 10, 10});
  CHECK(p_zh.num_chars == 3 * 14 + 2 + 67);  // whole text: 18 Han = 66.6, rounded once
  const neardup::AnchorWeights weights;
  // 93 + 2 against 111 letters: 1.17, where code points (95 against 62) would say 1.53.
  CHECK(neardup::CompareAnchors(p_en, p_zh, weights).length_ratio == Approx(111.0 / 95.0));
  CHECK(neardup::CompareAnchors(p_zh, p_en, weights).length_ratio == Approx(111.0 / 95.0));
}

TEST_CASE("Judge links the seed translation and nothing else among the seeds", "[verdict][seeds]") {
  const auto seeds = neardup::testing::SeedArticles();
  const std::vector<std::string> languages = {"fr", "it", "fr", "fr", "fr"};
  neardup::AnchorWeights weights;
  std::vector<neardup::Fingerprint> fps;
  for (size_t i = 0; i < seeds.size(); ++i) {
    fps.push_back(Fingerprint(seeds[i], languages[i]));
    weights.AddDocument(fps.back().anchors);
  }
  for (size_t i = 0; i < fps.size(); ++i) {
    for (size_t j = i + 1; j < fps.size(); ++j) {
      const Verdict v = *neardup::Judge(fps[i], fps[j], kAlgorithm, weights, {});
      INFO(i << "-" << j);
      CHECK(v.linked == (i == 0 && j == 1));
      if (v.linked) CHECK(v.kind == MatchKind::kTranslation);
    }
  }
}

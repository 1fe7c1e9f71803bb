#include "neardup/verdict.h"

#include <algorithm>
#include <cmath>

#include "internal/judge_text.h"
#include "internal/slot_counts.h"
#include "internal/status_macros.h"

namespace neardup {

const char* MatchKindName(MatchKind kind) {
  switch (kind) {
    case MatchKind::kNear:
      return "near";
    case MatchKind::kContained:
      return "contained";
    case MatchKind::kTranslation:
      return "translation";
  }
  return "unknown";
}

double ContainmentCutoff(double threshold, int slots) {
  if (slots <= 0) return INFINITY;
  return threshold + kContainmentConfidenceZ * std::sqrt(threshold * (1 - threshold) / slots);
}

namespace internal {

// Standard errors above the Jaccard estimate beyond which a containment is ruled out: a
// pair really at the threshold is ruled out with probability Φ(-4) = 3·10⁻⁵.
constexpr double kContainmentRuleOutZ = 4.0;

bool TextLinkPlausible(int equal, int num_perm, uint64_t size_a, uint64_t size_b, const VerdictOptions& options) {
  const uint64_t smaller = std::min(size_a, size_b), larger = std::max(size_a, size_b);
  if (smaller == 0 || num_perm <= 0) return false;
  const double k = num_perm, j = equal / k;
  if (j >= options.threshold) return true;
  if (options.containment_threshold <= 0 || std::min<uint64_t>(smaller, num_perm) < uint64_t{kMinContainmentSlots}) {
    return false;
  }
  const double upper = std::min(1.0, j + kContainmentRuleOutZ * std::sqrt(std::max(j * (1 - j), 1.0 / k) / k));
  const double ratio = static_cast<double>(larger) / static_cast<double>(smaller);
  return upper * (1 + ratio) / (1 + upper) >= options.containment_threshold;
}

Verdict JudgeTextSlots(std::span<const uint64_t> a, uint64_t size_a, std::span<const uint64_t> b, uint64_t size_b,
                       MinHashAlgorithm algorithm, const VerdictOptions& options) {
  Verdict v;
  if (size_a == 0 || size_b == 0 || a.empty()) return v;
  const SlotCounts counts = CountSlots(a, b, algorithm);
  TextEvidence& t = v.text;
  t.jaccard = static_cast<double>(counts.equal_all) / static_cast<double>(std::min(a.size(), b.size()));
  // Containment of the smaller set; on equal sizes both sides estimate the same quantity, so
  // their counts are pooled (which keeps the verdict symmetric).
  const SlotComparison& s = counts.slots;
  t.a_is_smaller = size_a <= size_b;
  if (size_a == size_b) {
    t.containment_slots = s.equal + (s.a_only + s.b_only + 1) / 2;
    const double pooled = 2.0 * s.equal + s.a_only + s.b_only;
    t.containment = pooled > 0 ? 2.0 * s.equal / pooled : 0.0;
  } else {
    t.containment_slots = s.equal + (t.a_is_smaller ? s.a_only : s.b_only);
    t.containment = t.a_is_smaller ? s.ContainmentOfA() : s.ContainmentOfB();
  }
  if (t.jaccard >= options.threshold) {
    v.linked = true, v.kind = MatchKind::kNear, v.score = t.jaccard;
  } else if (options.containment_threshold > 0 && t.containment_slots >= kMinContainmentSlots &&
             t.containment >= ContainmentCutoff(options.containment_threshold, t.containment_slots) &&
             TextLinkPlausible(static_cast<int>(counts.equal_all), static_cast<int>(std::min(a.size(), b.size())),
                               size_a, size_b, options)) {
    v.linked = true, v.kind = MatchKind::kContained, v.score = t.containment;
  }
  return v;
}

}  // namespace internal

absl::StatusOr<Verdict> JudgeText(const Signature& a, const Signature& b, MinHashAlgorithm algorithm,
                                  const VerdictOptions& options) {
  NEARDUP_RETURN_IF_ERROR(CheckComparable(a, b));
  return internal::JudgeTextSlots(a.values(), a.set_size(), b.values(), b.set_size(), algorithm, options);
}

namespace {

// A verdict on paragraph layout alone (too few anchors to judge) needs at least this share of
// agreeing paragraphs and this many paragraphs on each side. Layout-only verdicts find half of
// the true pairs of xlang-dev (LibreOffice and GNOME help pages have no numbers or
// identifiers to share), so they cannot be dropped; but in the xlang-dev ∪ wire-dev run, 18
// false links had layout agreement under 0.7 and no true one did, and pages of 3 paragraphs
// (a heading, a sentence, a link) match pages of their template family.
constexpr double kMinLayoutOnlyAgreement = 0.7;

// ...and an agreement this much above the chance agreement (the layout shifted by one
// paragraph): pages of many lines of alike lengths agree with anything, shifted or not (an
// English kernel page and a Spanish menu reference: 0.79 aligned, 0.81 shifted). 99% of the
// true layout-only pairs of xlang-dev exceed chance by 0.33 or more; 5 of 2,472 by less
// than 0.25.
constexpr double kMinLayoutExcess = 0.25;

// When both pages have anchors to judge by, they must agree on at least this share of them
// (anchor_score) whatever the layout: two unrelated pages of 40 short lines can agree on their
// layout (wire-dev: an English SPI page and a Spanish menu reference, anchor score 0.002,
// layout 0.8). Of the true xlang-dev pairs judged by anchors, 5% score under 0.28.
constexpr double kMinAnchorAgreement = 0.25;
constexpr uint32_t kMinLayoutOnlyParagraphs = 3;

// A layout of this many paragraphs or fewer is not support on its own when both pages have
// anchors other than names and not one anchor is shared: a few paragraphs agree by chance
// often (the layout of 4 paragraphs shifted by one agrees at 0.25), and two translations
// with anchors on both sides share some. Fitted on xlang-wild-dev's maint-guide: all 41
// false links there were layout-only with at most 6 paragraphs, 31 of them with anchors on
// both sides and none shared, and no true pair of that kind. Checked on xlang-dev (man pages,
// help pages): of its 702 true layout-only links without a shared anchor, none has anchors on
// both sides with at most 6 paragraphs (9 have more, and are kept), and on aptitude's manual:
// none either.
constexpr uint32_t kFewParagraphs = 6;

}  // namespace

void JudgeTranslation(const TranslationEvidence& evidence, const VerdictOptions& options, Verdict* v) {
  v->cross_language = true;
  v->translation = evidence;
  if (v->linked) return;  // a copy in another language's clothes is still a copy
  // Layout judges alone only when the anchors cannot, and then it must agree well and well
  // above chance.
  const bool layout_only = evidence.decided && !evidence.anchors_decide;
  const bool unsupported_short_layout =
      std::max(evidence.paragraphs_a, evidence.paragraphs_b) <= kFewParagraphs && evidence.hard_anchors_a > 0 &&
      evidence.hard_anchors_b > 0 && !evidence.shares_anchor;
  const bool enough = evidence.decided &&
                      (!evidence.anchors_decide || evidence.anchor_score >= kMinAnchorAgreement) &&
                      (!layout_only || (evidence.layout >= kMinLayoutOnlyAgreement &&
                                        evidence.layout - evidence.layout_chance >= kMinLayoutExcess &&
                                        std::min(evidence.paragraphs_a, evidence.paragraphs_b) >= kMinLayoutOnlyParagraphs &&
                                        !unsupported_short_layout));
  v->undecided = !enough;
  if (enough && evidence.score >= options.translation.threshold) {
    v->linked = true, v->kind = MatchKind::kTranslation, v->score = evidence.score;
  }
}

absl::StatusOr<Verdict> Judge(const Fingerprint& a, const Fingerprint& b, MinHashAlgorithm algorithm,
                              const AnchorWeights& weights, const VerdictOptions& options) {
  NEARDUP_ASSIGN_OR_RETURN(Verdict v, JudgeText(a.signature, b.signature, algorithm, options));
  const bool cross_language = !a.language.empty() && !b.language.empty() && a.language != b.language &&
                              a.anchors.language == a.language && b.anchors.language == b.language;
  if (cross_language) JudgeTranslation(CompareAnchors(a.anchors, b.anchors, weights, options.translation), options, &v);
  return v;
}

}  // namespace neardup

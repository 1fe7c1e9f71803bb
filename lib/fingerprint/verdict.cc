#include "neardup/verdict.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "fingerprint/judge_text.h"
#include "fingerprint/judge_translation.h"
#include "sketch/slot_counts.h"
#include "base/status_macros.h"
#include "sketch/shingle_filter.h"

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

double ContainmentError(double threshold, int sampled, uint64_t set_size, double false_positive_rate) {
  if (sampled <= 0) return INFINITY;
  const double m = sampled, n = static_cast<double>(std::max<uint64_t>(set_size, sampled));
  const double population = n > 1 ? std::max(0.0, (n - m) / (n - 1)) : 0.0;
  const double eps = false_positive_rate;
  const double variance = threshold * (1 - threshold) / m * population + eps * (1 - threshold) / ((1 - eps) * (1 - eps) * m);
  return kContainmentConfidenceZ * std::sqrt(variance);
}

double ContainmentCutoff(double threshold, int slots) {
  if (slots <= 0) return INFINITY;
  return threshold + kContainmentConfidenceZ * std::sqrt(threshold * (1 - threshold) / slots);
}

namespace internal {

// Standard errors above the Jaccard estimate beyond which a containment is ruled out: a
// pair really at the threshold is ruled out with probability Φ(-4) = 3·10⁻⁵. The bound is
// Wilson's (the standard error taken at the bound, not at the estimate): with the error at
// the estimate, a pair whose estimate fell low was held to a bound too tight for it (on
// licenses-dev, a license inside a file 7 times its size, Jaccard 0.127 estimated 0.031,
// was ruled out with its two copies).
constexpr double kContainmentRuleOutZ = 4.0;

// The upper end of the Wilson score interval of a proportion `p` observed in `n` trials, z
// standard errors wide.
double WilsonUpper(double p, double n, double z) {
  const double z2 = z * z / n;
  return std::min(1.0, (p + z2 / 2 + z * std::sqrt(p * (1 - p) / n + z2 / (4 * n))) / (1 + z2));
}

bool TextLinkPlausible(int equal, int num_perm, uint64_t size_a, uint64_t size_b, const VerdictOptions& options) {
  const uint64_t smaller = std::min(size_a, size_b), larger = std::max(size_a, size_b);
  if (smaller == 0 || num_perm <= 0) return false;
  const double k = num_perm, j = equal / k;
  if (j >= options.threshold) return true;
  if (options.containment_threshold <= 0 || std::min<uint64_t>(smaller, num_perm) < uint64_t{kMinContainmentSlots}) {
    return false;
  }
  const double upper = WilsonUpper(j, k, kContainmentRuleOutZ);
  const double ratio = static_cast<double>(larger) / static_cast<double>(smaller);
  return upper * (1 + ratio) / (1 + upper) >= options.containment_threshold;
}

namespace {

// The distinct kept keys of the slots that hold their own bin's minimum: a uniform sample,
// without replacement, of the document's shingles (densified slots repeat another's value).
void OwnSlotKeys(std::span<const uint64_t> slots, std::vector<uint32_t>* keys) {
  keys->clear();
  for (size_t i = 0; i < slots.size(); ++i) {
    if (OnePermutationBin(slots[i], slots.size()) == i) keys->push_back(KeptBits(slots[i]));
  }
  std::sort(keys->begin(), keys->end());
  keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
}

// The containment estimate from `found` of `sampled` keys found in a filter whose false hits
// have rate `eps`.
double FilterContainment(uint32_t found, uint32_t sampled, double eps) {
  return sampled > 0 ? std::clamp((double(found) / sampled - eps) / (1 - eps), 0.0, 1.0) : 0.0;
}

// The fewest hits of `sampled` whose estimate reaches `threshold` (sampled + 1 if none does).
uint32_t HitsToReach(double threshold, uint32_t sampled, double eps) {
  const double approximate = sampled * (threshold * (1 - eps) + eps);
  uint32_t h = static_cast<uint32_t>(std::clamp(approximate - 2, 0.0, static_cast<double>(sampled)));
  while (h <= sampled && FilterContainment(h, sampled, eps) < threshold) ++h;
  return h;
}

// The containment of the smaller side (both, pooled, on equal sizes) from its slots looked up
// in the other side's filter. With `stop_early`, the count stops once the threshold is out of
// reach (CountInFilter's `needed`).
absl::Status MeasureByFilter(const TextSide& a, const TextSide& b, double threshold, bool stop_early, TextEvidence* t) {
  thread_local std::vector<uint32_t> keys_a, keys_b;
  const bool equal_sizes = a.set_size == b.set_size;
  const bool measure_a = t->a_is_smaller || equal_sizes, measure_b = !t->a_is_smaller || equal_sizes;
  keys_a.clear(), keys_b.clear();
  if (measure_a) OwnSlotKeys(a.slots, &keys_a);
  if (measure_b) OwnSlotKeys(b.slots, &keys_b);
  const uint32_t sampled = static_cast<uint32_t>(keys_a.size() + keys_b.size());
  const double eps = FilterFalsePositiveRate();
  const uint32_t needed = stop_early ? HitsToReach(threshold, sampled, eps) : 0;
  uint32_t found = 0;
  if (measure_a) {
    const uint32_t rest = static_cast<uint32_t>(keys_b.size());  // what b's keys can add
    NEARDUP_ASSIGN_OR_RETURN(found, CountInFilter(b.filter, keys_a, needed > rest ? needed - rest : 0));
  }
  if (measure_b) {
    NEARDUP_ASSIGN_OR_RETURN(uint32_t hits, CountInFilter(a.filter, keys_b, needed > found ? needed - found : 0));
    found += hits;
  }
  t->by_filter = true;
  t->containment_slots = static_cast<int>(sampled);
  t->containment_found = static_cast<int>(found);
  t->containment = FilterContainment(found, sampled, eps);
  // Pooled, the two samples count as one drawn from both sets.
  const uint64_t population = equal_sizes ? 2 * a.set_size : std::min(a.set_size, b.set_size);
  t->containment_error = ContainmentError(threshold, static_cast<int>(sampled), population, eps);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Verdict> JudgeTextSides(const TextSide& a, const TextSide& b, MinHashAlgorithm algorithm,
                                       const VerdictOptions& options, TextEvidenceNeeded needed) {
  Verdict v;
  if (a.set_size == 0 || b.set_size == 0 || a.slots.empty()) return v;
  const SlotCounts counts = CountSlots(a.slots, b.slots, algorithm);
  TextEvidence& t = v.text;
  t.jaccard = static_cast<double>(counts.equal_all) / static_cast<double>(std::min(a.slots.size(), b.slots.size()));
  t.a_is_smaller = ASideIsSmaller(a.set_size, b.set_size);
  const bool contained_on = options.containment_threshold > 0;
  const bool big_enough = std::min(a.set_size, b.set_size) >= uint64_t{kMinContainmentSlots};
  if (algorithm == MinHashAlgorithm::kOnePermutation && !a.filter.empty() && !b.filter.empty()) {
    // Measured for near pairs too (a match reports both estimates), and for the others unless
    // their Jaccard estimate rules containment out (TextLinkPlausible): most candidates, whose
    // filters need not be read.
    const bool near = t.jaccard >= options.threshold;
    if (contained_on && big_enough &&
        (near || TextLinkPlausible(static_cast<int>(counts.equal_all), static_cast<int>(std::min(a.slots.size(), b.slots.size())),
                                   a.set_size, b.set_size, options))) {
      // A near pair reports its containment: counted in full.
      const bool stop_early = needed == TextEvidenceNeeded::kLinkedOnly && !near;
      NEARDUP_RETURN_IF_ERROR(MeasureByFilter(a, b, options.containment_threshold, stop_early, &t));
    }
    if (t.jaccard >= options.threshold) {
      v.linked = true, v.kind = MatchKind::kNear, v.score = t.jaccard;
    } else if (t.by_filter && t.containment >= options.containment_threshold &&
               t.containment_error <= kContainmentZone) {
      v.linked = true, v.kind = MatchKind::kContained, v.score = t.containment;
    }
    return v;
  }
  // Containment of the smaller set from the slots; on equal sizes both sides estimate the same
  // quantity, so their counts are pooled (which keeps the verdict symmetric).
  const SlotComparison& s = counts.slots;
  if (a.set_size == b.set_size) {
    t.containment_slots = s.equal + (s.a_only + s.b_only + 1) / 2;
    const double pooled = 2.0 * s.equal + s.a_only + s.b_only;
    t.containment = pooled > 0 ? 2.0 * s.equal / pooled : 0.0;
  } else {
    t.containment_slots = s.equal + (t.a_is_smaller ? s.a_only : s.b_only);
    t.containment = t.a_is_smaller ? s.ContainmentOfA() : s.ContainmentOfB();
  }
  if (t.jaccard >= options.threshold) {
    v.linked = true, v.kind = MatchKind::kNear, v.score = t.jaccard;
  } else if (contained_on && t.containment_slots >= kMinContainmentSlots &&
             t.containment >= ContainmentCutoff(options.containment_threshold, t.containment_slots) &&
             TextLinkPlausible(static_cast<int>(counts.equal_all), static_cast<int>(std::min(a.slots.size(), b.slots.size())),
                               a.set_size, b.set_size, options)) {
    v.linked = true, v.kind = MatchKind::kContained, v.score = t.containment;
  }
  return v;
}

}  // namespace internal

absl::StatusOr<Verdict> JudgeText(const Signature& a, const Signature& b, MinHashAlgorithm algorithm,
                                  const VerdictOptions& options, const ContainmentSketch* sketch_a,
                                  const ContainmentSketch* sketch_b) {
  NEARDUP_RETURN_IF_ERROR(CheckComparable(a, b));
  const bool sketched = sketch_a != nullptr && sketch_b != nullptr;
  return internal::JudgeTextSides({a.values(), a.set_size(), sketched ? sketch_a->filter : ""},
                                  {b.values(), b.set_size(), sketched ? sketch_b->filter : ""}, algorithm, options);
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

namespace internal {
double MinAnchorScoreToLink() { return kMinAnchorAgreement; }
}  // namespace internal

Verdict JudgeTranslation(const TranslationEvidence& evidence, const VerdictOptions& options, Verdict text) {
  Verdict v = std::move(text);
  v.cross_language = true;
  v.translation = evidence;
  if (v.linked) return v;  // a copy in another language's clothes is still a copy
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
  v.undecided = !enough;
  if (enough && evidence.score >= options.translation.threshold) {
    v.linked = true, v.kind = MatchKind::kTranslation, v.score = evidence.score;
  }
  return v;
}

absl::StatusOr<Verdict> Judge(const Fingerprint& a, const Fingerprint& b, MinHashAlgorithm algorithm,
                              const AnchorWeights& weights, const VerdictOptions& options) {
  NEARDUP_ASSIGN_OR_RETURN(Verdict v, JudgeText(a.signature, b.signature, algorithm, options, &a.containment, &b.containment));
  const bool cross_language = !a.language.empty() && !b.language.empty() && a.language != b.language &&
                              a.anchors.language == a.language && b.anchors.language == b.language;
  if (cross_language) v = JudgeTranslation(CompareAnchors(a.anchors, b.anchors, weights, options.translation), options, std::move(v));
  return v;
}

}  // namespace neardup

// File: verdict.h
//
// The one place that decides whether two documents are linked, and says why. The Deduplicator
// judges every candidate pair with these functions, and `neardup compare` and `neardup dedup
// --explain` print the same Verdict, so an explanation can never disagree with a decision.
//
//   near         estimated Jaccard of the shingle sets ≥ threshold
//   contained    not near, but the smaller document's shingles are mostly in the larger one:
//                estimated |A∩B| / min(|A|,|B|) ≥ containment_threshold. With containment
//                sketches (containment.h), the smaller document's own slots, a uniform sample
//                of its shingles, are looked up in the larger one's shingle filter, at any size
//                ratio; the estimate is cut at the threshold itself, and must be precise enough
//                to tell the threshold ± kContainmentZone apart (ContainmentError). Without
//                sketches (kPermutation signatures, or JudgeText on signatures alone), the two
//                signatures' slots are compared, which sees a size ratio up to about k/16,
//                with a margin for the estimate's error (ContainmentCutoff). Either way the
//                smaller document needs kMinContainmentSlots shingles, so that a document of a
//                few shingles is never "contained" in everything.
//   translation  different languages, not near or contained, and the anchor evidence of
//                CompareAnchors is strong enough (see TranslationOptions)
//
// Example:
//   neardup::Verdict v = neardup::Judge(fingerprint_a, fingerprint_b, weights, options);
//   if (v.linked) std::cout << neardup::MatchKindName(v.kind) << " " << v.score << "\n";

#ifndef NEARDUP_VERDICT_H_
#define NEARDUP_VERDICT_H_

#include "absl/status/statusor.h"
#include "neardup/containment.h"
#include "neardup/fingerprint.h"
#include "neardup/minhash.h"
#include "neardup/translation.h"

namespace neardup {

// Why two documents are linked.
enum class MatchKind {
  kNear,         // estimated Jaccard of word shingles at or above the threshold
  kContained,    // the smaller document is (mostly) inside the larger one: a trimmed copy
  kTranslation,  // different languages, anchor evidence at or above the translation threshold
};

// The name of a MatchKind as printed by the CLI: "near", "contained", "translation".
const char* MatchKindName(MatchKind kind);

// A containment verdict needs at least this many slots in which the smaller document holds the
// minimum of the union (SlotComparison): a smaller document of at least 16 shingles, and, with
// k = 128, a size ratio up to about 128/16 = 8.
inline constexpr int kMinContainmentSlots = 16;

// ...and an estimate that clears the threshold t with one-sided 95% confidence:
// estimate ≥ t + z·sqrt(t(1 - t)/m) over its m slots (a binomial test of "containment ≤ t").
// Without the margin, families of templated pages (man pages sharing their NAME, AUTHORS and
// SEE ALSO sections, containment 0.6 to 0.7) crossed 0.8 by chance on 4% of the perf corpus'
// contained pairs; with it, 0.5% (bench/eval_mixed.py, perf figures in the README). A
// trimmed copy (containment ≥ 0.9) of a text up to 2.5 times its size still clears it.
inline constexpr double kContainmentConfidenceZ = 1.645;

// The estimate a pair measured on `slots` slots needs for a contained verdict at `threshold`
// (infinite, so never reached, without slots), when judged without containment sketches.
double ContainmentCutoff(double threshold, int slots);

// With sketches, a containment estimate counts when its error at the threshold,
// z·σ (z = kContainmentConfidenceZ), is at most this: the sample tells a pair at threshold −
// 0.1 from one at threshold + 0.1 with 95% confidence each way. At the default threshold 0.8
// these are the bounds of issue #23's bars: precision counts a pair as true at containment
// 0.7, and recall is measured on pairs at 0.9. 128 slots give z·σ = 0.058 at 0.8, and a
// smaller document sampled whole (a text under about 128 shingles) has σ near 0.
inline constexpr double kContainmentZone = 0.1;

// z·σ of a containment estimate at `threshold` from `sampled` distinct shingles drawn without
// replacement from the smaller document's `set_size`, each looked up in a filter with false
// positive rate `false_positive_rate`: σ² = t(1 − t)/m · (n − m)/(n − 1) (the finite
// population correction: a text sampled whole is measured exactly) + ε(1 − t)/((1 − ε)² m)
// (the filter's false hits, subtracted on average but not one by one). Infinite without
// samples.
double ContainmentError(double threshold, int sampled, uint64_t set_size, double false_positive_rate);

// The thresholds of the three verdicts.
//
//   option                 default  meaning
//   threshold              0.8      near: estimated Jaccard at or above this
//   containment_threshold  0.8      contained: estimated containment of the smaller document at
//                                   or above this; 0 turns containment off
//   translation            {}       see TranslationOptions
struct VerdictOptions {
  double threshold = 0.8;
  double containment_threshold = 0.8;
  TranslationOptions translation;
};

// Whether side a of a pair is the smaller one, the side containment is measured on: its shingle
// set is not larger than b's (so a on a tie). The Deduplicator judges a new document as side a
// against each earlier one, so of two equal sets the later is the smaller.
inline bool ASideIsSmaller(uint64_t set_size_a, uint64_t set_size_b) { return set_size_a <= set_size_b; }

// What the shingle sets say.
struct TextEvidence {
  double jaccard = 0;          // estimated, over all k slots (EstimateJaccard)
  double containment = 0;      // estimated |A∩B| / min(|A|,|B|); 0 if unmeasured
  int containment_slots = 0;   // slots that measured it (the smaller side's own slots; both
                               // sides' on equal sizes)
  bool a_is_smaller = true;    // which side `containment` is of (ASideIsSmaller)
  bool by_filter = false;      // measured by looking the slots up in the larger one's filter
  int containment_found = 0;   // by_filter: how many of the slots the filter has
  double containment_error = 0;  // by_filter: ContainmentError at the threshold
};

// A decision and its evidence.
struct Verdict {
  bool linked = false;
  MatchKind kind = MatchKind::kNear;  // when linked
  double score = 0;        // near: Jaccard; contained: containment; translation: its score
  TextEvidence text;
  bool cross_language = false;  // both languages known and different, translations on
  bool undecided = false;       // cross-language, but too little evidence to say either way
  TranslationEvidence translation;  // when cross_language
  // Deduplicator::Explain only: whether a query with the explained document returns the
  // other one. A linked pair can be missed: the indexes propose a pair with a probability
  // (LshParams::DetectionProbability), and a document keeps only its best translation per
  // language. `neardup dedup` reports a pair when linked and found.
  bool found = true;
};

// The text verdict (near, contained or not linked) of two signatures made by one Fingerprinter
// with MinHash `algorithm`, and their containment sketches if both have a filter (else the
// slots alone judge containment). Symmetric in a and b. kFailedPrecondition if the two were
// made with different parameters (CheckComparable); kDataLoss if a filter is damaged.
absl::StatusOr<Verdict> JudgeText(const Signature& a, const Signature& b, MinHashAlgorithm algorithm, const VerdictOptions& options,
                                  const ContainmentSketch* sketch_a = nullptr, const ContainmentSketch* sketch_b = nullptr);

// `text` (the pair's text verdict, or none) completed with the translation evidence of the two
// documents (CompareAnchors): a pair the text links stays a copy, whatever its languages.
Verdict JudgeTranslation(const TranslationEvidence& evidence, const VerdictOptions& options, Verdict text = {});

// The whole verdict of two fingerprints: text first, then, for documents in two known
// languages with anchors, translation with anchor `weights` (a collection's, or an empty
// AnchorWeights for kind priors only). Errors as JudgeText's.
absl::StatusOr<Verdict> Judge(const Fingerprint& a, const Fingerprint& b, MinHashAlgorithm algorithm, const AnchorWeights& weights,
              const VerdictOptions& options);

}  // namespace neardup

#endif  // NEARDUP_VERDICT_H_

// File: fingerprint/judge_text.h
//
// JudgeText (verdict.h) on raw slot values and set sizes, for the Deduplicator, which verifies
// candidates straight from the index's storage without building Signatures.

#ifndef NEARDUP_FINGERPRINT_JUDGE_TEXT_H_
#define NEARDUP_FINGERPRINT_JUDGE_TEXT_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"
#include "neardup/verdict.h"

namespace neardup::internal {

// Whether a pair of these set sizes whose signatures agree in `equal` of num_perm positions
// can be linked by its text: near needs equal ≥ threshold·k; contained needs a smaller set of
// at least kMinContainmentSlots shingles, and a containment that the Jaccard estimate does not
// rule out: with J⁺ the upper end of the estimate's Wilson interval, kContainmentRuleOutZ
// standard errors wide,
// J⁺(1 + ρ)/(1 + J⁺) ≥ containment_threshold, ρ the size ratio (|A∩B| = J(|A| + |B|)/(1 + J)).
// Monotone in `equal`, so callers may pass an upper bound of the equal positions to skip
// candidates before comparing their slots (LshIndex::ForEachCandidate).
bool TextLinkPlausible(int equal, int num_perm, uint64_t size_a, uint64_t size_b, const VerdictOptions& options);

// One side of a pair: its slot values (as kept, or whole), its set size and its shingle
// filter ("" for none).
struct TextSide {
  std::span<const uint64_t> slots;
  uint64_t set_size = 0;
  std::string_view filter;
};

// What a caller reads of a verdict beyond whether and how the pair is linked.
enum class TextEvidenceNeeded {
  kAll,  // every estimate as measured (compare, explain, tests)
  // A pair that is not linked may have its containment estimate cut short once the filter
  // count can no longer reach the threshold (its containment fields are then a lower bound).
  // Linked pairs get the same verdict and the same figures as with kAll.
  kLinkedOnly,
};

// JudgeText on two sides. kDataLoss if a filter it reads is damaged.
absl::StatusOr<Verdict> JudgeTextSides(const TextSide& a, const TextSide& b, MinHashAlgorithm algorithm,
                                       const VerdictOptions& options,
                                       TextEvidenceNeeded needed = TextEvidenceNeeded::kAll);

}  // namespace neardup::internal

#endif  // NEARDUP_FINGERPRINT_JUDGE_TEXT_H_

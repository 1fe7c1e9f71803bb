// File: internal/judge_text.h
//
// JudgeText (verdict.h) on raw slot values and set sizes, for the Deduplicator, which verifies
// candidates straight from the index's storage without building Signatures.

#ifndef NEARDUP_INTERNAL_JUDGE_TEXT_H_
#define NEARDUP_INTERNAL_JUDGE_TEXT_H_

#include <cstdint>
#include <span>

#include "neardup/verdict.h"

namespace neardup::internal {

// Whether a pair of these set sizes can be linked by its text at all: near needs
// min/max ≥ threshold (Jaccard is at most that), contained needs kMinContainmentSlots slots of
// the smaller set. Lets callers skip the slot comparison.
bool TextLinkPossible(uint64_t size_a, uint64_t size_b, int num_perm, const VerdictOptions& options);

Verdict JudgeTextSlots(std::span<const uint64_t> a, uint64_t size_a, std::span<const uint64_t> b, uint64_t size_b,
                       MinHashAlgorithm algorithm, const VerdictOptions& options);

}  // namespace neardup::internal

#endif  // NEARDUP_INTERNAL_JUDGE_TEXT_H_

// File: sketch/slot_counts.h
//
// One pass over two signatures' slots that gives both the plain Jaccard count and the
// SlotComparison (minhash.h), on raw values: the Deduplicator verifies every candidate of every
// query with it, straight from the index's storage.

#ifndef NEARDUP_SKETCH_SLOT_COUNTS_H_
#define NEARDUP_SKETCH_SLOT_COUNTS_H_

#include <cstdint>
#include <span>

#include "neardup/minhash.h"

namespace neardup::internal {

struct SlotCounts {
  uint32_t equal_all = 0;  // equal slots, densified ones included: EstimateJaccard's count
  SlotComparison slots;
};

SlotCounts CountSlots(std::span<const uint64_t> a, std::span<const uint64_t> b, MinHashAlgorithm algorithm);

// The bin of a 64-bit one-permutation hash among k (k < 2^32): Lemire's fast range on the high
// 32 bits, so bins are chosen by the high bits (which TruncateSignature keeps) and the minimum
// within a bin is decided by the whole hash.
inline size_t OnePermutationBin(uint64_t hash, size_t k) { return static_cast<size_t>(((hash >> 32) * k) >> 32); }

}  // namespace neardup::internal

#endif  // NEARDUP_SKETCH_SLOT_COUNTS_H_

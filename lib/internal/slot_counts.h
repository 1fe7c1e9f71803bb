// File: internal/slot_counts.h
//
// One pass over two signatures' slots that gives both the plain Jaccard count and the
// SlotComparison (minhash.h), on raw values: the Deduplicator verifies every candidate of every
// query with it, straight from the index's storage.

#ifndef NEARDUP_INTERNAL_SLOT_COUNTS_H_
#define NEARDUP_INTERNAL_SLOT_COUNTS_H_

#include <cstdint>
#include <span>

#include "neardup/minhash.h"

namespace neardup::internal {

struct SlotCounts {
  uint32_t equal_all = 0;  // equal slots, densified ones included: EstimateJaccard's count
  SlotComparison slots;
};

SlotCounts CountSlots(std::span<const uint64_t> a, std::span<const uint64_t> b, MinHashAlgorithm algorithm);

}  // namespace neardup::internal

#endif  // NEARDUP_INTERNAL_SLOT_COUNTS_H_

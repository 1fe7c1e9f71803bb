// File: sketch/bag_sketch.h
//
// A document's two sketches from its bag of shingle hashes (repeats allowed, any order): the
// one-permutation signature and the containment sketch. Both are made of the same
// MinHasher::ElementHash of each shingle, so each is computed once; sorted by their top 32
// bits (the kept bits), the hashes give the filter's keys, the sample and the distinct count
// in one pass, where MinHasher::ComputeFromBag counts the distinct values in a hash table.

#ifndef NEARDUP_SKETCH_BAG_SKETCH_H_
#define NEARDUP_SKETCH_BAG_SKETCH_H_

#include <cstdint>
#include <span>

#include "absl/status/status.h"
#include "neardup/containment.h"
#include "neardup/minhash.h"

namespace neardup::internal {

// The signature and sketch of the distinct values of `bag`: equal to hasher's
// ComputeFromBag(bag, params_fingerprint), and to the sketch of the sorted distinct set.
// kFailedPrecondition unless the hasher is kOnePermutation.
absl::Status SketchBag(const MinHasher& hasher, std::span<const uint64_t> bag, uint64_t params_fingerprint,
                       Signature* signature, ContainmentSketch* containment);

}  // namespace neardup::internal

#endif  // NEARDUP_SKETCH_BAG_SKETCH_H_

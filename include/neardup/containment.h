// File: containment.h
//
// What a document keeps so that a copy of it inside a document 10, 100 or 1,000 times its size
// can be found and measured (the `contained` verdict, verdict.h). A MinHash signature of k
// slots cannot: at a size ratio ρ the smaller text holds the union's minimum in about k/(ρ+1)
// slots, 3 of 128 at ρ = 45. So each document also keeps
//
//   sample  the top 32 bits of every one of its shingles' one-permutation hashes
//           (MinHasher::ElementHash) below 2^32 / kContainmentSampleScale: a FracMinHash sketch
//           (Irber, Brooks et al. 2022, "Lightweight compositional analysis of metagenomes
//           with FracMinHash", sourmash's "scaled"). A text contained in another has its
//           sampled shingles in the other's sample too, whatever the size ratio, so shared
//           sample keys find the pair (the Deduplicator's posting table); about one key in 16
//           shingles, so its size grows linearly with the text;
//   filter  every shingle's hash in a Golomb–Rice coded set of about 7.5 bits a shingle
//           (lib/sketch/shingle_filter.h): the smaller document's signature slots, a uniform
//           sample of its shingles, are looked up in the larger one's filter, which measures
//           the containment of the smaller in the larger without the larger's slots.
//
// Both are empty when FingerprintOptions::containment is off or the MinHash algorithm is not
// kOnePermutation (whose slots hold element hashes; kPermutation slots do not).

#ifndef NEARDUP_CONTAINMENT_H_
#define NEARDUP_CONTAINMENT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace neardup {

// One shingle in 16 is sampled. The design study for issue #23 (lib/index/CONTAINMENT_PLAN.md)
// found every licenses-dev pair at containment ≥ 0.9 with this scale at every size ratio;
// a text of n shingles has no sampled key, and can only be found by the signature's bands,
// with probability (15/16)^n: 14% at 30 shingles, 2% at 60, 0.04% at 121 (licenses-dev's
// smallest text).
inline constexpr uint32_t kContainmentSampleScale = 16;

struct ContainmentSketch {
  std::vector<uint32_t> sample;  // ascending, distinct
  std::string filter;            // the coded set of all shingles; "" when not computed
  friend bool operator==(const ContainmentSketch&, const ContainmentSketch&) = default;
};

}  // namespace neardup

#endif  // NEARDUP_CONTAINMENT_H_

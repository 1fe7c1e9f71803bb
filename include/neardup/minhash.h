// File: minhash.h
//
// MinHash signatures: k numbers per document such that the fraction of equal positions in two
// signatures estimates the Jaccard similarity of their shingle sets (Broder 1997). The estimate
// is unbiased with standard error sqrt(J(1-J)/k).
//
// Example:
//   absl::StatusOr<neardup::MinHasher> hasher = neardup::MinHasher::Create({.num_perm = 128});
//   neardup::Signature a = hasher->Compute(shingles_a), b = hasher->Compute(shingles_b);
//   double j = neardup::EstimateJaccard(a, b);
//
// Determinism: the same shingle set and options give the same signature on every platform and
// every future 0.x/1.x version of neardup (the values are pinned by golden tests).

#ifndef NEARDUP_MINHASH_H_
#define NEARDUP_MINHASH_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/statusor.h"

namespace neardup {

enum class MinHashAlgorithm : uint8_t {
  // k independent hash functions, the minimum of each over the set: O(n·k) per document. The
  // reference implementation, and the most accurate on sets smaller than k.
  kPermutation = 1,
  // One permutation hashing (Li, Owen and Zhang 2012): one hash per element splits the hash
  // space into k bins, each keeping its minimum: O(n + k). Bins left empty by small sets are
  // filled by densification: each non-empty bin, in rounds, offers its value to a bin chosen
  // by a hash of (round, bin), and an empty bin takes the first value offered (the fast
  // densification of Mai et al. 2020, O(k log k) whatever the set size, where the per-bin
  // search of Shrivastava's 2017 optimal densification costs O(k²/n)). Same estimator:
  // agreement of positions estimates Jaccard.
  kOnePermutation = 2,
};

inline constexpr uint64_t kDefaultSeed = 0x6e65617264757031ULL;  // "neardup1" in ASCII, first byte highest

// Options for MinHasher.
//
//   option      default        meaning
//   num_perm    128            k, the signature length, from 1 to kMaxNumPerm
//   seed        kDefaultSeed   selects the hash functions; signatures with different seeds
//                              cannot be compared
//   algorithm   kOnePermutation  see MinHashAlgorithm
struct MinHashOptions {
  int num_perm = 128;
  uint64_t seed = kDefaultSeed;
  MinHashAlgorithm algorithm = MinHashAlgorithm::kOnePermutation;
};

inline constexpr int kMaxNumPerm = 4096;

// A document's MinHash signature: k 64-bit values, the size of its shingle set, and a
// fingerprint of every parameter that produced it (options, shingling, normalization, Unicode
// version), so that signatures made differently are never compared by mistake. A value type.
class Signature {
 public:
  Signature() = default;
  Signature(std::vector<uint64_t> values, uint64_t set_size, uint64_t params_fingerprint)
      : values_(std::move(values)), set_size_(set_size), params_fingerprint_(params_fingerprint) {}

  std::span<const uint64_t> values() const { return values_; }
  int size() const { return static_cast<int>(values_.size()); }
  // Number of distinct shingles of the document (exact, not estimated).
  uint64_t set_size() const { return set_size_; }
  uint64_t params_fingerprint() const { return params_fingerprint_; }

  friend bool operator==(const Signature&, const Signature&) = default;

 private:
  std::vector<uint64_t> values_;
  uint64_t set_size_ = 0;
  uint64_t params_fingerprint_ = 0;
};

// Computes signatures. Immutable after Create(); thread-safe; cheap to copy.
class MinHasher {
 public:
  // kInvalidArgument if num_perm is outside [1, kMaxNumPerm] or the algorithm is unknown.
  static absl::StatusOr<MinHasher> Create(const MinHashOptions& options = {});

  // The signature of a shingle set (distinct values; duplicates do no harm but are counted in
  // set_size). O(n·k) for kPermutation, O(n + k log k) for kOnePermutation. `params_fingerprint` is stamped into the signature;
  // by default the fingerprint of this hasher's options.
  Signature Compute(std::span<const uint64_t> shingle_set) const;
  Signature Compute(std::span<const uint64_t> shingle_set, uint64_t params_fingerprint) const;

  // The signature of the set of distinct values in `bag` (repeats allowed, any order):
  // identical to Compute() of the sorted distinct values, with set_size() the distinct count,
  // but with no sort for kOnePermutation (a hash set counts the distinct values).
  Signature ComputeFromBag(std::span<const uint64_t> bag, uint64_t params_fingerprint) const;

  // ComputeFromBag() for kOnePermutation, from ElementHash() of each value of the bag (any
  // order, repeats allowed) and the bag's distinct count: for a caller that needs those hashes
  // anyway (a containment sketch), so that each is computed once. kFailedPrecondition for
  // kPermutation, whose slots do not come from one hash.
  absl::StatusOr<Signature> ComputeFromElementHashes(std::span<const uint64_t> element_hashes, uint64_t distinct,
                                                     uint64_t params_fingerprint) const;

  // The hash a kOnePermutation slot holds for `shingle`: a slot value is the smallest
  // ElementHash of the shingles in its bin. Containment sketches (containment.h) are made of
  // these, so that one document's slots can be looked up among another's shingles.
  uint64_t ElementHash(uint64_t shingle) const;

  const MinHashOptions& options() const { return options_; }
  int num_perm() const { return options_.num_perm; }
  // A stable 64-bit digest of the options.
  uint64_t fingerprint() const { return fingerprint_; }

 private:
  explicit MinHasher(const MinHashOptions& options);

  MinHashOptions options_;
  uint64_t fingerprint_ = 0;
  std::vector<uint64_t> slot_seeds_;  // one per signature position, from SplitMix64(seed)
};

// The fraction of positions where a and b agree: an unbiased estimate of the Jaccard similarity
// of their shingle sets, standard error sqrt(J(1-J)/k). 0 if either set is empty.
// kFailedPrecondition (CheckComparable below) if a and b were made with different parameters.
absl::StatusOr<double> EstimateJaccard(const Signature& a, const Signature& b);

// Estimated containment |A ∩ B| / |A| of a's set in b's, from the Jaccard estimate J and the
// exact set sizes: |A ∩ B| = J(|A| + |B|) / (1 + J). Clamped to [0, 1]. High when `a` is a
// trimmed copy of `b`. Errors as EstimateJaccard's.
absl::StatusOr<double> EstimateContainment(const Signature& a, const Signature& b);

// Containment from a Jaccard value and set sizes (the formula above), for callers that have J.
double ContainmentFromJaccard(double jaccard, uint64_t size_a, uint64_t size_b);

// How the k slots of two signatures compare. In a slot where both documents hold their own
// minimum, the smaller of the two values is the minimum of the union A ∪ B in that slot, a
// uniformly drawn element of the union; whether it is shared (equal values) or lies in one set
// only (that side's value is smaller) says which part of the union it was drawn from. So
//   |A ∩ B| / |A ∪ B| ≈ equal / n,   |A \ B| / |A ∪ B| ≈ a_only / n,   |B \ A| / |A ∪ B| ≈ b_only / n,
// over the n = equal + a_only + b_only informative slots, and the containment of A in B,
// |A ∩ B| / |A|, is about equal / (equal + a_only): a ratio of two counts with binomial error
// sqrt(C(1 - C) / (equal + a_only)), whatever the size ratio of the two sets (the Jaccard-based
// estimate above degrades as the larger set grows). This is the joint estimation of Cohen and
// Kaplan (2009, "Leveraging discarded samples") and Ertl (2021, SetSketch, section 4), applied
// to MinHash slots. A one-permutation slot filled by densification holds another slot's value,
// not its own minimum: it counts as empty (MinHashAlgorithm tells which slots those are).
struct SlotComparison {
  int equal = 0;   // the union's minimum is in both sets
  int a_only = 0;  // ... in A only: a's value is smaller, or b has no element in the slot
  int b_only = 0;  // ... in B only
  // Estimated |A ∩ B| / |A| and |A ∩ B| / |B| (0 when no slot informs them).
  double ContainmentOfA() const { return equal + a_only > 0 ? double(equal) / (equal + a_only) : 0.0; }
  double ContainmentOfB() const { return equal + b_only > 0 ? double(equal) / (equal + b_only) : 0.0; }
};

// Compares the slots of two signatures made by a MinHasher with `algorithm` (an empty
// signature compares as all-empty). Errors as EstimateJaccard's.
absl::StatusOr<SlotComparison> CompareSlots(const Signature& a, const Signature& b, MinHashAlgorithm algorithm);

// What LshIndex and the Deduplicator keep of a signature: each value's top kKeptValueBits
// bits, the low bits cleared (half the memory of full values). The top bits keep the values'
// order and their one-permutation bin, so EstimateJaccard and CompareSlots work unchanged on
// truncated signatures, compared with each other. The price: two different minima of sets of
// n shingles agree on their top 32 bits with probability about n · 2^-32 per slot (a slot's
// minimum lies below about 2^64 / n), counted as equal. At n = 10^5 that is 2 · 10^-5, far
// below the estimator's own error sqrt(J(1 - J) / k). Truncating twice changes nothing.
inline constexpr int kKeptValueBits = 32;
Signature TruncateSignature(const Signature& signature);
constexpr uint64_t TruncateValue(uint64_t value) { return value & ~((uint64_t{1} << (64 - kKeptValueBits)) - 1); }
// The kept bits as a 4-byte number, as indexes and files store them, and back to a value
// (TruncateValue of the original).
constexpr uint32_t KeptBits(uint64_t value) { return static_cast<uint32_t>(value >> (64 - kKeptValueBits)); }
constexpr uint64_t FromKeptBits(uint32_t kept) { return uint64_t{kept} << (64 - kKeptValueBits); }

// kFailedPrecondition if a and b were not made with the same parameters (the messages name the
// two fingerprints or lengths); OK otherwise.
absl::Status CheckComparable(const Signature& a, const Signature& b);

}  // namespace neardup

#endif  // NEARDUP_MINHASH_H_

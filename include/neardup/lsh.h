// File: lsh.h
//
// Locality-sensitive hashing over MinHash signatures: the k positions are cut into b bands;
// two documents become candidates when all positions of at least one band agree. A pair of
// similarity s is found with probability P(s) = 1 - Π_bands (1 - s^rows). Candidates are then
// verified on the stored signatures, so only pairs at or above the similarity threshold are
// returned.
//
// Example:
//   absl::StatusOr<neardup::LshIndex> index = neardup::LshIndex::Create({.threshold = 0.8});
//   index->Add(1, signature_1);
//   absl::StatusOr<std::vector<neardup::Candidate>> hits = index->Query(signature_2);
//
// What is kept: each value's top 32 bits (TruncateSignature in minhash.h), 4 bytes a position,
// and about 10 bytes a band for the buckets. Query compares on those bits, and Get returns
// them with the low bits cleared.
//
// Thread-safety: LshIndex is internally synchronized. Query, Contains and size may run
// concurrently from any number of threads; Add and Remove take an exclusive lock and may be
// called from any thread. Moving an index is not synchronized.

#ifndef NEARDUP_LSH_H_
#define NEARDUP_LSH_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "neardup/minhash.h"

namespace neardup {

// Options for choosing the banding.
//
//   option                  default  meaning
//   num_perm                128      k, the signature length the index accepts
//   threshold               0.8      estimated Jaccard at or above which a pair is a duplicate
//   false_positive_weight   0.05     weight of ∫_0^t P(s) ds (candidates below the threshold;
//                                    they cost verification time only, never wrong output)
//   false_negative_weight   0.95     weight of ∫_t^1 (1 - P(s)) ds (duplicates never seen)
//   num_bands               0        0 = choose the bands minimizing the weighted sum; else fixed
//   max_bucket_scan         0        0 = every document sharing a band is a candidate; else only
//                                    the last max_bucket_scan added to each band's bucket. Bounds
//                                    the cost of a query when thousands of documents share a
//                                    band (boilerplate), at the price of missing older members of
//                                    such crowds. Not serialized; a decoded index has 0.
//
// Every one of the k positions is used: with b bands, k mod b bands get one row more. The
// defaults favour recall because candidates are verified: at k = 128 and threshold 0.8 they
// give 16 bands of 8 rows, P(0.8) = 0.947, P(0.85) = 0.994, P(0.5) = 0.061.
struct LshOptions {
  int num_perm = 128;
  double threshold = 0.8;
  double false_positive_weight = 0.05;
  double false_negative_weight = 0.95;
  int num_bands = 0;
  uint32_t max_bucket_scan = 0;
};

// The banding of k positions into bands of (nearly) equal rows. Made by ChooseLshParams,
// which checks the numbers.
class LshParams {
 public:
  LshParams() = default;

  int num_perm() const { return num_perm_; }
  int num_bands() const { return num_bands_; }
  // Rows of band `band`: num_perm / num_bands, plus one for the first num_perm % num_bands.
  int rows(int band) const;
  // Index of the first signature position of `band`.
  int band_begin(int band) const;
  // P(s): the probability that a pair of Jaccard similarity s shares at least one band.
  double DetectionProbability(double s) const;
  // Weighted error integrals of this banding at `threshold`.
  double FalsePositiveArea(double threshold) const;
  double FalseNegativeArea(double threshold) const;

 private:
  friend absl::StatusOr<LshParams> ChooseLshParams(const LshOptions& options);
  LshParams(int num_perm, int num_bands);

  int num_perm_ = 0;
  int num_bands_ = 0;
};

// The banding minimizing the weighted error area (or the fixed num_bands). kInvalidArgument if
// the options are out of range (threshold outside (0, 1], negative weights, num_bands > num_perm).
absl::StatusOr<LshParams> ChooseLshParams(const LshOptions& options);

// A verified match from LshIndex::Query.
struct Candidate {
  uint64_t id = 0;
  double similarity = 0;  // estimated Jaccard
  friend bool operator==(const Candidate&, const Candidate&) = default;
};

class LshIndex {
 public:
  static absl::StatusOr<LshIndex> Create(const LshOptions& options = {});
  LshIndex(LshIndex&&) noexcept;
  LshIndex& operator=(LshIndex&&) noexcept;
  ~LshIndex();

  // Adds `signature` under `id`. Errors: kAlreadyExists (id present), kInvalidArgument (length
  // is not num_perm), kFailedPrecondition (params fingerprint differs from the first signature
  // added: signatures made with other options). O(b) expected.
  absl::Status Add(uint64_t id, const Signature& signature);

  // Removes `id`; kNotFound if absent. O(b · bucket size).
  absl::Status Remove(uint64_t id);

  // Ids whose estimated Jaccard with `signature` is at least `min_similarity` (default: the
  // threshold), best first (ties by id). Pairs are found with probability
  // params().DetectionProbability(s). Same errors as Add for mismatched signatures.
  absl::StatusOr<std::vector<Candidate>> Query(const Signature& signature,
                                               std::optional<double> min_similarity = {}) const;

  // Calls `visit(id, values, set_size)` with the stored signature of every id sharing a band
  // with `signature`, in ascending id order, under the index's reader lock (so `visit` must not
  // call back into the index; `values` is valid during the call only): for callers that verify
  // candidates by their own rule (the Deduplicator's containment). `plausible(equal, set_size)`
  // first sees, for each candidate, the number of positions where its kept values equal those
  // of `signature`, and its set size; candidates it rejects are never restored to 64-bit
  // values. `also` names more candidates (found another way; ids not in the index are
  // skipped), visited in the same order and at most once each. Same errors as Query.
  absl::Status ForEachCandidate(
      const Signature& signature, std::span<const uint64_t> also,
      absl::FunctionRef<bool(int agree, uint64_t set_size)> plausible,
      absl::FunctionRef<void(uint64_t id, std::span<const uint64_t> values, uint64_t set_size)> visit) const;


  // A consistent copy of the index's contents, taken under one lock (an Add or Remove runs
  // wholly before or after it): the params fingerprint and every id with its signature, ids
  // ascending. EncodeLshIndex writes one.
  struct Snapshot {
    std::optional<uint64_t> params_fingerprint;
    std::vector<std::pair<uint64_t, Signature>> entries;
  };
  Snapshot TakeSnapshot() const;

  // The stored signature of `id` (truncated: TruncateSignature); kNotFound if absent.
  absl::StatusOr<Signature> Get(uint64_t id) const;
  // Every id, ascending.
  std::vector<uint64_t> Ids() const;

  // Fixes the params fingerprint that signatures must carry, as the first Add does (a decoded
  // index whose documents were all removed keeps it). kFailedPrecondition if another is fixed.
  absl::Status PinParamsFingerprint(uint64_t fingerprint);

  // The params fingerprint every signature in the index shares; empty until the first Add.
  std::optional<uint64_t> params_fingerprint() const;

  bool Contains(uint64_t id) const;
  size_t size() const;
  // Approximate bytes held: signatures, bucket tables, id map.
  size_t MemoryUsage() const;
  const LshParams& params() const;
  const LshOptions& options() const;

 private:
  struct Impl;
  explicit LshIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace neardup

#endif  // NEARDUP_LSH_H_

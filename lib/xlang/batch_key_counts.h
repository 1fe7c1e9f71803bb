// File: xlang/batch_key_counts.h
//
// The anchor keys of a batch of documents about to be added, so that each document of the
// batch can be verified, on any thread, against the collection as it will stand when it is
// added: the collection before the batch (frozen while the batch is verified) plus the batch's
// documents up to and including it (a document counts in its own weights, as Add counts it).
// The view's document frequencies are the sums, its document count too: the weights, the
// boilerplate tails and so the verdicts are those Add computes, bit for bit.

#ifndef NEARDUP_XLANG_BATCH_KEY_COUNTS_H_
#define NEARDUP_XLANG_BATCH_KEY_COUNTS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "neardup/translation.h"

namespace neardup::internal {

class BatchKeyCounts {
 public:
  // A batch's positions are the bits of a 64-bit mask.
  static constexpr size_t kMaxDocuments = 64;

  // Counts `profile`'s keys (AnchorWeights::CountedKeys) as the document at `position`
  // (< kMaxDocuments, each position once).
  void Add(size_t position, const AnchorProfile& profile);

  // `base` as AddDocument would leave it after the batch's documents at positions up to and
  // including `position`: a read-only view, valid while `base` and this object are unchanged.
  AnchorWeights AsOf(const AnchorWeights& base, size_t position) const;

  // How many of the documents at the positions of `documents` (bits) hold `key`.
  uint32_t Count(uint64_t key, uint64_t documents) const;

 private:
  // A bit per key hash bucket: most keys a verdict reads are in no document of the batch, and
  // this answers them from 16 KB instead of the map (whose lookups made the batch's
  // verification 12% costlier than Add's, in instructions, on the perf corpus).
  static constexpr int kFilterBits = 17;
  static size_t FilterBit(uint64_t key) { return static_cast<size_t>((key * 0x9e3779b97f4a7c15ULL) >> (64 - kFilterBits)); }

  absl::flat_hash_map<uint64_t, uint64_t> holders_;  // key -> positions holding it (bits)
  std::vector<uint64_t> filter_ = std::vector<uint64_t>((size_t{1} << kFilterBits) / 64, 0);
  uint64_t counted_ = 0;                              // positions added (bits)
};

}  // namespace neardup::internal

#endif  // NEARDUP_XLANG_BATCH_KEY_COUNTS_H_

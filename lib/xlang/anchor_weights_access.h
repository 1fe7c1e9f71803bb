// File: xlang/anchor_weights_access.h
//
// AnchorWeights made from counts kept elsewhere. The Dask path (python/neardup/dask.py)
// counts document frequencies on the workers, as of the time each document was added, and
// judges a pair with weights that know only the keys the verdict reads: those of the two
// profiles (anchor keys and tail keys). For those keys, the verdict is the one the
// Deduplicator reaches with its whole table.

#ifndef NEARDUP_XLANG_ANCHOR_WEIGHTS_ACCESS_H_
#define NEARDUP_XLANG_ANCHOR_WEIGHTS_ACCESS_H_

#include <cstdint>
#include <span>
#include <vector>

#include "neardup/translation.h"

namespace neardup::internal {

struct AnchorWeightsAccess {
  // Weights over `num_documents` documents in which keys[i] occurs in document_frequency[i]
  // (a key not given occurs in none). The spans have one size.
  static AnchorWeights FromCounts(uint64_t num_documents, std::span<const uint64_t> keys,
                                  std::span<const uint32_t> document_frequency);
};

// The keys AnchorWeights::AddDocument counts for `profile`, each once, in increasing order:
// its anchor keys and its tail paragraphs' keys.
std::vector<uint64_t> DocumentKeys(const AnchorProfile& profile);

}  // namespace neardup::internal

#endif  // NEARDUP_XLANG_ANCHOR_WEIGHTS_ACCESS_H_

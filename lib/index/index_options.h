// File: index/index_options.h
//
// The banding of the Deduplicator's text and translation indexes, decided in one place
// (index/dedup_options.cc) for the Deduplicator and for the Python binding's Dask path, which
// must find the same candidates.

#ifndef NEARDUP_INDEX_INDEX_OPTIONS_H_
#define NEARDUP_INDEX_INDEX_OPTIONS_H_

#include "neardup/dedup_options.h"
#include "neardup/lsh.h"

namespace neardup::internal {

// Whether containment is judged with containment sketches (containment.h): containment on,
// fingerprint.containment, and one-permutation MinHash. Then the text index is banded for
// near duplicates alone, and containment candidates come from the sample keys' postings.
bool UsesContainmentSketches(const DedupOptions& options);

// options.lsh with num_perm from the fingerprint options; with containment judged on the
// slots (on, without sketches, and no num_bands given), bands of kContainmentBandRows rows,
// scanning the kContainmentBucketScan newest members of a bucket.
LshOptions TextIndexOptions(const DedupOptions& options);

// options.translation_lsh with num_perm from the fingerprint options.
LshOptions TranslationIndexOptions(const DedupOptions& options);

}  // namespace neardup::internal

#endif  // NEARDUP_INDEX_INDEX_OPTIONS_H_

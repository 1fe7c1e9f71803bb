// File: index/band_key.h
//
// How LSH reads a signature's kept values (the top 32 bits of each value, TruncateSignature):
// the bucket key of one band, which LshIndex files signatures under and the Python binding's
// Dask path shuffles by; and the count of equal values, which ranks LshIndex::Query's
// candidates there and in the Dask path. So both find and rank the same candidates.

#ifndef NEARDUP_INDEX_BAND_KEY_H_
#define NEARDUP_INDEX_BAND_KEY_H_

#include <cstdint>

#include "text/hash.h"
#include "neardup/lsh.h"

namespace neardup::internal {

inline uint32_t BandKey(const uint32_t* kept, const LshParams& params, int band) {
  uint64_t acc = kCombineInit;
  const int begin = params.band_begin(band), end = begin + params.rows(band);
  for (int i = begin; i < end; ++i) acc = CombineStep(acc, kept[i]);
  return static_cast<uint32_t>(CombineFinish(acc, static_cast<uint64_t>(band)) >> 32);
}

// How many of the k slots of `a` and `b` hold equal kept values.
inline int EqualKeptValues(const uint32_t* a, const uint32_t* b, int k) {
  int equal = 0;
  for (int i = 0; i < k; ++i) equal += (a[i] == b[i]);
  return equal;
}

}  // namespace neardup::internal

#endif  // NEARDUP_INDEX_BAND_KEY_H_

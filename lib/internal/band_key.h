// File: internal/band_key.h
//
// The bucket key of one LSH band of a signature's kept values (the top 32 bits of each value,
// TruncateSignature): LshIndex files signatures under it, and the Python binding's Dask path
// shuffles by it, so both find the same candidates.

#ifndef NEARDUP_INTERNAL_BAND_KEY_H_
#define NEARDUP_INTERNAL_BAND_KEY_H_

#include <cstdint>

#include "internal/hash.h"
#include "neardup/lsh.h"

namespace neardup::internal {

inline uint32_t BandKey(const uint32_t* kept, const LshParams& params, int band) {
  uint64_t acc = kCombineInit;
  const int begin = params.band_begin(band), end = begin + params.rows(band);
  for (int i = begin; i < end; ++i) acc = CombineStep(acc, kept[i]);
  return static_cast<uint32_t>(CombineFinish(acc, static_cast<uint64_t>(band)) >> 32);
}

}  // namespace neardup::internal

#endif  // NEARDUP_INTERNAL_BAND_KEY_H_

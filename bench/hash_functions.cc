// The benchmarks' one translation unit with xxHash (Debian's libxxhash-dev has no CMake
// config; XXH_INLINE_ALL makes it header-only here).
#include "hash_functions.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace neardup::bench {

uint64_t Xxh3(const void* data, size_t size, uint64_t seed) { return XXH3_64bits_withSeed(data, size, seed); }
uint64_t Xxh64(const void* data, size_t size, uint64_t seed) { return XXH64(data, size, seed); }
uint32_t Xxh32(const void* data, size_t size, uint32_t seed) { return XXH32(data, size, seed); }
uint64_t Xxh128Folded(const void* data, size_t size, uint64_t seed) {
  const XXH128_hash_t h = XXH3_128bits_withSeed(data, size, seed);
  return h.low64 ^ h.high64;
}

}  // namespace neardup::bench

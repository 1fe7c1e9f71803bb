// The only translation unit that includes xxHash. Debian's libxxhash-dev has no CMake config,
// and XXH_INLINE_ALL makes every function static inline here, so nothing is linked.
#include "text/hash.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace neardup::internal {

uint64_t Hash64(std::string_view bytes, uint64_t seed) {
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
}
uint64_t Hash64(const void* data, size_t size, uint64_t seed) {
  return XXH3_64bits_withSeed(data, size, seed);
}
void HashTokens(std::string_view text, std::span<const Token> tokens, uint64_t seed, uint64_t* out) {
  // One loop with XXH3 inlined: a call per token would cost as much as hashing a short word.
  for (const Token& t : tokens) *out++ = XXH3_64bits_withSeed(text.data() + t.begin, t.end - t.begin, seed);
}
std::string Hash128Bytes(std::string_view bytes) {
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits(bytes.data(), bytes.size()));
  return std::string(reinterpret_cast<const char*>(canonical.digest), sizeof canonical.digest);
}

}  // namespace neardup::internal

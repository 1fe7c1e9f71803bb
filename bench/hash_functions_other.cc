// The hash functions from libraries other than xxHash, each behind the one signature of
// hash_functions.h, and the table of all compiled-in functions. Each library is compiled in
// when bench/CMakeLists.txt found it (NEARDUP_BENCH_HAVE_<LIBRARY>), so a machine lacking one
// still builds the rest. Only neardup_bench compiles this file (neardup_corpus_bench needs
// XXH3 alone, from hash_functions.cc).
#include "hash_functions.h"

#ifdef NEARDUP_BENCH_HAVE_MURMURHASH
#include <murmurhash.h>  // libmurmurhash-dev
#endif
#ifdef NEARDUP_BENCH_HAVE_FARMHASH
#include <farmhash.h>  // libfarmhash-dev: namespace util (NAMESPACE_FOR_HASH_FUNCTIONS)
#endif
#ifdef NEARDUP_BENCH_HAVE_HIGHWAYHASH
#include <highwayhash/c_bindings.h>  // libhighwayhash-dev
#endif
#ifdef NEARDUP_BENCH_HAVE_WYHASH
#include <wyhash/wyhash.h>  // libwyhash-dev, header only
#endif

namespace neardup::bench {
namespace {

// Fixed key words beside the seed for the keyed functions (any constants do).
constexpr uint64_t kKey1 = 0x0123456789abcdefULL;
constexpr uint64_t kKey2 = 0xfedcba9876543210ULL;
constexpr uint64_t kKey3 = 0x243f6a8885a308d3ULL;

uint64_t Xxh32Widened(const void* data, size_t size, uint64_t seed) {
  return Xxh32(data, size, static_cast<uint32_t>(seed));
}

#ifdef NEARDUP_BENCH_HAVE_MURMURHASH
uint64_t Murmur3Folded(const void* data, size_t size, uint64_t seed) {
  uint64_t out[2];
  lmmh_x64_128(data, static_cast<unsigned>(size), static_cast<uint32_t>(seed), out);
  return out[0] ^ out[1];
}
#endif

#ifdef NEARDUP_BENCH_HAVE_FARMHASH
uint64_t Farm64(const void* data, size_t size, uint64_t seed) {
  return util::Hash64WithSeed(static_cast<const char*>(data), size, seed);
}
#endif

#ifdef NEARDUP_BENCH_HAVE_HIGHWAYHASH
uint64_t Highway64(const void* data, size_t size, uint64_t seed) {
  const HHKey key = {seed, kKey1, kKey2, kKey3};
  return HighwayHash64(key, static_cast<const char*>(data), size);
}
uint64_t SipHash24(const void* data, size_t size, uint64_t seed) {
  const uint64_t key[2] = {seed, kKey1};
  return SipHashC(key, static_cast<const char*>(data), size);
}
uint64_t SipHash13(const void* data, size_t size, uint64_t seed) {
  const uint64_t key[2] = {seed, kKey1};
  return SipHash13C(key, static_cast<const char*>(data), size);
}
#endif

#ifdef NEARDUP_BENCH_HAVE_WYHASH
uint64_t WyHash(const void* data, size_t size, uint64_t seed) { return wyhash(data, size, seed, _wyp); }
#endif

constexpr HashFunctionInfo kFunctions[] = {
    {"XXH3_64", &Xxh3},
    {"XXH64", &Xxh64},
    {"XXH32", &Xxh32Widened},
    {"XXH128", &Xxh128Folded},
#ifdef NEARDUP_BENCH_HAVE_MURMURHASH
    {"MurmurHash3_x64_128", &Murmur3Folded},
#endif
#ifdef NEARDUP_BENCH_HAVE_FARMHASH
    {"FarmHash64", &Farm64},
#endif
#ifdef NEARDUP_BENCH_HAVE_HIGHWAYHASH
    {"HighwayHash64", &Highway64},
    {"SipHash-2-4", &SipHash24},
    {"SipHash-1-3", &SipHash13},
#endif
#ifdef NEARDUP_BENCH_HAVE_WYHASH
    {"wyhash", &WyHash},
#endif
};

}  // namespace

std::span<const HashFunctionInfo> HashFunctions() { return kFunctions; }

}  // namespace neardup::bench

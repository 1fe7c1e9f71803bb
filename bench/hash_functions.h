// File: bench/hash_functions.h
//
// The hash functions the benchmarks compare, called straight from their libraries (not through
// neardup, which hides xxHash behind lib/text/hash.cc): the reference a figure of ours is a
// ratio to ("our MB/s against raw XXH3 over the same bytes").
//
// xxHash is always there (hash_functions.cc, header-only). The others come from Debian's -dev
// packages and are compiled in when bench/CMakeLists.txt finds them (hash_functions_other.cc,
// NEARDUP_BENCH_HAVE_*): libmurmurhash-dev, libfarmhash-dev, libhighwayhash-dev, libwyhash-dev.

#ifndef NEARDUP_BENCH_HASH_FUNCTIONS_H_
#define NEARDUP_BENCH_HASH_FUNCTIONS_H_

#include <cstddef>
#include <cstdint>
#include <span>

namespace neardup::bench {

uint64_t Xxh3(const void* data, size_t size, uint64_t seed);  // XXH3-64: what neardup's shingles use
uint64_t Xxh64(const void* data, size_t size, uint64_t seed);
uint32_t Xxh32(const void* data, size_t size, uint32_t seed);
uint64_t Xxh128Folded(const void* data, size_t size, uint64_t seed);  // XXH3-128, halves xor-ed

// One signature for every function, so each is benchmarked through the same indirect call in
// the same loop. 128-bit results are folded (halves xor-ed); 32-bit seeds take the seed's low
// bits; keyed functions (HighwayHash, SipHash) take the seed as the first key word.
using HashFn = uint64_t (*)(const void* data, size_t size, uint64_t seed);

struct HashFunctionInfo {
  const char* name;  // as in the benchmark names: BM_HashKey/<name>/<bytes>
  HashFn fn;
};

// The compiled-in functions, in a fixed order: the xxHash family first, then MurmurHash3,
// FarmHash, HighwayHash, SipHash-2-4, SipHash-1-3 and wyhash where their libraries were found.
std::span<const HashFunctionInfo> HashFunctions();

}  // namespace neardup::bench

#endif  // NEARDUP_BENCH_HASH_FUNCTIONS_H_

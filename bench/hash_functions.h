// File: bench/hash_functions.h
//
// The hash functions the benchmarks compare, called straight from their libraries (not through
// neardup, which hides xxHash behind lib/text/hash.cc): the reference a figure of ours is a
// ratio to ("our MB/s against raw XXH3 over the same bytes").

#ifndef NEARDUP_BENCH_HASH_FUNCTIONS_H_
#define NEARDUP_BENCH_HASH_FUNCTIONS_H_

#include <cstddef>
#include <cstdint>

namespace neardup::bench {

uint64_t Xxh3(const void* data, size_t size, uint64_t seed);  // XXH3-64: what neardup's shingles use
uint64_t Xxh64(const void* data, size_t size, uint64_t seed);
uint32_t Xxh32(const void* data, size_t size, uint32_t seed);
uint64_t Xxh128Folded(const void* data, size_t size, uint64_t seed);  // XXH3-128, halves xor-ed

}  // namespace neardup::bench

#endif  // NEARDUP_BENCH_HASH_FUNCTIONS_H_

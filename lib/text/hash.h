// File: text/hash.h
//
// The library's hash functions. xxHash is included (with XXH_INLINE_ALL) only in hash.cc, so
// no other file depends on its headers. Everything here is stable: the values are part of the
// on-disk format and of golden tests, and must not change for a given input and seed.

#ifndef NEARDUP_TEXT_HASH_H_
#define NEARDUP_TEXT_HASH_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "neardup/tokenize.h"

namespace neardup::internal {

// XXH3-64 of `bytes` with `seed`.
uint64_t Hash64(std::string_view bytes, uint64_t seed);
uint64_t Hash64(const void* data, size_t size, uint64_t seed);

// Hash64 of each token's bytes in `text`, written to out[0 .. tokens.size()).
void HashTokens(std::string_view text, std::span<const Token> tokens, uint64_t seed, uint64_t* out);

// XXH3-128 of `bytes` (seed 0), its 16 bytes in xxHash's canonical (big-endian) order.
std::string Hash128Bytes(std::string_view bytes);

// A bijective 64-bit finalizer (MurmurHash3's fmix64): every output bit depends on every
// input bit. Being a bijection, min over Mix64(x ^ s) is the minimum of a true permutation.
constexpr uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// SplitMix64 step: derives independent per-slot seeds from one user seed (as StringZilla does).
constexpr uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr uint64_t RotateLeft(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// Order-sensitive combination of token hashes into a shingle hash: Combine(a, b) != Combine(b, a).
// Start with kCombineInit, feed each token hash, then Finish.
inline constexpr uint64_t kCombineInit = 0x243f6a8885a308d3ULL;  // pi's fractional bits
constexpr uint64_t CombineStep(uint64_t acc, uint64_t token_hash) {
  return (RotateLeft(acc, 23) ^ token_hash) * 0x9e3779b97f4a7c15ULL;
}
constexpr uint64_t CombineFinish(uint64_t acc, uint64_t count) { return Mix64(acc ^ count); }

}  // namespace neardup::internal

#endif  // NEARDUP_TEXT_HASH_H_

// File: shingle.h
//
// Shingling: the set of overlapping n-grams of a document, each hashed to 64 bits. Two documents'
// similarity is the Jaccard similarity of their shingle sets.
//
// Word shingles hash every token once (XXH3-64, seeded) and combine `size` consecutive token
// hashes into a shingle hash with an order-sensitive mix, so a shingle costs a few multiplies,
// not a rehash of its bytes. Character shingles hash `size` consecutive code points of the
// tokens joined by single spaces (punctuation and spacing never matter).
//
// Short texts: a document with fewer than `size` tokens (or code points) yields exactly one
// shingle made of all of them, so short texts still match identical short texts; a document
// with no tokens yields the empty set.
//
// Example:
//   std::string text = *neardup::Normalize(raw);
//   std::vector<uint64_t> set = neardup::ShingleSet(text, neardup::Tokenize(text), {}, seed);

#ifndef NEARDUP_SHINGLE_H_
#define NEARDUP_SHINGLE_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "neardup/tokenize.h"

namespace neardup {

enum class ShingleKind : uint8_t {
  kWord = 1,       // n consecutive tokens
  kCharacter = 2,  // n consecutive code points of the space-joined tokens
};

// Options for shingling.
//
//   option   default   meaning
//   kind     kWord     see ShingleKind
//   size     5         n, from 1 to kMaxShingleSize
struct ShingleOptions {
  ShingleKind kind = ShingleKind::kWord;
  int size = 5;
};

inline constexpr int kMaxShingleSize = 64;

// kInvalidArgument if `options` are out of range.
absl::Status ValidateShingleOptions(const ShingleOptions& options);

// The shingle set of `text` (normalized UTF-8) given its `tokens`: distinct 64-bit shingle
// hashes, sorted ascending. `options` must be valid. Deterministic: the same text, tokens,
// options and seed give the same set on every platform and every future 0.x/1.x version.
std::vector<uint64_t> ShingleSet(std::string_view text, std::span<const Token> tokens,
                                 const ShingleOptions& options, uint64_t seed);

// The same shingle hashes in text order, repeats included: cheaper when the consumer does not
// need a set (MinHasher::ComputeFromBag).
std::vector<uint64_t> ShingleHashes(std::string_view text, std::span<const Token> tokens,
                                    const ShingleOptions& options, uint64_t seed);

}  // namespace neardup

#endif  // NEARDUP_SHINGLE_H_

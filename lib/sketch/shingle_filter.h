// File: sketch/shingle_filter.h
//
// A compact set of all of a document's shingles, for the containment verdict: a Golomb–Rice
// coded set (Putze, Sanders and Singler 2009, "Cache-, hash- and space-efficient Bloom
// filters", section 4; the "GCS" of Bitcoin's BIP 158). Each of the n keys is mapped to
// [0, n·2^P) by Lemire's fast range, the mapped values are sorted, and their gaps written as a
// unary quotient and P remainder bits: about P + 1.5 bits a key. A key not in the set is
// reported present with probability 1 - e^(-2^-P) (FalsePositiveRate), a key in it always.
//
// Keys are the top 32 bits of one-permutation hashes (MinHasher::ElementHash), which is what a
// signature's slots keep (TruncateSignature): a slot value of one document can be looked up in
// the filter of another.
//
// Format: varint n (the key count the range is sized for), varint count of coded values, then
// the bit stream, least significant bit first. Decoding checks every bound: damaged bytes are
// kDataLoss, never a crash (filters come from stores and from Python).

#ifndef NEARDUP_SKETCH_SHINGLE_FILTER_H_
#define NEARDUP_SKETCH_SHINGLE_FILTER_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace neardup::internal {

// P, the remainder bits: a false positive rate of 1.55% at 7.5 bits a key. Each false hit
// raises a containment estimate by at most that rate, which the verdict subtracts again
// (ContainmentVerdict); 1/64 keeps the correction's own noise well under the sampling error
// of 128 slots, and the filter under 8 bits a shingle, the budget of issue #23's design study.
inline constexpr int kFilterRemainderBits = 6;

// The filter of `keys`, sorted ascending (repeats allowed). The empty set gives a filter too.
std::string EncodeShingleFilter(std::span<const uint32_t> sorted_keys);

// How many of `sorted_probes` (ascending, repeats counted each time) the filter reports
// present. kDataLoss if `filter` is not a well-formed filter. With `needed` > 0, decoding stops
// as soon as fewer than `needed` hits are possible, and the count so far (below `needed`) is
// returned: a caller that only asks whether a count reaches `needed` reads less of the filter
// (and the rest of it goes unchecked).
absl::StatusOr<uint32_t> CountInFilter(std::string_view filter, std::span<const uint32_t> sorted_probes,
                                       uint32_t needed = 0);

// The chance that a key not in the set is reported present: 1 - e^(-2^-P) ≈ 0.0155.
double FilterFalsePositiveRate();

}  // namespace neardup::internal

#endif  // NEARDUP_SKETCH_SHINGLE_FILTER_H_

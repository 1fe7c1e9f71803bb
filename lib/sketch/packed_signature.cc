#include "neardup/packed_signature.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"

namespace neardup {
namespace {

absl::Status CheckBits(int bits) {
  if (bits >= 1 && bits <= 32 && std::has_single_bit(static_cast<unsigned>(bits))) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("bits must be 1, 2, 4, 8, 16 or 32, got ", bits));
}

size_t WordsFor(int size, int bits) { return (static_cast<size_t>(size) * static_cast<size_t>(bits) + 63) / 64; }

uint64_t LowMask(int bits) { return (uint64_t{1} << bits) - 1; }  // bits <= 32 (CheckBits)

// Unequal fields, a word at a time: fold each field of x ^ y onto its lowest bit (shifts 1,
// 2, 4... stay within the field), then count those bits. Unused bits are 0 on both sides.
template <int kBits>
size_t CountUnequal(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  constexpr uint64_t kLowestBits = [] {
    uint64_t m = 0;
    for (int f = 0; f < 64; f += kBits) m |= uint64_t{1} << f;
    return m;
  }();
  size_t unequal = 0;
  for (size_t w = 0; w < a.size(); ++w) {
    uint64_t diff = a[w] ^ b[w];
    for (int shift = 1; shift < kBits; shift <<= 1) diff |= diff >> shift;
    if constexpr (kBits >= 8) {
      // At most 8 fields: a multiply sums the 0/1 lowest bits into the top field.
      unequal += static_cast<size_t>(((diff & kLowestBits) * kLowestBits) >> (64 - kBits));
    } else {
      unequal += static_cast<size_t>(std::popcount(diff & kLowestBits));
    }
  }
  return unequal;
}

}  // namespace

absl::StatusOr<PackedSignature> PackedSignature::Pack(const Signature& signature, int bits) {
  if (absl::Status s = CheckBits(bits); !s.ok()) return s;
  PackedSignature p;
  p.bits_ = bits;
  p.size_ = signature.size();
  p.set_size_ = signature.set_size();
  p.params_fingerprint_ = signature.params_fingerprint();
  p.words_.assign(WordsFor(p.size_, bits), 0);
  const uint64_t mask = LowMask(bits);
  const auto values = signature.values();
  for (size_t i = 0; i < values.size(); ++i) {
    const size_t bit = i * static_cast<size_t>(bits);
    p.words_[bit / 64] |= (values[i] & mask) << (bit % 64);
  }
  return p;
}

absl::StatusOr<PackedSignature> PackedSignature::FromWords(std::vector<uint64_t> words, int bits, int size,
                                                           uint64_t set_size, uint64_t params_fingerprint) {
  if (absl::Status s = CheckBits(bits); !s.ok()) return s;
  if (size < 0 || words.size() != WordsFor(size, bits)) {
    return absl::DataLossError(absl::StrCat("a packed signature of ", size, " values of ", bits, " bits needs ",
                                            size < 0 ? 0 : WordsFor(size, bits), " words, got ", words.size()));
  }
  // Bits past the last value must be 0: equal signatures then have equal words.
  const size_t used = static_cast<size_t>(size) * static_cast<size_t>(bits) % 64;
  if (used != 0 && (words.back() >> used) != 0) {
    return absl::DataLossError("a packed signature has bits set past its last value");
  }
  PackedSignature p;
  p.words_ = std::move(words);
  p.bits_ = bits;
  p.size_ = size;
  p.set_size_ = set_size;
  p.params_fingerprint_ = params_fingerprint;
  return p;
}

uint64_t PackedSignature::value(int i) const {
  const size_t bit = static_cast<size_t>(i) * static_cast<size_t>(bits_);
  return (words_[bit / 64] >> (bit % 64)) & LowMask(bits_);
}

absl::StatusOr<double> EstimateJaccard(const PackedSignature& a, const PackedSignature& b) {
  if (a.params_fingerprint() != b.params_fingerprint() || a.size() != b.size() || a.bits() != b.bits()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "packed signatures differ in parameters: ", a.size(), " values of ", a.bits(), " bits (fingerprint ",
        absl::Hex(a.params_fingerprint(), absl::kZeroPad16), ") vs ", b.size(), " of ", b.bits(), " bits (",
        absl::Hex(b.params_fingerprint(), absl::kZeroPad16), ")"));
  }
  if (a.set_size() == 0 || b.set_size() == 0 || a.size() == 0) return 0.0;
  const int bits = a.bits();
  size_t unequal = 0;
  switch (bits) {
    case 1: unequal = CountUnequal<1>(a.words(), b.words()); break;
    case 2: unequal = CountUnequal<2>(a.words(), b.words()); break;
    case 4: unequal = CountUnequal<4>(a.words(), b.words()); break;
    case 8: unequal = CountUnequal<8>(a.words(), b.words()); break;
    case 16: unequal = CountUnequal<16>(a.words(), b.words()); break;
    default: unequal = CountUnequal<32>(a.words(), b.words()); break;
  }
  const size_t equal = static_cast<size_t>(a.size()) - unequal;
  const double chance = std::ldexp(1.0, -bits);
  const double agreement = static_cast<double>(equal) / a.size();
  return std::clamp((agreement - chance) / (1.0 - chance), 0.0, 1.0);
}

double PackedStandardError(double jaccard, int num_perm, int bits) {
  if (num_perm < 1 || bits < 1 || bits > 32) return std::numeric_limits<double>::quiet_NaN();
  const double chance = std::ldexp(1.0, -bits);
  const double p = jaccard + (1.0 - jaccard) * chance;
  return std::sqrt(p * (1.0 - p) / num_perm) / (1.0 - chance);
}

}  // namespace neardup

// File: packed_signature.h
//
// b-bit minwise hashing (Li and König 2010): a signature that keeps only the lowest b bits of
// each of its k values, for storage. With b = 16 a 128-value signature takes 256 bytes
// instead of 1 KiB, with b = 8 128 bytes.
//
// Two unrelated values still agree in their low b bits with probability C = 2^-b, so the
// fraction of equal positions P estimates J + (1 - J)·C, and
//
//   J ≈ (P - C) / (1 - C),   standard error sqrt(P(1 - P) / k) / (1 - C).
//
// The values are 64-bit hashes of sets far smaller than 2^64, so C is 2^-b to within
// rounding (Li and König's C1 = C2 = 2^-b in the limit r = f/D -> 0). The price is variance:
// at J = 0.5 and k = 128, b = 16 adds nothing measurable, b = 8 under 1% more, b = 4 about
// 13%, b = 1 three times as much. A packed signature cannot be unpacked; keep the Signature
// where you need the exact estimator or an LshIndex.
//
// Example:
//   absl::StatusOr<neardup::PackedSignature> p = neardup::PackedSignature::Pack(signature, 16);
//   absl::StatusOr<double> j = neardup::EstimateJaccard(*p, *q);  // refused if made differently

#ifndef NEARDUP_PACKED_SIGNATURE_H_
#define NEARDUP_PACKED_SIGNATURE_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/minhash.h"

namespace neardup {

class PackedSignature {
 public:
  PackedSignature() = default;

  // Keeps the lowest `bits` bits of each value. Errors: kInvalidArgument unless bits is 1, 2,
  // 4, 8, 16 or 32 (sizes that pack 64-bit words exactly, so position i is a shift and a mask).
  static absl::StatusOr<PackedSignature> Pack(const Signature& signature, int bits);

  // Rebuilds a packed signature from its parts (see serialize.h). Errors: kInvalidArgument
  // for a bad `bits`, kDataLoss when `words` does not hold exactly `size` values.
  static absl::StatusOr<PackedSignature> FromWords(std::vector<uint64_t> words, int bits, int size,
                                                   uint64_t set_size, uint64_t params_fingerprint);

  int bits() const { return bits_; }
  int size() const { return size_; }  // k
  uint64_t set_size() const { return set_size_; }
  uint64_t params_fingerprint() const { return params_fingerprint_; }
  // Value i's low bits.
  uint64_t value(int i) const;
  // The storage: value i sits at bit (i·bits) mod 64 of word (i·bits) / 64; unused high bits
  // of the last word are 0.
  std::span<const uint64_t> words() const { return words_; }

  friend bool operator==(const PackedSignature&, const PackedSignature&) = default;

 private:
  std::vector<uint64_t> words_;
  int bits_ = 0;
  int size_ = 0;
  uint64_t set_size_ = 0;
  uint64_t params_fingerprint_ = 0;
};

// The collision-corrected estimate above, clamped to [0, 1]; 0 when either set is empty.
// Errors: kFailedPrecondition when the two were made with different parameters, lengths or
// bit widths.
absl::StatusOr<double> EstimateJaccard(const PackedSignature& a, const PackedSignature& b);

// The standard error of that estimate at true similarity `jaccard`, for k values of `bits`
// bits (the formula above); NaN unless num_perm ≥ 1 and bits is 1 to 32.
double PackedStandardError(double jaccard, int num_perm, int bits);

}  // namespace neardup

#endif  // NEARDUP_PACKED_SIGNATURE_H_

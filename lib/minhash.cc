#include "neardup/minhash.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "internal/endian.h"
#include "internal/hash.h"

namespace neardup {

absl::StatusOr<MinHasher> MinHasher::Create(const MinHashOptions& options) {
  if (options.num_perm < 1 || options.num_perm > kMaxNumPerm) {
    return absl::InvalidArgumentError(absl::StrCat("num_perm must be in [1, ", kMaxNumPerm,
                                                   "], got ", options.num_perm));
  }
  if (options.algorithm != MinHashAlgorithm::kPermutation) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown MinHash algorithm ", static_cast<int>(options.algorithm)));
  }
  return MinHasher(options);
}

MinHasher::MinHasher(const MinHashOptions& options) : options_(options) {
  slot_seeds_.resize(options.num_perm);
  uint64_t state = options.seed;
  for (uint64_t& s : slot_seeds_) {
    state = internal::SplitMix64(state);
    s = state;
  }
  std::string canonical = "neardup.minhash";
  internal::AppendLe(canonical, static_cast<uint8_t>(options.algorithm), 1);
  internal::AppendLe32(canonical, static_cast<uint32_t>(options.num_perm));
  internal::AppendLe64(canonical, options.seed);
  fingerprint_ = internal::Hash64(canonical, 0);
}

Signature MinHasher::Compute(std::span<const uint64_t> shingle_set) const {
  return Compute(shingle_set, fingerprint_);
}

Signature MinHasher::Compute(std::span<const uint64_t> shingle_set, uint64_t params_fingerprint) const {
  std::vector<uint64_t> mins(slot_seeds_.size(), std::numeric_limits<uint64_t>::max());
  for (uint64_t x : shingle_set) {
    for (size_t i = 0; i < slot_seeds_.size(); ++i) {
      mins[i] = std::min(mins[i], internal::Mix64(x ^ slot_seeds_[i]));
    }
  }
  return Signature(std::move(mins), shingle_set.size(), params_fingerprint);
}

absl::Status CheckComparable(const Signature& a, const Signature& b) {
  if (a.params_fingerprint() != b.params_fingerprint()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "signatures were made with different parameters (fingerprint ",
        absl::Hex(a.params_fingerprint(), absl::kZeroPad16), " vs ",
        absl::Hex(b.params_fingerprint(), absl::kZeroPad16), ")"));
  }
  if (a.size() != b.size()) {
    return absl::FailedPreconditionError(
        absl::StrCat("signature lengths differ: ", a.size(), " vs ", b.size()));
  }
  return absl::OkStatus();
}

double EstimateJaccard(const Signature& a, const Signature& b) {
  assert(CheckComparable(a, b).ok());
  if (a.set_size() == 0 || b.set_size() == 0 || a.size() == 0) return 0.0;
  const auto va = a.values(), vb = b.values();
  const size_t n = std::min(va.size(), vb.size());
  size_t equal = 0;
  for (size_t i = 0; i < n; ++i) equal += (va[i] == vb[i]);
  return static_cast<double>(equal) / static_cast<double>(n);
}

double ContainmentFromJaccard(double jaccard, uint64_t size_a, uint64_t size_b) {
  if (size_a == 0) return 0.0;
  const double intersection = jaccard * static_cast<double>(size_a + size_b) / (1.0 + jaccard);
  return std::clamp(intersection / static_cast<double>(size_a), 0.0, 1.0);
}

double EstimateContainment(const Signature& a, const Signature& b) {
  return ContainmentFromJaccard(EstimateJaccard(a, b), a.set_size(), b.set_size());
}

}  // namespace neardup

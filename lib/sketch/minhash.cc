#include "neardup/minhash.h"

#include <algorithm>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/endian.h"
#include "text/hash.h"
#include "sketch/slot_counts.h"
#include "base/status_macros.h"

namespace neardup {

absl::StatusOr<MinHasher> MinHasher::Create(const MinHashOptions& options) {
  if (options.num_perm < 1 || options.num_perm > kMaxNumPerm) {
    return absl::InvalidArgumentError(absl::StrCat("num_perm must be in [1, ", kMaxNumPerm,
                                                   "], got ", options.num_perm));
  }
  if (options.algorithm != MinHashAlgorithm::kPermutation && options.algorithm != MinHashAlgorithm::kOnePermutation) {
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

namespace {

constexpr uint64_t kEmpty = std::numeric_limits<uint64_t>::max();

inline size_t BinOf(uint64_t hash, size_t k) { return internal::OnePermutationBin(hash, k); }

std::vector<uint64_t> PermutationMinHash(std::span<const uint64_t> set, const std::vector<uint64_t>& seeds) {
  std::vector<uint64_t> mins(seeds.size(), kEmpty);
  for (uint64_t x : set) {
    for (size_t i = 0; i < seeds.size(); ++i) mins[i] = std::min(mins[i], internal::Mix64(x ^ seeds[i]));
  }
  return mins;
}

// The one-permutation slots of the values whose hashes hash_of(value) gives.
template <typename HashOf>
std::vector<uint64_t> OnePermutationMinHash(std::span<const uint64_t> values, uint64_t seed, size_t k, HashOf hash_of) {
  std::vector<uint64_t> bins(k, kEmpty);
  for (uint64_t x : values) {
    const uint64_t h = hash_of(x);
    uint64_t& bin = bins[BinOf(h, k)];
    bin = std::min(bin, h);
  }
  size_t empty = 0;
  for (uint64_t b : bins) empty += (b == kEmpty);
  if (empty == 0 || empty == k) return bins;  // full, or the empty set (all kEmpty)
  // Fast densification: rounds of offers from the originally non-empty bins, in bin order.
  std::vector<size_t> sources;
  for (size_t j = 0; j < k; ++j) {
    if (bins[j] != kEmpty) sources.push_back(j);
  }
  std::vector<uint64_t> original(bins);
  std::vector<bool> filled(k);
  for (size_t j : sources) filled[j] = true;
  for (uint64_t round = 1; empty > 0; ++round) {
    for (size_t j : sources) {
      const size_t target = BinOf(internal::Mix64(seed ^ internal::SplitMix64((round << 32) | j)), k);
      if (!filled[target]) {
        filled[target] = true;
        bins[target] = original[j];
        if (--empty == 0) break;
      }
    }
  }
  return bins;
}

}  // namespace

namespace {

// Distinct values of `bag` by open addressing in a table of at least twice its size. The values
// are hashes already, so their low bits index the table directly.
uint64_t CountDistinct(std::span<const uint64_t> bag) {
  if (bag.empty()) return 0;
  size_t capacity = 16;
  while (capacity < 2 * bag.size()) capacity <<= 1;
  thread_local std::vector<uint64_t> table;
  thread_local std::vector<uint8_t> used;
  table.assign(capacity, 0);
  used.assign(capacity, 0);
  const size_t mask = capacity - 1;
  uint64_t distinct = 0;
  for (uint64_t x : bag) {
    size_t i = static_cast<size_t>(internal::Mix64(x)) & mask;
    while (used[i] && table[i] != x) i = (i + 1) & mask;
    if (!used[i]) used[i] = 1, table[i] = x, ++distinct;
  }
  return distinct;
}

}  // namespace

Signature MinHasher::ComputeFromBag(std::span<const uint64_t> bag, uint64_t params_fingerprint) const {
  if (options_.algorithm == MinHashAlgorithm::kOnePermutation) {
    // Repeats do not change bin minima; only the set size needs the distinct count.
    std::vector<uint64_t> values =
        OnePermutationMinHash(bag, slot_seeds_[0], slot_seeds_.size(), [this](uint64_t x) { return ElementHash(x); });
    return Signature(std::move(values), CountDistinct(bag), params_fingerprint);
  }
  std::vector<uint64_t> set(bag.begin(), bag.end());
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  return Compute(set, params_fingerprint);
}

uint64_t MinHasher::ElementHash(uint64_t shingle) const { return internal::Mix64(shingle ^ slot_seeds_[0]); }

absl::StatusOr<Signature> MinHasher::ComputeFromElementHashes(std::span<const uint64_t> element_hashes,
                                                              uint64_t distinct, uint64_t params_fingerprint) const {
  if (options_.algorithm != MinHashAlgorithm::kOnePermutation) {
    return absl::FailedPreconditionError("ComputeFromElementHashes needs the one-permutation algorithm");
  }
  std::vector<uint64_t> values =
      OnePermutationMinHash(element_hashes, slot_seeds_[0], slot_seeds_.size(), [](uint64_t h) { return h; });
  return Signature(std::move(values), distinct, params_fingerprint);
}

Signature MinHasher::Compute(std::span<const uint64_t> shingle_set, uint64_t params_fingerprint) const {
  std::vector<uint64_t> values = options_.algorithm == MinHashAlgorithm::kOnePermutation
                                     ? OnePermutationMinHash(shingle_set, slot_seeds_[0], slot_seeds_.size(),
                                                             [this](uint64_t x) { return ElementHash(x); })
                                     : PermutationMinHash(shingle_set, slot_seeds_);
  return Signature(std::move(values), shingle_set.size(), params_fingerprint);
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

absl::StatusOr<double> EstimateJaccard(const Signature& a, const Signature& b) {
  NEARDUP_RETURN_IF_ERROR(CheckComparable(a, b));
  if (a.set_size() == 0 || b.set_size() == 0 || a.size() == 0) return 0.0;
  const auto va = a.values(), vb = b.values();
  const size_t n = std::min(va.size(), vb.size());
  size_t equal = 0;
  for (size_t i = 0; i < n; ++i) equal += (va[i] == vb[i]);
  return static_cast<double>(equal) / static_cast<double>(n);
}

namespace internal {

SlotCounts CountSlots(std::span<const uint64_t> a, std::span<const uint64_t> b, MinHashAlgorithm algorithm) {
  SlotCounts out;
  const size_t k = std::min(a.size(), b.size());
  const bool one_permutation = algorithm == MinHashAlgorithm::kOnePermutation;
  // Branch-free, so that the loop vectorizes: it runs on every candidate of every query.
  uint32_t equal_all = 0, equal = 0, a_only = 0, b_only = 0;
  for (size_t i = 0; i < k; ++i) {
    const uint64_t x = a[i], y = b[i];
    // A one-permutation bin holds its own minimum iff the value falls in that bin; densified
    // bins hold a value from another bin, and count as empty.
    const uint32_t own_a = !one_permutation || BinOf(x, k) == i;
    const uint32_t own_b = !one_permutation || BinOf(y, k) == i;
    const uint32_t both = own_a & own_b;
    equal_all += x == y;
    equal += both & (x == y);
    a_only += (both & (x < y)) | (own_a & !own_b);
    b_only += (both & (y < x)) | (own_b & !own_a);
  }
  out.equal_all = equal_all;
  out.slots.equal = static_cast<int>(equal);
  out.slots.a_only = static_cast<int>(a_only);
  out.slots.b_only = static_cast<int>(b_only);
  return out;
}

}  // namespace internal

absl::StatusOr<SlotComparison> CompareSlots(const Signature& a, const Signature& b, MinHashAlgorithm algorithm) {
  NEARDUP_RETURN_IF_ERROR(CheckComparable(a, b));
  if (a.set_size() == 0 || b.set_size() == 0) return SlotComparison{};
  return internal::CountSlots(a.values(), b.values(), algorithm).slots;
}

double ContainmentFromJaccard(double jaccard, uint64_t size_a, uint64_t size_b) {
  if (size_a == 0) return 0.0;
  const double intersection = jaccard * static_cast<double>(size_a + size_b) / (1.0 + jaccard);
  return std::clamp(intersection / static_cast<double>(size_a), 0.0, 1.0);
}

absl::StatusOr<double> EstimateContainment(const Signature& a, const Signature& b) {
  NEARDUP_ASSIGN_OR_RETURN(const double jaccard, EstimateJaccard(a, b));
  return ContainmentFromJaccard(jaccard, a.set_size(), b.set_size());
}

Signature TruncateSignature(const Signature& signature) {
  std::vector<uint64_t> values(signature.values().begin(), signature.values().end());
  for (uint64_t& v : values) v = TruncateValue(v);
  return Signature(std::move(values), signature.set_size(), signature.params_fingerprint());
}

}  // namespace neardup

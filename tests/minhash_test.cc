#include "neardup/minhash.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "neardup/fingerprint.h"
#include "reference/reference.h"

using neardup::MinHasher;
using neardup::Signature;

namespace {

struct SetPair {
  std::vector<uint64_t> a, b;
  double jaccard;  // exact, by construction
};

// Two random sets sharing `common` elements with `only_a` and `only_b` private ones.
SetPair MakePair(neardup::reference::Rng& rng, size_t common, size_t only_a, size_t only_b) {
  SetPair p;
  for (size_t i = 0; i < common; ++i) {
    const uint64_t x = rng.Next();
    p.a.push_back(x), p.b.push_back(x);
  }
  for (size_t i = 0; i < only_a; ++i) p.a.push_back(rng.Next());
  for (size_t i = 0; i < only_b; ++i) p.b.push_back(rng.Next());
  std::sort(p.a.begin(), p.a.end());
  std::sort(p.b.begin(), p.b.end());
  p.jaccard = static_cast<double>(common) / static_cast<double>(common + only_a + only_b);
  return p;
}

}  // namespace

TEST_CASE("estimated Jaccard is within 3 sigma of the exact value for nearly all pairs", "[minhash]") {
  for (int k : {64, 128, 256}) {
    const auto hasher = MinHasher::Create({.num_perm = k});
    REQUIRE(hasher.ok());
    neardup::reference::Rng rng(1000 + k);
    constexpr int kPairs = 300;
    int outside = 0;
    double bias_sum = 0, variance_sum = 0;
    for (int i = 0; i < kPairs; ++i) {
      const size_t common = 20 + rng.Below(600), only_a = rng.Below(400), only_b = rng.Below(400);
      const SetPair p = MakePair(rng, common, only_a, only_b);
      const double estimate = neardup::EstimateJaccard(hasher->Compute(p.a), hasher->Compute(p.b));
      // With k independent hash functions each slot agrees with probability J, so the estimate
      // is Binomial(k, J)/k: sigma = sqrt(J(1-J)/k).
      const double sigma = std::sqrt(p.jaccard * (1 - p.jaccard) / k);
      if (std::abs(estimate - p.jaccard) > 3 * sigma + 1e-12) ++outside;
      bias_sum += estimate - p.jaccard;
      variance_sum += sigma * sigma;
    }
    INFO("k = " << k << ", outside 3 sigma: " << outside);
    // P(|Z| > 3) = 0.27%: about 0.8 of 300 pairs expected; 6 or more is a failure (p < 1e-3).
    CHECK(outside <= 5);
    // Unbiased: the mean error of kPairs independent estimates has standard error
    // sqrt(sum var)/kPairs; allow 4 of them.
    CHECK(std::abs(bias_sum / kPairs) <= 4 * std::sqrt(variance_sum) / kPairs);
  }
}

TEST_CASE("identical sets give identical signatures, disjoint sets almost no agreement", "[minhash]") {
  const auto hasher = MinHasher::Create();
  neardup::reference::Rng rng(3);
  const SetPair same = MakePair(rng, 500, 0, 0);
  CHECK(neardup::EstimateJaccard(hasher->Compute(same.a), hasher->Compute(same.b)) == 1.0);
  const SetPair disjoint = MakePair(rng, 0, 500, 500);
  // Any slot agrees only on a 64-bit collision: expected 0 of 128.
  CHECK(neardup::EstimateJaccard(hasher->Compute(disjoint.a), hasher->Compute(disjoint.b)) == 0.0);
}

TEST_CASE("containment estimate finds trimmed copies", "[minhash]") {
  const auto hasher = MinHasher::Create({.num_perm = 256});
  neardup::reference::Rng rng(5);
  // b is a trimmed copy of a: all of b is in a, and a has 60% more.
  const SetPair p = MakePair(rng, 500, 300, 0);
  const Signature a = hasher->Compute(p.a), b = hasher->Compute(p.b);
  // Exact: containment of b in a is 1, of a in b is 500/800 = 0.625. J = 0.625, sigma(J) = 0.03;
  // C = J(|A|+|B|)/((1+J)|B|) has derivative (|A|+|B|)/((1+J)^2 |B|) = 0.98 at these sizes, so
  // sigma(C) ≈ 0.03: a 0.1 margin is more than 3 sigma.
  CHECK(neardup::EstimateContainment(b, a) == Approx(1.0).margin(0.1));
  CHECK(neardup::EstimateContainment(a, b) == Approx(0.625).margin(0.1));
}

TEST_CASE("empty sets compare as 0", "[minhash]") {
  const auto hasher = MinHasher::Create();
  const Signature empty = hasher->Compute({});
  CHECK(empty.set_size() == 0);
  CHECK(neardup::EstimateJaccard(empty, empty) == 0.0);
}

TEST_CASE("options are validated and parameters are fingerprinted", "[minhash]") {
  CHECK(MinHasher::Create({.num_perm = 0}).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(MinHasher::Create({.num_perm = neardup::kMaxNumPerm + 1}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  const auto a = MinHasher::Create({.seed = 1}), b = MinHasher::Create({.seed = 2});
  CHECK(a->fingerprint() != b->fingerprint());
  const std::vector<uint64_t> set = {1, 2, 3};
  CHECK(neardup::CheckComparable(a->Compute(set), b->Compute(set)).code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(neardup::CheckComparable(a->Compute(set), a->Compute(set)).ok());
}

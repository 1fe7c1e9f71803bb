#include "neardup/minhash.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "neardup/containment.h"
#include "neardup/fingerprint.h"
#include "reference/reference.h"
#include "sketch/bag_sketch.h"
#include "sketch/shingle_filter.h"
#include "test_data.h"

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
  for (auto algorithm : {neardup::MinHashAlgorithm::kPermutation, neardup::MinHashAlgorithm::kOnePermutation})
  for (int k : {64, 128, 256}) {
    const auto hasher = MinHasher::Create({.num_perm = k, .algorithm = algorithm});
    REQUIRE(hasher.ok());
    neardup::reference::Rng rng(1000 + k);
    constexpr int kPairs = 300;
    int outside = 0;
    double bias_sum = 0, variance_sum = 0;
    for (int i = 0; i < kPairs; ++i) {
      const size_t common = 20 + rng.Below(600), only_a = rng.Below(400), only_b = rng.Below(400);
      const SetPair p = MakePair(rng, common, only_a, only_b);
      const double estimate = *neardup::EstimateJaccard(hasher->Compute(p.a), hasher->Compute(p.b));
      // With k independent hash functions each slot agrees with probability J, so the estimate
      // is Binomial(k, J)/k: sigma = sqrt(J(1-J)/k).
      const double sigma = std::sqrt(p.jaccard * (1 - p.jaccard) / k);
      if (std::abs(estimate - p.jaccard) > 3 * sigma + 1e-12) ++outside;
      bias_sum += estimate - p.jaccard;
      variance_sum += sigma * sigma;
    }
    INFO("algorithm " << static_cast<int>(algorithm) << ", k = " << k << ", outside 3 sigma: " << outside);
    // P(|Z| > 3) = 0.27%: about 0.8 of 300 pairs expected; 6 or more is a failure (p < 1e-3).
    CHECK(outside <= 5);
    // Unbiased: the mean error of kPairs independent estimates has standard error
    // sqrt(sum var)/kPairs; allow 4 of them.
    CHECK(std::abs(bias_sum / kPairs) <= 4 * std::sqrt(variance_sum) / kPairs);
  }
}

// The error of each variant over many independent pairs of one Jaccard value: its mean must be
// within 4 standard errors of 0 (unbiased) and its variance near the binomial J(1-J)/k.
// One-permutation hashing samples bins without replacement, so on sets much larger than k its
// variance is at most the binomial one; on sets smaller than k, densification copies values
// between bins and the variance grows (Shrivastava 2017 bounds it; we allow 2.5x).
TEST_CASE("each MinHash variant is unbiased with the expected variance", "[minhash][statistics]") {
  struct Case {
    neardup::MinHashAlgorithm algorithm;
    size_t set_size;
    double min_ratio, max_ratio;  // allowed empirical variance / (J(1-J)/k)
  };
  const Case cases[] = {
      {neardup::MinHashAlgorithm::kPermutation, 400, 0.7, 1.3},
      {neardup::MinHashAlgorithm::kPermutation, 40, 0.7, 1.3},
      {neardup::MinHashAlgorithm::kOnePermutation, 2000, 0.5, 1.3},
      {neardup::MinHashAlgorithm::kOnePermutation, 400, 0.5, 1.3},
      {neardup::MinHashAlgorithm::kOnePermutation, 40, 0.5, 2.5},
  };
  constexpr int kPairs = 400, k = 128;
  for (const Case& c : cases) {
    const auto hasher = MinHasher::Create({.num_perm = k, .algorithm = c.algorithm});
    neardup::reference::Rng rng(31 + c.set_size);
    // J = 1/3: common = n/2, each side n/4 private.
    const size_t common = c.set_size / 2, only = c.set_size / 4;
    double sum = 0, sum_sq = 0;
    double jaccard = 0;
    for (int i = 0; i < kPairs; ++i) {
      const SetPair p = MakePair(rng, common, only, only);
      jaccard = p.jaccard;
      const double err = *neardup::EstimateJaccard(hasher->Compute(p.a), hasher->Compute(p.b)) - p.jaccard;
      sum += err, sum_sq += err * err;
    }
    const double mean = sum / kPairs, variance = sum_sq / kPairs - mean * mean;
    const double binomial = jaccard * (1 - jaccard) / k;
    INFO("algorithm " << static_cast<int>(c.algorithm) << ", n = " << c.set_size << ": mean error " << mean
                      << ", variance ratio " << variance / binomial);
    CHECK(std::abs(mean) <= 4 * std::sqrt(std::max(variance, binomial) / kPairs));
    CHECK(variance / binomial >= c.min_ratio);
    CHECK(variance / binomial <= c.max_ratio);
  }
}

TEST_CASE("one-permutation signatures of tiny sets are fully densified and deterministic", "[minhash]") {
  const auto hasher = MinHasher::Create();
  const std::vector<uint64_t> one = {42}, three = {1, 2, 3};
  const Signature a = hasher->Compute(one);
  for (uint64_t v : a.values()) CHECK(v == a.values()[0]);  // one element fills every bin
  const Signature b = hasher->Compute(three), b2 = hasher->Compute(three);
  CHECK(b == b2);
  for (uint64_t v : b.values()) CHECK(v != std::numeric_limits<uint64_t>::max());
  CHECK(*neardup::EstimateJaccard(b, hasher->Compute(std::vector<uint64_t>{1, 2, 3})) == 1.0);
}

TEST_CASE("identical sets give identical signatures, disjoint sets almost no agreement", "[minhash]") {
  const auto hasher = MinHasher::Create();
  neardup::reference::Rng rng(3);
  const SetPair same = MakePair(rng, 500, 0, 0);
  CHECK(*neardup::EstimateJaccard(hasher->Compute(same.a), hasher->Compute(same.b)) == 1.0);
  const SetPair disjoint = MakePair(rng, 0, 500, 500);
  // Any slot agrees only on a 64-bit collision: expected 0 of 128.
  CHECK(*neardup::EstimateJaccard(hasher->Compute(disjoint.a), hasher->Compute(disjoint.b)) == 0.0);
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
  CHECK(*neardup::EstimateContainment(b, a) == Approx(1.0).margin(0.1));
  CHECK(*neardup::EstimateContainment(a, b) == Approx(0.625).margin(0.1));
}

TEST_CASE("empty sets compare as 0", "[minhash]") {
  const auto hasher = MinHasher::Create();
  const Signature empty = hasher->Compute({});
  CHECK(empty.set_size() == 0);
  CHECK(*neardup::EstimateJaccard(empty, empty) == 0.0);
}

TEST_CASE("signatures made with other parameters are refused, not compared", "[minhash]") {
  const std::vector<uint64_t> set = {1, 2, 3, 4, 5};
  const Signature a = MinHasher::Create()->Compute(set);
  const Signature other_seed = MinHasher::Create({.seed = 7})->Compute(set);
  const Signature other_size = MinHasher::Create({.num_perm = 64})->Compute(set);
  for (const Signature* b : {&other_seed, &other_size}) {
    CHECK(neardup::EstimateJaccard(a, *b).status().code() == absl::StatusCode::kFailedPrecondition);
    CHECK(neardup::EstimateContainment(a, *b).status().code() == absl::StatusCode::kFailedPrecondition);
    CHECK(neardup::CompareSlots(a, *b, neardup::MinHashAlgorithm::kOnePermutation).status().code() ==
          absl::StatusCode::kFailedPrecondition);
  }
  CHECK(*neardup::EstimateJaccard(a, a) == 1.0);
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

// CompareSlots against exact containment: in a slot where both sets hold their own minimum, the
// smaller value is the union's minimum, so the share of B-informative slots that are shared is
// a binomial estimate of |A∩B|/|B| over m = equal + b_only slots: sigma = sqrt(C(1-C)/m).
TEST_CASE("slot comparison estimates containment whatever the size ratio", "[minhash][statistics]") {
  for (auto algorithm : {neardup::MinHashAlgorithm::kPermutation, neardup::MinHashAlgorithm::kOnePermutation}) {
    const auto hasher = MinHasher::Create({.num_perm = 128, .algorithm = algorithm});
    REQUIRE(hasher.ok());
    neardup::reference::Rng rng(77);
    constexpr int kPairs = 300;
    int outside = 0, measured = 0;
    double bias_sum = 0, variance_sum = 0;
    for (int i = 0; i < kPairs; ++i) {
      // B (the smaller) has 60 to 400 elements; A holds a share of it and up to 5 times more.
      const size_t size_b = 60 + rng.Below(340);
      const size_t common = size_b * (50 + rng.Below(51)) / 100;
      const size_t only_a = size_b * rng.Below(500) / 100;
      const SetPair p = MakePair(rng, common, only_a, size_b - common);
      const double exact = static_cast<double>(common) / static_cast<double>(size_b);
      const neardup::SlotComparison s = *neardup::CompareSlots(hasher->Compute(p.a), hasher->Compute(p.b), algorithm);
      const int m = s.equal + s.b_only;
      if (m < 16) continue;  // the verdict does not judge on fewer (kMinContainmentSlots)
      ++measured;
      const double sigma = std::sqrt(std::max(exact * (1 - exact), 1.0 / m) / m);
      if (std::abs(s.ContainmentOfB() - exact) > 3 * sigma) ++outside;
      bias_sum += s.ContainmentOfB() - exact;
      variance_sum += sigma * sigma;
    }
    INFO("algorithm " << static_cast<int>(algorithm) << ": " << measured << " measured, " << outside
                      << " outside 3 sigma, mean error " << bias_sum / measured);
    REQUIRE(measured >= kPairs * 3 / 4);
    CHECK(outside <= 5);  // 0.27% expected: under 1 of 300
    CHECK(std::abs(bias_sum / measured) <= 4 * std::sqrt(variance_sum) / measured);
  }
}

TEST_CASE("a subset is measured contained exactly, and disjoint sets not at all", "[minhash]") {
  for (auto algorithm : {neardup::MinHashAlgorithm::kPermutation, neardup::MinHashAlgorithm::kOnePermutation}) {
    const auto hasher = MinHasher::Create({.algorithm = algorithm});
    neardup::reference::Rng rng(8);
    // B ⊆ A with A three times larger: no slot can have B's minimum below A's.
    const SetPair subset = MakePair(rng, 200, 400, 0);
    const auto s = *neardup::CompareSlots(hasher->Compute(subset.a), hasher->Compute(subset.b), algorithm);
    CHECK(s.b_only == 0);
    CHECK(s.equal > 0);
    CHECK(s.ContainmentOfB() == 1.0);
    CHECK(s.ContainmentOfA() < 0.6);  // exact 1/3
    const SetPair disjoint = MakePair(rng, 0, 300, 300);
    const auto d = *neardup::CompareSlots(hasher->Compute(disjoint.a), hasher->Compute(disjoint.b), algorithm);
    CHECK(d.equal == 0);
    CHECK(d.a_only + d.b_only > 0);
  }
}

TEST_CASE("truncated signatures compare as the full ones do", "[minhash]") {
  for (auto algorithm : {neardup::MinHashAlgorithm::kPermutation, neardup::MinHashAlgorithm::kOnePermutation}) {
    const auto hasher = MinHasher::Create({.algorithm = algorithm});
    REQUIRE(hasher.ok());
    neardup::reference::Rng rng(31);
    int compared = 0;
    for (int i = 0; i < 200; ++i) {
      // Sets of 1 to 4,000 elements: a collision of two different minima's top 32 bits has
      // probability about n · 2^-32 ≤ 10^-6 a slot (minhash.h), so over 200 · 128 slots of
      // this seeded run none is expected, and the counts must match exactly.
      const size_t common = rng.Below(2000), only_a = rng.Below(2000) + (common == 0), only_b = rng.Below(2000);
      const SetPair p = MakePair(rng, common, only_a, only_b);
      const Signature a = hasher->Compute(p.a), b = hasher->Compute(p.b);
      const Signature ta = neardup::TruncateSignature(a), tb = neardup::TruncateSignature(b);
      REQUIRE(neardup::TruncateSignature(ta) == ta);  // idempotent
      for (int s = 0; s < a.size(); ++s) REQUIRE(ta.values()[s] == (a.values()[s] & 0xFFFFFFFF00000000ULL));
      const auto full = *neardup::CompareSlots(a, b, algorithm), kept = *neardup::CompareSlots(ta, tb, algorithm);
      CHECK(kept.equal == full.equal);
      CHECK(kept.a_only == full.a_only);
      CHECK(kept.b_only == full.b_only);
      CHECK(*neardup::EstimateJaccard(ta, tb) == *neardup::EstimateJaccard(a, b));
      ++compared;
    }
    CHECK(compared == 200);
  }
}

// Fingerprinter::Compute takes each shingle's ElementHash once and derives the slots, the
// distinct count and the containment sketch from them; here they are rebuilt the slow way,
// from the sorted distinct shingle set.
TEST_CASE("a fingerprint's slots, set size and containment sketch are those of its distinct shingles", "[minhash][containment]") {
  const auto fingerprinter = neardup::Fingerprinter::Create();
  const auto hasher = MinHasher::Create(neardup::FingerprintOptions{}.minhash);
  std::vector<std::string> texts = neardup::testing::SeedArticles();
  REQUIRE(texts.size() == 5);
  std::string chorus;  // the same shingles over and over: repeats in the bag
  for (int i = 0; i < 300; ++i) chorus += i % 7 == 0 ? "and again the refrain, " : "la la la la la ";
  texts.push_back(chorus);
  texts.push_back("one two");  // a single shingle
  for (const std::string& text : texts) {
    const auto fp = fingerprinter->Compute(text);
    REQUIRE(fp.ok());
    std::vector<uint64_t> set = *fingerprinter->ShingleSet(text);
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    const Signature expected = hasher->Compute(set);
    CHECK(fp->signature.set_size() == set.size());
    CHECK(std::equal(fp->signature.values().begin(), fp->signature.values().end(), expected.values().begin(),
                     expected.values().end()));
    std::vector<uint32_t> keys;
    for (uint64_t x : set) keys.push_back(neardup::KeptBits(hasher->ElementHash(x)));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::vector<uint32_t> sample;
    for (uint32_t k : keys) {
      if (uint64_t{k} < (uint64_t{1} << 32) / neardup::kContainmentSampleScale) sample.push_back(k);
    }
    CHECK(fp->containment.sample == sample);
    CHECK(fp->containment.filter == neardup::internal::EncodeShingleFilter(keys));
  }
  const auto bottom_k = MinHasher::Create({.algorithm = neardup::MinHashAlgorithm::kPermutation});
  CHECK(bottom_k->ComputeFromElementHashes({}, 0, 0).status().code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("a bag whose hashes share their top bits is counted and sketched as its distinct values", "[minhash][containment]") {
  // Two shingles whose element hashes agree on the 32 kept bits (found by the birthday bound,
  // about 2^16 tries), in a bag with repeats of both and of others.
  const auto hasher = MinHasher::Create();
  std::unordered_map<uint32_t, uint64_t> seen;
  neardup::reference::Rng rng(77);
  uint64_t x = 0, y = 0;
  for (int i = 0; i < 4'000'000 && y == 0; ++i) {
    const uint64_t v = rng.Next();
    const auto [it, inserted] = seen.emplace(neardup::KeptBits(hasher->ElementHash(v)), v);
    if (!inserted && it->second != v) x = it->second, y = v;
  }
  REQUIRE(y != 0);
  REQUIRE(hasher->ElementHash(x) != hasher->ElementHash(y));
  std::vector<uint64_t> bag = {x, 5, y, x, 6, y, y, 5};
  for (uint64_t v = 100; v < 300; ++v) bag.push_back(v);  // enough for the radix sort's path
  bag.push_back(x);
  neardup::Signature signature;
  neardup::ContainmentSketch sketch;
  REQUIRE(neardup::internal::SketchBag(*hasher, bag, 9, &signature, &sketch).ok());
  std::vector<uint64_t> set(bag);
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  CHECK(signature.set_size() == set.size());  // x and y are two values, not one
  CHECK(signature == hasher->ComputeFromBag(bag, 9));
  CHECK(std::equal(signature.values().begin(), signature.values().end(), hasher->Compute(set).values().begin()));
  std::vector<uint32_t> keys;
  for (uint64_t v : set) keys.push_back(neardup::KeptBits(hasher->ElementHash(v)));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  CHECK(keys.size() == set.size() - 1);  // x and y share one key
  CHECK(sketch.filter == neardup::internal::EncodeShingleFilter(keys));
}

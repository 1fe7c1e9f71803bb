#include "neardup/packed_signature.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "neardup/serialize.h"
#include "reference/reference.h"

using neardup::MinHasher;
using neardup::PackedSignature;

namespace {

// Two random sets sharing `common` elements, `only` private ones on each side.
std::pair<std::vector<uint64_t>, std::vector<uint64_t>> RandomPair(neardup::reference::Rng& rng, size_t common,
                                                                   size_t only) {
  std::vector<uint64_t> a, b;
  for (size_t i = 0; i < common; ++i) {
    const uint64_t x = rng.Next();
    a.push_back(x), b.push_back(x);
  }
  for (size_t i = 0; i < only; ++i) a.push_back(rng.Next()), b.push_back(rng.Next());
  return {a, b};
}

}  // namespace

TEST_CASE("packing keeps the low bits of every value, in the documented layout", "[packed]") {
  const auto hasher = MinHasher::Create({.num_perm = 37});  // not a multiple of any word's fields
  const neardup::Signature s = hasher->Compute(std::vector<uint64_t>{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5});
  for (int bits : {1, 2, 4, 8, 16, 32}) {
    INFO("bits " << bits);
    const auto p = PackedSignature::Pack(s, bits);
    REQUIRE(p.ok());
    CHECK(p->size() == 37);
    CHECK(p->set_size() == s.set_size());
    CHECK(p->params_fingerprint() == s.params_fingerprint());
    CHECK(p->words().size() == (37 * static_cast<size_t>(bits) + 63) / 64);
    for (int i = 0; i < 37; ++i) {
      const uint64_t low = s.values()[i] & ((uint64_t{1} << bits) - 1);
      CHECK(p->value(i) == low);
      const size_t bit = static_cast<size_t>(i) * bits;  // the layout, from the header comment
      CHECK(((p->words()[bit / 64] >> (bit % 64)) & ((uint64_t{1} << bits) - 1)) == low);
    }
    const size_t used = 37 * static_cast<size_t>(bits) % 64;
    if (used != 0) CHECK((p->words().back() >> used) == 0);
  }
  for (int bad : {0, 3, 5, 64, -1}) CHECK(PackedSignature::Pack(s, bad).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("the packed estimate counts exactly the positions whose low bits agree", "[packed]") {
  // Against a slow reference: compare value(i) one by one and apply the documented formula.
  const auto hasher = MinHasher::Create({.num_perm = 100});
  neardup::reference::Rng rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    const auto [a, b] = RandomPair(rng, 30 + trial, 10);
    const neardup::Signature sa = hasher->Compute(a), sb = hasher->Compute(b);
    for (int bits : {1, 2, 4, 8, 16, 32}) {
      const auto pa = PackedSignature::Pack(sa, bits), pb = PackedSignature::Pack(sb, bits);
      int equal = 0;
      for (int i = 0; i < 100; ++i) equal += pa->value(i) == pb->value(i);
      const double chance = std::pow(2.0, -bits);
      const double expected = std::clamp((equal / 100.0 - chance) / (1 - chance), 0.0, 1.0);
      CHECK(*neardup::EstimateJaccard(*pa, *pb) == Approx(expected).margin(1e-12));
    }
  }
}

// Over many independent pairs at J = 0.5 with k = 128, the error of the packed estimate has
// mean within 4 standard errors of 0 (unbiased after the collision correction) and variance
// near the theory sqrt(P(1-P)/k)/(1-C) (PackedStandardError). One-permutation hashing on sets
// larger than k samples bins without replacement, so its variance is at most the binomial one
// (0.5 to 1.3 of it, as in minhash_test). Without the correction, b = 1 would read
// J + (1-J)·C = 0.75 for J = 0.5: the mean check would fail.
TEST_CASE("packed estimates are unbiased with the variance theory predicts", "[packed][statistics]") {
  constexpr int kPairs = 400, k = 128;
  const auto hasher = MinHasher::Create({.num_perm = k});
  for (int bits : {1, 2, 4, 8, 16}) {
    neardup::reference::Rng rng(77 + bits);
    double sum = 0, sum_sq = 0;
    for (int i = 0; i < kPairs; ++i) {
      const auto [a, b] = RandomPair(rng, 400, 200);  // J = 400 / (400 + 2 × 200) = 0.5
      const auto pa = PackedSignature::Pack(hasher->Compute(a), bits), pb = PackedSignature::Pack(hasher->Compute(b), bits);
      const double err = *neardup::EstimateJaccard(*pa, *pb) - 0.5;
      sum += err, sum_sq += err * err;
    }
    const double mean = sum / kPairs, variance = sum_sq / kPairs - mean * mean;
    const double theory = std::pow(neardup::PackedStandardError(0.5, k, bits), 2);
    INFO("bits " << bits << ": mean error " << mean << ", variance ratio " << variance / theory);
    CHECK(std::abs(mean) <= 4 * std::sqrt(std::max(variance, theory) / kPairs));
    CHECK(variance / theory >= 0.5);
    CHECK(variance / theory <= 1.3);
  }
  // The theory itself: b = 1 triples the variance at J = 0.5, b = 16 leaves it as it was.
  CHECK(std::pow(neardup::PackedStandardError(0.5, k, 1), 2) / (0.25 / k) == Approx(3.0));
  CHECK(std::pow(neardup::PackedStandardError(0.5, k, 16), 2) / (0.25 / k) == Approx(1.0).epsilon(1e-3));
}

TEST_CASE("packed signatures refuse to compare across parameters", "[packed]") {
  const auto h16 = MinHasher::Create({.num_perm = 16}), h32 = MinHasher::Create({.num_perm = 32});
  const std::vector<uint64_t> set{1, 2, 3};
  const auto a = PackedSignature::Pack(h16->Compute(set), 8);
  CHECK(neardup::EstimateJaccard(*a, *PackedSignature::Pack(h16->Compute(set), 4)).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(neardup::EstimateJaccard(*a, *PackedSignature::Pack(h32->Compute(set), 8)).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(*neardup::EstimateJaccard(*a, *a) == 1.0);
  const auto empty = PackedSignature::Pack(h16->Compute(std::vector<uint64_t>{}), 8);
  CHECK(*neardup::EstimateJaccard(*empty, *empty) == 0.0);
}

TEST_CASE("packed signatures round-trip through the binary format and reject damage", "[packed][serialize]") {
  const auto hasher = MinHasher::Create({.num_perm = 37});
  const auto p = PackedSignature::Pack(hasher->Compute(std::vector<uint64_t>{7, 8, 9}), 4);
  const std::string bytes = neardup::EncodePackedSignature(*p);
  CHECK(bytes.size() == 12 + 4 + 1 + 8 + 8 + 3 * 8 + 8);  // 37 × 4 bits = 3 words
  const auto decoded = neardup::DecodePackedSignature(bytes);
  REQUIRE(decoded.ok());
  CHECK(*decoded == *p);
  CHECK(neardup::DecodeSignature(bytes).status().code() == absl::StatusCode::kInvalidArgument);  // wrong record type
  for (size_t n = 0; n < bytes.size(); ++n) CHECK_FALSE(neardup::DecodePackedSignature(bytes.substr(0, n)).ok());
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string corrupt = bytes;
    corrupt[i] = static_cast<char>(corrupt[i] ^ 0x20);
    const absl::StatusCode code = neardup::DecodePackedSignature(corrupt).status().code();
    CHECK((code == absl::StatusCode::kDataLoss || code == absl::StatusCode::kInvalidArgument));
  }
  // Bits set past the last value are refused: equal signatures must have equal bytes.
  std::vector<uint64_t> words(p->words().begin(), p->words().end());
  words.back() |= uint64_t{1} << 63;
  CHECK(PackedSignature::FromWords(words, 4, 37, 3, p->params_fingerprint()).status().code() == absl::StatusCode::kDataLoss);
  CHECK(PackedSignature::FromWords({1, 2}, 4, 37, 3, 0).status().code() == absl::StatusCode::kDataLoss);
}

// MinHash signature computation: items/s = shingles/s, for k and set size.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "neardup/minhash.h"
#include "neardup/packed_signature.h"
#include "reference/reference.h"

namespace {

std::vector<uint64_t> RandomSet(size_t n) {
  neardup::reference::Rng rng(n);
  std::vector<uint64_t> set(n);
  for (auto& x : set) x = rng.Next();
  return set;
}

// Root mean square error of the Jaccard estimate over 200 pairs at J = 1/3 of sets of `n`
// elements: the accuracy printed next to each speed (computed once, outside the timing).
double EstimateRmse(const neardup::MinHasher& hasher, size_t n) {
  neardup::reference::Rng rng(n * 7 + hasher.num_perm());
  double sum_sq = 0;
  constexpr int kPairs = 200;
  for (int p = 0; p < kPairs; ++p) {
    std::vector<uint64_t> a, b;
    for (size_t i = 0; i < n / 2; ++i) {
      const uint64_t x = rng.Next();
      a.push_back(x), b.push_back(x);
    }
    for (size_t i = 0; i < n / 4; ++i) a.push_back(rng.Next()), b.push_back(rng.Next());
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    const double exact = static_cast<double>(n / 2) / static_cast<double>(n / 2 + 2 * (n / 4));
    const double err = *neardup::EstimateJaccard(hasher.Compute(a), hasher.Compute(b)) - exact;
    sum_sq += err * err;
  }
  return std::sqrt(sum_sq / kPairs);
}

// Arguments: algorithm (1 = k permutations, 2 = one permutation), k, set size.
void BM_MinHash(benchmark::State& state) {
  const auto hasher = neardup::MinHasher::Create(
      {.num_perm = static_cast<int>(state.range(1)), .algorithm = static_cast<neardup::MinHashAlgorithm>(state.range(0))});
  const auto set = RandomSet(state.range(2));
  for (auto _ : state) benchmark::DoNotOptimize(hasher->Compute(set));
  state.SetItemsProcessed(state.iterations() * set.size());
  state.counters["rmse"] = EstimateRmse(*hasher, state.range(2));
  state.counters["sigma"] = std::sqrt((1.0 / 3) * (2.0 / 3) / static_cast<double>(state.range(1)));
}
BENCHMARK(BM_MinHash)->ArgNames({"algorithm", "k", "n"})->ArgsProduct({{1, 2}, {64, 128, 256}, {128, 1024, 16384}});

void BM_EstimateJaccard(benchmark::State& state) {
  const auto hasher = neardup::MinHasher::Create({.num_perm = static_cast<int>(state.range(0))});
  const auto a = hasher->Compute(RandomSet(500)), b = hasher->Compute(RandomSet(501));
  for (auto _ : state) benchmark::DoNotOptimize(*neardup::EstimateJaccard(a, b));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EstimateJaccard)->Arg(128);

// b-bit packed signatures (k = 128): comparison speed, bytes per signature, and the RMSE of
// the collision-corrected estimate over 200 pairs at J = 0.5 (512 shared, 256 private each).
void BM_PackedEstimateJaccard(benchmark::State& state) {
  const int bits = static_cast<int>(state.range(0));
  const auto hasher = neardup::MinHasher::Create({.num_perm = 128});
  const auto a = *neardup::PackedSignature::Pack(hasher->Compute(RandomSet(500)), bits);
  const auto b = *neardup::PackedSignature::Pack(hasher->Compute(RandomSet(501)), bits);
  for (auto _ : state) benchmark::DoNotOptimize(*neardup::EstimateJaccard(a, b));
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes"] = static_cast<double>(a.words().size() * 8);
  neardup::reference::Rng rng(bits);
  double sum_sq = 0;
  for (int p = 0; p < 200; ++p) {
    std::vector<uint64_t> x, y;
    for (int i = 0; i < 512; ++i) {
      const uint64_t v = rng.Next();
      x.push_back(v), y.push_back(v);
    }
    for (int i = 0; i < 256; ++i) x.push_back(rng.Next()), y.push_back(rng.Next());
    const double err = *neardup::EstimateJaccard(*neardup::PackedSignature::Pack(hasher->Compute(x), bits),
                                                 *neardup::PackedSignature::Pack(hasher->Compute(y), bits)) - 0.5;
    sum_sq += err * err;
  }
  state.counters["rmse"] = std::sqrt(sum_sq / 200);
  state.counters["sigma"] = neardup::PackedStandardError(0.5, 128, bits);
}
BENCHMARK(BM_PackedEstimateJaccard)->ArgName("bits")->Arg(1)->Arg(4)->Arg(8)->Arg(16)->Arg(32);

}  // namespace

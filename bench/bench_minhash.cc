// MinHash signature computation: items/s = shingles/s, for k and set size.
#include <benchmark/benchmark.h>

#include <vector>

#include "neardup/minhash.h"
#include "reference/reference.h"

namespace {

std::vector<uint64_t> RandomSet(size_t n) {
  neardup::reference::Rng rng(n);
  std::vector<uint64_t> set(n);
  for (auto& x : set) x = rng.Next();
  return set;
}

void BM_MinHash(benchmark::State& state) {
  const auto hasher = neardup::MinHasher::Create({.num_perm = static_cast<int>(state.range(0))});
  const auto set = RandomSet(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(hasher->Compute(set));
  state.SetItemsProcessed(state.iterations() * set.size());
}
BENCHMARK(BM_MinHash)->ArgsProduct({{64, 128, 256}, {128, 1024, 16384}});

void BM_EstimateJaccard(benchmark::State& state) {
  const auto hasher = neardup::MinHasher::Create({.num_perm = static_cast<int>(state.range(0))});
  const auto a = hasher->Compute(RandomSet(500)), b = hasher->Compute(RandomSet(501));
  for (auto _ : state) benchmark::DoNotOptimize(neardup::EstimateJaccard(a, b));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EstimateJaccard)->Arg(128);

}  // namespace

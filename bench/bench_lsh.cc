// LSH index: insert and query throughput (items/s) against index size.
#include <benchmark/benchmark.h>

#include <vector>

#include "neardup/lsh.h"
#include "reference/reference.h"

namespace {

// Signatures of random, unrelated documents: k values each, as MinHash would give.
std::vector<neardup::Signature> RandomSignatures(size_t n, int k) {
  neardup::reference::Rng rng(n * 31 + k);
  std::vector<neardup::Signature> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<uint64_t> v(k);
    for (auto& x : v) x = rng.Next();
    out.emplace_back(std::move(v), 300, 1);
  }
  return out;
}

void BM_LshInsert(benchmark::State& state) {
  const auto sigs = RandomSignatures(state.range(0), 128);
  for (auto _ : state) {
    auto index = neardup::LshIndex::Create();
    for (size_t i = 0; i < sigs.size(); ++i) benchmark::DoNotOptimize(index->Add(i, sigs[i]));
  }
  state.SetItemsProcessed(state.iterations() * sigs.size());
}
BENCHMARK(BM_LshInsert)->Arg(1024)->Arg(64 << 10)->Unit(benchmark::kMillisecond);

void BM_LshQuery(benchmark::State& state) {
  const auto sigs = RandomSignatures(state.range(0), 128);
  auto index = neardup::LshIndex::Create();
  for (size_t i = 0; i < sigs.size(); ++i) (void)index->Add(i, sigs[i]);
  const auto queries = RandomSignatures(1024, 128);
  size_t q = 0;
  for (auto _ : state) benchmark::DoNotOptimize(index->Query(queries[q++ % queries.size()]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LshQuery)->Arg(1024)->Arg(64 << 10)->Arg(1 << 20);  // 1M: about 1.3 GB of index

}  // namespace

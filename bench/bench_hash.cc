// Hash functions for people comparing them: the xxHash family on short keys and long buffers,
// and neardup's own shingle hashing. Bytes/s for each; same inputs for every function.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench_input.h"
#include "hash_functions.h"
#include "neardup/neardup.h"
#include "reference/reference.h"

namespace {

std::string RandomBytes(size_t n) {
  neardup::reference::Rng rng(n);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng.Next());
  return s;
}

enum Function { kXxh3, kXxh64, kXxh32, kXxh128 };

template <Function F>
void BM_Hash(benchmark::State& state) {
  // Many keys of the size, cycled, so short keys are not served from one cache line.
  const size_t size = static_cast<size_t>(state.range(0));
  const size_t count = std::max<size_t>(1, (1 << 20) / size);
  const std::string data = RandomBytes(size * count);
  size_t i = 0;
  for (auto _ : state) {
    const char* p = data.data() + (i++ % count) * size;
    if constexpr (F == kXxh3) benchmark::DoNotOptimize(neardup::bench::Xxh3(p, size, 1));
    if constexpr (F == kXxh64) benchmark::DoNotOptimize(neardup::bench::Xxh64(p, size, 1));
    if constexpr (F == kXxh32) benchmark::DoNotOptimize(neardup::bench::Xxh32(p, size, 1));
    if constexpr (F == kXxh128) benchmark::DoNotOptimize(neardup::bench::Xxh128Folded(p, size, 1));
  }
  state.SetBytesProcessed(state.iterations() * size);
}
#define HASH_SIZES ->Arg(8)->Arg(16)->Arg(32)->Arg(64)->Arg(4 << 10)->Arg(64 << 10)->Arg(1 << 20)
BENCHMARK(BM_Hash<kXxh3>)->Name("BM_Hash/XXH3_64") HASH_SIZES;
BENCHMARK(BM_Hash<kXxh64>)->Name("BM_Hash/XXH64") HASH_SIZES;
BENCHMARK(BM_Hash<kXxh32>)->Name("BM_Hash/XXH32") HASH_SIZES;
BENCHMARK(BM_Hash<kXxh128>)->Name("BM_Hash/XXH128") HASH_SIZES;

// neardup's word 5-shingle hashing on normalized, tokenized text: each token hashed once with
// XXH3, shingles combined from token hashes. Bytes/s over the text.
void BM_ShingleHashing(benchmark::State& state) {
  const std::string text = *neardup::Normalize(neardup::bench::SeedText(state.range(0)));
  const auto tokens = neardup::Tokenize(text);
  for (auto _ : state) benchmark::DoNotOptimize(neardup::ShingleHashes(text, tokens, {}, 1));
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_ShingleHashing)->Arg(4 << 10)->Arg(64 << 10);

// The same shingles hashed the plain way: XXH3 over each 5-word span's bytes.
void BM_ShingleHashingRehash(benchmark::State& state) {
  const std::string text = *neardup::Normalize(neardup::bench::SeedText(state.range(0)));
  const auto tokens = neardup::Tokenize(text);
  for (auto _ : state) {
    uint64_t sink = 0;
    for (size_t i = 0; i + 5 <= tokens.size(); ++i) {
      sink ^= neardup::bench::Xxh3(text.data() + tokens[i].begin, tokens[i + 4].end - tokens[i].begin, 1);
    }
    benchmark::DoNotOptimize(sink);
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_ShingleHashingRehash)->Arg(4 << 10)->Arg(64 << 10);

}  // namespace

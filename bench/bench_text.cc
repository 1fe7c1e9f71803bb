// Text pipeline stages on real (seed) text, bytes/s: normalization, tokenization, shingling.
#include <benchmark/benchmark.h>

#include "bench_input.h"
#include "neardup/neardup.h"

namespace {

void BM_Normalize(benchmark::State& state) {
  const std::string text = neardup::bench::SeedText(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(neardup::Normalize(text));
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_Normalize)->Arg(1024)->Arg(16 << 10)->Arg(256 << 10);

void BM_Tokenize(benchmark::State& state) {
  const std::string text = *neardup::Normalize(neardup::bench::SeedText(state.range(0)));
  std::vector<neardup::Token> tokens;
  for (auto _ : state) {
    neardup::Tokenize(text, &tokens);
    benchmark::DoNotOptimize(tokens.data());
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_Tokenize)->Arg(1024)->Arg(16 << 10)->Arg(256 << 10);

void BM_ShingleSet(benchmark::State& state) {
  const std::string text = *neardup::Normalize(neardup::bench::SeedText(state.range(0)));
  const auto tokens = neardup::Tokenize(text);
  for (auto _ : state) benchmark::DoNotOptimize(neardup::ShingleSet(text, tokens, {}, 1));
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_ShingleSet)->Arg(1024)->Arg(16 << 10)->Arg(256 << 10);

void BM_FingerprintSeeds(benchmark::State& state) {
  const std::string text = neardup::bench::SeedText(1 << 20);
  const auto fp = neardup::Fingerprinter::Create();
  for (auto _ : state) benchmark::DoNotOptimize(fp->Compute(text));
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_FingerprintSeeds);

}  // namespace

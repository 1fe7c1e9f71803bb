// Hash functions for people comparing them: every function of hash_functions.h's table (the
// xxHash family, MurmurHash3, FarmHash, HighwayHash, SipHash, wyhash, where compiled in) on
// the same inputs, through the same indirect call in the same loops:
//
//   BM_HashKey/<fn>/<bytes>     short keys of 4 to 64 bytes, many keys cycled: the time per
//                               iteration is the time per hash (items/s = hashes/s)
//   BM_HashBuffer/<fn>/<bytes>  one random buffer of 64 KiB or 1 MiB: bytes/s
//   BM_ShingleLoop/<fn>         word 5-shingles of normalized seed text (64 KiB), each
//                               shingle's bytes hashed: bytes/s over the text
//
// and BM_ShingleHashing, neardup's own shingle hashing (each token hashed once with XXH3,
// shingle hashes combined from token hashes) on the same text, for comparison with the loop.
// bench/report.py turns these into the hash table of bench/report/REPORT.md.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "bench_input.h"
#include "hash_functions.h"
#include "neardup/neardup.h"
#include "reference/reference.h"

namespace {

using neardup::bench::HashFn;

constexpr int64_t kShingleTextBytes = 64 << 10;
constexpr size_t kShingleWords = 5;

std::string RandomBytes(size_t n) {
  neardup::reference::Rng rng(n);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng.Next());
  return s;
}

void HashKey(benchmark::State& state, HashFn fn) {
  // 1 MiB of keys of the size, cycled, so short keys are not served from one cache line. The
  // wrap is a compare, not a modulo (a division would cost as much as a short hash).
  const size_t size = static_cast<size_t>(state.range(0));
  const size_t count = std::max<size_t>(1, (1 << 20) / size);
  const std::string data = RandomBytes(size * count);
  const char* const begin = data.data();
  const char* const end = begin + size * count;
  const char* p = begin;
  for (auto _ : state) {
    benchmark::DoNotOptimize(fn(p, size, 1));
    p += size;
    if (p == end) p = begin;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(size));
}

void HashBuffer(benchmark::State& state, HashFn fn) {
  const size_t size = static_cast<size_t>(state.range(0));
  const std::string data = RandomBytes(size);
  for (auto _ : state) {
    benchmark::DoNotOptimize(data.data());
    benchmark::DoNotOptimize(fn(data.data(), size, 1));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(size));
}

struct ShingleText {
  std::string text;
  std::vector<neardup::Token> tokens;
};

const ShingleText& SeedShingleText() {
  static const ShingleText t = [] {
    ShingleText s;
    s.text = *neardup::Normalize(neardup::bench::SeedText(kShingleTextBytes));
    s.tokens = neardup::Tokenize(s.text);
    return s;
  }();
  return t;
}

// The shingle loop: each word 5-shingle's bytes (first word's start to fifth word's end, the
// separators between included) hashed by the function, the hashes written in text order into a
// vector reused between iterations. Bytes/s over the normalized text.
void ShingleLoop(benchmark::State& state, HashFn fn) {
  const ShingleText& t = SeedShingleText();
  const std::vector<neardup::Token>& tokens = t.tokens;
  const size_t shingles = tokens.size() >= kShingleWords ? tokens.size() - kShingleWords + 1 : 0;
  std::vector<uint64_t> out(shingles);
  for (auto _ : state) {
    for (size_t i = 0; i < shingles; ++i) {
      const size_t begin = tokens[i].begin;
      out[i] = fn(t.text.data() + begin, tokens[i + kShingleWords - 1].end - begin, 1);
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(t.text.size()));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(shingles));
}

// One of each family for every function in the table, in the table's order.
[[maybe_unused]] const bool kRegistered = [] {
  for (const neardup::bench::HashFunctionInfo& f : neardup::bench::HashFunctions()) {
    const std::string name = f.name;
    benchmark::RegisterBenchmark(("BM_HashKey/" + name).c_str(), HashKey, f.fn)
        ->Arg(4)->Arg(8)->Arg(16)->Arg(32)->Arg(64);
  }
  for (const neardup::bench::HashFunctionInfo& f : neardup::bench::HashFunctions()) {
    const std::string name = f.name;
    benchmark::RegisterBenchmark(("BM_HashBuffer/" + name).c_str(), HashBuffer, f.fn)->Arg(64 << 10)->Arg(1 << 20);
  }
  for (const neardup::bench::HashFunctionInfo& f : neardup::bench::HashFunctions()) {
    const std::string name = f.name;
    benchmark::RegisterBenchmark(("BM_ShingleLoop/" + name).c_str(), ShingleLoop, f.fn);
  }
  return true;
}();

// neardup's word 5-shingle hashing on the same text: each token hashed once with XXH3,
// shingles combined from token hashes; its output vector is allocated by each call. Bytes/s
// over the text, shingles/s as items.
void BM_ShingleHashing(benchmark::State& state) {
  const std::string text = *neardup::Normalize(neardup::bench::SeedText(state.range(0)));
  const auto tokens = neardup::Tokenize(text);
  size_t shingles = 0;
  for (auto _ : state) {
    const std::vector<uint64_t> hashes = neardup::ShingleHashes(text, tokens, {}, 1);
    shingles = hashes.size();
    benchmark::DoNotOptimize(hashes.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(shingles));
}
BENCHMARK(BM_ShingleHashing)->Arg(kShingleTextBytes);

}  // namespace

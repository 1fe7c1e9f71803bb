// File: bench/bench_input.h
//
// Deterministic benchmark inputs: the seed articles concatenated and repeated to a length, so
// every run measures the same bytes.

#ifndef NEARDUP_BENCH_BENCH_INPUT_H_
#define NEARDUP_BENCH_BENCH_INPUT_H_

#include <string>

#include "test_data.h"

namespace neardup::bench {

inline std::string SeedText(size_t bytes) {
  static const std::string all = [] {
    std::string s;
    for (const std::string& a : neardup::testing::SeedArticles()) s += a + "\n";
    return s;
  }();
  std::string out;
  while (out.size() < bytes) out += all;
  // Cut at a line boundary so no UTF-8 sequence is split.
  const size_t cut = out.rfind('\n', bytes);
  return out.substr(0, cut == std::string::npos ? bytes : cut + 1);
}

}  // namespace neardup::bench

#endif  // NEARDUP_BENCH_BENCH_INPUT_H_

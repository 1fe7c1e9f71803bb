// File: tests/reference/reference.h
//
// Slow, obviously correct implementations the fast library code is checked against: shingles
// as strings in a std::set, exact Jaccard by set algebra, brute-force all pairs.

#ifndef NEARDUP_TESTS_REFERENCE_REFERENCE_H_
#define NEARDUP_TESTS_REFERENCE_REFERENCE_H_

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "neardup/normalize.h"
#include "neardup/tokenize.h"

namespace neardup::reference {

// Word n-grams of the normalized text as strings ("a b c"), with the library's documented rule
// for short texts: fewer than n words give one shingle of all of them.
inline std::set<std::string> WordShingles(const std::string& text, int n) {
  const std::string normalized = *Normalize(text);
  std::vector<std::string> words;
  for (const Token& t : Tokenize(normalized)) words.emplace_back(t.text(normalized));
  std::set<std::string> out;
  if (words.empty()) return out;
  const size_t width = std::min(words.size(), static_cast<size_t>(n));
  for (size_t i = 0; i + width <= words.size(); ++i) {
    std::string s;
    for (size_t j = 0; j < width; ++j) s += (j ? " " : "") + words[i + j];
    out.insert(s);
  }
  return out;
}

template <typename T>
double Jaccard(const std::set<T>& a, const std::set<T>& b) {
  if (a.empty() || b.empty()) return 0.0;
  std::vector<T> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  return static_cast<double>(common.size()) / static_cast<double>(a.size() + b.size() - common.size());
}

// Every pair (i < j) whose similarity(i, j) is at least `threshold`.
template <typename Similarity>
std::set<std::pair<size_t, size_t>> BruteForcePairs(size_t n, double threshold, Similarity similarity) {
  std::set<std::pair<size_t, size_t>> out;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      if (similarity(i, j) >= threshold) out.emplace(i, j);
    }
  }
  return out;
}

// A tiny deterministic generator (SplitMix64): std:: distributions differ between standard
// libraries, and tests must generate the same data everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (n small: modulo bias is below 2^-40).
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

}  // namespace neardup::reference

#endif  // NEARDUP_TESTS_REFERENCE_REFERENCE_H_

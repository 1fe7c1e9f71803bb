// File: base/radix_sort.h
//
// A stable LSD radix sort, for the integer keys of the hot paths (a document's shingle keys,
// a query's sample-key holders, a posting-table merge). Bytes as digits: the histograms of
// every digit are counted in one pass and a digit all values share is skipped (a query's
// holders are small numbers, so their high bytes are), and the counts are small enough
// (1 KB a digit) that clearing them costs nothing next to a document's few hundred keys,
// where 11-bit digits spent more time clearing 16 KB of counts than sorting. std::sort took
// an eighth of near mode's time on the perf corpus. Below kRadixFrom values, std::stable_sort.

#ifndef NEARDUP_BASE_RADIX_SORT_H_
#define NEARDUP_BASE_RADIX_SORT_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace neardup::internal {

// Sorts `values` (fewer than 2^32) by key_of(value), an unsigned integer below 2^key_bits
// (key_bits <= 64), keeping the order of equal keys.
template <typename T, typename KeyOf>
void RadixSortBy(std::vector<T>& values, int key_bits, KeyOf key_of) {
  constexpr size_t kRadixFrom = 64;
  if (values.size() < kRadixFrom) {
    std::stable_sort(values.begin(), values.end(), [&](const T& a, const T& b) { return key_of(a) < key_of(b); });
    return;
  }
  const int digits = (key_bits + 7) / 8;
  std::array<std::array<uint32_t, 256>, 8> count{};
  for (const T& v : values) {
    const uint64_t key = key_of(v);
    for (int d = 0; d < digits; ++d) ++count[d][(key >> (8 * d)) & 0xFF];
  }
  thread_local std::vector<T> buffer;
  buffer.resize(values.size());
  T* from = values.data();
  T* to = buffer.data();
  for (int d = 0; d < digits; ++d) {
    std::array<uint32_t, 256>& c = count[d];
    if (c[(key_of(from[0]) >> (8 * d)) & 0xFF] == values.size()) continue;  // one digit for all
    uint32_t sum = 0;
    for (uint32_t& n : c) {
      const uint32_t here = n;
      n = sum, sum += here;
    }
    for (size_t i = 0; i < values.size(); ++i) to[c[(key_of(from[i]) >> (8 * d)) & 0xFF]++] = from[i];
    std::swap(from, to);
  }
  if (from != values.data()) std::copy(from, from + values.size(), values.data());
}

inline void RadixSort(std::vector<uint32_t>& values) {
  RadixSortBy(values, 32, [](uint32_t v) { return v; });
}

}  // namespace neardup::internal

#endif  // NEARDUP_BASE_RADIX_SORT_H_

// File: index/gentle_growth.h
//
// Appending to the vectors an index keeps by document number (ids, sample sizes, filter
// entries, link heads): std::vector doubles its capacity, so such a vector holds on average
// a third more than it uses and up to twice as much (the perf corpus's 41,946 documents sit
// in capacities of 65,536: 1.56x). Growing by an eighth bounds the slack to 12.5%, for the
// price of copying each element about eight times over the vector's life, a few bytes a
// document against the kilobytes of hashing that produced it.

#ifndef NEARDUP_INDEX_GENTLE_GROWTH_H_
#define NEARDUP_INDEX_GENTLE_GROWTH_H_

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace neardup::internal {

// The share of the capacity added when a vector is full: 1/kGrowthShare.
inline constexpr size_t kGrowthShare = 8;
// Small vectors grow by at least this many elements, so the first appends do not copy often.
inline constexpr size_t kMinGrowth = 64;

template <typename T, typename... Args>
void AppendGently(std::vector<T>& v, Args&&... args) {
  if (v.size() == v.capacity()) v.reserve(v.capacity() + std::max(kMinGrowth, v.capacity() / kGrowthShare));
  v.emplace_back(std::forward<Args>(args)...);
}

}  // namespace neardup::internal

#endif  // NEARDUP_INDEX_GENTLE_GROWTH_H_

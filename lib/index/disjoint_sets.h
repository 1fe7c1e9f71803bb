// File: index/disjoint_sets.h
//
// Union-find with path halving and union by the smaller root, so that the root of a set is
// always its smallest element: with elements numbered in insertion order, the root is the
// first-added member (the canonical one).

#ifndef NEARDUP_INDEX_DISJOINT_SETS_H_
#define NEARDUP_INDEX_DISJOINT_SETS_H_

#include <cstddef>
#include <numeric>
#include <vector>

namespace neardup::internal {

class DisjointSets {
 public:
  explicit DisjointSets(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), size_t{0}); }

  size_t Find(size_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  void Union(size_t a, size_t b) {
    a = Find(a), b = Find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent_[b] = a;
  }

 private:
  std::vector<size_t> parent_;
};

}  // namespace neardup::internal

#endif  // NEARDUP_INDEX_DISJOINT_SETS_H_

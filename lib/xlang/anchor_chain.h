// File: xlang/anchor_chain.h
//
// The heaviest chain of matching anchors two texts share in the same order: a weighted
// longest common subsequence. CompareAnchors' alignment and its verdict stand on it.
//
// Two implementations give the same chain, bit for bit, and the same choice among chains of
// equal weight:
//   * Dense: the textbook table over all (row, column) cells, backtracked from the last cell,
//     preferring to skip a row, then a column, then to take a match. Computed a row at a time,
//     from each match along the run of cells it raises (anchor_chain.cc): at most rows ×
//     columns, and a byte of moves per cell.
//   * Sparse: only the matching cells (rows × columns is mostly cells whose keys differ), each
//     valued through a prefix-maximum tree over the columns; the chain is recovered as the
//     dense backtrack would walk it (see anchor_chain.cc). Cost r log columns for r matches.
// HeaviestChain picks the cheaper; the differential test (tests/anchor_chain_test.cc) holds
// the two to each other.

#ifndef NEARDUP_XLANG_ANCHOR_CHAIN_H_
#define NEARDUP_XLANG_ANCHOR_CHAIN_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace neardup::internal {

// Rows and columns are anchors of the two sides, by a key id below `num_ids`
// (row_keys[i], column_keys[j]); matching a row earns row_weights[i] (> 0 for a match to
// count). `chain` gets the matched (row, column) pairs from the last to the first: the order
// in which the backtrack finds them, and in which callers sum their weights.
struct ChainProblem {
  std::span<const uint32_t> row_keys;
  std::span<const double> row_weights;
  std::span<const uint32_t> column_keys;
  uint32_t num_ids = 0;
};

void HeaviestChainDense(const ChainProblem& problem, std::vector<std::pair<uint32_t, uint32_t>>* chain);
void HeaviestChainSparse(const ChainProblem& problem, std::vector<std::pair<uint32_t, uint32_t>>* chain);
// Whichever of the two costs less for `problem`.
void HeaviestChain(const ChainProblem& problem, std::vector<std::pair<uint32_t, uint32_t>>* chain);

}  // namespace neardup::internal

#endif  // NEARDUP_XLANG_ANCHOR_CHAIN_H_

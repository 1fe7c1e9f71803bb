#include "xlang/anchor_chain.h"

#include <algorithm>
#include <bit>

namespace neardup::internal {
namespace {

// Working memory kept by each thread between calls: a run makes millions of comparisons.
struct DenseScratch {
  std::vector<double> prev, cur;
  std::vector<uint8_t> move;  // 0 = skip a row, 1 = skip a column, 2 = match
};

// A matching cell, valued: `before` is the heaviest chain strictly above and left of it,
// `value` = before + its row's weight.
struct Cell {
  uint32_t row, column;  // 1-based
  double value, before;
};

struct SparseScratch {
  std::vector<uint32_t> start, columns, order;
  std::vector<double> tree;
  std::vector<Cell> cells;
};

// A Fenwick tree of prefix maxima over columns 1..n (tree[0] unused); values only grow.
double PrefixMax(const std::vector<double>& tree, size_t column) {
  double best = 0;
  for (; column > 0; column &= column - 1) best = std::max(best, tree[column]);
  return best;
}
void Raise(std::vector<double>& tree, size_t column, double value) {
  for (; column < tree.size(); column += column & (~column + 1)) tree[column] = std::max(tree[column], value);
}

// Per key, the first 1-based column holding it (0: none).
void FirstColumns(const ChainProblem& p, std::vector<uint32_t>* first_column) {
  first_column->assign(p.num_ids, 0);
  for (size_t j = p.column_keys.size(); j > 0; --j) (*first_column)[p.column_keys[j - 1]] = static_cast<uint32_t>(j);
}

}  // namespace

namespace {

// The dense table, given each key's first column (FirstColumns). Before a row's first match
// nothing beats the row above (which never decreases): those cells copy it and skip the row.
// So each row starts at its key's first column.
void DenseChain(const ChainProblem& p, const std::vector<uint32_t>& first_column,
                std::vector<std::pair<uint32_t, uint32_t>>* chain) {
  chain->clear();
  thread_local DenseScratch s;
  const size_t fn = p.row_keys.size(), fm = p.column_keys.size();
  s.prev.assign(fm + 1, 0.0), s.cur.assign(fm + 1, 0.0);
  s.move.assign(fn * fm, 0);
  for (size_t i = 1; i <= fn; ++i) {
    const uint32_t key = p.row_keys[i - 1];
    const double w = p.row_weights[i - 1];
    uint8_t* row_moves = s.move.data() + (i - 1) * fm;
    const size_t first = first_column[key] == 0 ? fm + 1 : first_column[key];
    // Plain pointers: the moves are bytes, which may alias anything, and through the vectors
    // every store would reload their data pointers.
    const double* above = s.prev.data();
    double* row = s.cur.data();
    const uint32_t* keys = p.column_keys.data();
    std::copy(above, above + first, row);
    double left = row[first - 1];  // row[j - 1]
    for (size_t j = first; j <= fm; ++j) {
      // Ties prefer skipping the row, then the column: the chain is the same on every machine.
      const double up = above[j], diagonal = above[j - 1] + w;
      const bool take_left = left > up;
      double best = take_left ? left : up;
      const bool take_match = (keys[j - 1] == key) & (diagonal > best);
      best = take_match ? diagonal : best;
      row[j] = left = best;
      row_moves[j - 1] = take_match ? 2 : static_cast<uint8_t>(take_left);
    }
    std::swap(s.prev, s.cur);
  }
  for (size_t i = fn, j = fm; i > 0 && j > 0;) {
    const uint8_t how = s.move[(i - 1) * fm + (j - 1)];
    if (how == 2) {
      chain->emplace_back(static_cast<uint32_t>(i - 1), static_cast<uint32_t>(j - 1));
      --i, --j;
    } else if (how == 1) {
      --j;
    } else {
      --i;
    }
  }
}

}  // namespace

void HeaviestChainDense(const ChainProblem& p, std::vector<std::pair<uint32_t, uint32_t>>* chain) {
  thread_local std::vector<uint32_t> first_column;
  FirstColumns(p, &first_column);
  DenseChain(p, first_column, chain);
}

// Why the walk below finds the dense backtrack's chain. Let best(i, j) be the dense table
// (nondecreasing in i and j) and v = best(i, j) > 0 where the backtrack stands. It moves up
// while best(i - 1, j) = v, else left while best(i, j - 1) = v, else takes the match: it stays
// where best = v and stops at a cell where both neighbours are below v, a corner of
// {best >= v}. Moving up first, it reaches the corner of the smallest row. That corner is the
// matching cell of value v in the box [1, i] × [1, j] with the smallest row, then column
// (any cell of value v above or left of it would be a smaller one, and a cell's value is never
// above the best of its box). From the corner the backtrack goes on at (row - 1, column - 1),
// where best = the cell's `before`. When v = 0 no match is left to take.
void HeaviestChainSparse(const ChainProblem& p, std::vector<std::pair<uint32_t, uint32_t>>* chain) {
  chain->clear();
  thread_local SparseScratch s;
  const size_t fn = p.row_keys.size(), fm = p.column_keys.size();
  // The columns of each key, increasing: columns[start[key], start[key + 1]).
  s.start.assign(p.num_ids + 1, 0);
  for (uint32_t key : p.column_keys) ++s.start[key + 1];
  for (size_t k = 0; k < p.num_ids; ++k) s.start[k + 1] += s.start[k];
  s.columns.resize(fm);
  {
    std::vector<uint32_t>& fill = s.order;  // borrowed: the next free place per key
    fill.assign(s.start.begin(), s.start.end() - 1);
    for (size_t j = 0; j < fm; ++j) s.columns[fill[p.column_keys[j]]++] = static_cast<uint32_t>(j + 1);
  }
  // Rows in order; a row's cells see only the rows above (the tree is raised after the row).
  s.cells.clear();
  s.tree.assign(fm + 1, 0.0);
  for (size_t i = 1; i <= fn; ++i) {
    const uint32_t key = p.row_keys[i - 1];
    const double w = p.row_weights[i - 1];
    const size_t row_begin = s.cells.size();
    for (uint32_t k = s.start[key]; k < s.start[key + 1]; ++k) {
      const uint32_t column = s.columns[k];
      const double before = PrefixMax(s.tree, column - 1);
      s.cells.push_back(Cell{static_cast<uint32_t>(i), column, before + w, before});
    }
    for (size_t c = row_begin; c < s.cells.size(); ++c) Raise(s.tree, s.cells[c].column, s.cells[c].value);
  }
  // Cells by value, each value's in (row, column) order, which is the order they were made in.
  s.order.resize(s.cells.size());
  for (size_t c = 0; c < s.order.size(); ++c) s.order[c] = static_cast<uint32_t>(c);
  std::sort(s.order.begin(), s.order.end(), [&](uint32_t x, uint32_t y) {
    return s.cells[x].value != s.cells[y].value ? s.cells[x].value < s.cells[y].value : x < y;
  });
  double v = PrefixMax(s.tree, fm);
  size_t i = fn, j = fm;
  while (v > 0) {
    auto it = std::lower_bound(s.order.begin(), s.order.end(), v,
                               [&](uint32_t c, double value) { return s.cells[c].value < value; });
    while (it != s.order.end() && s.cells[*it].value == v && (s.cells[*it].row > i || s.cells[*it].column > j)) ++it;
    if (it == s.order.end() || s.cells[*it].value != v) break;  // unreachable: best(i, j) = v is some cell's
    const Cell& corner = s.cells[*it];
    chain->emplace_back(corner.row - 1, corner.column - 1);
    v = corner.before;
    i = corner.row - 1;
    j = corner.column - 1;
  }
}

void HeaviestChain(const ChainProblem& p, std::vector<std::pair<uint32_t, uint32_t>>* chain) {
  // The dense table's cells (from each row's first matching column on) against the matches,
  // each of which costs a tree query and update (log2 columns steps each) and a share of a
  // sort. On the perf corpus' comparisons (corpus_bench's index stage, one run) the index
  // stage took 85 ms/MB with the sparse chain always, 59.7 with the dense always, and 60.5,
  // 60.3 with this rule at 4 and 8: most comparisons are small, and the dense table's
  // branch-free loop is fast on them. The rule keeps the rare large ones (hundreds of anchors
  // repeated on both sides) from costing rows × columns.
  constexpr uint64_t kSparseCostPerMatchStep = 4;
  const size_t fm = p.column_keys.size();
  thread_local std::vector<uint32_t> count, first_column;
  count.assign(p.num_ids, 0);
  for (uint32_t key : p.column_keys) ++count[key];
  FirstColumns(p, &first_column);
  uint64_t dense = 0, matches = 0;
  for (uint32_t key : p.row_keys) {
    if (first_column[key] != 0) dense += fm + 1 - first_column[key];
    matches += count[key];
  }
  const uint64_t steps = std::bit_width(fm) + 2;
  if (matches * steps * kSparseCostPerMatchStep < dense) {
    HeaviestChainSparse(p, chain);
  } else {
    DenseChain(p, first_column, chain);  // with the first columns just found
  }
}

}  // namespace neardup::internal

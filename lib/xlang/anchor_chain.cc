#include "xlang/anchor_chain.h"

#include <algorithm>
#include <bit>

namespace neardup::internal {
namespace {

// The columns of each key, increasing and 1-based: columns[start[key], start[key + 1]).
struct ColumnsByKey {
  std::vector<uint32_t> start, columns;
  size_t Count(uint32_t key) const { return start[key + 1] - start[key]; }
};

// The problem's columns by key, in a table each thread keeps between calls.
const ColumnsByKey& ColumnsByKeyOf(const ChainProblem& p) {
  thread_local ColumnsByKey by_key;
  thread_local std::vector<uint32_t> fill;  // the next free place per key
  const size_t fm = p.column_keys.size();
  by_key.start.assign(p.num_ids + 1, 0);
  for (uint32_t key : p.column_keys) ++by_key.start[key + 1];
  for (size_t k = 0; k < p.num_ids; ++k) by_key.start[k + 1] += by_key.start[k];
  by_key.columns.resize(fm);
  fill.assign(by_key.start.begin(), by_key.start.end() - 1);
  for (size_t j = 0; j < fm; ++j) by_key.columns[fill[p.column_keys[j]]++] = static_cast<uint32_t>(j + 1);
  return by_key;
}

// Working memory kept by each thread between calls: a run makes millions of comparisons.
struct DenseScratch {
  std::vector<double> best, gains;
  std::vector<uint8_t> move;  // 0 = skip a row, 1 = skip a column, 2 = match
};

// A matching cell, valued: `before` is the heaviest chain strictly above and left of it,
// `value` = before + its row's weight.
struct Cell {
  uint32_t row, column;  // 1-based
  double value, before;
};

struct SparseScratch {
  std::vector<uint32_t> order;
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

// The dense table, one row at a time in place. The textbook cell is
//   best(i, j) = max(best(i, j - 1), best(i - 1, j), best(i - 1, j - 1) + w_i if the keys match),
// ties preferring to skip the row (up), then the column (left). A row differs from the one
// above only from a matching column on: where no match is, a cell takes its left neighbour
// when that is larger than the cell above, and once it is not, the row above (which never
// decreases) is never below the row's left part again until the next match. So a row's work
// is its matches and the runs of cells each one raises, where the textbook loop visited every
// column; the values and moves are the textbook's, cell for cell (the moves left unwritten
// are 0, as the textbook loop finds them).
void DenseChain(const ChainProblem& p, const ColumnsByKey& by_key, std::vector<std::pair<uint32_t, uint32_t>>* chain) {
  chain->clear();
  thread_local DenseScratch s;
  const size_t fn = p.row_keys.size(), fm = p.column_keys.size();
  s.best.assign(fm + 1, 0.0);
  s.move.assign(fn * fm, 0);
  // Plain pointers: the moves are bytes, which may alias anything, and through the vectors
  // every store would reload their data pointers.
  double* best = s.best.data();
  for (size_t i = 1; i <= fn; ++i) {
    const uint32_t key = p.row_keys[i - 1];
    const uint32_t* columns = by_key.columns.data() + by_key.start[key];
    const size_t matches = by_key.Count(key);
    if (matches == 0) continue;  // the row above, unchanged; every move 0
    const double w = p.row_weights[i - 1];
    uint8_t* row_moves = s.move.data() + (i - 1) * fm - 1;  // indexed by 1-based column
    // The diagonals come from the row above: read them all before the row changes.
    s.gains.resize(matches);
    for (size_t k = 0; k < matches; ++k) s.gains[k] = best[columns[k] - 1] + w;
    for (size_t k = 0; k < matches; ++k) {
      const size_t c = columns[k];
      const double left = best[c - 1], up = best[c], diagonal = s.gains[k];
      // Ties prefer skipping the row, then the column: the chain is the same on every machine.
      const bool take_left = left > up;
      const double skip = take_left ? left : up;
      const bool take_match = diagonal > skip;
      const double value = take_match ? diagonal : skip;
      best[c] = value;
      row_moves[c] = take_match ? 2 : static_cast<uint8_t>(take_left);
      // The run this cell raises: the cells up to the next match whose cell above is lower.
      // Those still hold the row above, which never decreases: the run ends where it reaches
      // the value. (In a translation's table most runs go to the end of the row.)
      const size_t next = k + 1 < matches ? columns[k + 1] : fm + 1;
      const size_t run_end = static_cast<size_t>(std::lower_bound(best + c + 1, best + next, value) - best);
      std::fill(best + c + 1, best + run_end, value);
      std::fill(row_moves + c + 1, row_moves + run_end, uint8_t{1});
    }
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

// Why the walk below finds the dense backtrack's chain. Let best(i, j) be the dense table
// (nondecreasing in i and j) and v = best(i, j) > 0 where the backtrack stands. It moves up
// while best(i - 1, j) = v, else left while best(i, j - 1) = v, else takes the match: it stays
// where best = v and stops at a cell where both neighbours are below v, a corner of
// {best >= v}. Moving up first, it reaches the corner of the smallest row. That corner is the
// matching cell of value v in the box [1, i] × [1, j] with the smallest row, then column
// (any cell of value v above or left of it would be a smaller one, and a cell's value is never
// above the best of its box). From the corner the backtrack goes on at (row - 1, column - 1),
// where best = the cell's `before`. When v = 0 no match is left to take.
void SparseChain(const ChainProblem& p, const ColumnsByKey& by_key, std::vector<std::pair<uint32_t, uint32_t>>* chain) {
  chain->clear();
  thread_local SparseScratch s;
  const size_t fn = p.row_keys.size(), fm = p.column_keys.size();
  // Rows in order; a row's cells see only the rows above (the tree is raised after the row).
  s.cells.clear();
  s.tree.assign(fm + 1, 0.0);
  for (size_t i = 1; i <= fn; ++i) {
    const uint32_t key = p.row_keys[i - 1];
    const double w = p.row_weights[i - 1];
    const size_t row_begin = s.cells.size();
    for (uint32_t k = by_key.start[key]; k < by_key.start[key + 1]; ++k) {
      const uint32_t column = by_key.columns[k];
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

}  // namespace

void HeaviestChainDense(const ChainProblem& p, std::vector<std::pair<uint32_t, uint32_t>>* chain) {
  DenseChain(p, ColumnsByKeyOf(p), chain);
}

void HeaviestChainSparse(const ChainProblem& p, std::vector<std::pair<uint32_t, uint32_t>>* chain) {
  SparseChain(p, ColumnsByKeyOf(p), chain);
}

void HeaviestChain(const ChainProblem& p, std::vector<std::pair<uint32_t, uint32_t>>* chain) {
  // The dense table's cells from each row's first matching column on (a bound on the cells
  // DenseChain writes) against the matches, each of which costs SparseChain a tree query and
  // update (log2 columns steps each) and a share of a sort. Share of corpus_bench's index
  // stage (perf corpus, leaf samples of `perf record -e cpu-clock` over its last 9 s) in the
  // two chains and the sparse sort: 19.6% with the textbook dense loop and this rule at 4,
  // 17.0% with DenseChain's row runs at 4, 13.7% at 16 (the sparse chain then all but
  // unused). The rule keeps the rare large comparisons (hundreds of anchors repeated on both
  // sides) from costing rows × columns.
  constexpr uint64_t kSparseCostPerMatchStep = 16;
  const size_t fm = p.column_keys.size();
  const ColumnsByKey& by_key = ColumnsByKeyOf(p);
  uint64_t dense = 0, matches = 0;
  for (uint32_t key : p.row_keys) {
    if (const size_t count = by_key.Count(key); count != 0) {
      dense += fm + 1 - by_key.columns[by_key.start[key]];
      matches += count;
    }
  }
  const uint64_t steps = std::bit_width(fm) + 2;
  if (matches * steps * kSparseCostPerMatchStep < dense) {
    SparseChain(p, by_key, chain);
  } else {
    DenseChain(p, by_key, chain);
  }
}

}  // namespace neardup::internal

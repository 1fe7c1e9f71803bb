// Both heaviest chains against the textbook table written out here, every cell of it (the same
// chain, pair for pair), and against an exhaustive search on small problems (the heaviest
// weight; an independent check that the chain is a chain).
#include "xlang/anchor_chain.h"

#include <catch2/catch.hpp>
#include <algorithm>
#include <random>
#include <vector>

using neardup::internal::ChainProblem;
using Chain = std::vector<std::pair<uint32_t, uint32_t>>;

namespace {

struct Problem {
  std::vector<uint32_t> rows, columns;
  std::vector<double> weights;
  uint32_t num_ids = 0;
  ChainProblem view() const { return ChainProblem{rows, weights, columns, num_ids}; }
};

// Shapes the comparisons meet: a translation (the same keys in nearly the same order, some
// dropped, some swapped), keys repeated many times (a table of small numbers), and unrelated
// texts (few shared keys). Weights come from a small set, so that chains tie.
Problem RandomProblem(std::mt19937_64& rng, size_t max_length) {
  Problem p;
  p.num_ids = 1 + static_cast<uint32_t>(rng() % (rng() % 2 ? 6 : 200));
  const size_t n = rng() % (max_length + 1), m = rng() % (max_length + 1);
  const int shape = static_cast<int>(rng() % 3);
  for (size_t i = 0; i < n; ++i) p.rows.push_back(static_cast<uint32_t>(rng() % p.num_ids));
  if (shape == 0) {  // a translation of the rows
    for (uint32_t key : p.rows) {
      if (rng() % 8 != 0) p.columns.push_back(key);
    }
    for (size_t k = 1; k < p.columns.size(); ++k) {
      if (rng() % 6 == 0) std::swap(p.columns[k - 1], p.columns[k]);
    }
    while (p.columns.size() < m) p.columns.insert(p.columns.begin() + rng() % (p.columns.size() + 1), static_cast<uint32_t>(rng() % p.num_ids));
  } else {
    for (size_t j = 0; j < m; ++j) p.columns.push_back(static_cast<uint32_t>(rng() % p.num_ids));
  }
  const double choices[] = {0.3, 0.6, 1.0, 0.35, 0.7, 0.1 + 0.2};  // 0.1 + 0.2 is not 0.3: near ties
  for (size_t i = 0; i < n; ++i) p.weights.push_back(shape == 1 ? 1.0 : choices[rng() % std::size(choices)]);
  return p;
}

double ChainWeight(const Problem& p, const Chain& chain) {
  double total = 0;
  for (const auto& [row, column] : chain) total += p.weights[row];
  return total;
}

// The heaviest chain's weight by trying every subset of rows with a greedy earliest-column
// placement, which is optimal for a fixed row set. Small problems only.
double ExhaustiveBest(const Problem& p) {
  double best = 0;
  const size_t n = p.rows.size();
  for (uint32_t subset = 0; subset < (1u << n); ++subset) {
    size_t next_column = 0;
    double total = 0;
    bool ok = true;
    for (size_t i = 0; i < n && ok; ++i) {
      if (!(subset >> i & 1)) continue;
      while (next_column < p.columns.size() && p.columns[next_column] != p.rows[i]) ++next_column;
      ok = next_column < p.columns.size();
      ++next_column;
      total += p.weights[i];
    }
    if (ok) best = std::max(best, total);
  }
  return best;
}

void CheckIsChain(const Problem& p, const Chain& chain) {
  // From the last pair to the first: rows and columns strictly decreasing, keys equal.
  for (size_t k = 0; k < chain.size(); ++k) {
    REQUIRE(p.rows[chain[k].first] == p.columns[chain[k].second]);
    if (k > 0) REQUIRE((chain[k].first < chain[k - 1].first && chain[k].second < chain[k - 1].second));
  }
}

// The textbook weighted longest common subsequence: the whole (rows + 1) × (columns + 1)
// table, each cell the best of skipping the row, skipping the column or taking a match, ties
// preferring the row, then the column (anchor_chain.h's order), backtracked from the last
// cell. Slow and plain: the reference the library's two implementations are held to.
Chain TextbookChain(const Problem& p) {
  const size_t n = p.rows.size(), m = p.columns.size();
  std::vector<std::vector<double>> best(n + 1, std::vector<double>(m + 1, 0.0));
  std::vector<std::vector<int>> move(n + 1, std::vector<int>(m + 1, 0));  // 0 up, 1 left, 2 match
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      double value = best[i - 1][j];
      int how = 0;
      if (best[i][j - 1] > value) value = best[i][j - 1], how = 1;
      if (p.rows[i - 1] == p.columns[j - 1] && best[i - 1][j - 1] + p.weights[i - 1] > value) {
        value = best[i - 1][j - 1] + p.weights[i - 1], how = 2;
      }
      best[i][j] = value;
      move[i][j] = how;
    }
  }
  Chain chain;
  for (size_t i = n, j = m; i > 0 && j > 0;) {
    if (move[i][j] == 2) {
      chain.emplace_back(static_cast<uint32_t>(i - 1), static_cast<uint32_t>(j - 1));
      --i, --j;
    } else if (move[i][j] == 1) {
      --j;
    } else {
      --i;
    }
  }
  return chain;
}

}  // namespace

TEST_CASE("the dense and sparse heaviest chains are the textbook table's, pair for pair", "[translation]") {
  std::mt19937_64 rng(14);
  Chain dense, sparse, chosen;
  size_t nonempty = 0, long_chains = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    const Problem p = RandomProblem(rng, trial % 10 == 0 ? 400 : 40);
    neardup::internal::HeaviestChainDense(p.view(), &dense);
    neardup::internal::HeaviestChainSparse(p.view(), &sparse);
    neardup::internal::HeaviestChain(p.view(), &chosen);
    const Chain textbook = TextbookChain(p);
    REQUIRE(dense == textbook);
    REQUIRE(sparse == textbook);
    REQUIRE(chosen == textbook);
    CheckIsChain(p, dense);
    nonempty += !dense.empty();
    long_chains += dense.size() >= 20;
  }
  // The trials did exercise chains, short and long.
  CHECK(nonempty > 10000);
  CHECK(long_chains > 500);
}

TEST_CASE("the heaviest chain is as heavy as an exhaustive search finds", "[translation]") {
  std::mt19937_64 rng(41);
  Chain chain;
  for (int trial = 0; trial < 2000; ++trial) {
    const Problem p = RandomProblem(rng, 10);
    neardup::internal::HeaviestChainSparse(p.view(), &chain);
    CheckIsChain(p, chain);
    // Sums in different orders may differ in the last bits.
    REQUIRE(ChainWeight(p, chain) == Approx(ExhaustiveBest(p)).margin(1e-9));
  }
}

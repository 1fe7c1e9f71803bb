#include "neardup/align.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "base/status_macros.h"
#include "xlang/length_model.h"
#include "neardup/anchor.h"

namespace neardup {
namespace {

// Gale and Church's length model: the length of a translated span is about c times its
// source's, with variance s2 per character; c is taken from the two documents themselves.
constexpr double kVariancePerChar = 6.8;
// Step priors from Gale and Church's hand-aligned sample.
constexpr double kPrior11 = 0.89, kPrior10 = 0.0099 / 2, kPrior21 = 0.089 / 2;
// Each shared anchor lowers a step's cost by this much (in nats), up to kMaxAnchorBonus.
constexpr double kAnchorBonus = 1.5, kMaxAnchorBonus = 9.0;
// Added for each merged paragraph that shares nothing while its counterpart has anchors.
constexpr double kMergePenalty = 4.0;

double LengthCost(double la, double lb, double ratio) {
  const double mean = (la + lb / ratio) / 2;
  if (mean <= 0) return 0;
  const double delta = (lb - la * ratio) / std::sqrt(std::max(1.0, mean) * kVariancePerChar);
  // Two-sided tail probability of a standard normal, floored to keep logs finite.
  const double p = std::max(1e-12, std::erfc(std::fabs(delta) / std::sqrt(2.0)));
  return -std::log(p);
}

}  // namespace

std::vector<Paragraph> SplitParagraphs(std::string_view text) {
  std::vector<Paragraph> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    size_t b = start, e = end;
    while (b < e && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r')) ++b;
    while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r')) --e;
    if (e > b) out.push_back(Paragraph{static_cast<uint32_t>(b), static_cast<uint32_t>(e)});
    start = end + 1;
  }
  return out;
}

absl::StatusOr<Alignment> AlignParagraphs(std::string_view a, std::string_view language_a, std::string_view b,
                                          std::string_view language_b) {
  NEARDUP_ASSIGN_OR_RETURN(std::vector<Anchor> anchors_a, ExtractAnchors(a, {.language = std::string(language_a)}));
  NEARDUP_ASSIGN_OR_RETURN(std::vector<Anchor> anchors_b, ExtractAnchors(b, {.language = std::string(language_b)}));
  Alignment out;
  out.paragraphs_a = SplitParagraphs(a);
  out.paragraphs_b = SplitParagraphs(b);
  const size_t n = out.paragraphs_a.size(), m = out.paragraphs_b.size();

  // Per paragraph: its length and the keys of the anchors inside it.
  const auto describe = [](std::string_view text, const std::vector<Paragraph>& paras,
                           const std::vector<Anchor>& anchors, std::vector<double>* lengths,
                           std::vector<std::vector<std::string>>* keys) {
    lengths->resize(paras.size());
    keys->resize(paras.size());
    size_t k = 0;
    for (size_t i = 0; i < paras.size(); ++i) {
      (*lengths)[i] = static_cast<double>(internal::LengthInLatinLetters(text.substr(paras[i].begin, paras[i].end - paras[i].begin)));
      while (k < anchors.size() && anchors[k].begin < paras[i].begin) ++k;
      for (; k < anchors.size() && anchors[k].begin < paras[i].end; ++k) (*keys)[i].push_back(anchors[k].key);
    }
  };
  std::vector<double> len_a, len_b;
  std::vector<std::vector<std::string>> keys_a, keys_b;
  describe(a, out.paragraphs_a, anchors_a, &len_a, &keys_a);
  describe(b, out.paragraphs_b, anchors_b, &len_b, &keys_b);
  double total_a = 0, total_b = 0;
  for (double x : len_a) total_a += x;
  for (double y : len_b) total_b += y;
  const double ratio = total_a > 0 && total_b > 0 ? total_b / total_a : 1.0;

  // Shared anchor keys of paragraphs [ia, ia+da) and [jb, jb+db), in a's order.
  const auto shared = [&](size_t ia, size_t da, size_t jb, size_t db) {
    std::multiset<std::string> right;
    for (size_t j = jb; j < jb + db; ++j) right.insert(keys_b[j].begin(), keys_b[j].end());
    std::vector<std::string> common;
    for (size_t i = ia; i < ia + da; ++i) {
      for (const std::string& k : keys_a[i]) {
        if (auto it = right.find(k); it != right.end()) {
          common.push_back(k);
          right.erase(it);
        }
      }
    }
    return common;
  };
  struct Step {
    int da, db;
    double prior;
  };
  constexpr Step kSteps[] = {{1, 1, kPrior11}, {1, 0, kPrior10}, {0, 1, kPrior10}, {2, 1, kPrior21}, {1, 2, kPrior21}};
  const auto step_cost = [&](size_t i, size_t j, const Step& s) {
    double la = 0, lb = 0;
    for (int k = 0; k < s.da; ++k) la += len_a[i + k];
    for (int k = 0; k < s.db; ++k) lb += len_b[j + k];
    double cost = -std::log(s.prior);
    if (s.da > 0 && s.db > 0) {
      cost += LengthCost(la, lb, ratio);
      cost -= std::min(kMaxAnchorBonus, kAnchorBonus * static_cast<double>(shared(i, s.da, j, s.db).size()));
      // In a merge, a paragraph sharing no anchor with the other side, while its partner does,
      // is more likely an insertion (a byline, a caption) than half of a split sentence.
      if (s.da + s.db == 3) {
        for (int k = 0; k < 2; ++k) {
          // The single paragraph on one side, against the k-th of the pair on the other.
          const size_t ia = s.da == 2 ? i + k : i, jb = s.db == 2 ? j + k : j;
          const auto& single = s.da == 2 ? keys_b[j] : keys_a[i];
          if (!single.empty() && shared(ia, 1, jb, 1).empty()) cost += kMergePenalty;
        }
      }
    } else {
      // Leaving a paragraph out: the step's prior and a cost growing slowly with its length.
      cost += std::log1p(la + lb) / 2;
    }
    return cost;
  };

  const double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> best((n + 1) * (m + 1), kInf);
  std::vector<int8_t> how((n + 1) * (m + 1), -1);
  const auto at = [m](size_t i, size_t j) { return i * (m + 1) + j; };
  best[at(0, 0)] = 0;
  for (size_t i = 0; i <= n; ++i) {
    for (size_t j = 0; j <= m; ++j) {
      if (best[at(i, j)] == kInf) continue;
      for (int s = 0; s < 5; ++s) {
        const Step& step = kSteps[s];
        if (i + step.da > n || j + step.db > m) continue;
        const double c = best[at(i, j)] + step_cost(i, j, step);
        if (c < best[at(i + step.da, j + step.db)]) {
          best[at(i + step.da, j + step.db)] = c;
          how[at(i + step.da, j + step.db)] = static_cast<int8_t>(s);
        }
      }
    }
  }
  for (size_t i = n, j = m; i > 0 || j > 0;) {
    const Step& step = kSteps[how[at(i, j)]];
    const size_t pi = i - step.da, pj = j - step.db;
    AlignedPair pair;
    for (int k = 0; k < step.da; ++k) pair.a.push_back(static_cast<uint32_t>(pi + k));
    for (int k = 0; k < step.db; ++k) pair.b.push_back(static_cast<uint32_t>(pj + k));
    pair.cost = best[at(i, j)] - best[at(pi, pj)];
    pair.shared_anchors = shared(pi, step.da, pj, step.db);
    out.pairs.push_back(std::move(pair));
    i = pi, j = pj;
  }
  std::reverse(out.pairs.begin(), out.pairs.end());
  return out;
}

}  // namespace neardup

// AnchorQuery and CompareAnchors (translation.h): the translation evidence of two anchor
// profiles, in three steps: each side's summary (weights, anchors, lengths, layout), the
// heaviest chain of shared anchors in order with the coverages it gives, and the score.

#include "xlang/anchor_query.h"

#include <algorithm>
#include <cmath>

#include "xlang/anchor_chain.h"
#include "xlang/layout.h"

namespace neardup {
namespace internal {
namespace {

// Names may be translated (Chine/Cina, Tensor Processing Unit; every German noun is
// capitalized): unmatched, they do not count against.
double UnmatchedFactor(AnchorKind kind) { return kind == AnchorKind::kName ? 0.0 : 1.0; }

// A number that identifies a fact: not a year, not a small count.
bool SpecificNumber(AnchorKind kind, double value) {
  return kind == AnchorKind::kNumber && std::fabs(value) > 10 && !(value >= 1900 && value <= 2100);
}

// Agreement saturates: a page of a template family often agrees on every paragraph with its
// translation and with its siblings' translations alike (score 0.9 for all). The score loses
// up to this much for a mean length deviation of 1 (a factor e), so that the closest layout
// wins such a tie; true translations deviate by 0.1 (median on xlang-dev).
constexpr double kLayoutTieBreak = 0.01;

// Short pages of one manual often share one layout (four paragraphs of alike lengths), so a
// page agrees on layout alone with its translation and with its siblings' translations, and
// the one translation per language went to whichever scored a hair higher. When layout
// judges alone and both pages have anchors other than names, the score gains up to this much
// as their anchors agree in order: the true translation takes the slot, or keeps it. Fitted
// on xlang-wild-dev, where 16 true links had lost the slot to siblings whose anchors agreed
// at 0.13 to 0.77 against 1.0 (false links 7 -> 1, true +12); checked on xlang-dev (false
// links 10 -> 7, true +9). Of the size of kLayoutTieBreak: it reorders near ties and moves
// few verdicts across the threshold. (Taking it off pages whose anchors disagree, instead,
// let pages without anchors win: xlang-dev's hard negatives reported went 3 -> 6.)
constexpr double kAnchorTieBreak = 0.01;

// The anchor weight (of the side with less, names left out) at which anchors and layout count
// equally in the score; a page with hundreds of anchors is judged by them. Without this, two
// character-set tables (koi8-r and iso_8859-15 man pages: 194 shared code-point anchors in
// order, coverage 0.26) were linked on their identical table layout.
constexpr double kAnchorWeightForHalf = 10.0;

// A profile without its boilerplate tail (AnchorWeights::WithoutBoilerplateTail).
struct Trimmed {
  std::span<const uint32_t> layout;  // paragraph lengths
  uint64_t chars = 0;
  AnchorWeights::Kept kept;
};

Trimmed TrimTail(const AnchorProfile& p, AnchorWeights::Kept kept) {
  Trimmed t;
  t.kept = std::move(kept);
  t.layout = std::span<const uint32_t>(p.paragraph_lengths.data(), t.kept.paragraphs);
  t.chars = p.num_chars;
  for (size_t i = t.layout.size(); i < p.paragraph_lengths.size(); ++i) t.chars -= std::min<uint64_t>(t.chars, p.paragraph_lengths[i]);
  return t;
}

}  // namespace

// CompareWith's working memory, kept by each thread between calls: a run makes a comparison
// for each of up to 16 candidates of every document, and allocating these each time was a
// tenth of the comparisons' time.
struct CompareScratch {
  std::vector<uint8_t> kept_a, in_a, matched_a, matched_b;
  std::vector<double> wa, wk;
  std::vector<uint32_t> id_a, ia, jb, ka, kb;
  std::vector<std::pair<uint32_t, uint32_t>> chain;
};

AnchorQuery::AnchorQuery(const AnchorProfile& b, const AnchorWeights& weights, const TranslationOptions& options)
    : AnchorQuery(b, weights.WithoutBoilerplateTail(b), weights, options) {}

AnchorQuery::AnchorQuery(const AnchorProfile& b, const AnchorWeights::Kept& kept_b, const AnchorWeights& weights,
                         const TranslationOptions& options)
    : b_(b), weights_(weights), options_(options) {
  const Trimmed trimmed = TrimTail(b, kept_b);
  layout_b_ = trimmed.layout;
  chars_b_ = trimmed.chars;
  m_ = b.keys.size();
  wb_.assign(m_, 0.0);
  weights.Weights(b, trimmed.kept, wb_);
  id_b_.resize(m_);
  kept_b_.assign(m_, 1);
  id_of_.reserve(m_);
  for (size_t j = 0; j < m_; ++j) {
    if (!trimmed.kept.Keeps(j)) kept_b_[j] = 0;
    // A dropped anchor gets an id of its own that no key maps to: it is never matched.
    id_b_[j] = kept_b_[j] ? id_of_.try_emplace(b.keys[j], num_ids_).first->second : num_ids_;
    if (id_b_[j] == num_ids_) ++num_ids_;
    if (kept_b_[j] && b.kinds[j] != AnchorKind::kName) hard_b_ += wb_[j], ++hard_count_b_;
  }
}

TranslationEvidence AnchorQuery::CompareWith(const AnchorProfile& a, CompareDetail detail,
                                             double anchor_score_needed) const {
  thread_local CompareScratch scratch;
  // Closing boilerplate (translator credits, footers) is left out: lengths, layout, anchors.
  const Trimmed trimmed_a = TrimTail(a, weights_.WithoutBoilerplateTail(a));
  const size_t n = a.keys.size();
  std::vector<uint8_t>& kept_a = scratch.kept_a;
  kept_a.assign(n, 1);
  for (size_t i = 0; i < n; ++i) kept_a[i] = trimmed_a.kept.Keeps(i);
  TranslationEvidence e;
  // Only anchors other than names decide whether the anchors can judge.
  std::vector<double>& wa = scratch.wa;
  wa.assign(n, 0.0);
  weights_.Weights(a, trimmed_a.kept, wa);
  double hard_a = 0;
  size_t hard_count_a = 0;
  for (size_t i = 0; i < n; ++i) {
    if (kept_a[i] && a.kinds[i] != AnchorKind::kName) hard_a += wa[i], ++hard_count_a;
  }
  const std::span<const uint32_t> layout_a = trimmed_a.layout;
  // Lengths are in Latin letters (internal::LengthInLatinLetters), not code points: a Chinese
  // translation has about a quarter of the code points of its English original.
  const double letters_a = static_cast<double>(trimmed_a.chars), letters_b = static_cast<double>(chars_b_);
  e.length_ratio = std::max(letters_a, letters_b) / std::max(1.0, std::min(letters_a, letters_b));
  e.hard_anchors_a = static_cast<uint32_t>(hard_count_a);
  e.hard_anchors_b = static_cast<uint32_t>(hard_count_b_);
  e.paragraphs_a = static_cast<uint32_t>(layout_a.size());
  e.paragraphs_b = static_cast<uint32_t>(layout_b_.size());
  e.anchor_rich_a = hard_count_a >= static_cast<size_t>(options_.min_anchors) && hard_a >= options_.min_weight;
  e.anchor_rich_b = hard_count_b_ >= static_cast<size_t>(options_.min_anchors) && hard_b_ >= options_.min_weight;
  e.anchors_decide = e.anchor_rich_a && e.anchor_rich_b;
  const Layout layout = CompareLayout(layout_a, layout_b_);
  e.layout = layout.agreement;
  e.layout_chance = layout.chance;
  const bool layout_decides = layout_a.size() >= kMinLayoutParagraphs && layout_b_.size() >= kMinLayoutParagraphs;
  e.decided = e.anchors_decide || layout_decides;

  // Without anchors to decide, the verdict is the layout's, and a caller that wants only the
  // verdict is spared the chain (most candidates of a run: the anchors' work was half of a
  // comparison).
  if (detail == CompareDetail::kVerdict && !e.anchors_decide) {
    // The verdict still asks whether any anchor is shared (verdict.cc: a short layout without
    // one is not support when both sides have anchors); the chain is not needed for that.
    for (size_t i = 0; i < n && !e.shares_anchor; ++i) e.shares_anchor = kept_a[i] && id_of_.contains(a.keys[i]);
  }
  // Layout judges alone, and both pages have anchors other than names: how well they agree
  // breaks ties between pages of one layout (below), so the chain is needed when any is shared.
  const bool layout_with_anchors = !e.anchors_decide && layout_decides && hard_count_a > 0 && hard_count_b_ > 0;
  // Anchors that decide, but share too little weight to reach the score the verdict needs: the
  // chain cannot change the verdict (a third of a run's comparisons are such, on the perf
  // corpus: 1.9 of the 5.2 s they took in corpus_bench's index stage).
  if (detail == CompareDetail::kVerdict && e.anchors_decide && anchor_score_needed > 0) {
    const double bound = AnchorScoreBound(a, scratch, &e.shares_anchor);
    if (bound < anchor_score_needed) {
      e.anchor_score = bound;
      e.score = Score(e, hard_a, layout_decides, layout_with_anchors, layout.deviation);
      return e;
    }
  }
  if (detail == CompareDetail::kEvidence || e.anchors_decide || (layout_with_anchors && e.shares_anchor)) {
    MatchAnchors(a, scratch, &e);
  }
  e.score = Score(e, hard_a, layout_decides, layout_with_anchors, layout.deviation);
  return e;
}

void AnchorQuery::MatchAnchors(const AnchorProfile& a, CompareScratch& scratch, TranslationEvidence* e) const {
  const AnchorProfile& b = b_;
  const size_t n = a.keys.size(), m = m_;
  const std::vector<uint8_t>& kept_a = scratch.kept_a;
  const std::vector<double>& wa = scratch.wa;
  // The heaviest chain (weighted longest common subsequence, anchor_chain.h) over the anchors
  // whose key occurs on both sides (the others can never be matched, and dropping them keeps
  // unrelated candidates cheap). Keys are compared as b's dense ids.
  constexpr uint32_t kAbsent = UINT32_MAX;
  std::vector<uint32_t>& id_a = scratch.id_a;
  id_a.assign(n, kAbsent);
  std::vector<uint8_t>& in_a = scratch.in_a;  // b's key ids that a has too
  in_a.assign(num_ids_, 0);
  std::vector<uint32_t>&ia = scratch.ia, &jb = scratch.jb;  // positions of the shared-key anchors
  std::vector<uint32_t>&ka = scratch.ka, &kb = scratch.kb;  // their ids
  ia.clear(), jb.clear(), ka.clear(), kb.clear();
  for (size_t i = 0; i < n; ++i) {
    if (!kept_a[i]) continue;
    if (const auto it = id_of_.find(a.keys[i]); it != id_of_.end()) {
      id_a[i] = it->second;
      in_a[it->second] = 1;
      ia.push_back(static_cast<uint32_t>(i));
      ka.push_back(it->second);
    }
  }
  e->shares_anchor = !ia.empty();
  for (size_t j = 0; j < m; ++j) {
    if (in_a[id_b_[j]]) jb.push_back(static_cast<uint32_t>(j)), kb.push_back(id_b_[j]);
  }
  // The row weights: a's, of the shared-key anchors.
  std::vector<double>& wk = scratch.wk;
  wk.resize(ia.size());
  for (size_t k = 0; k < ia.size(); ++k) wk[k] = wa[ia[k]];
  std::vector<std::pair<uint32_t, uint32_t>>& chain = scratch.chain;  // last match first
  HeaviestChain(ChainProblem{ka, wk, kb, num_ids_}, &chain);
  std::vector<uint8_t>&matched_a = scratch.matched_a, &matched_b = scratch.matched_b;
  matched_a.assign(n, 0), matched_b.assign(m, 0);
  for (const auto& [row, column] : chain) {
    e->chain.emplace_back(ia[row], jb[column]);
    matched_a[ia[row]] = matched_b[jb[column]] = 1;
    e->matched_weight += wa[ia[row]];
  }
  std::reverse(e->chain.begin(), e->chain.end());

  // Denominators: matched weight, plus unmatched weight (names discounted), plus specific
  // numbers absent from the other side counted a second time.
  double denom_a = 0, denom_b = 0;
  for (size_t i = 0; i < n; ++i) {
    denom_a += matched_a[i] ? wa[i] : wa[i] * UnmatchedFactor(a.kinds[i]);
    if (kept_a[i] && SpecificNumber(a.kinds[i], a.values[i]) && id_a[i] == kAbsent) {
      denom_a += wa[i];
      e->conflicts_a.push_back(static_cast<uint32_t>(i));
    }
  }
  for (size_t j = 0; j < m; ++j) {
    denom_b += matched_b[j] ? wb_[j] : wb_[j] * UnmatchedFactor(b.kinds[j]);
    if (kept_b_[j] && SpecificNumber(b.kinds[j], b.values[j]) && !in_a[id_b_[j]]) {
      denom_b += wb_[j];
      e->conflicts_b.push_back(static_cast<uint32_t>(j));
    }
  }
  e->coverage_a = denom_a > 0 ? e->matched_weight / denom_a : 0;
  e->coverage_b = denom_b > 0 ? e->matched_weight / denom_b : 0;
  e->anchor_score = e->coverage_a + e->coverage_b > 0
                        ? 2 * e->coverage_a * e->coverage_b / (e->coverage_a + e->coverage_b)
                        : 0.0;
}

double AnchorQuery::AnchorScoreBound(const AnchorProfile& a, const CompareScratch& scratch, bool* shares_anchor) const {
  // a's coverage is matched / denominator, where the denominator holds the matched weight, the
  // weight of a's anchors whose key b lacks (names discounted, specific numbers twice: as in
  // MatchAnchors) and more. The chain matches only anchors whose key b has, so with `shared`
  // their weight, coverage_a <= shared / (shared + unshared). The anchor score is the harmonic
  // mean of the two coverages, at most twice the smaller: at most twice that.
  double shared = 0, unshared = 0;
  for (size_t i = 0; i < a.keys.size(); ++i) {
    if (!scratch.kept_a[i]) continue;
    const double w = scratch.wa[i];
    if (id_of_.contains(a.keys[i])) {
      shared += w;
      *shares_anchor = true;
    } else {
      unshared += w * UnmatchedFactor(a.kinds[i]) + (SpecificNumber(a.kinds[i], a.values[i]) ? w : 0.0);
    }
  }
  if (shared <= 0) return 0.0;
  // Summed in another order than the chain's, `shared` may round below an equal matched
  // weight: the margin covers that rounding, many times over.
  constexpr double kRoundingMargin = 1e-9;
  return 2 * shared / (shared + unshared) * (1 + kRoundingMargin);
}

double AnchorQuery::Score(const TranslationEvidence& e, double hard_a, bool layout_decides, bool layout_with_anchors,
                          double layout_deviation) const {
  // Translations between these languages stay within a factor ~1.5 in length; fade out beyond
  // max_length_ratio.
  double length_factor = 1.0;
  if (e.length_ratio > 1.5) {
    length_factor = std::clamp(1.0 - (e.length_ratio - 1.5) / (options_.max_length_ratio - 1.5), 0.0, 1.0);
  }
  double combined;
  if (e.anchors_decide && layout_decides) {
    // The more anchor weight there is to judge by, the more the anchors decide: layout
    // supports a verdict, it does not make one. Half and half at kAnchorWeightForHalf.
    const double share = std::min(hard_a, hard_b_) / (std::min(hard_a, hard_b_) + kAnchorWeightForHalf);
    combined = share * e.anchor_score + (1 - share) * e.layout;
  } else if (e.anchors_decide) {
    combined = e.anchor_score;
  } else {
    combined = 0.9 * e.layout;  // without anchors to confirm it, layout alone is trusted less
  }
  const double anchor_support = layout_with_anchors ? e.anchor_score : 0.0;  // 0 when none is shared
  return std::clamp(combined * length_factor - kLayoutTieBreak * std::min(1.0, layout_deviation) +
                        kAnchorTieBreak * anchor_support,
                    0.0, 1.0);
}

}  // namespace internal

TranslationEvidence CompareAnchors(const AnchorProfile& a, const AnchorProfile& b, const AnchorWeights& weights,
                                   const TranslationOptions& options) {
  return internal::AnchorQuery(b, weights, options).CompareWith(a);
}

}  // namespace neardup

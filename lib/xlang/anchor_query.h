// File: xlang/anchor_query.h
//
// CompareAnchors with one side prepared once (anchor_query.cc, where the evidence and the score
// are computed). A Deduplicator query compares the new
// document's profile with up to a handful of candidates; the query side's weights and key
// table do not change between them, so they are computed once per query.

#ifndef NEARDUP_XLANG_ANCHOR_QUERY_H_
#define NEARDUP_XLANG_ANCHOR_QUERY_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "neardup/translation.h"

namespace neardup::internal {

// What a comparison must fill: all the evidence (CompareAnchors, explanations), or only what
// JudgeTranslation needs for `linked` and `score`: then, when the anchors do not decide, the
// chain, the coverages, the anchor score and the conflicts are left empty; and when they
// decide but cannot reach the anchor score the verdict needs (CompareWith's
// `anchor_score_needed`), the anchor score is an upper bound of it, below that, and the chain,
// coverages and conflicts are left empty.
enum class CompareDetail { kEvidence, kVerdict };

struct CompareScratch;  // a thread's working memory (anchor_query.cc)

class AnchorQuery {
 public:
  // `b` and `weights` must outlive the query and not change while it is used.
  AnchorQuery(const AnchorProfile& b, const AnchorWeights& weights, const TranslationOptions& options);
  // The same, given what b's boilerplate tail leaves (weights.WithoutBoilerplateTail(b)).
  AnchorQuery(const AnchorProfile& b, const AnchorWeights::Kept& kept_b, const AnchorWeights& weights,
              const TranslationOptions& options);

  // Exactly CompareAnchors(a, b, weights, options), or as much of it as `detail` asks.
  // `anchor_score_needed` (kVerdict only): the anchor score below which the verdict is
  // unlinked whatever the rest (internal::MinAnchorScoreToLink()); 0 computes it always.
  TranslationEvidence CompareWith(const AnchorProfile& a, CompareDetail detail = CompareDetail::kEvidence,
                                  double anchor_score_needed = 0.0) const;

 private:
  // The heaviest chain of shared anchors in order, the coverages and conflicts it gives, and
  // the anchor score, into *e; `scratch` holds a's kept flags and weights.
  void MatchAnchors(const AnchorProfile& a, CompareScratch& scratch, TranslationEvidence* e) const;
  // An upper bound of the anchor score MatchAnchors would find, from the keys alone (no chain);
  // *shares_anchor set as MatchAnchors sets it.
  double AnchorScoreBound(const AnchorProfile& a, const CompareScratch& scratch, bool* shares_anchor) const;
  // The translation score from the evidence: anchors and layout weighed by the anchor weight
  // there is, faded past the length ratio, with the two tie-breaks.
  double Score(const TranslationEvidence& e, double hard_a, bool layout_decides, bool layout_with_anchors,
               double layout_deviation) const;

  const AnchorProfile& b_;
  const AnchorWeights& weights_;
  TranslationOptions options_;
  size_t m_ = 0;                  // b's anchors
  std::vector<uint8_t> kept_b_;   // per anchor of b: 0 if in its boilerplate tail (never matched)
  uint32_t num_ids_ = 0;          // dense ids given: id_of_'s, and one per dropped anchor
  std::vector<double> wb_;        // b's weights
  double hard_b_ = 0;             // b's weight of anchors other than names
  size_t hard_count_b_ = 0;
  std::vector<uint32_t> id_b_;    // a dense id per distinct key of b, per anchor
  absl::flat_hash_map<uint64_t, uint32_t> id_of_;  // key -> dense id
  std::span<const uint32_t> layout_b_;  // b's paragraph lengths without its boilerplate tail
  uint64_t chars_b_ = 0;                // b's code points without its boilerplate tail
};

}  // namespace neardup::internal

#endif  // NEARDUP_XLANG_ANCHOR_QUERY_H_

// File: index/link_graph.h
//
// The links a collection has made, in the order it made them, each document's links, and the
// rules Add follows with them: a new document links to every copy its text verdicts find and
// to at most one translation per language (copies of one text counting as one), a better
// translation retracts the weaker ones, and clusters are read from the live links. The
// Deduplicator and neardup.dask (through the binding) both keep their links here, so the rules
// are written once.
//
// A link is never deleted: a retracted one (a removed document, a translation beaten by a
// better one) is marked dead, so link numbers stay stable for the store, which records them.
//
// Each document's links are a chain through the links themselves (the newest link of each
// document, then each link's next-older link of either end): 4 bytes a document, where a
// vector of link numbers per document took 24 and its allocation. A document has few links
// (0.4 on the perf corpus), so walking the chain costs nothing.
// Not synchronized: the Deduplicator's lock guards it.

#ifndef NEARDUP_INDEX_LINK_GRAPH_H_
#define NEARDUP_INDEX_LINK_GRAPH_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "neardup/verdict.h"

namespace neardup::internal {

struct Link {
  double score = 0, jaccard = 0, containment = 0;  // as Match's
  uint32_t a = 0, b = 0;                           // sequence numbers, a added first
  MatchKind kind = MatchKind::kNear;
  bool alive = true;
};

// The order in which Add reports (and links) a new document's text matches: near before
// contained, each best first, ties by the earlier document. Written once for the Deduplicator
// and neardup.dask (through the binding), whose links must come out in one order.
inline bool TextMatchPrecedes(MatchKind kind_x, double score_x, uint64_t seq_x, MatchKind kind_y, double score_y,
                              uint64_t seq_y) {
  if (kind_x != kind_y) return kind_x < kind_y;
  return score_x != score_y ? score_x > score_y : seq_x < seq_y;
}

// A document's language, by sequence number: the caller keeps them (the Deduplicator in its
// profile table).
using LanguageOf = absl::FunctionRef<std::string_view(uint64_t)>;

// A verified translation: the earlier document and the verdict's score.
struct TranslationCandidate {
  uint64_t seq = 0;
  double score = 0;
};

// A cluster as sequence numbers: the canonical member (the most live links; the first added of
// those) first, then the others in order of addition, each with its hops to the canonical and
// the score of its direct link to it (0 without one).
struct ClusterSeqs {
  std::vector<uint32_t> members, hops;
  std::vector<double> scores;
};

class LinkGraph {
 public:
  // Makes room for the links of document number documents().
  void AddDocument();
  size_t documents() const { return newest_.size(); }

  // Appends `link` (its ends below documents()) as link number size().
  void Add(const Link& link);
  size_t size() const { return nodes_.size(); }
  const Link& operator[](uint32_t i) const { return nodes_[i].link; }
  void Retract(uint32_t i) { nodes_[i].link.alive = false; }

  // Calls visit(i, link) for each link of document `seq`, live or dead, oldest first.
  template <typename Visit>
  void ForEachOf(uint32_t seq, Visit visit) const {
    absl::InlinedVector<uint32_t, 16> chain;  // newest first
    for (uint32_t i = newest_[seq]; i != kNone; i = Next(i, seq)) chain.push_back(i);
    for (size_t k = chain.size(); k-- > 0;) visit(chain[k], nodes_[chain[k]].link);
  }

  // Whether `x` and `y` are copies of one text: a live near or contained link joins them.
  bool Copies(uint64_t x, uint64_t y) const;

  // Add's per-language rule, for a new document in `language` whose text links to `copies`:
  // of `verified`, the translations it keeps, best first (ties: the earlier document). A
  // candidate is dropped when it already has as good a translation into `language` (the
  // earlier one keeps a tie), or when a better candidate of its language is kept and is not
  // its copy.
  std::vector<TranslationCandidate> ChooseTranslations(std::string_view language, std::span<const uint64_t> copies,
                                                       std::vector<TranslationCandidate> verified,
                                                       LanguageOf language_of) const;
  // The live translation links that `chosen` (as ChooseTranslations gave them) replace: each
  // chosen document's links into `language` scoring below its new one, except to `copies`.
  std::vector<uint32_t> Retractions(std::string_view language, std::span<const uint64_t> copies,
                                    std::span<const TranslationCandidate> chosen, LanguageOf language_of) const;

  // Connected components of two or more live documents over the live links, ordered by their
  // first-added member (see ClusterSeqs).
  std::vector<ClusterSeqs> Clusters(absl::FunctionRef<bool(uint32_t)> live) const;

  size_t MemoryUsage() const;

 private:
  // The best live translation link of `seq` into `language`, other than to `copies`.
  double BestTranslation(uint64_t seq, std::string_view language, std::span<const uint64_t> copies,
                         LanguageOf language_of) const;
  // Calls visit(i, link) for each live translation link of `seq` to a document in
  // `language` other than `copies`: the links BestTranslation and Retractions weigh.
  template <typename Visit>
  void ForEachTranslationInto(uint64_t seq, std::string_view language, std::span<const uint64_t> copies,
                              LanguageOf language_of, Visit visit) const {
    ForEachOf(static_cast<uint32_t>(seq), [&](uint32_t i, const Link& l) {
      const uint64_t other = l.a == seq ? l.b : l.a;
      if (l.alive && l.kind == MatchKind::kTranslation && language_of(other) == language &&
          std::find(copies.begin(), copies.end(), other) == copies.end()) {
        visit(i, l);
      }
    });
  }

  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  struct Node {
    Link link;
    uint32_t older_of_a = kNone, older_of_b = kNone;  // the next link in each end's chain
  };
  uint32_t Next(uint32_t i, uint32_t seq) const {
    return nodes_[i].link.a == seq ? nodes_[i].older_of_a : nodes_[i].older_of_b;
  }

  std::vector<Node> nodes_;
  std::vector<uint32_t> newest_;  // by document: its newest link, or kNone
};

}  // namespace neardup::internal

#endif  // NEARDUP_INDEX_LINK_GRAPH_H_

// File: index/link_graph.h
//
// The links a Deduplicator has made, in the order it made them, and each document's links.
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

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "neardup/verdict.h"

namespace neardup::internal {

struct Link {
  double score = 0, jaccard = 0, containment = 0;  // as Match's
  uint32_t a = 0, b = 0;                           // sequence numbers, a added first
  MatchKind kind = MatchKind::kNear;
  bool alive = true;
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

  size_t MemoryUsage() const;

 private:
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

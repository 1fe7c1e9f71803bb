// File: index/keep.h
//
// Which copies to drop so that each text is kept once (Deduplicator::Duplicates, and
// neardup.dask through the binding): the one place that decides it.
//
// The documents joined by copy links (near and contained) between two documents of one
// language are taken in the policy's order of preference, and each is kept unless a copy link
// joins it to a document kept before it. This is the greedy maximal independent set of the
// copy graph: no two kept documents are linked as copies, and each dropped one is linked
// directly to a kept one. Keeping one document per connected group instead would drop the
// ends of a chain (A~B~C with A and C apart) in favour of a document they do not copy, and
// boilerplate chains groups of hundreds (link_graph.h's clusters).

#ifndef NEARDUP_INDEX_KEEP_H_
#define NEARDUP_INDEX_KEEP_H_

#include <cstdint>
#include <vector>

#include "absl/functional/function_ref.h"
#include "index/link_graph.h"
#include "neardup/dedup_options.h"

namespace neardup::internal {

// A document to drop, the kept document it copies, and the live link between them.
struct Drop {
  uint32_t dropped = 0, kept = 0;
  uint32_t link = 0;                // its number in the LinkGraph
  bool dropped_is_smaller = false;  // a contained link: the dropped one is inside the kept one
};

// Of the live documents (`live`), those to drop under `keep`, in sequence order. `set_size`
// gives a live document's distinct shingles (kLongest's measure), `language_of` its language.
std::vector<Drop> ChooseDrops(const LinkGraph& links, KeepPolicy keep, absl::FunctionRef<bool(uint32_t)> live,
                              absl::FunctionRef<uint64_t(uint32_t)> set_size, LanguageOf language_of);

// Whether the earlier document of a contained link (`earlier_size` shingles) is the smaller
// one: Add judges the later document as side a (verdict.h's ASideIsSmaller).
inline bool EarlierIsSmaller(uint64_t earlier_size, uint64_t later_size) {
  return !ASideIsSmaller(later_size, earlier_size);
}

}  // namespace neardup::internal

#endif  // NEARDUP_INDEX_KEEP_H_

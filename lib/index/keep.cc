#include "index/keep.h"

#include <algorithm>
#include <optional>

namespace neardup::internal {

std::vector<Drop> ChooseDrops(const LinkGraph& links, KeepPolicy keep, absl::FunctionRef<bool(uint32_t)> live,
                              absl::FunctionRef<uint64_t(uint32_t)> set_size, LanguageOf language_of) {
  const auto is_copy = [&](const Link& l) {
    return l.alive && l.kind != MatchKind::kTranslation && live(l.a) && live(l.b) &&
           language_of(l.a) == language_of(l.b);
  };
  // Only documents with a copy link can be dropped or keep another out.
  std::vector<uint32_t> order;
  std::vector<char> in_order(links.documents(), 0);
  for (uint32_t i = 0; i < links.size(); ++i) {
    const Link& l = links[i];
    if (!is_copy(l)) continue;
    for (uint32_t seq : {l.a, l.b}) {
      if (!in_order[seq]) in_order[seq] = 1, order.push_back(seq);
    }
  }
  std::vector<uint64_t> sizes(links.documents(), 0);
  if (keep == KeepPolicy::kLongest) {
    for (uint32_t seq : order) sizes[seq] = set_size(seq);
  }
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    if (keep == KeepPolicy::kLongest && sizes[x] != sizes[y]) return sizes[x] > sizes[y];
    return x < y;
  });
  std::vector<char> kept(links.documents(), 0);
  std::vector<Drop> drops;
  for (uint32_t seq : order) {
    // The best link to a document kept already, in the order Add reports a document's
    // copies (near first, then the score, then the earlier document).
    std::optional<uint32_t> best;
    uint32_t best_other = 0;
    links.ForEachOf(seq, [&](uint32_t i, const Link& l) {
      const uint32_t other = l.a == seq ? l.b : l.a;
      if (!is_copy(l) || !kept[other]) return;
      if (!best || TextMatchPrecedes(l.kind, l.score, other, links[*best].kind, links[*best].score, best_other)) {
        best = i, best_other = other;
      }
    });
    if (best) {
      const Link& l = links[*best];
      const bool earlier_is_smaller = EarlierIsSmaller(set_size(l.a), set_size(l.b));
      drops.push_back(Drop{seq, best_other, *best,
                           l.kind == MatchKind::kContained && earlier_is_smaller == (seq == l.a)});
    } else {
      kept[seq] = 1;
    }
  }
  std::sort(drops.begin(), drops.end(), [](const Drop& x, const Drop& y) { return x.dropped < y.dropped; });
  return drops;
}

}  // namespace neardup::internal

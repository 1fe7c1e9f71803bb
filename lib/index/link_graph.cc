#include "index/link_graph.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "index/disjoint_sets.h"
#include "index/gentle_growth.h"

namespace neardup::internal {

void LinkGraph::AddDocument() { AppendGently(newest_, kNone); }

void LinkGraph::Add(const Link& link) {
  const uint32_t i = static_cast<uint32_t>(nodes_.size());
  AppendGently(nodes_, Node{link, newest_[link.a], newest_[link.b]});
  newest_[link.a] = i;
  newest_[link.b] = i;
}

bool LinkGraph::Copies(uint64_t x, uint64_t y) const {
  bool copies = false;
  ForEachOf(static_cast<uint32_t>(x), [&](uint32_t, const Link& l) {
    copies |= l.alive && l.kind != MatchKind::kTranslation && (l.a == y || l.b == y);
  });
  return copies;
}

double LinkGraph::BestTranslation(uint64_t seq, std::string_view language, std::span<const uint64_t> copies,
                                  LanguageOf language_of) const {
  double best = 0;
  ForEachTranslationInto(seq, language, copies, language_of,
                         [&](uint32_t, const Link& l) { best = std::max(best, l.score); });
  return best;
}

std::vector<TranslationCandidate> LinkGraph::ChooseTranslations(std::string_view language,
                                                                std::span<const uint64_t> copies,
                                                                std::vector<TranslationCandidate> verified,
                                                                LanguageOf language_of) const {
  std::erase_if(verified, [&](const TranslationCandidate& c) {
    return BestTranslation(c.seq, language, copies, language_of) >= c.score;
  });
  std::sort(verified.begin(), verified.end(), [](const TranslationCandidate& x, const TranslationCandidate& y) {
    return x.score != y.score ? x.score > y.score : x.seq < y.seq;
  });
  std::vector<TranslationCandidate> chosen;
  for (const TranslationCandidate& c : verified) {
    const std::string_view candidate_language = language_of(c.seq);
    const auto better = std::find_if(chosen.begin(), chosen.end(), [&](const TranslationCandidate& b) {
      return language_of(b.seq) == candidate_language;
    });
    if (better == chosen.end() || Copies(better->seq, c.seq)) chosen.push_back(c);
  }
  return chosen;
}

std::vector<uint32_t> LinkGraph::Retractions(std::string_view language, std::span<const uint64_t> copies,
                                             std::span<const TranslationCandidate> chosen,
                                             LanguageOf language_of) const {
  std::vector<uint32_t> out;
  for (const TranslationCandidate& c : chosen) {
    ForEachTranslationInto(c.seq, language, copies, language_of, [&](uint32_t i, const Link& l) {
      if (l.score < c.score && std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
    });
  }
  return out;
}

std::vector<ClusterSeqs> LinkGraph::Clusters(absl::FunctionRef<bool(uint32_t)> live) const {
  const uint32_t n = static_cast<uint32_t>(documents());
  DisjointSets sets(n);
  std::vector<uint32_t> degree(n, 0);
  for (const Node& node : nodes_) {
    const Link& l = node.link;
    if (l.alive) sets.Union(l.a, l.b), ++degree[l.a], ++degree[l.b];
  }
  // Groups in order of their first-added member (the root), members in order of addition.
  absl::flat_hash_map<size_t, size_t> group_of_root;
  std::vector<std::vector<uint32_t>> groups;
  for (uint32_t seq = 0; seq < n; ++seq) {
    if (!live(seq)) continue;
    auto [it, inserted] = group_of_root.try_emplace(sets.Find(seq), groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(seq);
  }
  std::vector<ClusterSeqs> out;
  std::vector<uint32_t> hops(n, kNone);  // from the current group's canonical
  std::vector<double> direct_score(n, 0.0);  // of a link to it
  for (const std::vector<uint32_t>& group : groups) {
    if (group.size() < 2) continue;
    uint32_t canonical = group.front();
    for (uint32_t seq : group) {
      if (degree[seq] > degree[canonical]) canonical = seq;  // the first of the most linked
    }
    // Breadth-first from the canonical over the live links (a group's members reach only
    // each other, so the vectors need resetting for the group's members alone).
    hops[canonical] = 0;
    std::vector<uint32_t> frontier{canonical};
    for (size_t next = 0; next < frontier.size(); ++next) {
      const uint32_t seq = frontier[next];
      ForEachOf(seq, [&](uint32_t, const Link& l) {
        if (!l.alive) return;
        const uint32_t other = l.a == seq ? l.b : l.a;
        if (seq == canonical) direct_score[other] = std::max(direct_score[other], l.score);
        if (hops[other] == kNone) hops[other] = hops[seq] + 1, frontier.push_back(other);
      });
    }
    ClusterSeqs c;
    const auto add_member = [&](uint32_t seq) {
      c.members.push_back(seq), c.hops.push_back(hops[seq]), c.scores.push_back(direct_score[seq]);
    };
    add_member(canonical);
    for (uint32_t seq : group) {
      if (seq != canonical) add_member(seq);
    }
    for (uint32_t seq : frontier) hops[seq] = kNone, direct_score[seq] = 0.0;
    out.push_back(std::move(c));
  }
  return out;
}

size_t LinkGraph::MemoryUsage() const {
  return nodes_.capacity() * sizeof(Node) + newest_.capacity() * sizeof(uint32_t);
}

}  // namespace neardup::internal

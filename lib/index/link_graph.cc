#include "index/link_graph.h"

#include "internal/gentle_growth.h"

namespace neardup::internal {

void LinkGraph::AddDocument() { AppendGently(newest_, kNone); }

void LinkGraph::Add(const Link& link) {
  const uint32_t i = static_cast<uint32_t>(nodes_.size());
  AppendGently(nodes_, Node{link, newest_[link.a], newest_[link.b]});
  newest_[link.a] = i;
  newest_[link.b] = i;
}

size_t LinkGraph::MemoryUsage() const {
  return nodes_.capacity() * sizeof(Node) + newest_.capacity() * sizeof(uint32_t);
}

}  // namespace neardup::internal

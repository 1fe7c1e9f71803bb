#include "index/filter_arena.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace neardup::internal {

FilterArena::Entry FilterArena::Place(std::string_view filter) {
  if (filter.empty()) return Entry{};
  if (blocks_.empty() || blocks_.back().capacity - blocks_.back().used < filter.size()) {
    // A filter larger than a block gets a block of its own size.
    const size_t capacity = std::max(kBlockBytes, filter.size());
    blocks_.push_back(Block{std::make_unique<char[]>(capacity), capacity, 0});
  }
  Block& block = blocks_.back();
  std::memcpy(block.bytes.get() + block.used, filter.data(), filter.size());
  const Entry e{static_cast<uint32_t>(blocks_.size() - 1), static_cast<uint32_t>(block.used),
                static_cast<uint32_t>(filter.size())};
  block.used += filter.size();
  return e;
}

void FilterArena::Append(std::string_view filter) {
  entries_.push_back(Place(filter));
  live_bytes_ += filter.size();
}

std::string_view FilterArena::Get(uint64_t seq) const {
  const Entry& e = entries_[seq];
  return e.size == 0 ? std::string_view() : std::string_view(blocks_[e.block].bytes.get() + e.offset, e.size);
}

void FilterArena::Clear(uint64_t seq) {
  Entry& e = entries_[seq];
  live_bytes_ -= e.size, cleared_bytes_ += e.size;
  e = Entry{};
  if (cleared_bytes_ > live_bytes_ && cleared_bytes_ > kBlockBytes) Compact();
}

void FilterArena::Compact() {
  std::vector<Block> old = std::move(blocks_);
  blocks_.clear();
  for (Entry& e : entries_) {
    if (e.size > 0) e = Place(std::string_view(old[e.block].bytes.get() + e.offset, e.size));
  }
  cleared_bytes_ = 0;
}

size_t FilterArena::MemoryUsage() const {
  size_t bytes = entries_.capacity() * sizeof(Entry) + blocks_.capacity() * sizeof(Block);
  for (const Block& b : blocks_) bytes += b.capacity;
  return bytes;
}

}  // namespace neardup::internal

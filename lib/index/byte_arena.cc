#include "index/byte_arena.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "index/gentle_growth.h"

namespace neardup::internal {

ByteArena::Entry ByteArena::Place(std::string_view bytes) {
  if (bytes.empty()) return Entry{};
  if (blocks_.empty() || blocks_.back().capacity - blocks_.back().used < bytes.size()) {
    // A string larger than a block gets a block of its own size.
    const size_t capacity =
        std::max(bytes.size(), std::clamp(live_bytes_ / kGrowthShare, kMinBlockBytes, kMaxBlockBytes));
    blocks_.push_back(Block{std::make_unique<char[]>(capacity), capacity, 0});
  }
  Block& block = blocks_.back();
  std::memcpy(block.bytes.get() + block.used, bytes.data(), bytes.size());
  const Entry e{static_cast<uint32_t>(blocks_.size() - 1), static_cast<uint32_t>(block.used),
                static_cast<uint32_t>(bytes.size())};
  block.used += bytes.size();
  return e;
}

void ByteArena::Append(std::string_view bytes) {
  AppendGently(entries_, Place(bytes));
  live_bytes_ += bytes.size();
}

std::string_view ByteArena::Get(uint64_t seq) const {
  const Entry& e = entries_[seq];
  return e.size == 0 ? std::string_view() : std::string_view(blocks_[e.block].bytes.get() + e.offset, e.size);
}

void ByteArena::Clear(uint64_t seq) {
  Entry& e = entries_[seq];
  live_bytes_ -= e.size, cleared_bytes_ += e.size;
  e = Entry{};
  if (cleared_bytes_ > live_bytes_ && cleared_bytes_ > kMaxBlockBytes) Compact();
}

void ByteArena::Compact() {
  std::vector<Block> old = std::move(blocks_);
  blocks_.clear();
  for (Entry& e : entries_) {
    if (e.size > 0) e = Place(std::string_view(old[e.block].bytes.get() + e.offset, e.size));
  }
  cleared_bytes_ = 0;
}

size_t ByteArena::MemoryUsage() const {
  size_t bytes = entries_.capacity() * sizeof(Entry) + blocks_.capacity() * sizeof(Block);
  for (const Block& b : blocks_) bytes += b.capacity;
  return bytes;
}

}  // namespace neardup::internal

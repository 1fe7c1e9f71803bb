// File: index/byte_arena.h
//
// A string per document, by sequence number, in blocks of 64 KiB to 1 MiB: the documents' shingle
// filters (ContainmentSketch::filter) and their ids. One allocation for thousands of strings
// instead of one each (a perf-corpus filter is ~700 bytes, to which a std::string would add
// 32 bytes and the allocator's rounding), and no doubling slack beyond the last block. A
// cleared string's bytes are reclaimed when cleared ones are half the arena (the live ones
// are copied into new blocks).
// Not synchronized: the Deduplicator's lock guards it.

#ifndef NEARDUP_INDEX_BYTE_ARENA_H_
#define NEARDUP_INDEX_BYTE_ARENA_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace neardup::internal {

class ByteArena {
 public:
  // Appends the string of the next document (number size()), of fewer than 2^32 bytes.
  void Append(std::string_view bytes);
  // The string of document `seq` (empty once cleared).
  std::string_view Get(uint64_t seq) const;
  void Clear(uint64_t seq);
  size_t size() const { return entries_.size(); }
  size_t MemoryUsage() const;

 private:
  // A new block holds an eighth of the arena's live bytes (as gentle_growth.h), between
  // 64 KiB and 1 MiB: large next to a filter (~1 byte a shingle) or an id, small next to an
  // index, and an arena of short ids (a dozen bytes a document) does not sit in a block
  // of 1 MiB, mostly empty.
  static constexpr size_t kMinBlockBytes = size_t{1} << 16;
  static constexpr size_t kMaxBlockBytes = size_t{1} << 20;
  struct Block {
    std::unique_ptr<char[]> bytes;
    size_t capacity = 0, used = 0;
  };
  struct Entry {  // 12 bytes, not a pointer and a size_t's 16
    uint32_t block = 0, offset = 0, size = 0;
  };
  Entry Place(std::string_view bytes);
  void Compact();

  std::vector<Block> blocks_;
  std::vector<Entry> entries_;
  size_t live_bytes_ = 0, cleared_bytes_ = 0;
};

}  // namespace neardup::internal

#endif  // NEARDUP_INDEX_BYTE_ARENA_H_

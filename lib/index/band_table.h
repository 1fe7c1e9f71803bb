// File: index/band_table.h
//
// One LSH band's buckets: a multimap from a 32-bit bucket key to the 32-bit slots filed under
// it, at about 9.5 bytes an entry (a hash map of lists took about 30). An index has one table
// per band, tens of entries per document, so this is most of an index's memory after the
// signatures.
//
// Layout. Most entries sit in one array sorted by key (8 bytes each), found through a
// directory of the keys' top bits (half a byte an entry). New entries go to a small hash table
// (at most 1/32 of the sorted ones) and are merged into the array when it fills: each entry
// is moved about 32 times in all, a few hundred bytes of copying per insert.
// Within a key, entries stay in insertion order (the merge is stable), so a bucket can be read
// newest first.
//
// Not thread-safe: LshIndex guards it.

#ifndef NEARDUP_INDEX_BAND_TABLE_H_
#define NEARDUP_INDEX_BAND_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/functional/function_ref.h"

namespace neardup::internal {

class BandTable {
 public:
  // Slots are below kMaxSlot: two values are reserved for erased and empty entries.
  static constexpr uint32_t kMaxSlot = std::numeric_limits<uint32_t>::max() - 1;

  // Files `slot` (< kMaxSlot) under `key`.
  void Insert(uint32_t key, uint32_t slot);
  // Removes `slot` from `key`'s bucket; false if it is not there.
  bool Erase(uint32_t key, uint32_t slot);

  // Calls `visit(slot)` for the slots under `key`, newest first, until it returns false.
  void ForEach(uint32_t key, absl::FunctionRef<bool(uint32_t slot)> visit) const;
  // Starts loading the memory ForEach(key) will read.
  void Prefetch(uint32_t key) const;

  size_t size() const { return live_; }
  size_t MemoryUsage() const;

 private:
  // An entry is (key << 32) | slot: sorting entries sorts by key, then slot.
  static constexpr uint32_t kErased = kMaxSlot;
  static constexpr uint64_t kEmpty = std::numeric_limits<uint64_t>::max();

  void Merge();
  size_t RecentHome(uint32_t key) const;
  size_t RecentLimit() const;
  // [begin, end) of `key`'s run in sorted_.
  std::pair<size_t, size_t> SortedRange(uint32_t key) const;

  std::vector<uint64_t> sorted_;      // by key; within a key, by insertion
  std::vector<uint32_t> directory_;   // directory_[p]: first index of sorted_ whose key's top bits are >= p
  int directory_bits_ = 0;
  // Open addressing with linear probing; kEmpty marks a free cell. Nothing is ever emptied
  // (an erased entry keeps its cell, marked kErased), so a key's entries lie along its probe
  // sequence in insertion order.
  std::vector<uint64_t> recent_;
  size_t recent_used_ = 0;
  size_t live_ = 0;
  size_t sorted_erased_ = 0;  // entries of sorted_ marked kErased (dropped by the next merge)
};

}  // namespace neardup::internal

#endif  // NEARDUP_INDEX_BAND_TABLE_H_

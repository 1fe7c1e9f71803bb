// File: xlang/frequency_table.h
//
// Document frequencies of anchor keys (AnchorWeights' table): a map from a 64-bit key to a
// positive count, with a Prefetch so that a comparison can start all of a profile's lookups
// before it reads any. The table holds millions of keys, each lookup a cache miss; an
// absl::flat_hash_map offers no prefetch in Debian 12's Abseil, and its lookups were 14% of the
// index stage's time (perf, the perf corpus).
//
// Open addressing with linear probing over the keys' own bits (they are XXH3 hashes; a
// multiply spreads them anyway), backward-shift deletion (no tombstones), at most
// kMaxLoadPercent of the cells full. Not thread-safe for writers; const members may run
// concurrently.

#ifndef NEARDUP_XLANG_FREQUENCY_TABLE_H_
#define NEARDUP_XLANG_FREQUENCY_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace neardup::internal {

class FrequencyTable {
 public:
  // The count of `key`, 0 if absent.
  uint32_t Find(uint64_t key) const {
    if (cells_.empty()) return 0;
    for (size_t i = Home(key);; i = (i + 1) & Mask()) {
      const Cell& c = cells_[i];
      if (c.count == 0) return 0;
      if (c.key == key) return c.count;
    }
  }
  // Starts loading the cell Find(key) reads first.
  void Prefetch(uint64_t key) const {
    if (!cells_.empty()) __builtin_prefetch(&cells_[Home(key)]);
  }

  void Increment(uint64_t key);
  // Removes one from `key`'s count (the key goes at 0); nothing if it is absent.
  void Decrement(uint64_t key);
  // Sets `key`'s count (`count` > 0).
  void Set(uint64_t key, uint32_t count);

  size_t size() const { return used_; }

 private:
  struct Cell {
    uint64_t key = 0;
    uint32_t count = 0;  // 0: an empty cell
  };
  // Linear probing costs (1 + 1/(1-α)²)/2 cells for a miss at load α: 3.6 at 60%, 8.5 at 75%.
  // Most lookups of a comparison are hits, but a new document's keys are misses.
  static constexpr size_t kMaxLoadPercent = 60;
  static constexpr size_t kMinCells = 64;

  size_t Mask() const { return cells_.size() - 1; }
  size_t Home(uint64_t key) const { return static_cast<size_t>((key * 0x9e3779b97f4a7c15ULL) >> shift_); }
  // The cell holding `key`, or the empty cell where it would go.
  size_t Slot(uint64_t key) const;
  // The cell holding `key`, made (count 0, counted as used) if there was none: the caller
  // gives it a positive count.
  Cell& Place(uint64_t key);
  void Grow();

  std::vector<Cell> cells_;  // a power of two of them, or none
  int shift_ = 64;           // 64 - log2(cells_.size())
  size_t used_ = 0;
};

}  // namespace neardup::internal

#endif  // NEARDUP_XLANG_FREQUENCY_TABLE_H_

#include "xlang/frequency_table.h"

#include <bit>
#include <utility>

namespace neardup::internal {

size_t FrequencyTable::Slot(uint64_t key) const {
  size_t i = Home(key);
  while (cells_[i].count != 0 && cells_[i].key != key) i = (i + 1) & Mask();
  return i;
}

void FrequencyTable::Grow() {
  std::vector<Cell> old = std::move(cells_);
  const size_t size = old.empty() ? kMinCells : 2 * old.size();
  cells_.assign(size, Cell{});
  shift_ = 64 - std::countr_zero(size);
  for (const Cell& c : old) {
    if (c.count != 0) cells_[Slot(c.key)] = c;
  }
}

FrequencyTable::Cell& FrequencyTable::Place(uint64_t key) {
  if ((used_ + 1) * 100 > cells_.size() * kMaxLoadPercent) Grow();
  Cell& c = cells_[Slot(key)];
  if (c.count == 0) ++used_, c.key = key;
  return c;
}

void FrequencyTable::Set(uint64_t key, uint32_t count) {
  if (count > 0) Place(key).count = count;
}

void FrequencyTable::Increment(uint64_t key) { ++Place(key).count; }

void FrequencyTable::Decrement(uint64_t key) {
  if (cells_.empty()) return;
  size_t hole = Slot(key);
  if (cells_[hole].count == 0 || --cells_[hole].count > 0) return;
  --used_;
  // Backward-shift deletion: pull later cells of the run into the hole when their home is
  // not between the hole and them, so every key stays reachable from its home.
  for (size_t i = (hole + 1) & Mask(); cells_[i].count != 0; i = (i + 1) & Mask()) {
    const size_t home = Home(cells_[i].key);
    const bool movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
    if (movable) {
      cells_[hole] = cells_[i];
      hole = i;
    }
  }
  cells_[hole] = Cell{};
}

}  // namespace neardup::internal

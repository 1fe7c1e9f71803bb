#include "index/band_table.h"

#include <algorithm>
#include <bit>
#include <utility>

namespace neardup::internal {
namespace {

// The recent table holds at most 1/kRecentFraction as many entries as the sorted array (and
// kMinRecent at least), at most kMaxRecentLoad of its cells full. A merge rewrites the array,
// so each entry is copied about kRecentFraction times over its life; the table's cells cost
// about 8 / (kRecentFraction · kMaxRecentLoad) bytes per sorted entry (0.5 at 32 and 3/4).
constexpr size_t kRecentFraction = 32;
constexpr size_t kMinRecent = 64;
constexpr double kMaxRecentLoad = 0.75;
// Sorted entries per directory cell, on average: a lookup scans about this many 8-byte
// entries (one or two cache lines), and the directory costs 4 / kEntriesPerCell bytes an entry.
constexpr size_t kEntriesPerCell = 8;

constexpr uint32_t KeyOf(uint64_t entry) { return static_cast<uint32_t>(entry >> 32); }
constexpr uint32_t SlotOf(uint64_t entry) { return static_cast<uint32_t>(entry); }
constexpr uint64_t Entry(uint32_t key, uint32_t slot) { return uint64_t{key} << 32 | slot; }

}  // namespace

size_t BandTable::RecentLimit() const {
  return std::max(kMinRecent, sorted_.size() / kRecentFraction);
}

size_t BandTable::RecentHome(uint32_t key) const {
  // Keys are hashes already; the multiply spreads them in case a caller's are not.
  return static_cast<size_t>((uint64_t{key} * 0x9e3779b97f4a7c15ULL) >> 32) & (recent_.size() - 1);
}

void BandTable::Insert(uint32_t key, uint32_t slot) {
  if (recent_used_ >= RecentLimit()) Merge();
  if (recent_.empty()) {
    recent_.assign(std::bit_ceil(static_cast<size_t>(static_cast<double>(RecentLimit()) / kMaxRecentLoad) + 1), kEmpty);
  }
  size_t i = RecentHome(key);
  while (recent_[i] != kEmpty) i = (i + 1) & (recent_.size() - 1);
  recent_[i] = Entry(key, slot);
  ++recent_used_;
  ++live_;
}

std::pair<size_t, size_t> BandTable::SortedRange(uint32_t key) const {
  if (sorted_.empty()) return {0, 0};
  const size_t cell = directory_bits_ == 0 ? 0 : key >> (32 - directory_bits_);
  const auto first = sorted_.begin() + directory_[cell], last = sorted_.begin() + directory_[cell + 1];
  const auto lo = std::partition_point(first, last, [key](uint64_t e) { return KeyOf(e) < key; });
  const auto hi = std::partition_point(lo, last, [key](uint64_t e) { return KeyOf(e) == key; });
  return {static_cast<size_t>(lo - sorted_.begin()), static_cast<size_t>(hi - sorted_.begin())};
}

bool BandTable::Erase(uint32_t key, uint32_t slot) {
  for (size_t i = recent_.empty() ? 0 : RecentHome(key); !recent_.empty() && recent_[i] != kEmpty;
       i = (i + 1) & (recent_.size() - 1)) {
    if (recent_[i] == Entry(key, slot)) {
      recent_[i] = Entry(key, kErased);
      --live_;
      return true;
    }
  }
  const auto [begin, end] = SortedRange(key);
  for (size_t i = begin; i < end; ++i) {
    if (SlotOf(sorted_[i]) == slot) {
      sorted_[i] = Entry(key, kErased);
      --live_;
      ++sorted_erased_;
      return true;
    }
  }
  return false;
}

void BandTable::ForEach(uint32_t key, absl::FunctionRef<bool(uint32_t slot)> visit) const {
  // The recent table's entries for `key` are newer than the sorted ones; along the probe
  // sequence they are oldest first, so collect them and visit backwards.
  uint32_t recent[16];
  size_t n = 0;
  std::vector<uint32_t> more;  // a crowded bucket
  if (!recent_.empty()) {
    for (size_t i = RecentHome(key); recent_[i] != kEmpty; i = (i + 1) & (recent_.size() - 1)) {
      if (KeyOf(recent_[i]) != key || SlotOf(recent_[i]) == kErased) continue;
      if (n < std::size(recent)) {
        recent[n++] = SlotOf(recent_[i]);
      } else {
        more.push_back(SlotOf(recent_[i]));
      }
    }
  }
  for (size_t i = more.size(); i-- > 0;) {
    if (!visit(more[i])) return;
  }
  for (size_t i = n; i-- > 0;) {
    if (!visit(recent[i])) return;
  }
  const auto [begin, end] = SortedRange(key);
  for (size_t i = end; i-- > begin;) {
    if (SlotOf(sorted_[i]) != kErased && !visit(SlotOf(sorted_[i]))) return;
  }
}

void BandTable::Prefetch(uint32_t key) const {
  if (!recent_.empty()) __builtin_prefetch(recent_.data() + RecentHome(key));
  if (directory_bits_ > 0) __builtin_prefetch(directory_.data() + (key >> (32 - directory_bits_)));
}

void BandTable::Merge() {
  // The recent entries by key, each key's in insertion order: the probe distance from the
  // key's home orders them (cells are filled, never emptied, along the sequence).
  std::vector<std::pair<uint64_t, size_t>> fresh;  // (entry, probe distance)
  fresh.reserve(recent_used_);
  const size_t mask = recent_.size() - 1;
  for (size_t i = 0; i < recent_.size(); ++i) {
    if (recent_[i] == kEmpty || SlotOf(recent_[i]) == kErased) continue;
    fresh.emplace_back(recent_[i], (i - RecentHome(KeyOf(recent_[i]))) & mask);
  }
  std::sort(fresh.begin(), fresh.end(), [](const auto& a, const auto& b) {
    return KeyOf(a.first) != KeyOf(b.first) ? KeyOf(a.first) < KeyOf(b.first) : a.second < b.second;
  });
  // Sorted entries come before recent ones of the same key: they are older.
  std::vector<uint64_t> merged;
  merged.reserve(live_);
  if (sorted_erased_ == 0) {
    // The runs of sorted entries between two fresh ones are copied whole (32 entries on
    // average): the entry-by-entry merge was 90% of the cost of an insert.
    size_t from = 0;
    for (const auto& [e, distance] : fresh) {
      const size_t to = std::max(from, SortedRange(KeyOf(e)).second);
      merged.insert(merged.end(), sorted_.begin() + static_cast<ptrdiff_t>(from), sorted_.begin() + static_cast<ptrdiff_t>(to));
      merged.push_back(e);
      from = to;
    }
    merged.insert(merged.end(), sorted_.begin() + static_cast<ptrdiff_t>(from), sorted_.end());
  } else {
    size_t j = 0;
    for (uint64_t e : sorted_) {
      if (SlotOf(e) == kErased) continue;
      while (j < fresh.size() && KeyOf(fresh[j].first) < KeyOf(e)) merged.push_back(fresh[j++].first);
      merged.push_back(e);
    }
    for (; j < fresh.size(); ++j) merged.push_back(fresh[j].first);
  }
  sorted_ = std::move(merged);
  sorted_erased_ = 0;

  directory_bits_ = 0;
  while (directory_bits_ < 31 && (sorted_.size() >> directory_bits_) > 2 * kEntriesPerCell) ++directory_bits_;
  directory_.assign((size_t{1} << directory_bits_) + 1, 0);
  size_t at = 0;
  for (size_t cell = 0; cell < (size_t{1} << directory_bits_); ++cell) {
    directory_[cell] = static_cast<uint32_t>(at);
    const uint64_t next_cell = uint64_t{cell + 1} << (32 - directory_bits_);
    while (at < sorted_.size() && KeyOf(sorted_[at]) < next_cell) ++at;
  }
  directory_.back() = static_cast<uint32_t>(sorted_.size());
  recent_.clear();
  recent_.shrink_to_fit();
  recent_used_ = 0;
}

size_t BandTable::MemoryUsage() const {
  return sorted_.capacity() * sizeof(uint64_t) + directory_.capacity() * sizeof(uint32_t) +
         recent_.capacity() * sizeof(uint64_t);
}

}  // namespace neardup::internal

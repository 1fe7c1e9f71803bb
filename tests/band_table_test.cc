// BandTable against a plain list of (key, slot) in insertion order, scanned whole.
#include "index/band_table.h"

#include <catch2/catch.hpp>
#include <vector>

#include "reference/reference.h"

using neardup::internal::BandTable;

namespace {

struct ReferenceEntry {
  uint32_t key, slot;
  bool live;
};

// The live slots under `key`, newest first.
std::vector<uint32_t> ReferenceBucket(const std::vector<ReferenceEntry>& entries, uint32_t key) {
  std::vector<uint32_t> out;
  for (size_t i = entries.size(); i-- > 0;) {
    if (entries[i].live && entries[i].key == key) out.push_back(entries[i].slot);
  }
  return out;
}

std::vector<uint32_t> Bucket(const BandTable& table, uint32_t key, size_t limit = SIZE_MAX) {
  std::vector<uint32_t> out;
  table.ForEach(key, [&](uint32_t slot) {
    out.push_back(slot);
    return out.size() < limit;
  });
  return out;
}

}  // namespace

TEST_CASE("a band table lists each bucket's slots newest first, through merges and erases", "[lsh]") {
  // Key spaces from crowded (16 keys: buckets of hundreds, spanning merges and the recent
  // table) to sparse (mostly singletons), with keys at both ends of the range.
  for (uint32_t key_space : {16u, 1000u, 0u}) {
    neardup::reference::Rng rng(key_space + 5);
    BandTable table;
    std::vector<ReferenceEntry> entries;
    const auto random_key = [&]() -> uint32_t {
      if (key_space == 0) return static_cast<uint32_t>(rng.Next());
      const uint32_t k = static_cast<uint32_t>(rng.Below(key_space));
      return k % 3 == 0 ? UINT32_MAX - k : k * 0x01000193u;
    };
    uint32_t next_slot = 0;
    for (int step = 0; step < 20000; ++step) {
      if (rng.Below(5) == 0 && !entries.empty()) {
        // Erase a random entry (perhaps one erased already: then nothing changes).
        ReferenceEntry& e = entries[rng.Below(entries.size())];
        REQUIRE(table.Erase(e.key, e.slot) == e.live);
        e.live = false;
      } else {
        const uint32_t key = random_key();
        table.Insert(key, next_slot);
        entries.push_back({key, next_slot++, true});
      }
      if (step % 97 == 0) {
        const uint32_t key = entries[rng.Below(entries.size())].key;
        REQUIRE(Bucket(table, key) == ReferenceBucket(entries, key));
        const auto newest = Bucket(table, key, 3);  // stops when told
        const auto all = ReferenceBucket(entries, key);
        CHECK(newest == std::vector<uint32_t>(all.begin(), all.begin() + std::min<size_t>(3, all.size())));
      }
    }
    size_t live = 0;
    for (const ReferenceEntry& e : entries) live += e.live;
    CHECK(table.size() == live);
    for (size_t i = 0; i < entries.size(); i += entries.size() / 300) {
      CHECK(Bucket(table, entries[i].key) == ReferenceBucket(entries, entries[i].key));
    }
    CHECK(Bucket(table, 0x12345678u).empty() == ReferenceBucket(entries, 0x12345678u).empty());
    CHECK_FALSE(table.Erase(0x12345678u, next_slot));  // never inserted
    // Sorted entries, directory and recent cells: under 12 bytes a live entry at this size
    // (8 + 0.5 + 0.5 by design, plus the vectors' slack and erased entries not yet merged).
    CHECK(table.MemoryUsage() < 12 * live + 4096);
  }
}

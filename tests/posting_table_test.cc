// The containment index's pieces (issue #23) against slow references: the posting table
// against a map of every key's live holders, the filter arena against a vector of strings,
// the radix sort against std::stable_sort, and the filter count cut short against the full
// count.
#include <catch2/catch.hpp>
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "index/byte_arena.h"
#include "index/posting_table.h"
#include "fingerprint/judge_text.h"
#include "base/radix_sort.h"
#include "sketch/shingle_filter.h"

namespace {

using neardup::internal::kMaxPostingScan;

// The reference: every key's holders in order of addition, removed ones dropped.
struct ReferencePostings {
  std::map<uint32_t, std::vector<uint32_t>> holders;
  std::set<uint32_t> removed;

  std::vector<uint32_t> NewestHolders(const std::vector<uint32_t>& keys) const {
    std::vector<uint32_t> out;
    for (uint32_t key : keys) {
      const auto it = holders.find(key);
      if (it == holders.end()) continue;
      uint32_t taken = 0;
      for (auto h = it->second.rbegin(); h != it->second.rend() && taken < kMaxPostingScan; ++h) {
        if (!removed.count(*h)) out.push_back(*h), ++taken;
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

}  // namespace

TEST_CASE("the posting table returns each key's 256 newest live holders, across merges and removals", "[containment]") {
  std::mt19937_64 rng(11);
  // Keys from a pool of 3,000: popular ones get thousands of holders (past the scan cap), and
  // a fifth share their top 16 bits with another key, so buckets hold several keys.
  std::vector<uint32_t> pool;
  for (int i = 0; i < 3000; ++i) {
    const uint32_t key = static_cast<uint32_t>(rng());
    pool.push_back(i % 5 == 0 && i > 0 ? (pool[i - 1] & 0xFFFF0000u) | (key & 0xFFFF) : key);
  }
  std::geometric_distribution<int> popular(0.002);
  const auto draw_keys = [&](size_t n) {
    std::set<uint32_t> keys;
    while (keys.size() < n) keys.insert(pool[std::min<int>(popular(rng), static_cast<int>(pool.size()) - 1)]);
    return std::vector<uint32_t>(keys.begin(), keys.end());
  };
  neardup::internal::PostingTable table;
  ReferencePostings reference;
  std::vector<size_t> key_counts;
  int checks = 0;
  const auto check_query = [&] {
    const std::vector<uint32_t> query = draw_keys(40);
    std::vector<uint32_t> got;
    table.AppendHolders(query, &got);
    std::sort(got.begin(), got.end());
    REQUIRE(got == reference.NewestHolders(query));
    ++checks;
  };
  // 6,000 documents of 1 to 60 keys: about 180,000 postings, so the recent part (merged at
  // 65,536 postings and then at 1/16 of the merged part) is merged several times.
  for (uint32_t seq = 0; seq < 6000; ++seq) {
    const std::vector<uint32_t> keys = draw_keys(1 + rng() % 60);
    table.Add(seq, keys);
    for (uint32_t key : keys) reference.holders[key].push_back(seq);
    key_counts.push_back(keys.size());
    if (seq % 7 == 3) {  // remove an earlier live document
      const uint32_t victim = static_cast<uint32_t>(rng() % (seq + 1));
      if (reference.removed.insert(victim).second) table.Remove(victim, key_counts[victim]);
    }
    if (seq % 250 == 0) check_query();
  }
  // Remove most of what is left: removals alone merge the table once half its postings are
  // removed ones, which must not lose the live ones.
  for (uint32_t seq = 0; seq < 6000; ++seq) {
    if (seq % 4 != 0 && reference.removed.insert(seq).second) table.Remove(seq, key_counts[seq]);
  }
  for (int q = 0; q < 20; ++q) check_query();
  size_t live_postings = 0;
  for (uint32_t seq = 0; seq < 6000; ++seq) live_postings += reference.removed.count(seq) ? 0 : key_counts[seq];
  CHECK(table.size() == live_postings);
  CHECK(checks == 44);
}

TEST_CASE("the filter arena gives back every filter until it is cleared, across compactions", "[containment]") {
  std::mt19937_64 rng(5);
  neardup::internal::ByteArena arena;
  std::vector<std::string> reference;
  // 4,000 filters of up to 3,000 bytes (about 6 MB, several blocks), one of 3 MB (a block of
  // its own); three in four cleared, which compacts the arena more than once.
  for (int i = 0; i < 4000; ++i) {
    std::string filter(i == 1000 ? 3u << 20 : rng() % 3000, '\0');
    for (char& c : filter) c = static_cast<char>(rng());
    arena.Append(filter);
    reference.push_back(filter);
    if (i % 4 != 0) {
      const size_t victim = rng() % reference.size();
      arena.Clear(victim);
      reference[victim].clear();
    }
  }
  REQUIRE(arena.size() == reference.size());
  for (size_t i = 0; i < reference.size(); ++i) REQUIRE(arena.Get(i) == reference[i]);
}

TEST_CASE("the radix sort orders as std::stable_sort does", "[containment]") {
  std::mt19937_64 rng(9);
  for (const size_t n : {0, 1, 63, 64, 65, 1000, 100000}) {
    // 64-bit values sorted by their top 40 bits, few distinct (ties keep their order), and
    // 32-bit keys.
    std::vector<uint64_t> values(n);
    for (auto& v : values) v = (rng() % 50) << 40 | (rng() & 0xFFFFFFFFFFull);
    std::vector<uint64_t> expected = values;
    std::stable_sort(expected.begin(), expected.end(), [](uint64_t a, uint64_t b) { return (a >> 24) < (b >> 24); });
    neardup::internal::RadixSortBy(values, 40, [](uint64_t v) { return v >> 24; });
    REQUIRE(values == expected);
    std::vector<uint32_t> keys(n);
    for (auto& k : keys) k = static_cast<uint32_t>(rng());
    std::vector<uint32_t> sorted = keys;
    std::sort(sorted.begin(), sorted.end());
    neardup::internal::RadixSort(keys);
    REQUIRE(keys == sorted);
  }
}

TEST_CASE("a filter count cut short at `needed` agrees with the full count about reaching it", "[containment]") {
  std::mt19937_64 rng(13);
  int reached = 0, cut = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::set<uint32_t> members, probes;
    while (members.size() < 1000) members.insert(static_cast<uint32_t>(rng()));
    // Probes: a random share of members, the rest outside.
    const double share = (trial % 10) / 9.0;
    for (uint32_t m : members) {
      if (probes.size() < 128 && std::uniform_real_distribution<double>(0, 1)(rng) < share * 0.2) probes.insert(m);
    }
    while (probes.size() < 128) probes.insert(static_cast<uint32_t>(rng()));
    const std::vector<uint32_t> keys(members.begin(), members.end()), sorted_probes(probes.begin(), probes.end());
    const std::string filter = neardup::internal::EncodeShingleFilter(keys);
    const auto full = neardup::internal::CountInFilter(filter, sorted_probes);
    REQUIRE(full.ok());
    const uint32_t needed = 1 + static_cast<uint32_t>(rng() % 128);
    const auto part = neardup::internal::CountInFilter(filter, sorted_probes, needed);
    REQUIRE(part.ok());
    if (*full >= needed) {
      CHECK(*part == *full);
      ++reached;
    } else {
      CHECK(*part < needed);
      cut += *part < *full;
    }
  }
  // Both outcomes occur, and some counts were cut short.
  CHECK(reached > 30);
  CHECK(cut > 30);
}

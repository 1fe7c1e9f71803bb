// FrequencyTable against std::map, and AnchorWeights::Weights against Weight() one anchor at a
// time.
#include "xlang/frequency_table.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "neardup/translation.h"

using neardup::internal::FrequencyTable;

TEST_CASE("a frequency table counts as a std::map does, through growth and deletions", "[translation]") {
  // Key spaces from crowded (keys that share their home cells: long probe runs, deletions that
  // shift them back) to sparse; increments, decrements (of absent keys too) and sets mixed.
  for (const uint64_t key_space : {uint64_t{16}, uint64_t{300}, uint64_t{1} << 40}) {
    std::mt19937_64 rng(key_space);
    FrequencyTable table;
    std::map<uint64_t, uint32_t> reference;
    // Keys that differ only in low bits collide after the multiply's top bits are taken less
    // often than random ones; a stride of 2^40 makes many of them share a home.
    const auto key_of = [&](uint64_t r) { return (r % key_space) * (uint64_t{1} << 24) + (key_space == 16 ? 0 : r % 7); };
    for (int step = 0; step < 60000; ++step) {
      const uint64_t key = key_of(rng());
      const int op = static_cast<int>(rng() % 10);
      if (op < 6) {
        table.Increment(key);
        ++reference[key];
      } else if (op < 9) {
        table.Decrement(key);
        if (auto it = reference.find(key); it != reference.end() && --it->second == 0) reference.erase(it);
      } else {
        const uint32_t count = static_cast<uint32_t>(rng() % 5);
        table.Set(key, count);
        if (count > 0) reference[key] = count;  // Set(key, 0) leaves the table as it was
      }
      if (step % 997 == 0) {
        REQUIRE(table.size() == reference.size());
        for (uint64_t k = 0; k < 64; ++k) {
          const uint64_t probe = key_of(rng());
          const auto it = reference.find(probe);
          REQUIRE(table.Find(probe) == (it == reference.end() ? 0 : it->second));
        }
      }
    }
    // Every key, then everything removed: an empty table finds nothing.
    for (const auto& [key, count] : reference) REQUIRE(table.Find(key) == count);
    for (const auto& [key, count] : reference) {
      for (uint32_t i = 0; i < count; ++i) table.Decrement(key);
    }
    CHECK(table.size() == 0);
    for (const auto& [key, count] : reference) REQUIRE(table.Find(key) == 0);
  }
}

TEST_CASE("batch anchor weights are Weight()'s, bit for bit, and 0 where the tail is dropped", "[translation]") {
  using neardup::AnchorKind;
  using neardup::AnchorProfile;
  using neardup::AnchorWeights;
  // A collection where keys have every document frequency from 1 to 80 (around Weights' table
  // of small frequencies, 32) and some none, with numbers, years, small counts and names.
  std::vector<AnchorProfile> documents(80);
  for (size_t d = 0; d < documents.size(); ++d) {
    for (uint64_t key = 1; key <= 80; ++key) {
      if (d < key) documents[d].keys.push_back(key * 0x9e3779b97f4a7c15ULL), documents[d].kinds.push_back(AnchorKind::kNumber), documents[d].values.push_back(0);
    }
  }
  AnchorWeights weights;
  AnchorProfile query;
  const AnchorKind kinds[] = {AnchorKind::kNumber, AnchorKind::kName, AnchorKind::kAcronym, AnchorKind::kMonth};
  const double values[] = {2021, 7, 123456, 0.5};
  for (uint64_t key = 0; key <= 90; ++key) {
    query.keys.push_back(key * 0x9e3779b97f4a7c15ULL);
    query.kinds.push_back(kinds[key % 4]);
    query.values.push_back(query.kinds.back() == AnchorKind::kNumber ? values[key % 3] : 0);
  }
  AnchorWeights::Kept kept;
  kept.dropped = {{10, 13}, {85, 91}};
  for (size_t added = 0; added <= documents.size(); ++added) {
    // Before kMinDocumentsForIdf documents, priors alone; after, rarity too.
    std::vector<double> batch(query.keys.size(), -1.0);
    weights.Weights(query, kept, batch);
    for (size_t i = 0; i < query.keys.size(); ++i) {
      const double one = kept.Keeps(i) ? weights.Weight(query.keys[i], query.kinds[i], query.values[i]) : 0.0;
      REQUIRE(std::memcmp(&batch[i], &one, sizeof one) == 0);
    }
    if (added < documents.size()) weights.AddDocument(documents[added]);
  }
  // The weights did depend on the frequencies (the test would pass on a constant otherwise).
  CHECK(weights.Weight(query.keys[1], AnchorKind::kNumber, 123456) > weights.Weight(query.keys[79], AnchorKind::kNumber, 123456));
}

// The Deduplicator's per-document tables (issue #23's memory work) against slow references:
// the id table against a map from id to live sequence number and a vector of every id, the
// link graph against a vector of each document's link numbers, and gentle growth against
// its bound on slack.
#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "index/id_table.h"
#include "index/link_graph.h"
#include "index/gentle_growth.h"

namespace {

using neardup::internal::IdTable;
using neardup::internal::Link;
using neardup::internal::LinkGraph;

TEST_CASE("the id table finds each live id, keeps removed ones readable, and refuses live duplicates",
          "[index]") {
  std::mt19937_64 rng(21);
  IdTable table;
  std::vector<std::string> all_ids;           // by sequence number
  std::vector<bool> live;                     // by sequence number
  std::map<std::string, uint32_t> live_by_id;  // the reference lookup
  // Ids from a small alphabet, so that re-adding a removed id and adding a live one both
  // happen often; some long ones (past std::string's inline 15 bytes) and an empty one.
  auto random_id = [&] {
    if (rng() % 50 == 0) return std::string();
    std::string id = "doc-" + std::to_string(rng() % 3000);
    if (rng() % 4 == 0) id += "/a/long/path/that/needs/its/own/allocation";
    return id;
  };
  int refused = 0, readded = 0;
  for (int step = 0; step < 20000; ++step) {
    if (rng() % 3 == 0 && !all_ids.empty()) {
      const uint32_t seq = static_cast<uint32_t>(rng() % all_ids.size());
      table.Remove(seq);  // also on an already removed one, whose id may be live again
      if (live[seq]) live_by_id.erase(all_ids[seq]), live[seq] = false;
      continue;
    }
    const std::string id = random_id();
    const bool as_live = rng() % 10 != 0;  // the store loads removed documents too
    const bool expected = !(as_live && live_by_id.count(id));
    REQUIRE(table.Append(id, as_live) == expected);
    if (!expected) { ++refused; continue; }
    for (size_t s = 0; s < all_ids.size(); ++s) {
      if (all_ids[s] == id && !live[s]) { ++readded; break; }
    }
    if (as_live) live_by_id[id] = static_cast<uint32_t>(all_ids.size());
    all_ids.push_back(id);
    live.push_back(as_live);
  }
  CHECK(refused > 100);  // both paths were taken
  CHECK(readded > 100);
  REQUIRE(table.size() == all_ids.size());
  REQUIRE(table.live_count() == live_by_id.size());
  for (uint32_t seq = 0; seq < all_ids.size(); ++seq) {
    REQUIRE(table.id(seq) == all_ids[seq]);
    REQUIRE(table.live(seq) == live[seq]);
  }
  for (int k = 0; k < 3000; ++k) {
    const std::string id = "doc-" + std::to_string(k);
    const auto it = live_by_id.find(id);
    const std::optional<uint32_t> found = table.Find(id);
    REQUIRE(found.has_value() == (it != live_by_id.end()));
    if (found) REQUIRE(*found == it->second);
  }
  CHECK(table.MemoryUsage() > 0);
}

TEST_CASE("the link graph gives each document's links, oldest first, as a list per document would",
          "[index]") {
  std::mt19937_64 rng(22);
  LinkGraph graph;
  std::vector<Link> links;
  std::vector<std::vector<uint32_t>> of_document;  // the reference: link numbers, in order
  for (int step = 0; step < 30000; ++step) {
    if (of_document.empty() || rng() % 3 == 0) {
      graph.AddDocument();
      of_document.emplace_back();
      continue;
    }
    // A link from a new document to an older one; some documents gather dozens of links
    // (more than the walk's 16 inline places).
    const uint32_t b = static_cast<uint32_t>(of_document.size() - 1 - rng() % std::min<size_t>(of_document.size(), 40));
    const uint32_t a = rng() % 8 == 0 ? 0 : static_cast<uint32_t>(rng() % (b + 1));
    if (a == b) continue;
    Link link;
    link.a = a, link.b = b, link.score = static_cast<double>(rng() % 1000) / 1000;
    const uint32_t i = static_cast<uint32_t>(links.size());
    graph.Add(link);
    links.push_back(link);
    of_document[a].push_back(i);
    of_document[b].push_back(i);
    if (rng() % 5 == 0) {
      const uint32_t victim = static_cast<uint32_t>(rng() % links.size());
      graph.Retract(victim);
      links[victim].alive = false;
    }
  }
  REQUIRE(graph.size() == links.size());
  REQUIRE(graph.documents() == of_document.size());
  REQUIRE(of_document[0].size() > 100);
  for (uint32_t seq = 0; seq < of_document.size(); ++seq) {
    std::vector<uint32_t> seen;
    graph.ForEachOf(seq, [&](uint32_t i, const Link& link) {
      REQUIRE(link.score == links[i].score);
      REQUIRE(link.alive == links[i].alive);
      REQUIRE((link.a == seq || link.b == seq));
      seen.push_back(i);
    });
    REQUIRE(seen == of_document[seq]);
  }
}

TEST_CASE("gentle growth keeps a vector's slack within an eighth of its size", "[index]") {
  std::vector<uint32_t> v;
  size_t reallocations = 0;
  for (uint32_t i = 0; i < 1000000; ++i) {
    const size_t before = v.capacity();
    neardup::internal::AppendGently(v, i);
    if (v.capacity() != before) ++reallocations;
    // Past the first kMinGrowth elements, the capacity is at most size + size/8 (+1 for the
    // element that filled the previous capacity).
    if (v.size() > neardup::internal::kMinGrowth * neardup::internal::kGrowthShare) {
      REQUIRE(v.capacity() <= v.size() + v.size() / neardup::internal::kGrowthShare + 1);
    }
  }
  REQUIRE(v.back() == 999999);
  // Growing by 1/8 from 512: log(1e6/512)/log(1.125) + the 8 steps of 64, about 73.
  CHECK(reallocations < 80);
}

}  // namespace

#include "neardup/lsh.h"
#include "neardup/serialize.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <thread>

#include "reference/reference.h"

using neardup::LshIndex;
using neardup::TruncateSignature;
using neardup::LshOptions;
using neardup::LshParams;
using neardup::MinHasher;
using neardup::Signature;

namespace {

// Base sets and variants of each with a random share of elements replaced.
struct Corpus {
  std::vector<std::vector<uint64_t>> sets;
  std::vector<Signature> signatures;
};

Corpus MakeCorpus(int bases, int variants, uint64_t seed, const MinHasher& hasher) {
  neardup::reference::Rng rng(seed);
  Corpus c;
  for (int b = 0; b < bases; ++b) {
    std::vector<uint64_t> base(200 + rng.Below(300));
    for (uint64_t& x : base) x = rng.Next();
    c.sets.push_back(base);
    for (int v = 0; v < variants; ++v) {
      std::vector<uint64_t> copy = base;
      const double replace = 0.25 * rng.Unit();  // J from about 0.6 to 1
      for (uint64_t& x : copy) {
        if (rng.Unit() < replace) x = rng.Next();
      }
      std::sort(copy.begin(), copy.end());
      c.sets.push_back(copy);
    }
  }
  for (auto& s : c.sets) {
    std::sort(s.begin(), s.end());
    c.signatures.push_back(hasher.Compute(s));
  }
  return c;
}

bool ShareBand(const Signature& a, const Signature& b, const LshParams& p) {
  for (int band = 0; band < p.num_bands(); ++band) {
    bool equal = true;
    for (int i = p.band_begin(band); i < p.band_begin(band) + p.rows(band); ++i) equal &= a.values()[i] == b.values()[i];
    if (equal) return true;
  }
  return false;
}

// Every id sharing a band with `signature` (unverified), ascending.
absl::StatusOr<std::vector<uint64_t>> CandidateIds(const LshIndex& index, const Signature& signature) {
  std::vector<uint64_t> ids;
  const absl::Status s = index.ForEachCandidate(
      signature, {}, [](int, uint64_t) { return true; },
      [&](uint64_t id, std::span<const uint64_t>, uint64_t) { ids.push_back(id); });
  if (!s.ok()) return s;
  return ids;
}

}  // namespace

TEST_CASE("banding uses every slot and follows the S-curve formula", "[lsh]") {
  for (int k : {64, 100, 128, 256}) {
    for (double t : {0.5, 0.8, 0.9}) {
      const auto p = neardup::ChooseLshParams({.num_perm = k, .threshold = t});
      REQUIRE(p.ok());
      int total = 0;
      for (int b = 0; b < p->num_bands(); ++b) {
        CHECK(p->band_begin(b) == total);
        total += p->rows(b);
      }
      CHECK(total == k);
      // Monotone in s, 0 at 0 and 1 at 1.
      CHECK(p->DetectionProbability(0.0) == Approx(0.0));
      CHECK(p->DetectionProbability(1.0) == Approx(1.0));
      for (double s = 0.05; s < 1; s += 0.05) CHECK(p->DetectionProbability(s) >= p->DetectionProbability(s - 0.05));
    }
  }
  // The defaults favour recall: a pair just above the threshold is found almost always.
  const auto p = neardup::ChooseLshParams({});
  INFO("bands " << p->num_bands() << ", P(0.8) = " << p->DetectionProbability(0.8));
  CHECK(p->num_bands() == 16);
  CHECK(p->DetectionProbability(0.85) >= 0.99);
  CHECK(p->DetectionProbability(0.3) <= 0.05);
}

TEST_CASE("LSH options are validated", "[lsh]") {
  CHECK(neardup::ChooseLshParams({.threshold = 0}).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(neardup::ChooseLshParams({.threshold = 1.5}).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(neardup::ChooseLshParams({.num_perm = 16, .num_bands = 17}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(neardup::ChooseLshParams({.false_positive_weight = -1}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(neardup::ChooseLshParams({.num_perm = 16, .num_bands = 4})->rows(0) == 4);
}

TEST_CASE("candidates equal brute-force band sharing; verified hits equal brute-force similarity",
          "[lsh]") {
  const auto hasher = MinHasher::Create();
  const Corpus corpus = MakeCorpus(60, 4, 11, *hasher);
  auto index = LshIndex::Create();
  REQUIRE(index.ok());
  for (size_t i = 0; i < corpus.signatures.size(); ++i) REQUIRE(index->Add(i, corpus.signatures[i]).ok());
  const LshParams& params = index->params();
  const double t = index->options().threshold;

  std::set<std::pair<size_t, size_t>> lsh_pairs;
  for (size_t i = 0; i < corpus.signatures.size(); ++i) {
    const auto candidates = CandidateIds(*index, corpus.signatures[i]);
    REQUIRE(candidates.ok());
    std::vector<uint64_t> expected;
    for (size_t j = 0; j < corpus.signatures.size(); ++j) {
      if (ShareBand(corpus.signatures[i], corpus.signatures[j], params)) expected.push_back(j);
    }
    CHECK(*candidates == expected);
    const auto hits = index->Query(corpus.signatures[i]);
    REQUIRE(hits.ok());
    for (const auto& hit : *hits) {
      CHECK(hit.similarity >= t);
      if (hit.id != i) lsh_pairs.emplace(std::min<size_t>(i, hit.id), std::max<size_t>(i, hit.id));
    }
  }
  // Brute force over all pairs on the estimated similarity.
  const auto brute = neardup::reference::BruteForcePairs(corpus.signatures.size(), t, [&](size_t i, size_t j) {
    return *neardup::EstimateJaccard(corpus.signatures[i], corpus.signatures[j]);
  });
  for (const auto& pair : lsh_pairs) CHECK(brute.count(pair) == 1);  // no false positives
  // Recall: each brute-force pair of similarity s is missed with probability 1 - P(s) <= 1 - P(t).
  // Expected misses = sum (1 - P(s)); allow that plus 3 standard deviations (+1).
  double expected_misses = 0, variance = 0;
  for (const auto& [i, j] : brute) {
    const double miss = 1 - params.DetectionProbability(*neardup::EstimateJaccard(corpus.signatures[i], corpus.signatures[j]));
    expected_misses += miss;
    variance += miss * (1 - miss);
  }
  size_t missed = 0;
  for (const auto& pair : brute) missed += lsh_pairs.count(pair) == 0;
  INFO("brute-force pairs " << brute.size() << ", missed " << missed << ", expected " << expected_misses);
  REQUIRE(brute.size() > 100);
  CHECK(missed <= expected_misses + 3 * std::sqrt(variance) + 1);
}

TEST_CASE("Add, Remove and Query keep the index consistent", "[lsh]") {
  const auto hasher = MinHasher::Create();
  const Corpus corpus = MakeCorpus(5, 1, 3, *hasher);
  auto index = LshIndex::Create();
  REQUIRE(index->Add(7, corpus.signatures[0]).ok());
  REQUIRE(index->Add(8, corpus.signatures[1]).ok());
  CHECK(index->Add(7, corpus.signatures[2]).code() == absl::StatusCode::kAlreadyExists);
  CHECK(index->size() == 2);
  auto hits = index->Query(corpus.signatures[0], 0.0);
  REQUIRE(hits.ok());
  REQUIRE_FALSE(hits->empty());
  CHECK(hits->front().id == 7);
  CHECK(hits->front().similarity == 1.0);
  REQUIRE(index->Remove(7).ok());
  CHECK(index->Remove(7).code() == absl::StatusCode::kNotFound);
  CHECK_FALSE(index->Contains(7));
  const auto after_removal = index->Query(corpus.signatures[0], 0.0);
  for (const auto& hit : *after_removal) CHECK(hit.id != 7);
  // The freed slot is reused and found again.
  REQUIRE(index->Add(9, corpus.signatures[0]).ok());
  CHECK(index->Query(corpus.signatures[0])->front().id == 9);
  CHECK(index->Ids() == std::vector<uint64_t>{8, 9});
}

TEST_CASE("max_bucket_scan keeps only the newest members of a crowded bucket", "[lsh]") {
  const auto hasher = MinHasher::Create();
  const Corpus corpus = MakeCorpus(1, 0, 11, *hasher);
  LshOptions capped;
  capped.max_bucket_scan = 10;
  auto all = LshIndex::Create(), newest = LshIndex::Create(capped);
  // 100 copies of one signature: every band's bucket holds all of them.
  for (uint64_t id = 0; id < 100; ++id) {
    REQUIRE(all->Add(id, corpus.signatures[0]).ok());
    REQUIRE(newest->Add(id, corpus.signatures[0]).ok());
  }
  CHECK(all->Query(corpus.signatures[0])->size() == 100);
  const auto hits = newest->Query(corpus.signatures[0]);
  REQUIRE(hits->size() == 10);
  for (const auto& hit : *hits) CHECK(hit.id >= 90);
  // Removing one of the newest lets the next older one in.
  REQUIRE(newest->Remove(99).ok());
  const auto after = newest->Query(corpus.signatures[0]);
  REQUIRE(after->size() == 10);
  CHECK(after->front().id == 89);  // ties in similarity are ordered by id
}

TEST_CASE("signatures of other lengths or parameters are refused", "[lsh]") {
  auto index = LshIndex::Create();
  const auto h1 = MinHasher::Create({.seed = 1}), h2 = MinHasher::Create({.seed = 2});
  const auto h64 = MinHasher::Create({.num_perm = 64});
  const std::vector<uint64_t> set = {1, 2, 3, 4};
  REQUIRE(index->Add(1, h1->Compute(set)).ok());
  CHECK(index->Add(2, h2->Compute(set)).code() == absl::StatusCode::kFailedPrecondition);
  CHECK(index->Query(h2->Compute(set)).status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(index->Add(3, h64->Compute(set)).code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("queries may run while another thread adds", "[lsh][threads]") {
  const auto hasher = MinHasher::Create();
  const Corpus corpus = MakeCorpus(40, 2, 21, *hasher);
  auto index = LshIndex::Create();
  REQUIRE(index.ok());
  // Assertions stay on the main thread: Catch is not thread-safe. Threads count failures.
  std::atomic<int> failed_adds{0}, failed_queries{0}, impossible{0};
  std::thread writer([&] {
    for (size_t i = 0; i < corpus.signatures.size(); ++i) failed_adds += !index->Add(i, corpus.signatures[i]).ok();
  });
  std::thread reader([&] {
    for (int round = 0; round < 3; ++round) {
      for (const auto& s : corpus.signatures) {
        const auto hits = index->Query(s);
        if (!hits.ok()) {
          ++failed_queries;
          continue;
        }
        // Whatever the writer has done so far, every hit is a document of the corpus,
        // verified on its stored signature.
        for (const auto& hit : *hits) {
          impossible += hit.id >= corpus.signatures.size() ||
                        hit.similarity != *neardup::EstimateJaccard(s, corpus.signatures[hit.id]);
        }
      }
    }
  });
  writer.join();
  reader.join();
  CHECK(failed_adds == 0);
  CHECK(failed_queries == 0);
  CHECK(impossible == 0);
  CHECK(index->size() == corpus.signatures.size());
  for (size_t i = 0; i < corpus.signatures.size(); ++i) CHECK(index->Query(corpus.signatures[i])->front().similarity == 1.0);
}

TEST_CASE("ForEachCandidate visits the band-sharing ids with their kept signatures; the pre-check counts equality",
          "[lsh]") {
  const auto hasher = MinHasher::Create();
  const Corpus corpus = MakeCorpus(40, 4, 12, *hasher);
  auto index = LshIndex::Create({.num_bands = 64});
  REQUIRE(index.ok());
  for (size_t i = 0; i < corpus.signatures.size(); ++i) REQUIRE(index->Add(i, corpus.signatures[i]).ok());
  for (size_t i = 0; i < corpus.signatures.size(); ++i) {
    const auto& query = corpus.signatures[i];
    std::vector<uint64_t> visited;
    const auto all = [](int, uint64_t) { return true; };
    REQUIRE(index->ForEachCandidate(query, {}, all, [&](uint64_t id, std::span<const uint64_t> values, uint64_t size) {
                   visited.push_back(id);
                   CHECK(std::equal(values.begin(), values.end(),
                                    TruncateSignature(corpus.signatures[id]).values().begin()));
                   CHECK(size == corpus.signatures[id].set_size());
                 }).ok());
    CHECK(visited == *CandidateIds(*index, query));  // ascending, the same ids
    // The pre-check sees, in the same ascending id order, the number of positions whose top
    // 32 bits agree, counted here independently of the index.
    std::vector<int> agrees;
    REQUIRE(index->ForEachCandidate(
                       query, {},
                       [&](int agree, uint64_t) {
                         agrees.push_back(agree);
                         return false;  // reject every candidate: visit must not run
                       },
                       [&](uint64_t, std::span<const uint64_t>, uint64_t) { FAIL("a rejected candidate was visited"); })
                .ok());
    REQUIRE(agrees.size() == visited.size());
    for (size_t c = 0; c < visited.size(); ++c) {
      int equal = 0;
      for (int s = 0; s < query.size(); ++s) {
        equal += (query.values()[s] >> 32) == (corpus.signatures[visited[c]].values()[s] >> 32);
      }
      CHECK(agrees[c] == equal);
    }
  }
}

TEST_CASE("an index encoded while another thread removes holds only whole documents", "[lsh][threads]") {
  const auto hasher = MinHasher::Create();
  const Corpus corpus = MakeCorpus(100, 1, 21, *hasher);
  auto index = LshIndex::Create();
  REQUIRE(index.ok());
  for (size_t i = 0; i < corpus.signatures.size(); ++i) REQUIRE(index->Add(i, corpus.signatures[i]).ok());
  std::atomic<bool> done{false};
  std::thread remover([&] {
    for (size_t i = 0; i < corpus.signatures.size(); i += 2) (void)index->Remove(i);
    done = true;
  });
  // Each snapshot decodes, and every document in it carries its own signature: none written
  // half-removed (as zeros) while encoding.
  int snapshots = 0, wrong = 0;
  while (!done || snapshots == 0) {
    const auto decoded = neardup::DecodeLshIndex(neardup::EncodeLshIndex(*index));
    if (!decoded.ok()) {
      ++wrong;
      break;
    }
    for (uint64_t id : decoded->Ids()) wrong += !(*decoded->Get(id) == TruncateSignature(corpus.signatures[id]));
    ++snapshots;
  }
  remover.join();
  INFO(snapshots << " snapshots");
  CHECK(wrong == 0);
}

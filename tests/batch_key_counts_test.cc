// BatchKeyCounts::AsOf against the collection it stands for: an AnchorWeights that really
// added the batch's documents up to the position (AddDocument), compared bit for bit.
#include "xlang/batch_key_counts.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <vector>

#include "neardup/translation.h"

namespace {

using neardup::AnchorKind;
using neardup::AnchorProfile;
using neardup::AnchorWeights;

// A profile over a small key space, so that frequencies span 0 to dozens; its last paragraphs'
// keys come from a smaller space, so that some are boilerplate (in 20 documents or more).
AnchorProfile RandomProfile(std::mt19937_64& rng) {
  AnchorProfile p;
  const AnchorKind kinds[] = {AnchorKind::kNumber, AnchorKind::kName, AnchorKind::kAcronym, AnchorKind::kMonth};
  const size_t anchors = 5 + rng() % 30;
  for (size_t i = 0; i < anchors; ++i) {
    p.keys.push_back((rng() % 120 + 1) * 0x9e3779b97f4a7c15ULL);
    p.kinds.push_back(kinds[rng() % 4]);
    p.values.push_back(p.kinds.back() == AnchorKind::kNumber ? static_cast<double>(rng() % 3000) : 0);
  }
  const size_t paragraphs = 3 + rng() % 6;
  p.paragraph_lengths.assign(paragraphs, 40);
  const size_t tail = std::min<size_t>(paragraphs, 8);
  for (size_t j = 0; j < tail; ++j) {
    // The first is the document's own (a tail is never the whole document).
    p.tail_keys.push_back(j == 0 ? rng() : (rng() % 6 + 1000) * 0x51ed27f3a1b2c3d5ULL);
    p.tail_anchor_begin.push_back(static_cast<uint32_t>(anchors * (paragraphs - tail + j) / paragraphs));
  }
  return p;
}

void RequireSameBits(double a, double b) { REQUIRE(std::memcmp(&a, &b, sizeof a) == 0); }

}  // namespace

TEST_CASE("a batch's view of the weights is the collection with its documents added", "[translation]") {
  std::mt19937_64 rng(7);
  // Base collections below and above kMinDocumentsForIdf (priors alone, then rarity), and
  // batches with refused documents (not counted) in them.
  for (const size_t base_size : {size_t{0}, size_t{12}, size_t{150}}) {
    std::vector<AnchorProfile> base_docs, batch;
    for (size_t i = 0; i < base_size; ++i) base_docs.push_back(RandomProfile(rng));
    for (size_t i = 0; i < neardup::internal::BatchKeyCounts::kMaxDocuments; ++i) batch.push_back(RandomProfile(rng));
    std::vector<bool> counted(batch.size());
    AnchorWeights base;
    for (const AnchorProfile& p : base_docs) base.AddDocument(p);
    neardup::internal::BatchKeyCounts counts;
    for (size_t i = 0; i < batch.size(); ++i) {
      counted[i] = rng() % 5 != 0;
      if (counted[i]) counts.Add(i, batch[i]);
    }
    size_t tails = 0;  // boilerplate tails met: the tails were exercised
    for (size_t position = 0; position < batch.size(); ++position) {
      INFO("base " << base_size << ", position " << position);
      AnchorWeights reference;
      for (const AnchorProfile& p : base_docs) reference.AddDocument(p);
      for (size_t i = 0; i <= position; ++i) {
        if (counted[i]) reference.AddDocument(batch[i]);
      }
      const AnchorWeights view = counts.AsOf(base, position);
      REQUIRE(view.num_documents() == reference.num_documents());
      for (const AnchorProfile& p : batch) {
        for (size_t i = 0; i < p.keys.size(); ++i) {
          RequireSameBits(view.Weight(p.keys[i], p.kinds[i], p.values[i]), reference.Weight(p.keys[i], p.kinds[i], p.values[i]));
        }
        const AnchorWeights::Kept kept = reference.WithoutBoilerplateTail(p);
        const AnchorWeights::Kept seen = view.WithoutBoilerplateTail(p);
        REQUIRE(seen.paragraphs == kept.paragraphs);
        REQUIRE(seen.dropped == kept.dropped);
        tails += kept.paragraphs < p.paragraph_lengths.size();
        std::vector<double> got(p.keys.size()), want(p.keys.size());
        view.Weights(p, kept, got);
        reference.Weights(p, kept, want);
        for (size_t i = 0; i < got.size(); ++i) RequireSameBits(got[i], want[i]);
      }
    }
    if (base_size >= AnchorWeights::kMinDocumentsForIdf) CHECK(tails > 0);
  }
  // The base is only read: it still counts its own documents.
  AnchorWeights empty;
  neardup::internal::BatchKeyCounts counts;
  counts.Add(0, RandomProfile(rng));
  CHECK(counts.AsOf(empty, 0).num_documents() == 1);
  CHECK(empty.num_documents() == 0);
}

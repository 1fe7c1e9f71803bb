// AnchorWeights (translation.h): an anchor's weight from its kind and its rarity in the
// collection, and the collection's boilerplate paragraphs.

#include <algorithm>
#include <bit>
#include <cmath>
#include <vector>

#include "neardup/translation.h"
#include "xlang/batch_key_counts.h"
#include "xlang/frequency_table.h"

namespace neardup {
namespace {

// How much an anchor kind says about identity before rarity is considered.
double KindPrior(AnchorKind kind, double value) {
  switch (kind) {
    case AnchorKind::kNumber:
      if (value >= 1900 && value <= 2100 && value == std::floor(value)) return 0.6;  // years repeat across stories
      if (std::fabs(value) <= 10) return 0.3;                                       // small counts: "deux", "2"
      return 1.0;
    case AnchorKind::kMonth:
      return 0.4;
    case AnchorKind::kName:
      return 0.7;
    default:
      return 1.0;
  }
}

// A paragraph is boilerplate of the collection when at least this many documents, and this
// share of them, hold it (AnchorWeights::BoilerplateTail says why 20).
constexpr uint64_t kBoilerplateMinDocuments = 20;
constexpr double kBoilerplateShare = 0.005;

}  // namespace

struct AnchorWeights::Table {
  internal::FrequencyTable df;
};

AnchorWeights::AnchorWeights() : document_frequency_(std::make_unique<Table>()), table_(document_frequency_.get()) {}
AnchorWeights::AnchorWeights(AnchorWeights&&) noexcept = default;
AnchorWeights& AnchorWeights::operator=(AnchorWeights&&) noexcept = default;
AnchorWeights::~AnchorWeights() = default;

void AnchorWeights::AddDocument(const AnchorProfile& profile) {
  ++num_documents_;
  for (uint64_t k : CountedKeys(profile)) document_frequency_->df.Increment(k);
}

void AnchorWeights::RemoveDocument(const AnchorProfile& profile) {
  if (num_documents_ > 0) --num_documents_;
  for (uint64_t k : CountedKeys(profile)) document_frequency_->df.Decrement(k);
}

uint32_t AnchorWeights::Frequency(uint64_t key) const {
  const uint32_t df = table_->df.Find(key);
  return batch_ == nullptr ? df : df + batch_->Count(key, batch_documents_);
}

AnchorWeights AnchorWeights::View(const AnchorWeights& base, const internal::BatchKeyCounts& batch,
                                  uint64_t batch_documents) {
  AnchorWeights view;
  view.document_frequency_.reset();  // reads base's table, never writes
  view.table_ = base.table_;
  view.batch_ = &batch;
  view.batch_documents_ = batch_documents;
  view.num_documents_ = base.num_documents_ + static_cast<uint64_t>(std::popcount(batch_documents));
  return view;
}

void AnchorWeights::Prefetch(uint64_t key) const { table_->df.Prefetch(key); }

double AnchorWeights::Weight(uint64_t key, AnchorKind kind, double value) const {
  const double prior = KindPrior(kind, value);
  if (num_documents_ < kMinDocumentsForIdf) return prior;
  return prior * Rarity(Idf(Frequency(key)));
}

double AnchorWeights::Idf(uint32_t document_frequency) const {
  return std::log((num_documents_ + 1.0) / (document_frequency + 0.5));
}

double AnchorWeights::Rarity(double idf) {
  // Normalized so that a key in one document of a thousand weighs about its prior.
  return std::clamp(idf / std::log(1000.0), 0.05, 2.0);
}

void AnchorWeights::Weights(const AnchorProfile& profile, const Kept& kept, std::span<double> out) const {
  const size_t n = std::min(out.size(), profile.keys.size());
  const bool idf = num_documents_ >= kMinDocumentsForIdf;
  // Each lookup is a cache miss: start them all before reading any.
  if (idf) {
    for (size_t i = 0; i < n; ++i) Prefetch(profile.keys[i]);
  }
  // Rarity(Idf(df)) for the frequencies most keys have, kept by each thread for the current
  // collection size: a query compares with up to 16 candidates, and the logarithms were a
  // tenth of the comparisons' time. The same expression as Weight's, so the same bits.
  constexpr uint32_t kCachedFrequencies = 4096;
  thread_local std::vector<double> rarity(kCachedFrequencies);
  thread_local std::vector<uint64_t> rarity_for(kCachedFrequencies, 0);  // num_documents_ + 1 when rarity[df] is set
  for (size_t i = 0; i < n; ++i) {
    if (!kept.Keeps(i)) {
      out[i] = 0;
      continue;
    }
    const double prior = KindPrior(profile.kinds[i], profile.values[i]);
    if (!idf) {
      out[i] = prior;
      continue;
    }
    const uint32_t df = Frequency(profile.keys[i]);
    if (df >= kCachedFrequencies) {
      out[i] = prior * Rarity(Idf(df));
      continue;
    }
    if (rarity_for[df] != num_documents_ + 1) rarity[df] = Rarity(Idf(df)), rarity_for[df] = num_documents_ + 1;
    out[i] = prior * rarity[df];
  }
}

size_t AnchorWeights::BoilerplateTail(const AnchorProfile& profile) const {
  const double needed = std::max<double>(kBoilerplateMinDocuments, kBoilerplateShare * num_documents_);
  if (num_documents_ < kMinDocumentsForIdf) return 0;
  const auto boilerplate = [&](uint64_t key) { return Frequency(key) >= needed; };
  size_t tail = 0, common = 0;
  const size_t n = profile.tail_keys.size();
  for (size_t length = 1; length <= n; ++length) {
    const bool is_common = boilerplate(profile.tail_keys[n - length]);
    common += is_common;
    if (is_common && 3 * common >= 2 * length) tail = length;
  }
  // Never the whole document: a page that is all boilerplate is compared as it is.
  return tail < profile.paragraph_lengths.size() ? tail : 0;
}

AnchorWeights::Kept AnchorWeights::WithoutBoilerplateTail(const AnchorProfile& profile) const {
  const size_t tail = BoilerplateTail(profile);
  Kept kept;
  kept.paragraphs = profile.paragraph_lengths.size() - tail;
  const size_t n = profile.tail_keys.size();
  if (tail == 0 || tail > n || profile.tail_anchor_begin.size() != n) return kept;
  const double needed = std::max<double>(kBoilerplateMinDocuments, kBoilerplateShare * num_documents_);
  for (size_t j = n - tail; j < n; ++j) {
    if (Frequency(profile.tail_keys[j]) < needed) continue;  // content inside the run
    const uint32_t end = j + 1 < n ? profile.tail_anchor_begin[j + 1] : static_cast<uint32_t>(profile.keys.size());
    kept.dropped.emplace_back(profile.tail_anchor_begin[j], end);
  }
  return kept;
}

std::vector<uint64_t> AnchorWeights::CountedKeys(const AnchorProfile& profile) {
  std::vector<uint64_t> keys(profile.keys.begin(), profile.keys.end());
  keys.insert(keys.end(), profile.tail_keys.begin(), profile.tail_keys.end());
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

AnchorWeights AnchorWeights::FromDocumentFrequencies(uint64_t num_documents, std::span<const uint64_t> keys,
                                                     std::span<const uint32_t> document_frequency) {
  AnchorWeights weights;
  weights.num_documents_ = num_documents;
  for (size_t i = 0; i < keys.size() && i < document_frequency.size(); ++i) {
    weights.document_frequency_->df.Set(keys[i], document_frequency[i]);
  }
  return weights;
}

}  // namespace neardup

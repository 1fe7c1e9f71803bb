// AddBatch's first phase (deduplicator_impl.h): the text matches, translation queries and
// verdicts of a run of documents, on several threads, each against the collection as it will
// stand when Add takes it. Nearly all of a default run's index stage is these verdicts (46% of
// its instructions on the perf corpus, and their profile decoding another 10%), and they are
// pure functions of the two profiles and the anchor weights: computed ahead, they are the ones
// Add would compute. What Add cannot take from here it computes itself (a candidate found
// only through an earlier document of the run, a query whose buckets that document changed).

#include <optional>

#include "absl/container/flat_hash_set.h"
#include "base/absl_compat.h"
#include "base/parallel_for.h"
#include "dedup/deduplicator_impl.h"
#include "index/band_key.h"
#include "index/translation_candidates.h"
#include "store/profile_codec.h"
#include "xlang/anchor_query.h"
#include "xlang/batch_key_counts.h"

namespace neardup {
namespace {

// The buckets `index` files `signature` in, as band << 32 | key; false if the index refuses
// its length.
bool BucketsOf(const LshIndex& index, const Signature& signature, std::vector<uint64_t>* out) {
  const LshParams& params = index.params();
  if (signature.size() != params.num_perm()) return false;
  thread_local std::vector<uint32_t> kept;
  kept.resize(signature.size());
  for (size_t j = 0; j < kept.size(); ++j) kept[j] = KeptBits(signature.values()[j]);
  out->resize(params.num_bands());
  for (int band = 0; band < params.num_bands(); ++band) {
    (*out)[band] = uint64_t{static_cast<uint32_t>(band)} << 32 | internal::BandKey(kept.data(), params, band);
  }
  return true;
}

}  // namespace

std::vector<PreparedDocument> Deduplicator::Impl::PrepareRun(
    size_t start, size_t end, absl::FunctionRef<std::string_view(size_t)> id,
    absl::FunctionRef<absl::StatusOr<const Fingerprint*>(size_t)> fingerprint, int threads) const {
  const size_t n = end - start;
  std::vector<PreparedDocument> out(n);
  std::vector<const Fingerprint*> run(n, nullptr);
  // Which documents Add is expected to take, by its own checks in order (a later failure, such
  // as a full collection, makes AddBatch stop reading what follows it).
  internal::BatchKeyCounts counts;
  absl::flat_hash_set<std::string_view> run_ids;
  for (size_t i = 0; i < n; ++i) {
    const absl::StatusOr<const Fingerprint*> fp = fingerprint(start + i);
    if (!fp.ok()) continue;
    const std::string_view doc_id = id(start + i);
    out[i].counted = ValidateDocumentId(doc_id).ok() && (*fp)->signature.set_size() > 0 &&
                     (!UsesSketches() || !(*fp)->containment.filter.empty()) && !ids.Find(doc_id) &&
                     run_ids.insert(doc_id).second;
    if (!out[i].counted) continue;
    run[i] = *fp;
    if (TranslationsEnabled()) counts.Add(i, (*fp)->anchors);
  }
  internal::ParallelFor(n, static_cast<size_t>(threads), [&](size_t i) {
    if (run[i] == nullptr) return;
    const Fingerprint& fp = *run[i];
    PreparedDocument& doc = out[i];
    if (!BucketsOf(index, fp.signature, &doc.text_buckets)) return;  // Add refuses it
    absl::StatusOr<std::vector<std::pair<uint64_t, Match>>> text = TextMatchesLocked(fp);
    if (text.ok()) doc.text = *std::move(text), doc.text_current = true;
    if (!TranslationsEnabled()) return;
    doc.encoded_profile = internal::EncodeAnchorProfile(fp.anchors);
    const AnchorWeights as_of = counts.AsOf(weights, i);
    doc.side = TranslationSideOf(fp, as_of);
    doc.has_side = true;
    const TranslationSide& side = doc.side;
    const Signature& signature = side.signature;
    if (signature.set_size() == 0) return;  // not filed in the translation index
    if (!BucketsOf(translation_index, signature, &doc.translation_buckets)) return;  // Add refuses it
    if (fp.language.empty()) return;  // filed, never queried
    absl::StatusOr<std::vector<Candidate>> ranked = translation_index.Query(signature, internal::kMinTranslationSimilarity);
    if (!ranked.ok()) return;  // Add meets the error itself
    doc.ranked = *std::move(ranked);
    doc.ranked_current = true;
    // Add leaves out the documents linked by their text; a candidate they would displace is
    // verified by Add.
    const std::vector<uint64_t> candidates = internal::SelectTranslationCandidates(
        doc.ranked, [&](uint64_t c) -> const std::string& { return profiles.language(c); }, fp.language, {});
    std::optional<internal::AnchorQuery> query;
    for (uint64_t c : candidates) {
      if (!query) query.emplace(fp.anchors, side.kept, as_of, options.translation);
      absl::StatusOr<Verdict> v = VerifyTranslation(*query, c);
      if (v.ok()) doc.verdicts.emplace_back(c, *std::move(v));
    }
  });
  return out;
}

}  // namespace neardup

// A new document's matches: its candidates in both indexes and the postings, and the verdicts (deduplicator_impl.h).

#include "dedup/deduplicator_impl.h"

#include <algorithm>
#include <optional>

#include "base/radix_sort.h"
#include "base/status_macros.h"
#include "fingerprint/judge_text.h"
#include "fingerprint/judge_translation.h"
#include "index/translation_candidates.h"
#include "xlang/anchor_query.h"

namespace neardup {

Deduplicator::Impl::TranslationSide Deduplicator::Impl::TranslationSideOf(const Fingerprint& fp,
                                                                          const AnchorWeights& as_of) const {
  TranslationSide side;
  if (!TranslationsEnabled()) {
    side.signature = fp.translation_signature;
    return side;
  }
  side.kept = as_of.WithoutBoilerplateTail(fp.anchors);
  const bool has_tail = side.kept.paragraphs < fp.anchors.paragraph_lengths.size();
  side.signature = has_tail ? fingerprinter.TranslationSignature(fp.anchors, side.kept) : fp.translation_signature;
  return side;
}

absl::StatusOr<Verdict> Deduplicator::Impl::VerifyTranslation(const internal::AnchorQuery& query, uint64_t c) const {
  thread_local AnchorProfile candidate;  // decoded from the profile table
  NEARDUP_RETURN_IF_ERROR(profiles.Get(c, &candidate));
  return JudgeTranslation(
      query.CompareWith(candidate, internal::CompareDetail::kVerdict, internal::MinAnchorScoreToLink()), verdict);
}

absl::StatusOr<std::vector<std::pair<uint64_t, Match>>> Deduplicator::Impl::TextMatchesLocked(
    const Fingerprint& fp) const {
  // Every document sharing a band of the text index is judged: near, contained or neither.
  std::vector<std::pair<uint64_t, Match>> text;  // (sequence number, match)
  const uint64_t size = fp.signature.set_size();
  const int k = fp.signature.size();
  // The index keeps truncated values: compare like with like.
  const Signature kept = TruncateSignature(fp.signature);
  // With sketches, the documents sharing enough sample keys are candidates too, and the
  // filter judges containment at any size ratio.
  std::vector<uint64_t> sharing;
  if (UsesSketches()) {
    // Each holder once a key it shares: sorted, a holder's run is its count of shared keys.
    thread_local std::vector<uint32_t> holders;
    holders.clear();
    postings.AppendHolders(fp.containment.sample, &holders);
    internal::RadixSort(holders);
    for (size_t i = 0, j = 0; i < holders.size(); i = j) {
      while (j < holders.size() && holders[j] == holders[i]) ++j;
      if (internal::SharesEnoughSample(static_cast<uint32_t>(j - i), fp.containment.sample.size(), sample_sizes[holders[i]])) {
        sharing.push_back(holders[i]);
      }
    }
  }
  absl::Status judged;
  NEARDUP_RETURN_IF_ERROR(index.ForEachCandidate(
      fp.signature, sharing,
      [&](int agree, uint64_t stored_size) {
        return internal::TextLinkPlausible(agree, k, size, stored_size, verdict);
      },
      [&](uint64_t seq, std::span<const uint64_t> values, uint64_t stored_size) {
        if (!judged.ok()) return;
        const std::string_view stored_filter = UsesSketches() ? filters.Get(seq) : std::string_view();
        absl::StatusOr<Verdict> v = internal::JudgeTextSides({kept.values(), size, fp.containment.filter},
                                                             {values, stored_size, stored_filter}, algorithm(), verdict,
                                                             internal::TextEvidenceNeeded::kLinkedOnly);
        if (!v.ok()) {
          judged = v.status();
        } else if (v->linked) {
          // The new document is side a: the stored one is the smaller when a is not.
          text.emplace_back(seq, Match{std::string(ids.id(static_cast<uint32_t>(seq))), v->kind, v->score, v->text.jaccard,
                                       v->text.containment, v->kind == MatchKind::kContained && !v->text.a_is_smaller});
        }
      }));
  NEARDUP_RETURN_IF_ERROR(judged);
  // In Add's order (link_graph.h): near first, then contained; each best first.
  std::sort(text.begin(), text.end(), [](const auto& x, const auto& y) {
    return internal::TextMatchPrecedes(x.second.kind, x.second.score, x.first, y.second.kind, y.second.score, y.first);
  });
  return text;
}

absl::StatusOr<std::vector<Match>> Deduplicator::Impl::MatchesLocked(const Fingerprint& fp, const TranslationSide& side,
                                                 std::vector<uint64_t>* seqs, PreparedDocument* prepared) const {
  const Signature& translation_signature = side.signature;
  // A batch prepared on threads (batch_prepare.cc) knows the text matches when no earlier
  // document of the batch was filed where this one's query reads.
  std::vector<std::pair<uint64_t, Match>> text;
  if (prepared != nullptr && prepared->text_current) {
    text = std::move(prepared->text);
  } else {
    NEARDUP_ASSIGN_OR_RETURN(text, TextMatchesLocked(fp));
  }
  std::vector<Match> out;
  std::vector<uint64_t> near;  // linked by their text: not translations
  for (auto& [seq, match] : text) {
    near.push_back(seq);
    if (seqs != nullptr) seqs->push_back(seq);
    out.push_back(std::move(match));
  }
  if (!TranslationsEnabled() || translation_signature.set_size() == 0 || fp.language.empty()) return out;
  // Cross-language candidates share a band of the translation index; the most similar are
  // verified (translation_candidates.h), and the verdict decides (verdict.h).
  // A prepared batch knows the query's answer when no earlier document of the batch changed
  // its buckets, and most verdicts.
  std::vector<Candidate> queried;
  if (prepared == nullptr || !prepared->ranked_current) {
    NEARDUP_ASSIGN_OR_RETURN(queried, translation_index.Query(translation_signature, internal::kMinTranslationSimilarity));
  }
  const std::vector<Candidate>& ranked = prepared == nullptr || !prepared->ranked_current ? queried : prepared->ranked;
  const std::vector<uint64_t> candidates = internal::SelectTranslationCandidates(
      ranked, [&](uint64_t id) -> const std::string& { return profiles.language(id); }, fp.language, near);
  // The linked candidates; then, per language, the best one and its copies (link_graph.h).
  std::vector<internal::TranslationCandidate> verified;
  std::optional<internal::AnchorQuery> query;  // the new document's side, prepared once
  for (uint64_t c : candidates) {
    const Verdict* known = prepared == nullptr ? nullptr : prepared->VerdictOn(c);
    if (known != nullptr) {
      if (known->linked) verified.push_back({c, known->score});
      continue;
    }
    if (!query) query.emplace(fp.anchors, side.kept, weights, options.translation);
    NEARDUP_ASSIGN_OR_RETURN(const Verdict v, VerifyTranslation(*query, c));
    if (v.linked) verified.push_back({c, v.score});
  }
  for (const internal::TranslationCandidate& c : links.ChooseTranslations(fp.language, near, std::move(verified), Languages())) {
    out.push_back(Match{std::string(ids.id(static_cast<uint32_t>(c.seq))), MatchKind::kTranslation, c.score, 0, 0, false});
    if (seqs != nullptr) seqs->push_back(c.seq);
  }
  return out;
}

}  // namespace neardup

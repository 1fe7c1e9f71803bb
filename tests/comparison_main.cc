// Differential check of the comparison's shortcuts on real candidate pairs:
//   neardup_comparison < docs.jsonl
// Fingerprints every document ("text", and "lang" where given), and pairs each with the earlier
// documents its translation signature finds most alike (as many as a Deduplicator query
// verifies). For every pair:
//   * the sparse heaviest chain equals the dense one, pair for pair (anchor_chain.h), on the
//     anchors the two profiles share, weighted by the corpus' document frequencies;
//   * the verdict from a comparison made for the verdict only (CompareDetail::kVerdict, which
//     skips the chain when the anchors do not decide) equals the full comparison's: linked,
//     and the score bit for bit; it is asked as the Deduplicator asks, with the anchor score
//     the verdict needs, and where it stops short its anchor-score bound is not below the
//     full comparison's anchor score.
// Reports each difference (exit 1), or how many pairs were compared (exit 0; exit 1 when the
// input gave none). tests/corpus_test.sh runs it over the shared corpora.
#include <cstring>
#include <iostream>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "corpus_reader.h"
#include "fingerprint/judge_translation.h"
#include "xlang/anchor_chain.h"
#include "xlang/anchor_query.h"
#include "index/index_options.h"
#include "index/translation_candidates.h"
#include "neardup/dedup.h"
#include "neardup/fingerprint.h"
#include "neardup/lsh.h"
#include "neardup/verdict.h"

namespace {

using neardup::AnchorProfile;

// The chain problem of a against b, built here independently of AnchorQuery: b's keys get ids
// in order of first occurrence; rows are a's anchors with a key of b, columns b's with a key
// of a.
struct Problem {
  std::vector<uint32_t> rows, columns;
  std::vector<double> weights;
  uint32_t num_ids = 0;
};

Problem MakeProblem(const AnchorProfile& a, const AnchorProfile& b, const neardup::AnchorWeights& weights) {
  Problem p;
  absl::flat_hash_map<uint64_t, uint32_t> id;
  for (uint64_t key : b.keys) id.try_emplace(key, static_cast<uint32_t>(id.size()));
  p.num_ids = static_cast<uint32_t>(id.size());
  std::vector<uint8_t> in_a(p.num_ids, 0);
  for (size_t i = 0; i < a.keys.size(); ++i) {
    const auto it = id.find(a.keys[i]);
    if (it == id.end()) continue;
    in_a[it->second] = 1;
    p.rows.push_back(it->second);
    p.weights.push_back(weights.Weight(a.keys[i], a.kinds[i], a.values[i]));
  }
  for (uint64_t key : b.keys) {
    if (in_a[id[key]]) p.columns.push_back(id[key]);
  }
  return p;
}

}  // namespace

int main() {
  auto fingerprinter = neardup::Fingerprinter::Create();
  auto index = neardup::LshIndex::Create(neardup::internal::TranslationIndexOptions(neardup::DedupOptions{}));
  if (!fingerprinter.ok() || !index.ok()) return 2;
  std::vector<neardup::Fingerprint> docs;
  const size_t unread = neardup::testing::ForEachCorpusDocument(std::cin, [&](const neardup::testing::CorpusDocument& d) {
    auto fp = fingerprinter->Compute(d.text, d.lang);
    if (fp.ok()) docs.push_back(*std::move(fp));
  });
  neardup::AnchorWeights weights;
  for (const auto& d : docs) weights.AddDocument(d.anchors);
  const neardup::VerdictOptions verdict;
  size_t pairs = 0, sparse_differs = 0, verdict_differs = 0, decided_by_anchors = 0, linked = 0, bounded = 0;
  std::vector<std::pair<uint32_t, uint32_t>> dense, sparse;
  for (size_t i = 0; i < docs.size(); ++i) {
    auto candidates = index->Query(docs[i].translation_signature, neardup::internal::kMinTranslationSimilarity);
    if (!candidates.ok()) return 2;
    // The most similar, as many as a Deduplicator query verifies.
    if (candidates->size() > neardup::internal::kMaxTranslationCandidates) {
      candidates->resize(neardup::internal::kMaxTranslationCandidates);
    }
    const neardup::internal::AnchorQuery query(docs[i].anchors, weights, verdict.translation);
    for (const neardup::Candidate& c : *candidates) {
      const AnchorProfile& other = docs[c.id].anchors;
      const Problem p = MakeProblem(other, docs[i].anchors, weights);
      const neardup::internal::ChainProblem view{p.rows, p.weights, p.columns, p.num_ids};
      neardup::internal::HeaviestChainDense(view, &dense);
      neardup::internal::HeaviestChainSparse(view, &sparse);
      if (dense != sparse) {
        ++sparse_differs;
        std::cerr << "documents " << c.id << " and " << i << ": the sparse chain (" << sparse.size()
                  << " pairs) is not the dense one (" << dense.size() << ")\n";
      }
      const neardup::Verdict full = neardup::JudgeTranslation(query.CompareWith(other), verdict);
      // As the Deduplicator asks: stopping where the anchors cannot reach the score the verdict needs.
      const neardup::TranslationEvidence brief_evidence = query.CompareWith(
          other, neardup::internal::CompareDetail::kVerdict, neardup::internal::MinAnchorScoreToLink());
      const neardup::Verdict brief = neardup::JudgeTranslation(brief_evidence, verdict);
      // Cut short: the chain was skipped (its pairs stay empty though anchors are shared), and
      // the anchor score given must bound the full one from above.
      if (brief_evidence.anchors_decide && brief_evidence.shares_anchor && brief_evidence.chain.empty()) {
        ++bounded;
        if (brief_evidence.anchor_score < full.translation.anchor_score) {
          ++verdict_differs;
          std::cerr << "documents " << c.id << " and " << i << ": anchor score bound " << brief_evidence.anchor_score
                    << " below the anchor score " << full.translation.anchor_score << "\n";
        }
      }
      if (full.linked != brief.linked || std::memcmp(&full.score, &brief.score, sizeof full.score) != 0) {
        ++verdict_differs;
        std::cerr << "documents " << c.id << " and " << i << ": the verdict-only comparison says " << brief.linked << " "
                  << brief.score << ", the full one " << full.linked << " " << full.score << "\n";
      }
      decided_by_anchors += full.translation.anchors_decide;
      linked += full.linked;
      ++pairs;
    }
    if (!index->Add(i, docs[i].translation_signature).ok()) return 2;
  }
  std::cout << docs.size() << " documents, " << pairs << " candidate pairs (" << decided_by_anchors
            << " decided by their anchors, " << linked << " linked, " << bounded
            << " cut short by the anchor score bound): " << sparse_differs << " chains and "
            << verdict_differs << " verdicts differ; " << unread << " lines unread\n";
  if (pairs == 0 || linked == 0 || bounded == 0) {
    std::cerr << "no linked pair, or no pair cut short, among the candidates: the comparison was not exercised\n";
    return 1;
  }
  return unread == 0 && sparse_differs == 0 && verdict_differs == 0 ? 0 : 1;
}

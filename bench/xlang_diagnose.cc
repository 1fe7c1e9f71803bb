// Developer tool: the translation evidence of listed pairs, to tune the detector.
//   xlang_diagnose DOCS.jsonl PAIRS.tsv > scores.tsv
// For each pair (first two columns of PAIRS.tsv, header skipped): ids, languages, anchor counts,
// decided, score, coverages, length ratio, whether the anchor LSH makes them candidates, and
// their estimated anchor-signature Jaccard. Weights come from all documents of DOCS.jsonl.
#include <simdjson.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <unordered_map>

#include "neardup/neardup.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: xlang_diagnose DOCS.jsonl PAIRS.tsv\n";
    return 2;
  }
  auto fingerprinter = neardup::Fingerprinter::Create();
  neardup::DedupOptions defaults;
  auto lsh = neardup::LshIndex::Create(defaults.translation_lsh);
  std::unordered_map<std::string, size_t> index_of;
  std::vector<neardup::Fingerprint> fps;
  neardup::AnchorWeights weights;
  std::ifstream docs(argv[1]);
  simdjson::dom::parser parser;
  for (std::string line; std::getline(docs, line);) {
    simdjson::dom::element e;
    if (parser.parse(line).get(e)) continue;
    std::string_view id, text, lang;
    if (e["id"].get(id) || e["text"].get(text) || e["lang"].get(lang)) continue;
    auto fp = fingerprinter->Compute(text, lang);
    if (!fp.ok()) continue;
    index_of[std::string(id)] = fps.size();
    weights.AddDocument(fp->anchors);
    if (fp->translation_signature.set_size() > 0) (void)lsh->Add(fps.size(), fp->translation_signature);
    fps.push_back(*std::move(fp));
  }
  std::ifstream pairs(argv[2]);
  std::string line;
  std::getline(pairs, line);
  std::cout << "id_a\tid_b\tlang_a\tlang_b\tanchors_a\tanchors_b\tdecided\tscore\tanchors_decide\tanchor_score\tlayout\tcov_a\tcov_b\tlength_ratio\tcandidate\tanchor_jaccard\tparagraphs_a\tparagraphs_b\tlayout_chance\tshares_anchor\tlinked\n";
  while (std::getline(pairs, line)) {
    std::istringstream fields(line);
    std::string a, b;
    std::getline(fields, a, '\t');
    std::getline(fields, b, '\t');
    if (!index_of.count(a) || !index_of.count(b)) continue;
    const auto& fa = fps[index_of[a]];
    const auto& fb = fps[index_of[b]];
    const auto e = neardup::CompareAnchors(fa.anchors, fb.anchors, weights, defaults.translation);
    neardup::VerdictOptions verdict_options;
    verdict_options.translation = defaults.translation;
    const neardup::Verdict verdict = neardup::JudgeTranslation(e, verdict_options);
    const bool linked = verdict.linked;
    bool candidate = false;
    (void)lsh->ForEachCandidate(
        fa.translation_signature, {}, [](int, uint64_t) { return true; },
        [&](uint64_t id, std::span<const uint64_t>, uint64_t) { candidate |= id == index_of[b]; });
    std::cout << a << '\t' << b << '\t' << fa.language << '\t' << fb.language << '\t' << fa.anchors.keys.size() << '\t'
              << fb.anchors.keys.size() << '\t' << e.decided << '\t' << e.score << '\t' << e.anchors_decide << '\t' << e.anchor_score << '\t' << e.layout << '\t' << e.coverage_a << '\t'
              << e.coverage_b << '\t' << e.length_ratio << '\t' << candidate << '\t'
              << *neardup::EstimateJaccard(fa.translation_signature, fb.translation_signature) << '\t' << e.paragraphs_a
              << '\t' << e.paragraphs_b << '\t' << e.layout_chance << '\t' << e.shares_anchor << '\t' << linked << '\n';
  }
  return 0;
}

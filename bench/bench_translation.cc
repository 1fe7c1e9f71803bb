// The cost of cross-language matching against the text signature, on the same bytes:
//   BM_TextSignature     normalize, tokenize, shingle, MinHash (what near-duplicate search needs)
//   BM_TranslationPath   language identification, anchors, layout, translation signature, and
//                        the index work (query + add) in a collection of the same documents
// The bar: the second costs at most 2x the first. Input: the seed articles, or the JSON
// Lines corpus named by NEARDUP_BENCH_CORPUS (first 2,000 documents), e.g.
//   NEARDUP_BENCH_CORPUS=/tmp/docs.jsonl build/bench/neardup_bench --benchmark_filter=Signature\|Path
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>

#include "bench_input.h"
#include "neardup/neardup.h"

namespace {

std::vector<std::string> Documents() {
  static const std::vector<std::string> docs = [] {
    std::vector<std::string> out;
    if (const char* path = std::getenv("NEARDUP_BENCH_CORPUS")) {
      std::ifstream in(path);
      for (std::string line; out.size() < 2000 && std::getline(in, line);) {
        // {"id": "...", "text": "..."}: take the text field with a tiny JSON string decoder.
        const size_t key = line.find("\"text\":");
        if (key == std::string::npos) continue;
        size_t i = line.find('"', key + 7) + 1;
        std::string text;
        for (; i < line.size() && line[i] != '"'; ++i) {
          if (line[i] != '\\') {
            text.push_back(line[i]);
            continue;
          }
          const char c = line[++i];
          if (c == 'n') text.push_back('\n');
          else if (c == 't') text.push_back('\t');
          else if (c == 'u') i += 4, text.push_back(' ');  // rare in the corpus; a space keeps the shape
          else text.push_back(c);
        }
        out.push_back(text);
      }
    }
    if (out.empty()) out = neardup::testing::SeedArticles();
    return out;
  }();
  return docs;
}

size_t TotalBytes(const std::vector<std::string>& docs) {
  size_t n = 0;
  for (const auto& d : docs) n += d.size();
  return n;
}

// Both benchmarks first run once untimed: ICU loads rule data, number formats, vocabularies
// and transliterators on first use, and caches fill; the figures are the steady state a long
// run sees.
void BM_TextSignature(benchmark::State& state) {
  const auto docs = Documents();
  // Without anchors, Compute is the text stage alone (Fingerprinter::Compute).
  neardup::FingerprintOptions text_only;
  text_only.anchors = false;
  const auto fp = neardup::Fingerprinter::Create(text_only);
  for (const auto& d : docs) (void)fp->Compute(d);  // warm-up
  for (auto _ : state) {
    for (const auto& d : docs) benchmark::DoNotOptimize(fp->Compute(d));
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes(docs));
}
BENCHMARK(BM_TextSignature)->Unit(benchmark::kMillisecond);

// Everything translation detection adds per document: language identification, anchors and
// layout, the translation signature, then a query of the translation index with verification
// of the best candidates, and the insertion, in a collection made of the same documents.
void TranslationPath(benchmark::State& state, bool languages_known) {
  const auto docs = Documents();
  // With languages known (JSON Lines with "lang"), language identification is not run.
  std::vector<std::string> languages(docs.size());
  if (languages_known) {
    for (size_t i = 0; i < docs.size(); ++i) languages[i] = neardup::DetectLanguage(docs[i]);
  }
  const auto fp = neardup::Fingerprinter::Create();
  neardup::DedupOptions defaults;
  // The cross-language half of Fingerprinter::Compute, through the public API: the language
  // (unless known), the anchor profile and its translation signature.
  const auto cross_language = [&](const std::string& text, const std::string& known, neardup::Fingerprint* f) {
    f->language = known.empty() ? neardup::DetectLanguage(text) : known;
    absl::StatusOr<neardup::AnchorProfile> profile = neardup::MakeAnchorProfile(text, f->language);
    if (!profile.ok()) return false;
    f->anchors = *std::move(profile);
    f->translation_signature = fp->TranslationSignature(f->anchors);
    return true;
  };
  for (const auto& d : docs) {  // warm-up
    neardup::Fingerprint f;
    (void)cross_language(d, "", &f);
  }
  for (auto _ : state) {
    auto index = neardup::LshIndex::Create(defaults.translation_lsh);
    neardup::AnchorWeights weights;
    std::vector<neardup::AnchorProfile> profiles;
    for (size_t i = 0; i < docs.size(); ++i) {
      neardup::Fingerprint f;
      if (!cross_language(docs[i], languages[i], &f)) continue;
      weights.AddDocument(f.anchors);
      auto hits = index->Query(f.translation_signature, 0.05);  // as Deduplicator does
      size_t verified = 0;
      for (const auto& c : *hits) {
        if (verified++ == 8) break;
        benchmark::DoNotOptimize(neardup::CompareAnchors(profiles[c.id], f.anchors, weights));
      }
      if (f.translation_signature.set_size() > 0) (void)index->Add(profiles.size(), f.translation_signature);
      profiles.push_back(std::move(f.anchors));
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes(docs));
}
void BM_TranslationPath(benchmark::State& state) { TranslationPath(state, false); }
void BM_TranslationPathKnownLanguage(benchmark::State& state) { TranslationPath(state, true); }
BENCHMARK(BM_TranslationPath)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TranslationPathKnownLanguage)->Unit(benchmark::kMillisecond);

}  // namespace

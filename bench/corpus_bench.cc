// End-to-end speed on a JSON Lines corpus, beside the floor loop measured in the same run so
// the ratios hold on a noisy machine:
//
//   build/bench/neardup_corpus_bench /tmp/docs.jsonl [MAX_DOCS] [STAGES]
//
// STAGES is a comma-separated subset of the stages below (default: all), handy under a profiler.
//
//   floor         read, lowercase, split on non-word bytes and XXH3-hash every word 5-shingle
//                 (a plain loop with no Unicode handling: what the hardware allows)
//   signatures    neardup text signatures: full normalization, word 5-shingles, k = 128,
//                 and the containment sketch (shingle filter and sample)
//   signatures_plain  the same without the containment sketch
//   language      language identification (CLD2 on a sample), for documents without "lang"
//   anchors       anchor extraction (numbers, names, acronyms...), in the document's language
//   profiles      anchors plus paragraph layout and tail hashes (MakeAnchorProfile)
//   tsignatures   translation signatures of the profiles
//   fingerprints  signatures plus language, anchors and translation signature: all the above
//   near          Deduplicator::Add with translations off (`neardup dedup --no-translations`)
//   near_plain    the same with containment off (`--containment-threshold 0`): no containment
//                 sketch, 16 bands of 8 rows instead of 64 of 2, no sample postings; what
//                 finding copies inside larger documents costs near mode is the difference
//   dedup         Deduplicator::Add, the default: fingerprints plus index queries,
//                 verification and insertion (one thread)
//   index         index queries, verification and insertion alone, on fingerprints computed
//                 beforehand (the part of `neardup dedup` that runs in one thread)
//   index2        the same added 64 at a time with AddBatch on 2 threads (the translation
//                 verdicts of each batch computed on both; `neardup dedup --threads 2`)
//
// Each row: MB/s over the corpus' text bytes, milliseconds per MB, and the ratio to the floor.
// The stages from language to tsignatures are the parts of fingerprints beyond signatures:
// their ms/MB add up to about the difference. Single-threaded; the CLI's `neardup dedup
// --threads N --stats` reports the multi-threaded end-to-end figure.
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "hash_functions.h"
#include "neardup/neardup.h"

namespace {

uint64_t FloorLoop(const std::vector<std::string>& docs) {
  uint64_t sink = 0;
  std::string lower;
  std::vector<std::pair<uint32_t, uint32_t>> words;
  for (const std::string& d : docs) {
    lower.resize(d.size());
    for (size_t i = 0; i < d.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(d[i]);
      lower[i] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    words.clear();
    size_t i = 0;
    const auto word_byte = [](unsigned char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
    };
    while (i < lower.size()) {
      while (i < lower.size() && !word_byte(static_cast<unsigned char>(lower[i]))) ++i;
      const size_t start = i;
      while (i < lower.size() && word_byte(static_cast<unsigned char>(lower[i]))) ++i;
      if (i > start) words.emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(i));
    }
    for (size_t w = 0; w + 5 <= words.size(); ++w) {
      sink ^= neardup::bench::Xxh3(lower.data() + words[w].first, words[w + 4].second - words[w].first, 1);
    }
  }
  return sink;
}

template <typename F>
double Seconds(F f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: neardup_corpus_bench CORPUS.jsonl [MAX_DOCS] [STAGES]\n");
    return 2;
  }
  const size_t max_docs = argc > 2 ? std::stoul(argv[2]) : SIZE_MAX;
  const std::string stages = argc > 3 ? std::string(",") + argv[3] + ","
                                      : ",signatures,signatures_plain,language,anchors,profiles,tsignatures,fingerprints,near,near_plain,dedup,index,index2,";
  const auto wanted = [&](const char* stage) { return stages.find(std::string(",") + stage + ",") != std::string::npos; };
  std::vector<std::string> docs, langs;
  size_t bytes = 0;
  {
    std::ifstream in(argv[1]);
    simdjson::dom::parser parser;
    for (std::string line; docs.size() < max_docs && std::getline(in, line);) {
      simdjson::dom::element e;
      std::string_view text, lang;
      if (parser.parse(line).get(e) || e["text"].get(text)) continue;
      if (e["lang"].get(lang)) lang = "";
      docs.emplace_back(text);
      langs.emplace_back(lang);
      bytes += text.size();
    }
  }
  if (bytes == 0) {  // no rates to report: say so rather than print infinities
    std::fprintf(stderr, "neardup_corpus_bench: no document with text read from %s\n", argv[1]);
    return 1;
  }
  std::printf("corpus: %zu documents, %.1f MB\n\n", docs.size(), bytes / 1e6);
  std::printf("%-17s %10s %10s %10s\n", "stage", "MB/s", "ms/MB", "x floor");  // the floor always runs: ratios need it
  uint64_t sink = 0;
  const double floor = Seconds([&] { sink ^= FloorLoop(docs); });
  const auto row = [&](const char* name, double seconds) {
    std::printf("%-17s %10.1f %10.2f %10.3f\n", name, bytes / 1e6 / seconds, seconds * 1e3 / (bytes / 1e6),
                floor / seconds);
  };
  row("floor", floor);
  neardup::FingerprintOptions text_only;
  text_only.anchors = false;
  const auto signatures = neardup::Fingerprinter::Create(text_only);
  const auto sign_every_document = [&](const neardup::Fingerprinter& fingerprinter) {
    return Seconds([&] {
      for (const std::string& d : docs) sink ^= fingerprinter.Compute(d)->signature.values()[0];
    });
  };
  if (wanted("signatures")) row("signatures", sign_every_document(*signatures));
  neardup::FingerprintOptions plain_text_only = text_only;
  plain_text_only.containment = false;
  const auto plain_signatures = neardup::Fingerprinter::Create(plain_text_only);
  if (wanted("signatures_plain")) row("signatures_plain", sign_every_document(*plain_signatures));
  // Each document's language: given, or detected (timed as its own stage).
  const bool parts = wanted("language") || wanted("anchors") || wanted("profiles") || wanted("tsignatures");
  std::vector<std::string> languages(docs.size());
  const double detect = Seconds([&] {
    for (size_t i = 0; parts && i < docs.size(); ++i) {
      languages[i] = langs[i].empty() ? neardup::DetectLanguage(docs[i]) : langs[i];
    }
  });
  if (wanted("language")) row("language", detect);
  if (wanted("anchors")) row("anchors", Seconds([&] {
        for (size_t i = 0; i < docs.size(); ++i) {
          auto anchors = neardup::ExtractAnchors(docs[i], {.language = languages[i]});
          if (anchors.ok()) sink ^= anchors->size();
        }
      }));
  std::vector<neardup::AnchorProfile> profiles(docs.size());
  const double profile = Seconds([&] {
    for (size_t i = 0; (wanted("profiles") || wanted("tsignatures")) && i < docs.size(); ++i) {
      auto p = neardup::MakeAnchorProfile(docs[i], languages[i]);
      if (p.ok()) profiles[i] = *std::move(p);
    }
  });
  if (wanted("profiles")) row("profiles", profile);
  const auto full = neardup::Fingerprinter::Create();
  if (wanted("tsignatures")) row("tsignatures", Seconds([&] {
        for (const neardup::AnchorProfile& p : profiles) sink ^= full->TranslationSignature(p).set_size();
      }));
  profiles.clear();
  if (wanted("fingerprints")) row("fingerprints", Seconds([&] {
        for (size_t i = 0; i < docs.size(); ++i) {
          auto fp = full->Compute(docs[i], langs[i]);
          if (fp.ok()) sink ^= fp->signature.values()[0];
        }
      }));
  neardup::DedupOptions near_options;
  near_options.fingerprint.anchors = false;
  const auto add_every_document = [&](neardup::Deduplicator& deduplicator) {
    return Seconds([&] {
      for (size_t i = 0; i < docs.size(); ++i) {
        auto matches = deduplicator.Add(std::to_string(i), docs[i], langs[i]);
        if (matches.ok()) sink ^= matches->size();
      }
    });
  };
  auto near = neardup::Deduplicator::Create(near_options);
  if (wanted("near")) row("near", add_every_document(*near));
  neardup::DedupOptions plain_options = near_options;
  plain_options.containment_threshold = 0;
  auto plain = neardup::Deduplicator::Create(plain_options);
  if (wanted("near_plain")) row("near_plain", add_every_document(*plain));
  auto dedup = neardup::Deduplicator::Create();
  if (wanted("dedup")) row("dedup", add_every_document(*dedup));
  if (wanted("index") || wanted("index2")) {
    std::vector<neardup::Fingerprint> fingerprints;
    std::vector<std::string> ids;
    for (size_t i = 0; i < docs.size(); ++i) {
      auto fp = full->Compute(docs[i], langs[i]);
      if (fp.ok()) fingerprints.push_back(*std::move(fp)), ids.push_back(std::to_string(i));
    }
    if (wanted("index")) {
      auto index = neardup::Deduplicator::Create();
      row("index", Seconds([&] {
            for (size_t i = 0; i < fingerprints.size(); ++i) {
              auto matches = index->Add(ids[i], fingerprints[i]);
              if (matches.ok()) sink ^= matches->size();
            }
          }));
    }
    if (wanted("index2")) {
      constexpr size_t kBatch = 64;  // as `neardup dedup` adds on several threads
      auto index = neardup::Deduplicator::Create();
      row("index2", Seconds([&] {
            for (size_t i = 0; i < fingerprints.size(); i += kBatch) {
              const size_t n = std::min(kBatch, fingerprints.size() - i);
              for (const auto& matches : index->AddBatch(std::span(ids).subspan(i, n),
                                                         std::span(fingerprints).subspan(i, n), /*threads=*/2)) {
                if (matches.ok()) sink ^= matches->size();
              }
            }
          }));
    }
  }
  std::printf("\n(checksum %llx)\n", static_cast<unsigned long long>(sink));
  return 0;
}

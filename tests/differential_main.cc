// Differential check of the fast word breaker against ICU's on real documents:
//   neardup_differential < docs.jsonl
// Normalizes each document's "text" as the pipeline does, tokenizes it both ways, and reports
// every document where they differ (exit 1), or how many documents took the fast path (exit 0).
// tests/corpus_test.sh runs it over the shared corpora.
#include <simdjson.h>

#include <iostream>
#include <string>

#include "internal/word_break.h"
#include "neardup/normalize.h"

int main() {
  simdjson::dom::parser parser;
  size_t documents = 0, fast = 0, mismatches = 0;
  std::vector<neardup::Token> a, b;
  for (std::string line; std::getline(std::cin, line);) {
    simdjson::dom::element e;
    std::string_view text, id;
    if (parser.parse(line).get(e) || e["text"].get(text) || e["id"].get(id)) continue;
    ++documents;
    const auto normalized = neardup::Normalize(text, {.invalid_utf8 = neardup::InvalidUtf8::kReplace});
    if (!normalized.ok()) continue;
    neardup::internal::TokenizeWithIcu(*normalized, &a);
    if (!neardup::internal::TokenizeFast(*normalized, &b)) continue;
    ++fast;
    if (a != b) {
      ++mismatches;
      size_t i = 0;
      while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
      std::cerr << id << ": first difference at token " << i << ": ICU '"
                << (i < a.size() ? a[i].text(*normalized) : "<end>") << "' fast '"
                << (i < b.size() ? b[i].text(*normalized) : "<end>") << "'\n";
    }
  }
  std::cout << documents << " documents, " << fast << " on the fast path, " << mismatches << " differ\n";
  return mismatches == 0 ? 0 : 1;
}

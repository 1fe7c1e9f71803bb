// Differential check of the fast paths against ICU on real documents:
//   neardup_differential < docs.jsonl
// Normalizes each document's "text" both ways (fast path and ICU alone), tokenizes the result
// both ways (fast word breaker with ICU for the lines that need it, and ICU alone), and reports
// every document where they differ (exit 1), or how many documents were compared (exit 0).
// tests/corpus_test.sh runs it over the shared corpora.
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "corpus_reader.h"
#include "text/normalize_icu.h"
#include "text/word_break.h"
#include "neardup/normalize.h"

namespace {

// The index of the first token where a and b differ, shown with its text.
void ReportDifference(std::string_view id, const std::string& text, const std::vector<neardup::Token>& a,
                      const std::vector<neardup::Token>& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  std::cerr << id << ": first difference at token " << i << ": ICU '" << (i < a.size() ? a[i].text(text) : "<end>")
            << "' fast '" << (i < b.size() ? b[i].text(text) : "<end>") << "'\n";
}

}  // namespace

int main() {
  size_t documents = 0, all_fast = 0, mismatches = 0, refused = 0;
  std::vector<neardup::Token> icu, fast;
  const neardup::NormalizeOptions options = {.invalid_utf8 = neardup::InvalidUtf8::kReplace};
  // Lines the corpus should not have are counted, and fail the run below.
  const size_t unread = neardup::testing::ForEachCorpusDocument(std::cin, [&](const neardup::testing::CorpusDocument& d) {
    const std::string_view text = d.text;
    const std::string id_text = d.id.empty() ? absl::StrCat("#", documents + 1) : std::string(d.id);
    const std::string_view id = id_text;
    ++documents;
    const auto normalized = neardup::Normalize(text, options);
    const auto reference = neardup::internal::NormalizeWithIcu(text, options);
    if (normalized.ok() != reference.ok()) {
      ++mismatches;
      std::cerr << id << ": one normalization refuses the text, the other does not\n";
      return;
    }
    if (!normalized.ok()) {
      ++refused;  // both refuse it (e.g. over the size limit): they agree
      return;
    }
    if (*normalized != *reference) {
      ++mismatches;
      size_t at = 0;
      while (at < normalized->size() && at < reference->size() && (*normalized)[at] == (*reference)[at]) ++at;
      std::cerr << id << ": normalization differs from byte " << at << "\n";
      return;
    }
    neardup::internal::TokenizeWithIcu(*normalized, &icu);
    neardup::Tokenize(*normalized, &fast);
    if (fast != icu) ++mismatches, ReportDifference(id, *normalized, icu, fast);
    if (neardup::internal::TokenizeFast(*normalized, &fast)) {
      ++all_fast;
      if (fast != icu) ++mismatches, ReportDifference(id, *normalized, icu, fast);
    }
  });
  std::cout << documents << " documents, " << all_fast << " with no line needing ICU, " << refused
            << " refused by both, " << mismatches << " differ, " << unread << " lines unread\n";
  if (documents == 0) {
    std::cerr << "no document read: nothing was compared\n";
    return 1;
  }
  return mismatches == 0 && unread == 0 ? 0 : 1;
}

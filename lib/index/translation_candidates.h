// File: index/translation_candidates.h
//
// Step 2 of the cross-language path (language → anchors → candidates → verification →
// alignment): which indexed documents a new one is verified against. Candidates come from the
// translation index (DedupOptions::translation_lsh, over anchor and layout shingles), most
// similar first; this file decides how many of them are verified.

#ifndef NEARDUP_INDEX_TRANSLATION_CANDIDATES_H_
#define NEARDUP_INDEX_TRANSLATION_CANDIDATES_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "neardup/lsh.h"

namespace neardup::internal {

// Estimated similarity of translation signatures below which a band-sharing document is not a
// candidate: 99% of the true xlang-dev pairs that share a band are above it.
inline constexpr double kMinTranslationSimilarity = 0.05;

// At most this many candidates are verified in each other language, and in all: a template
// shared by thousands of pages must not make each query quadratic. A single cap of 8 over all
// languages missed 26 true pairs of the xlang-dev ∪ wire-dev run, 19 of them ranked within
// the first 5 of their own language, behind the document's translations in other languages.
inline constexpr size_t kMaxCandidatesPerLanguage = 4;
inline constexpr size_t kMaxTranslationCandidates = 16;

// The documents to verify among `ranked` (translation-index hits, most similar first): in a
// known language other than `language`, not in `exclude` (documents linked by their text),
// within the caps above. `language_of(id)` is a document's language, "" if unknown.
std::vector<uint64_t> SelectTranslationCandidates(std::span<const Candidate> ranked,
                                                  absl::FunctionRef<const std::string&(uint64_t)> language_of,
                                                  std::string_view language, std::span<const uint64_t> exclude);

}  // namespace neardup::internal

#endif  // NEARDUP_INDEX_TRANSLATION_CANDIDATES_H_

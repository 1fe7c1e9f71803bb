// File: xlang/translation_shingles.h
//
// The set a document's translation signature is made of (Fingerprinter::TranslationSignature):
// what a translation keeps of its source, whatever the language.

#ifndef NEARDUP_XLANG_TRANSLATION_SHINGLES_H_
#define NEARDUP_XLANG_TRANSLATION_SHINGLES_H_

#include <cstdint>
#include <vector>

#include "neardup/translation.h"

namespace neardup::internal {

// What a translation shares with its source, as a set for MinHash:
//   * every anchor other than names, and every pair of consecutive ones (so the order
//     counts). Names are left out: they are often translated (German capitalizes every noun,
//     English title-cases labels) and would make translations look less alike than they are;
//   * the layout: each paragraph's index with its share of the text's length on a log scale
//     (two offset grids, so a share near a bucket edge still matches), and the paragraph
//     count. Anchor-poor pages (user-interface help, say) are found through these.
std::vector<uint64_t> TranslationShingles(const AnchorProfile& profile, AnchorWeights::Kept kept);

}  // namespace neardup::internal

#endif  // NEARDUP_XLANG_TRANSLATION_SHINGLES_H_

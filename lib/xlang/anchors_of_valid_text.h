// File: xlang/anchors_of_valid_text.h
//
// ExtractAnchors and MakeAnchorProfile for text already known to be valid UTF-8. The public
// functions check the bytes first; the Fingerprinter has checked (or repaired) them already,
// and a second pass over every document was 4.5% of anchor extraction's time (perf, the perf
// corpus).

#ifndef NEARDUP_XLANG_ANCHORS_OF_VALID_TEXT_H_
#define NEARDUP_XLANG_ANCHORS_OF_VALID_TEXT_H_

#include <string_view>
#include <vector>

#include "neardup/anchor.h"
#include "neardup/translation.h"

namespace neardup::internal {

// `text` must be valid UTF-8 (FindInvalidUtf8(text) == text.size()).
std::vector<Anchor> ExtractAnchorsOfValidUtf8(std::string_view text, std::string_view language);
AnchorProfile AnchorProfileOfValidUtf8(std::string_view text, std::string_view language);

}  // namespace neardup::internal

#endif  // NEARDUP_XLANG_ANCHORS_OF_VALID_TEXT_H_

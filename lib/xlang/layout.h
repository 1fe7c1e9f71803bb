// File: xlang/layout.h
//
// The layout evidence of a translation: how well two documents' paragraph lengths agree, index
// by index, once the overall length ratio of the two texts is factored out.

#ifndef NEARDUP_XLANG_LAYOUT_H_
#define NEARDUP_XLANG_LAYOUT_H_

#include <cstdint>
#include <span>

namespace neardup::internal {

// The share of paragraphs whose lengths agree, index by index, once the overall ratio of the
// two texts is factored out. 0 when either side has fewer than kMinLayoutParagraphs.
struct Layout {
  double agreement = 0;  // share of paragraphs whose lengths agree
  double chance = 0;     // the same with one side shifted by a paragraph (the better shift)
  double deviation = 0;  // mean |log| of the compared paragraphs' length ratios, overall ratio factored out
};

// The layout agreement of paragraph lengths `a` and `b` (translation.h's kMinLayoutParagraphs
// at least on each side, else all zero).
Layout CompareLayout(std::span<const uint32_t> a, std::span<const uint32_t> b);

}  // namespace neardup::internal

#endif  // NEARDUP_XLANG_LAYOUT_H_

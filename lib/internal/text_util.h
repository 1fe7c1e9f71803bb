// File: internal/text_util.h
//
// Small text helpers shared by the implementation files.

#ifndef NEARDUP_INTERNAL_TEXT_UTIL_H_
#define NEARDUP_INTERNAL_TEXT_UTIL_H_

#include <cstddef>
#include <string_view>

namespace neardup::internal {

// Code points of valid UTF-8 (bytes that are not continuation bytes).
inline size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The columns valid UTF-8 takes: a code point each, two for a wide one (East Asian Width W or
// F in UAX #11, as ICU has it: Han, kana, Hangul, full-width forms, most emoji). Lengths of a
// text and of its translation are compared in columns: a Chinese sentence has about half the
// code points of its English original and about the same width on the page, while code,
// paths and numbers inside it are as long as in the original.
size_t CountColumns(std::string_view s);

}  // namespace neardup::internal

#endif  // NEARDUP_INTERNAL_TEXT_UTIL_H_

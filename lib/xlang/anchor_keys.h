// File: xlang/anchor_keys.h
//
// Anchor keys: the canonical, language-independent spelling of an anchor (a word's
// lowercase form, a number's digits), the one a translation shares.
// Private to the anchor extractor (anchor.cc).

#ifndef NEARDUP_XLANG_ANCHOR_KEYS_H_
#define NEARDUP_XLANG_ANCHOR_KEYS_H_

#include <unicode/locid.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "neardup/anchor.h"
#include "neardup/language.h"
#include "neardup/normalize.h"
#include "neardup/utf8.h"
#include "xlang/number_words.h"
#include "xlang/string_cache.h"

namespace neardup::internal::anchors {

bool IsAscii(std::string_view s);

std::string AsciiLower(std::string_view s);

// Calls f(c) on each code point of UTF-8 `w` (valid: ExtractAnchors checked it).
template <typename F>
void ForEachCodePoint(std::string_view w, F f) {
  const auto* p = reinterpret_cast<const uint8_t*>(w.data());
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(w.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    f(c);
  }
}

bool HasNonLatinLetter(std::string_view s);

std::string WordKeyUncached(std::string_view word);

// Lower case, no diacritics, Latin letters: the same name written in any language or script
// gets the same key. Normalization and transliteration cost microseconds a word and names
// repeat, so non-ASCII keys are cached per thread.
std::string WordKey(std::string_view word);

std::string NumberKey(double value);

// Lower case with diacritics kept: the form of ICU's number words and of month names.
std::string LowerKeepMarks(std::string_view word);

// The same in `*buffer`, which is returned: no allocation once the buffer has grown, where
// the builder lowers most words of a text.
std::string_view LowerKeepMarks(std::string_view word, std::string* buffer);

// The small letter of Latin Extended-A's `c` (U+0100..U+017F; itself when small), as ICU's
// root case mapping gives it (checked code point by code point), or -1 for U+0130, whose
// small letter is two code points. Capitals and small letters alternate in pairs there.
inline UChar32 LowerLatinExtendedA(UChar32 c) {
  if (c == 0x130) return -1;
  if (c == 0x178) return 0xFF;  // Ÿ
  const bool even_capitals = (c <= 0x137 && c != 0x131) || (c >= 0x14A && c <= 0x177);
  const bool odd_capitals = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
  return (even_capitals && c % 2 == 0) || (odd_capitals && c % 2 == 1) ? c + 1 : c;
}

// Lowers `word` into `*out` on its bytes when all its characters are ASCII, Latin-1
// (U+0080..U+00FF), Latin Extended-A (U+0100..U+017F but U+0130) or basic Cyrillic
// (U+0400..U+045F): there each capital maps to one small letter of the same UTF-8 length and
// no context matters, as in ICU's root case mapping (checked code point by code point for
// those ranges). Otherwise false, and ICU must lower it.
bool LowerOnBytes(std::string_view word, std::string* out);

}  // namespace neardup::internal::anchors

#endif  // NEARDUP_XLANG_ANCHOR_KEYS_H_

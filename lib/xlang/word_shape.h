// File: xlang/word_shape.h
//
// The shapes of words the anchor builder judges by: capitals, acronyms, letter runs, digits
// written with a language's separators, and the function words of the languages it knows.
// Private to the anchor extractor (anchor.cc).

#ifndef NEARDUP_XLANG_WORD_SHAPE_H_
#define NEARDUP_XLANG_WORD_SHAPE_H_

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
#include "xlang/anchor_scanner.h"

namespace neardup::internal::anchors {

// A code point's case as ICU's u_isalpha, u_isupper, u_islower and u_istitle give it.
struct LetterCase {
  bool letter, upper, lower, title;
};

LetterCase CaseFromIcu(UChar32 c);

// Answered inline for ASCII, Latin-1's letters, Latin Extended-A, basic Cyrillic, Han
// (U+4E00..U+9FFF) and Hangul syllables, which are most words (checked against ICU 72 code
// point by code point); ICU's lookups for the rest.
inline LetterCase CaseOf(UChar32 c) {
  if (c < 0x80) {
    const bool upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z';
    return {upper || lower, upper, lower, false};
  }
  if (c >= 0xC0 && c <= 0xFF && c != 0xD7 && c != 0xF7) return {true, c <= 0xDE, c >= 0xDF, false};
  if (c >= 0x100 && c <= 0x17F) {
    const bool upper = LowerLatinExtendedA(c) != c;
    return {true, upper, !upper, false};
  }
  if (c >= 0x400 && c <= 0x45F) return {true, c <= 0x42F, c >= 0x430, false};
  if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3)) return {true, false, false, false};
  return CaseFromIcu(c);
}

bool CapitalizedBeyondAscii(std::string_view w);

// Whether `w` starts with a capital (or title-case) letter; ASCII answered inline.
inline bool Capitalized(std::string_view w) {
  if (!w.empty() && static_cast<unsigned char>(w[0]) < 0x80) return w[0] >= 'A' && w[0] <= 'Z';
  return CapitalizedBeyondAscii(w);
}

// Whether `w` starts with a letter of another script than Latin (Greek, Cyrillic, CJK...): a code
// point from U+0370 on, outside the blocks that hold Latin letters or letter-like symbols
// (the Kelvin sign lowers to 'k').
bool StartsOutsideLatin(std::string_view w);

// All letters upper case (NVIDIA, TPU) or an upper case letter after a lower case one (OpenAI).
// Acronyms are short: NVIDIA, UNESCO, NASDAQ. Longer words in capitals are words.
inline constexpr int kMaxAcronymLetters = 6;

// Three words in capitals in a row are a heading or a shouted phrase, not three acronyms.
inline constexpr size_t kCapitalRun = 3;

int LetterCount(std::string_view w);

bool HasLowercase(std::string_view w);

bool HasUppercase(std::string_view w);

// Calls f on each maximal run of letters of `w` (of two or more letters: a single letter is
// no word to look up).
template <typename F>
void ForEachLetterRun(std::string_view w, F f) {
  const auto* p = reinterpret_cast<const uint8_t*>(w.data());
  int32_t i = 0, start = -1;
  const int32_t n = static_cast<int32_t>(w.size());
  int letters = 0;
  while (i <= n) {
    const int32_t at = i;
    UChar32 c = -1;
    if (i < n) U8_NEXT(p, i, n, c); else ++i;
    const bool letter = c >= 0 && IsLetter(c);
    if (letter) {
      if (start < 0) start = at, letters = 0;
      ++letters;
    } else if (start >= 0) {
      if (letters >= 2) f(w.substr(start, at - start));
      start = -1;
    }
  }
}

bool AcronymLike(std::string_view w);

// Whether `language` groups digits with a comma and marks decimals with a point (CLDR's
// number symbols: "1,500.5"), as English, Chinese, Japanese, Korean, Thai, Hebrew and the
// languages of India do, against "1.500,5" in most of Europe. No language: as English.
bool GroupsWithComma(std::string_view language);

std::optional<double> ParseDigits(std::string_view s, std::string_view language);

bool AsciiDigitsOnly(std::string_view s);

// Function words that are capitalized only because they start a clause or a title; never names.
bool IsFunctionWord(std::string_view w);

}  // namespace neardup::internal::anchors

#endif  // NEARDUP_XLANG_WORD_SHAPE_H_

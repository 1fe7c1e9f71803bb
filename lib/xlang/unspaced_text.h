// File: xlang/unspaced_text.h
//
// Text written without spaces between words (Han, kana, Thai, Lao, Myanmar, Khmer, and Hangul's
// attached particles): where numbers, names and paths are glued to the words around them, and
// the scan form that unglues them.
// Private to the anchor extractor (anchor.cc).

#ifndef NEARDUP_XLANG_UNSPACED_TEXT_H_
#define NEARDUP_XLANG_UNSPACED_TEXT_H_

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
#include "xlang/anchor_keys.h"

namespace neardup::internal::anchors {

// Unicode's White_Space beyond ASCII, as u_isUWhiteSpace answers it (checked against ICU 72
// for every code point), without a lookup for each character of a text. The property is
// stable: U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
inline bool IsWhiteSpaceBeyondAscii(UChar32 c) {
  if (c < 0x2000) return c == 0x85 || c == 0xA0 || c == 0x1680;
  return c <= 0x200A || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Scripts written without spaces between words (Han, kana, Thai, Lao, Myanmar, Khmer), and
// Hangul, whose particles attach to the word before them ("Debian의"). Such a script glues
// the numbers, names and paths a translation keeps to the words around them: "第4章debian",
// "3万", "debian/rulesを".
bool IsUnspacedScript(UChar32 c);

// The ASCII character that a full-width form or a CJK punctuation mark stands for (Unicode's
// compatibility decompositions for U+FF01..U+FF5E; the CJK marks by their use), or -1.
UChar32 AsciiEquivalent(UChar32 c);

// Whether `text` has a character that ScanForm changes: all such characters are encoded in
// three or four bytes, so most text is passed over a byte at a time.
bool NeedsScanForm(std::string_view text);

// The text the scanner reads when NeedsScanForm: full-width forms and CJK punctuation as
// ASCII, and a space where an unspaced script meets any other character that is not a space.
// `begin_of[i]` and `end_of[i]` are the bytes in the original text of the character that
// gave byte i (an inserted space: empty, at the next character).
struct ScanForm {
  std::string text;
  std::vector<uint32_t> begin_of, end_of;

  explicit ScanForm(std::string_view original) {
    text.reserve(original.size() + original.size() / 4);
    begin_of.reserve(text.capacity());
    end_of.reserve(text.capacity());
    const auto* p = reinterpret_cast<const uint8_t*>(original.data());
    const int32_t n = static_cast<int32_t>(original.size());
    bool previous_unspaced = false, previous_space = true;
    for (int32_t i = 0; i < n;) {
      const int32_t start = i;
      UChar32 c;
      U8_NEXT(p, i, n, c);
      const UChar32 ascii = AsciiEquivalent(c);
      const bool unspaced = ascii < 0 && IsUnspacedScript(c);
      const bool space = ascii == ' ' || (ascii < 0 && c < 0x80 && (c == ' ' || (c >= 0x09 && c <= 0x0D))) ||
                         (ascii < 0 && c >= 0x80 && IsWhiteSpaceBeyondAscii(c));
      if (!space && !previous_space && unspaced != previous_unspaced) Append(' ', start, start);
      if (ascii >= 0) {
        Append(ascii, start, i);
      } else {
        for (int32_t k = start; k < i; ++k) {
          text.push_back(static_cast<char>(p[k]));
          begin_of.push_back(static_cast<uint32_t>(start));
          end_of.push_back(static_cast<uint32_t>(i));
        }
      }
      previous_unspaced = unspaced;
      previous_space = space;
    }
  }

  void Append(UChar32 ascii, int32_t begin, int32_t end) {
    text.push_back(static_cast<char>(ascii));
    begin_of.push_back(static_cast<uint32_t>(begin));
    end_of.push_back(static_cast<uint32_t>(end));
  }

  // An anchor found in `text` (never empty, never starting or ending with an inserted space),
  // in the original's bytes.
  void MapBack(Anchor* a) const {
    const uint32_t end = end_of[a->end - 1];
    a->begin = begin_of[a->begin];
    a->end = end;
  }
};

// A multiplier written after digits in CJK text: "3万" is 30,000, "1億" 100,000,000
// (CLDR's Chinese, Japanese and Korean numbering; 兆 is left out: 10^12 in Japanese and
// Taiwan, 10^6 in mainland usage).
std::optional<double> CjkScaleAfterDigits(UChar32 c);

}  // namespace neardup::internal::anchors

#endif  // NEARDUP_XLANG_UNSPACED_TEXT_H_

#include "xlang/length_model.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <cmath>

namespace neardup::internal {
namespace {

// English letters a character of these scripts stands for in translation, fitted on the perf
// corpus (a family of its own: GNOME help, the Debian installation guide and handbook, man
// pages) and checked on xlang-wild-dev (Debian's maint-guide and aptitude manual). From the
// translation links between English and Chinese, Japanese or Korean pages that the anchors
// decide at 0.9 or more (157 zh, 134 ja, 61 ko pairs), the English page's length less the
// other page's other characters, per Han character (median; quartiles 3.5 and 4.0), then
// per kana and per Hangul syllable with the Han figure applied. Unicode's East Asian Width
// (two columns each) was the first model: Chinese translations then still looked 1.5 to 1.9
// times shorter than their originals, and the length fade lost 44 of xlang-wild-dev's
// zh pairs. bench/report/ACCURACY.md has the figures before and after.
constexpr double kHanLetters = 3.7;
constexpr double kKanaLetters = 1.4;
constexpr double kHangulLetters = 2.5;

double LatinLetters(UChar32 c) {
  if (u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC)) return kHanLetters;
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(c, &status)) {
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_KATAKANA_OR_HIRAGANA:
      return kKanaLetters;
    case USCRIPT_HANGUL:
      return kHangulLetters;
    default:
      return 1.0;
  }
}

}  // namespace

size_t LengthInLatinLetters(std::string_view text) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  size_t plain = 0;   // code points counting 1
  double other = 0;   // the others' letters
  for (int32_t i = 0; i < n;) {
    // Below U+1100 (lead bytes under 0xE1) every code point counts 1: no lookup.
    if (p[i] < 0xE1) {
      plain += (p[i] & 0xC0) != 0x80;
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);
    const double letters = LatinLetters(c);
    if (letters == 1.0) {
      ++plain;
    } else {
      other += letters;
    }
  }
  return plain + static_cast<size_t>(std::llround(other));
}

}  // namespace neardup::internal

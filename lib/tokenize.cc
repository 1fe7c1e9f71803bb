// Word segmentation with ICU's BreakIterator over UTF-8 text (UText), so offsets come back as
// byte offsets without converting the document to UTF-16.
#include "neardup/tokenize.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "internal/word_break.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <cstdlib>
#include <memory>

namespace neardup {
namespace {

// Creating a word BreakIterator costs tens of microseconds and loads rule data; BreakIterator
// is not thread-safe. So each thread clones one prototype, once.
icu::BreakIterator& ThreadWordBreaker() {
  static const icu::BreakIterator* const prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::BreakIterator* bi = icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status);
    if (U_FAILURE(status) || bi == nullptr) std::abort();  // ICU data missing: nothing can work
    return bi;
  }();
  thread_local std::unique_ptr<icu::BreakIterator> local(prototype->clone());
  return *local;
}

TokenKind KindOf(int32_t rule_status) {
  if (rule_status < UBRK_WORD_LETTER) return TokenKind::kNumber;
  if (rule_status < UBRK_WORD_KANA) return TokenKind::kLetter;
  if (rule_status < UBRK_WORD_IDEO) return TokenKind::kKana;
  return TokenKind::kIdeographic;
}

}  // namespace

namespace internal {

void TokenizeWithIcu(std::string_view utf8, std::vector<Token>* out) {
  out->clear();
  if (utf8.empty()) return;
  UErrorCode status = U_ZERO_ERROR;
  UText* text = utext_openUTF8(nullptr, utf8.data(), static_cast<int64_t>(utf8.size()), &status);
  if (U_FAILURE(status)) return;
  icu::BreakIterator& bi = ThreadWordBreaker();
  bi.setText(text, status);
  if (U_SUCCESS(status)) {
    int32_t begin = bi.first();
    for (int32_t end = bi.next(); end != icu::BreakIterator::DONE; begin = end, end = bi.next()) {
      const int32_t rule_status = bi.getRuleStatus();
      if (rule_status < UBRK_WORD_NONE_LIMIT) continue;  // spaces and punctuation
      out->push_back(Token{static_cast<uint32_t>(begin), static_cast<uint32_t>(end), KindOf(rule_status)});
    }
  }
  // The iterator keeps its own shallow clone of the UText; it is not read again before the next
  // setText(), so the document may go away.
  utext_close(text);
}

// Word-break classes the fast path distinguishes (UAX #29 as ICU tailors it).
enum class Wb : uint8_t { kOther, kLetter, kNumeric, kExtendNumLet, kMidLetter, kMidNum, kMidNumLet, kIgnored, kNeedsIcu };

Wb Classify(UChar32 c) {
  if (c < 0x80) {
    if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '@') return Wb::kLetter;  // ICU counts @ as a letter
    if (c >= '0' && c <= '9') return Wb::kNumeric;
    switch (c) {
      case '_': return Wb::kExtendNumLet;
      case '.': case '\'': return Wb::kMidNumLet;  // ' is Single_Quote, which acts as MidNumLet outside Hebrew
      case ',': case ';': return Wb::kMidNum;
      default: return Wb::kOther;                   // ':' is MidLetter in UAX #29, but not in ICU
    }
  }
  // Scripts ICU segments with dictionaries, and emoji, stay with ICU. So does text that is not
  // NFKC_Casefold-normalized (compatibility characters such as ŉ or presentation forms carry
  // quirks of ICU's rule statuses); Normalize()'s output never has any.
  if (u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT || u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) ||
      u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) || u_hasBinaryProperty(c, UCHAR_CHANGES_WHEN_NFKC_CASEFOLDED)) {
    return Wb::kNeedsIcu;
  }
  // ICU keeps Hangul apart from adjacent Latin letters and digits ("linux에" is two words),
  // unlike plain UAX #29: Korean stays with ICU.
  if (u_getIntPropertyValue(c, UCHAR_HANGUL_SYLLABLE_TYPE) != U_HST_NOT_APPLICABLE) return Wb::kNeedsIcu;
  switch (u_getIntPropertyValue(c, UCHAR_WORD_BREAK)) {
    case U_WB_ALETTER: return Wb::kLetter;
    case U_WB_NUMERIC: return Wb::kNumeric;
    case U_WB_EXTENDNUMLET: return Wb::kExtendNumLet;
    case U_WB_MIDLETTER: return (c == 0xFE55 || c == 0xFF1A) ? Wb::kOther : Wb::kMidLetter;
    case U_WB_MIDNUM: return Wb::kMidNum;
    case U_WB_MIDNUMLET: case U_WB_SINGLE_QUOTE: return Wb::kMidNumLet;
    case U_WB_EXTEND: case U_WB_FORMAT: return Wb::kIgnored;
    case U_WB_KATAKANA: case U_WB_HEBREW_LETTER: case U_WB_REGIONAL_INDICATOR: case U_WB_ZWJ:
    case U_WB_DOUBLE_QUOTE: case U_WB_E_BASE: case U_WB_E_MODIFIER: case U_WB_GLUE_AFTER_ZWJ: case U_WB_E_BASE_GAZ:
      return Wb::kNeedsIcu;
    default: {
      UErrorCode status = U_ZERO_ERROR;
      const UScriptCode script = uscript_getScript(c, &status);
      if (script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA || script == USCRIPT_HAN) return Wb::kNeedsIcu;
      return Wb::kOther;
    }
  }
}

// Classify() of non-ASCII code points costs several property lookups; text repeats few
// distinct characters, so remember them (direct-mapped, per thread).
Wb ClassifyCached(UChar32 c) {
  if (c < 0x80) return Classify(c);
  struct Entry {
    UChar32 c = -1;
    Wb wb = Wb::kOther;
  };
  thread_local Entry cache[4096];
  Entry& e = cache[static_cast<uint32_t>(c) & 4095];
  if (e.c != c) e.c = c, e.wb = Classify(c);
  return e.wb;
}

bool TokenizeFast(std::string_view utf8, std::vector<Token>* out) {
  out->clear();
  struct Cp {
    uint32_t begin, end;
    Wb wb;
  };
  thread_local std::vector<Cp> cps;
  cps.clear();
  const auto* p = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;
    const Wb wb = ClassifyCached(c);
    if (wb == Wb::kNeedsIcu) return false;
    cps.push_back(Cp{static_cast<uint32_t>(start), static_cast<uint32_t>(i), wb});
  }
  const size_t count = cps.size();
  // WB4: Extend and Format characters belong to the character before them and are skipped
  // when rules look at neighbours.
  const auto next_base = [&](size_t k) {
    while (k < count && cps[k].wb == Wb::kIgnored) ++k;
    return k;
  };
  const auto letter = [](Wb w) { return w == Wb::kLetter; };
  const auto numeric = [](Wb w) { return w == Wb::kNumeric; };
  const auto word = [](Wb w) { return w == Wb::kLetter || w == Wb::kNumeric || w == Wb::kExtendNumLet; };
  size_t i = 0;
  while (i < count) {
    if (!word(cps[i].wb)) {
      ++i;
      continue;
    }
    const size_t start = i;
    size_t last = i;  // the last base character in the token
    bool only_connectors = cps[i].wb == Wb::kExtendNumLet;
    size_t bases = 1, trailing_connectors = cps[i].wb == Wb::kExtendNumLet ? 1 : 0;
    Wb last_word_class = cps[i].wb == Wb::kExtendNumLet ? Wb::kOther : cps[i].wb;
    for (;;) {
      const size_t q = next_base(last + 1);
      if (q >= count) break;
      const Wb a = cps[last].wb, b = cps[q].wb;
      if (word(a) && word(b)) {  // WB5, WB8-10, WB13a, WB13b
        last = q;
      } else if ((letter(a) && (b == Wb::kMidLetter || b == Wb::kMidNumLet)) ||  // WB6-7
                 (numeric(a) && (b == Wb::kMidNum || b == Wb::kMidNumLet))) {  // WB11-12
        const size_t r = next_base(q + 1);
        if (r < count && cps[r].wb == a) {
          last = r;
        } else {
          break;
        }
      } else {
        break;
      }
      ++bases;
      trailing_connectors = cps[last].wb == Wb::kExtendNumLet ? trailing_connectors + 1 : 0;
      if (cps[last].wb != Wb::kExtendNumLet) only_connectors = false, last_word_class = cps[last].wb;
    }
    // The token takes the Extend/Format characters after its last base character (WB4).
    size_t end = last + 1;
    while (end < count && cps[end].wb == Wb::kIgnored) ++end;
    // ICU's statuses: a lone connector ("_") is no word, two or more ("__") are; and a token
    // ending in a connector followed by a combining mark ("a_\u0301") is no word either.
    const bool connector_then_mark = cps[last].wb == Wb::kExtendNumLet && end > last + 1;
    if ((!only_connectors || bases >= 2) && !connector_then_mark) {
      // ICU's rule status follows the last letter or digit ("x86_64" is a number, "a_" a word),
      // except after two or more trailing connectors ("7__" is a word).
      const bool number = last_word_class == Wb::kNumeric && trailing_connectors < 2;
      out->push_back(Token{cps[start].begin, cps[end - 1].end, number ? TokenKind::kNumber : TokenKind::kLetter});
    }
    i = end;
  }
  return true;
}

}  // namespace internal

void Tokenize(std::string_view utf8, std::vector<Token>* out) {
  if (!internal::TokenizeFast(utf8, out)) internal::TokenizeWithIcu(utf8, out);
}

std::vector<Token> Tokenize(std::string_view utf8) {
  std::vector<Token> tokens;
  Tokenize(utf8, &tokens);
  return tokens;
}

}  // namespace neardup

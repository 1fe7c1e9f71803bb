// Word segmentation with ICU's BreakIterator over UTF-8 text (UText), so offsets come back as
// byte offsets without converting the document to UTF-16.
#include "neardup/tokenize.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "text/cjk_segmenter.h"
#include "text/word_break.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <array>
#include <cstdlib>
#include <cstring>
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

// ICU's tokens of utf8[begin, end), appended with offsets into `utf8`. The range goes to ICU
// as UTF-16: its break iterator runs about a third faster on UTF-16 than through a UTF-8 UText.
// Ill-formed bytes become U+FFFD, one per maximal ill-formed subsequence, as in a UTF-8 UText.
void AppendIcuTokens(std::string_view utf8, int32_t begin, int32_t end, std::vector<Token>* out) {
  if (begin >= end) return;
  thread_local std::u16string units;
  thread_local std::vector<uint32_t> offsets;  // the UTF-8 offset of each UTF-16 unit, then `end`
  units.clear();
  offsets.clear();
  const auto* p = reinterpret_cast<const uint8_t*>(utf8.data());
  for (int32_t i = begin; i < end;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, end, c);
    if (c < 0) c = 0xFFFD;
    if (c <= 0xFFFF) {
      units.push_back(static_cast<char16_t>(c));
      offsets.push_back(static_cast<uint32_t>(start));
    } else {
      units.push_back(static_cast<char16_t>(U16_LEAD(c)));
      units.push_back(static_cast<char16_t>(U16_TRAIL(c)));
      offsets.insert(offsets.end(), 2, static_cast<uint32_t>(start));
    }
  }
  offsets.push_back(static_cast<uint32_t>(end));
  UErrorCode status = U_ZERO_ERROR;
  UText* text = utext_openUChars(nullptr, units.data(), static_cast<int64_t>(units.size()), &status);
  if (U_FAILURE(status)) return;
  icu::BreakIterator& bi = ThreadWordBreaker();
  bi.setText(text, status);
  if (U_SUCCESS(status)) {
    int32_t from = bi.first();
    for (int32_t to = bi.next(); to != icu::BreakIterator::DONE; from = to, to = bi.next()) {
      const int32_t rule_status = bi.getRuleStatus();
      if (rule_status < UBRK_WORD_NONE_LIMIT) continue;  // spaces and punctuation
      out->push_back(Token{offsets[from], offsets[to], KindOf(rule_status)});
    }
  }
  // The iterator keeps its own shallow clone of the UText; it is not read again before the next
  // setText(), so the buffer may be reused.
  utext_close(text);
}

void TokenizeWithIcu(std::string_view utf8, std::vector<Token>* out) {
  out->clear();
  AppendIcuTokens(utf8, 0, static_cast<int32_t>(utf8.size()), out);
}

// Word-break classes the fast path distinguishes (UAX #29 as ICU tailors it).
// kCjk: a character of a Chinese or Japanese run the dictionary segmenter takes
// (text/cjk_segmenter.h); no rule joins it to any other class but a connector.
enum class Wb : uint8_t { kOther, kLetter, kNumeric, kExtendNumLet, kMidLetter, kMidNum, kMidNumLet, kIgnored, kCjk, kNeedsIcu };

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
  if (IsCjkRunCharacter(c) && CjkDictionaryAvailable()) return Wb::kCjk;
  // Other scripts ICU segments with dictionaries, and emoji, stay with ICU. So does text that is not
  // NFKC_Casefold-normalized (compatibility characters such as ŉ or presentation forms carry
  // quirks of ICU's rule statuses); Normalize()'s output never has any.
  if (u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT || u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) ||
      u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) || u_hasBinaryProperty(c, UCHAR_CHANGES_WHEN_NFKC_CASEFOLDED)) {
    return Wb::kNeedsIcu;
  }
  // ICU keeps Hangul apart from adjacent Latin letters and digits ("linux에" is two words),
  // unlike plain UAX #29: Korean stays with ICU.
  if (u_getIntPropertyValue(c, UCHAR_HANGUL_SYLLABLE_TYPE) != U_HST_NOT_APPLICABLE) return Wb::kNeedsIcu;
  // ICU's Chinese and Japanese dictionary takes every character of these scripts, also those
  // that are not Ideographic and whose word-break class is ALetter (U+3005 々, found by
  // fuzz_word_break).
  {
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    if (script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA || script == USCRIPT_HAN) return Wb::kNeedsIcu;
  }
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
    default:
      return Wb::kOther;
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

namespace {

// Classes of U+0000..U+07FF (ASCII, Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic...), the
// code points of one or two UTF-8 bytes, looked up directly.
const std::array<Wb, 0x800> kShortClass = [] {
  std::array<Wb, 0x800> table{};
  for (UChar32 c = 0; c < 0x800; ++c) table[c] = Classify(c);
  return table;
}();

// The class of the code point at `i` (< n) when it has one or two UTF-8 bytes, well formed,
// and its width in bytes; 0 for any other (ClassAt decodes those).
inline int32_t ShortClassAt(const uint8_t* p, int32_t n, int32_t i, Wb* w) {
  if (p[i] < 0x80) {
    *w = kShortClass[p[i]];
    return 1;
  }
  if (p[i] >= 0xC2 && p[i] <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
    *w = kShortClass[((p[i] & 0x1F) << 6) | (p[i + 1] & 0x3F)];
    return 2;
  }
  return 0;
}

// The class of the code point at `i` and, in *next, the offset after it. Ill-formed bytes
// need ICU. A code point of three or four bytes (every kCjk one) is also left in *decoded.
inline Wb ClassAt(const uint8_t* p, int32_t n, int32_t i, int32_t* next, UChar32* decoded = nullptr) {
  Wb w;
  if (const int32_t width = ShortClassAt(p, n, i, &w); width != 0) {
    *next = i + width;
    return w;
  }
  UChar32 c;
  *next = i;
  U8_NEXT(p, *next, n, c);
  if (decoded != nullptr) *decoded = c;
  return c < 0 ? Wb::kNeedsIcu : ClassifyCached(c);
}

constexpr bool IsWord(Wb w) { return w == Wb::kLetter || w == Wb::kNumeric || w == Wb::kExtendNumLet; }

// The fast word breaker, in one pass over the bytes. A line feed always breaks words (UAX #29
// WB3a/b), so lines are independent: a line with a character the fast rules do not cover is
// handed to ICU whole when `icu_for_lines`; otherwise the function gives up and returns false.
bool TokenizeLines(std::string_view utf8, std::vector<Token>* out, bool icu_for_lines) {
  out->clear();
  const auto* p = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(utf8.size());
  int32_t line_start = 0;   // where the current line starts
  size_t line_tokens = 0;   // tokens before it
  const auto hand_line_to_icu = [&](int32_t at) {
    out->resize(line_tokens);
    const void* lf = std::memchr(p + at, '\n', static_cast<size_t>(n - at));
    const int32_t line_end = lf ? static_cast<int32_t>(static_cast<const uint8_t*>(lf) - p) : n;
    AppendIcuTokens(utf8, line_start, line_end, out);
    return line_end;  // the line feed itself is read next, and starts the next line
  };
  int32_t i = 0;
  while (i < n) {
    int32_t next;
    UChar32 first_char = 0;
    const Wb first = ClassAt(p, n, i, &next, &first_char);
    if (first == Wb::kNeedsIcu) {
      if (!icu_for_lines) return false;
      i = hand_line_to_icu(i);
      continue;
    }
    if (first == Wb::kCjk) {
      // A run of Chinese or Japanese is one segment of ICU's rules ($KanaKanji chains), which
      // its dictionary cuts into words. A connector or combining mark after the run would join
      // it under other rules: those lines stay with ICU.
      // The run's characters, decoded once, for the segmenter.
      thread_local std::vector<UChar32> run_chars;
      thread_local std::vector<uint32_t> run_ends;  // the offset after each character
      run_chars.assign(1, first_char);
      run_ends.assign(1, static_cast<uint32_t>(next));
      int32_t run_end = next, after = next;
      Wb after_class = Wb::kOther;
      UChar32 c = 0;
      while (run_end < n && (after_class = ClassAt(p, n, run_end, &after, &c)) == Wb::kCjk) {
        run_end = after;
        run_chars.push_back(c);
        run_ends.push_back(static_cast<uint32_t>(run_end));
      }
      if (run_end < n && (after_class == Wb::kIgnored || after_class == Wb::kExtendNumLet || after_class == Wb::kNeedsIcu)) {
        if (!icu_for_lines) return false;
        i = hand_line_to_icu(i);
        continue;
      }
      if (run_end == next) {  // one character: a word or not by its own rule status
        if (IsCjkWordOnItsOwn(first_char)) {
          out->push_back(Token{static_cast<uint32_t>(i), static_cast<uint32_t>(run_end), TokenKind::kIdeographic});
        }
      } else {
        thread_local std::vector<uint32_t> word_ends;
        SegmentCjkRun(run_chars, run_ends, &word_ends);
        uint32_t from = static_cast<uint32_t>(i);
        for (const uint32_t end : word_ends) {
          out->push_back(Token{from, end, TokenKind::kIdeographic});
          from = end;
        }
      }
      i = run_end;
      continue;
    }
    if (!IsWord(first)) {
      if (p[i] == '\n') line_start = next, line_tokens = out->size();
      i = next;
      continue;
    }
    // A token starts at i. `last` is its last base character (not Extend or Format).
    const int32_t start = i;
    int32_t last_end = next;
    Wb last_class = first;
    bool only_connectors = first == Wb::kExtendNumLet;
    size_t bases = 1, trailing_connectors = first == Wb::kExtendNumLet ? 1 : 0;
    Wb last_word_class = first == Wb::kExtendNumLet ? Wb::kOther : first;
    // The next base character at or after `from` (WB4: Extend and Format are skipped).
    const auto next_base = [&](int32_t from, int32_t* base_end) {
      Wb w = Wb::kOther;
      while (from < n && (w = ClassAt(p, n, from, base_end)) == Wb::kIgnored) from = *base_end;
      return std::pair<int32_t, Wb>(from, from < n ? w : Wb::kOther);
    };
    bool needs_icu = false;
    int32_t end;  // the token ends before the first base character that does not join it
    for (;;) {
      // Most tokens are runs of letters or digits of one or two UTF-8 bytes (ASCII, Latin,
      // Greek, Cyrillic...), which join any word character: they are taken here in one loop.
      {
        const int32_t run_start = last_end;
        Wb run_class = Wb::kOther;
        for (;;) {
          Wb w;
          int32_t width;
          if (last_end >= n || (width = ShortClassAt(p, n, last_end, &w)) == 0) break;
          if (w != Wb::kLetter && w != Wb::kNumeric) break;
          run_class = w, last_end += width;
        }
        if (last_end > run_start) {
          last_class = last_word_class = run_class;
          only_connectors = false, trailing_connectors = 0;
        }
      }
      int32_t q_end;
      const auto [q, b] = next_base(last_end, &q_end);
      end = q;
      if (q >= n) break;
      if (b == Wb::kNeedsIcu) {
        needs_icu = true;
        break;
      }
      if (b == Wb::kCjk) {  // no rule joins a word to Chinese or Japanese, but a connector to Katakana
        needs_icu = last_class == Wb::kExtendNumLet;
        break;
      }
      const Wb a = last_class;
      if (IsWord(a) && IsWord(b)) {  // WB5, WB8-10, WB13a, WB13b
        last_end = q_end, last_class = b;
      } else if ((a == Wb::kLetter && (b == Wb::kMidLetter || b == Wb::kMidNumLet)) ||  // WB6-7
                 (a == Wb::kNumeric && (b == Wb::kMidNum || b == Wb::kMidNumLet))) {  // WB11-12
        int32_t r_end;
        const auto [r, c] = next_base(q_end, &r_end);
        if (r < n && c == Wb::kNeedsIcu) needs_icu = true;
        if (r >= n || c != a) break;
        last_end = r_end;
      } else {
        break;
      }
      ++bases;
      trailing_connectors = last_class == Wb::kExtendNumLet ? trailing_connectors + 1 : 0;
      if (last_class != Wb::kExtendNumLet) only_connectors = false, last_word_class = last_class;
    }
    if (needs_icu) {
      if (!icu_for_lines) return false;
      i = hand_line_to_icu(start);
      continue;
    }
    // ICU's statuses: a lone connector ("_") is no word, two or more ("__") are; and a token
    // ending in a connector followed by a combining mark ("a_\u0301") is no word either.
    const bool connector_then_mark = last_class == Wb::kExtendNumLet && end > last_end;
    if ((!only_connectors || bases >= 2) && !connector_then_mark) {
      // ICU's rule status follows the last letter or digit ("x86_64" is a number, "a_" a word),
      // except after two or more trailing connectors ("7__" is a word).
      const bool number = last_word_class == Wb::kNumeric && trailing_connectors < 2;
      out->push_back(Token{static_cast<uint32_t>(start), static_cast<uint32_t>(end),
                           number ? TokenKind::kNumber : TokenKind::kLetter});
    }
    i = end;
  }
  return true;
}

}  // namespace

bool TokenizeFast(std::string_view utf8, std::vector<Token>* out) {
  return TokenizeLines(utf8, out, /*icu_for_lines=*/false);
}

}  // namespace internal

void Tokenize(std::string_view utf8, std::vector<Token>* out) {
  internal::TokenizeLines(utf8, out, /*icu_for_lines=*/true);
}

std::vector<Token> Tokenize(std::string_view utf8) {
  std::vector<Token> tokens;
  Tokenize(utf8, &tokens);
  return tokens;
}

}  // namespace neardup

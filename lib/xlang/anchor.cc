#include "neardup/anchor.h"

#include <unicode/locid.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "xlang/anchors_of_valid_text.h"
#include "xlang/number_words.h"
#include "xlang/string_cache.h"
#include "neardup/language.h"
#include "neardup/normalize.h"
#include "neardup/utf8.h"

namespace neardup {

using internal::StringCache;

const char* AnchorKindName(AnchorKind kind) {
  switch (kind) {
    case AnchorKind::kNumber: return "number";
    case AnchorKind::kMonth: return "month";
    case AnchorKind::kName: return "name";
    case AnchorKind::kAcronym: return "acronym";
    case AnchorKind::kIdentifier: return "identifier";
    case AnchorKind::kOption: return "option";
    case AnchorKind::kPath: return "path";
    case AnchorKind::kUrl: return "url";
    case AnchorKind::kEmail: return "email";
    case AnchorKind::kHandle: return "handle";
    case AnchorKind::kHashtag: return "hashtag";
  }
  return "unknown";
}

namespace {

// ---------------------------------------------------------------------------------------------
// Keys

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

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

bool HasNonLatinLetter(std::string_view s) {
  bool found = false;
  ForEachCodePoint(s, [&](UChar32 c) {
    if (found || !u_isalpha(c)) return;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    found = script != USCRIPT_LATIN && script != USCRIPT_COMMON && script != USCRIPT_INHERITED;
  });
  return found;
}

std::string WordKeyUncached(std::string_view word) {
  if (HasNonLatinLetter(word)) {
    thread_local std::unique_ptr<icu::Transliterator> to_latin;
    if (!to_latin) {
      UErrorCode status = U_ZERO_ERROR;
      to_latin.reset(icu::Transliterator::createInstance("Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
      if (U_FAILURE(status)) to_latin.reset();
    }
    if (!to_latin) return std::string(word);
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
    to_latin->transliterate(u);
    std::string out;
    u.toUTF8String(out);
    return out;
  }
  NormalizeOptions options;
  options.strip_diacritics = true;
  absl::StatusOr<std::string> key = Normalize(word, options);
  return key.ok() ? *key : std::string(word);
}

// Lower case, no diacritics, Latin letters: the same name written in any language or script
// gets the same key. Normalization and transliteration cost microseconds a word and names
// repeat, so non-ASCII keys are cached per thread.
std::string WordKey(std::string_view word) {
  if (IsAscii(word)) return AsciiLower(word);
  thread_local StringCache<std::string> cache(1 << 15);
  return cache.Get(word, WordKeyUncached);
}

std::string NumberKey(double value) {
  if (std::fabs(value) < 1e18 && value == std::floor(value)) {
    return absl::StrCat("n:", static_cast<int64_t>(value));
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6f", value);  // values are rounded to 6 decimals
  std::string s = buffer;
  for (char& c : s) {
    if (c == ',') c = '.';  // in case a C locale with a decimal comma was installed
  }
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return "n:" + s;
}

// Lower case with diacritics kept: the form of ICU's number words and of month names.
std::string LowerKeepMarks(std::string_view word) {
  if (IsAscii(word)) return AsciiLower(word);
  thread_local StringCache<std::string> cache(1 << 15);  // ICU's case mapping costs a microsecond a word
  return cache.Get(word, [](std::string_view w) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(w.data(), static_cast<int32_t>(w.size())));
    u.toLower(icu::Locale::getRoot());
    std::string out;
    u.toUTF8String(out);
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Text written without spaces between words

// Scripts written without spaces between words (Han, kana, Thai, Lao, Myanmar, Khmer), and
// Hangul, whose particles attach to the word before them ("Debian의"). Such a script glues
// the numbers, names and paths a translation keeps to the words around them: "第4章debian",
// "3万", "debian/rulesを".
bool IsUnspacedScript(UChar32 c) {
  const auto in = [c](UChar32 first, UChar32 last) { return c >= first && c <= last; };
  return in(0x0E00, 0x0EFF) || in(0x1000, 0x109F) || in(0x1100, 0x11FF) || in(0x1780, 0x17FF) ||
         in(0x2E80, 0x2FDF) || in(0x3005, 0x3007) || in(0x3040, 0x30FA) || in(0x30FC, 0x30FF) ||
         in(0x3130, 0x318F) || in(0x31F0, 0x31FF) || in(0x3400, 0x4DBF) || in(0x4E00, 0x9FFF) ||
         in(0xAC00, 0xD7AF) || in(0xF900, 0xFAFF) || in(0xFF66, 0xFF9F) || in(0x20000, 0x3FFFF);
}

// The ASCII character that a full-width form or a CJK punctuation mark stands for (Unicode's
// compatibility decompositions for U+FF01..U+FF5E; the CJK marks by their use), or -1.
UChar32 AsciiEquivalent(UChar32 c) {
  if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFEE0;  // full-width ASCII
  switch (c) {
    case 0x3000: case 0x30FB: case 0xFF65: return ' ';    // ideographic space, middle dots between words
    case 0x3001: case 0xFF64: return ',';                  // 、
    case 0x3002: case 0xFF61: return '.';                  // 。
    case 0x3008: case 0x3009: case 0x300A: case 0x300B: case 0x300C: case 0x300D: case 0x300E:
    case 0x300F: case 0x301D: case 0x301E: case 0x301F: return '"';  // 〈〉《》「」『』〝〞〟
    case 0x3010: case 0x3014: case 0x3016: return '(';     // 【〔〖
    case 0x3011: case 0x3015: case 0x3017: return ')';     // 】〕〗
    default: return -1;
  }
}

// Whether `text` has a character that ScanForm changes: all such characters are encoded in
// three or four bytes, so most text is passed over a byte at a time.
bool NeedsScanForm(std::string_view text) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    if (p[i] < 0xE0) {
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (IsUnspacedScript(c) || AsciiEquivalent(c) >= 0) return true;
  }
  return false;
}

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
                         (ascii < 0 && c >= 0x80 && u_isUWhiteSpace(c));
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
std::optional<double> CjkScaleAfterDigits(UChar32 c) {
  switch (c) {
    case 0x5343: case 0xCC9C: return 1e3;             // 千, 천
    case 0x4E07: case 0x842C: case 0xB9CC: return 1e4;  // 万, 萬, 만
    case 0x5104: case 0x4EBF: case 0xC5B5: return 1e8;  // 億, 亿, 억
    default: return std::nullopt;
  }
}

// ---------------------------------------------------------------------------------------------
// Scanning

struct CodePoint {
  UChar32 c;
  uint32_t begin, end;
};

void Decode(std::string_view text, std::vector<CodePoint>* cps) {
  std::vector<CodePoint>& out = *cps;
  out.clear();
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    out.push_back({c, static_cast<uint32_t>(start), static_cast<uint32_t>(i)});
  }
}

// ASCII answers inline; ICU's property lookups only for the rest.
bool IsSpace(UChar32 c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  return u_isUWhiteSpace(c) || c == 0x200B;
}
bool IsGroupingSpace(UChar32 c) { return c == 0x00A0 || c == 0x202F || c == 0x2009 || c == 0x2007; }
bool IsLetter(UChar32 c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  return u_isalpha(c) || u_charType(c) == U_NON_SPACING_MARK;
}
bool IsDigit(UChar32 c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return u_isdigit(c);
}
bool IsApostrophe(UChar32 c) { return c == '\'' || c == 0x2019 || c == 0x02BC; }
bool IsSentenceEnd(UChar32 c) { return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == ':' || c == ';'; }

// A word-level item of a chunk: a run of letters or of digits (with separators).
struct Item {
  enum Type { kWord, kNumber } type;
  uint32_t begin, end;    // bytes
  bool sentence_start;    // first item after a sentence end or a line start
  bool joined_to_next;    // only one space between this item and the next (names, digit groups)
  bool grouping_space_after;  // that space is a no-break or narrow space
  bool percent_after;
};

struct Scanner {
  std::string_view text;
  std::string language;
  std::vector<CodePoint> cps;
  std::vector<Anchor> anchors;
  std::vector<Item> items;

  std::string_view Bytes(uint32_t b, uint32_t e) const { return text.substr(b, e - b); }

  void Emit(AnchorKind kind, uint32_t b, uint32_t e, std::string key, double value = 0) {
    anchors.push_back(Anchor{kind, b, e, std::move(key), value});
  }

  // Whole-chunk anchors: URLs, e-mails, handles, hashtags, options, paths, code identifiers.
  bool ClassifyChunk(uint32_t b, uint32_t e) {
    const std::string_view s = Bytes(b, e);
    const auto starts = [&](std::string_view p) { return s.substr(0, p.size()) == p; };
    if (starts("http://") || starts("https://") || starts("ftp://") || starts("www.")) {
      std::string key = AsciiLower(s);
      for (std::string_view scheme : {"https://", "http://", "ftp://"}) {
        if (key.rfind(scheme, 0) == 0) key.erase(0, scheme.size());
      }
      if (key.rfind("www.", 0) == 0) key.erase(0, 4);
      while (!key.empty() && key.back() == '/') key.pop_back();
      Emit(AnchorKind::kUrl, b, e, "url:" + key);
      return true;
    }
    if (!IsAscii(s)) return false;
    const size_t at = s.find('@');
    if (at != std::string_view::npos && at > 0 && s.find('.', at) != std::string_view::npos && s.find('@', at + 1) == std::string_view::npos) {
      Emit(AnchorKind::kEmail, b, e, "email:" + AsciiLower(s));
      return true;
    }
    const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (s.size() >= 2 && s[0] == '@' && (alpha(s[1]) || s[1] == '_')) {
      Emit(AnchorKind::kHandle, b, e, AsciiLower(s));
      return true;
    }
    if (s.size() >= 2 && s[0] == '#' && alpha(s[1])) {
      Emit(AnchorKind::kHashtag, b, e, AsciiLower(s));
      return true;
    }
    if ((s.size() >= 3 && starts("--") && alpha(s[2])) || (s.size() >= 2 && s.size() <= 4 && s[0] == '-' && alpha(s[1]))) {
      std::string key(s.substr(0, s.find('=')));
      Emit(AnchorKind::kOption, b, e, "opt:" + key);
      return true;
    }
    if ((s.size() >= 2 && (s[0] == '/' || starts("~/") || starts("./") || starts("../")) && s.find('/', 1) != std::string_view::npos &&
         alpha(s.back() == '/' ? s[s.size() - 2] : s.back())) ||
        (s.size() >= 2 && s[0] == '/' && s.size() > 1 && alpha(s[1]) && s.find_first_of(".,") == std::string_view::npos)) {
      Emit(AnchorKind::kPath, b, e, "path:" + std::string(s));
      return true;
    }
    // Code identifiers: snake_case, a::b, a.b.c, f(), camelCase, versions 2.6.32.
    bool has_alpha = false, has_digit = false, code_mark = false, camel = false;
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      has_alpha |= alpha(c);
      has_digit |= (c >= '0' && c <= '9');
      if (c == '_' || c == '(' || c == '[' || c == '=' || c == '<' || c == '>' || c == '$' || c == '{') code_mark = true;
      if (c == ':' && i + 1 < s.size() && s[i + 1] == ':') code_mark = true;
      if (c == '.' && i > 0 && i + 1 < s.size() && alpha(s[i - 1]) && alpha(s[i + 1])) code_mark = true;
      if (i > 0 && c >= 'A' && c <= 'Z' && s[i - 1] >= 'a' && s[i - 1] <= 'z') camel = true;
    }
    if (has_alpha && code_mark && s.size() >= 3) {
      Emit(AnchorKind::kIdentifier, b, e, "id:" + std::string(s));
      return true;
    }
    if (!has_alpha && has_digit) {
      // Several dots (2.6.32, 192.168.0.1) is a version or an address, not a number.
      int dots = 0;
      for (char c : s) dots += c == '.';
      bool only_digits_dots = true;
      for (char c : s) only_digits_dots &= (c == '.' || (c >= '0' && c <= '9'));
      if (dots >= 2 && only_digits_dots) {
        // ...unless it is a grouped number: every group after the first has three digits.
        bool grouped = true;
        size_t pos = s.find('.');
        while (pos != std::string_view::npos) {
          const size_t next = s.find('.', pos + 1);
          grouped &= ((next == std::string_view::npos ? s.size() : next) - pos - 1) == 3;
          pos = next;
        }
        if (!grouped) {
          Emit(AnchorKind::kIdentifier, b, e, "id:" + std::string(s));
          return true;
        }
      }
    }
    (void)camel;  // camelCase is classified per word (kAcronym), as OpenAI and iPhone are.
    return false;
  }

  // Splits a chunk into letter runs and digit runs.
  void SplitChunk(size_t first, size_t last, bool sentence_start, bool* percent_seen) {
    size_t i = first;
    while (i < last) {
      const UChar32 c = cps[i].c;
      if (c == '%' && !items.empty()) {
        items.back().percent_after = true;
        *percent_seen = true;
      }
      if (IsLetter(c) || IsDigit(c)) {
        const size_t start = i;
        bool letters = false, digits = false;
        while (i < last) {
          const UChar32 d = cps[i].c;
          if (IsLetter(d)) {
            letters = true;
          } else if (IsDigit(d)) {
            digits = true;
          } else if ((d == '.' || d == ',') && i + 1 < last && IsDigit(cps[i + 1].c) && digits && !letters) {
            // decimal or grouping separator inside a number
          } else if ((IsApostrophe(d) || d == '-') && i + 1 < last && IsLetter(cps[i + 1].c) && letters) {
            // elision or hyphenated word: split after, handled below
            break;
          } else {
            break;
          }
          ++i;
        }
        Item item{letters ? Item::kWord : Item::kNumber, cps[start].begin, cps[i - 1].end, sentence_start, false, false, false};
        if (letters && digits) {
          // TPU1, H100, x86, 3D: an identifier as a whole.
          Emit(AnchorKind::kIdentifier, item.begin, item.end, "id:" + WordKey(Bytes(item.begin, item.end)));
          items.push_back(Item{Item::kWord, item.begin, item.begin, sentence_start, false, false, false});  // placeholder breaks runs
        } else {
          items.push_back(item);
        }
        sentence_start = false;
        // Elision: d'Anthropic, dell'azienda, l'IA: the part before the apostrophe is an article.
        if (i < last && IsApostrophe(cps[i].c) && letters) {
          const std::string before = AsciiLower(Bytes(item.begin, item.end));
          if (before.size() <= 5) {
            items.pop_back();
            sentence_start = item.sentence_start;
            if (!items.empty()) items.back().joined_to_next = false;  // "Trainium d'Amazon": two names
          }
          ++i;
        } else if (i < last && cps[i].c == '-') {
          ++i;  // "Jean-Pierre", "vingt-et-un": parts become separate items, joined
          if (!items.empty()) items.back().joined_to_next = true;
        }
        continue;
      }
      ++i;
    }
  }

  void Scan() {
    Decode(text, &cps);
    bool sentence_start = true;
    size_t i = 0;
    while (i < cps.size()) {
      // Whitespace between chunks: a newline starts a sentence.
      size_t spaces = 0;
      bool grouping = false;
      while (i < cps.size() && IsSpace(cps[i].c)) {
        if (cps[i].c == '\n' || cps[i].c == '\r' || cps[i].c == 0x2029) sentence_start = true;
        grouping |= IsGroupingSpace(cps[i].c);
        ++spaces, ++i;
      }
      if (!items.empty() && spaces > 0) {
        items.back().joined_to_next = spaces == 1 && !sentence_start;
        items.back().grouping_space_after = grouping;
      }
      if (i >= cps.size()) break;
      size_t end = i;
      while (end < cps.size() && !IsSpace(cps[end].c)) ++end;
      // Trim punctuation around the chunk; remember whether it ends a sentence.
      size_t b = i, e = end;
      const auto leading = [](UChar32 c) {
        return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == 0xAB || c == 0x201C || c == 0x2018 ||
               c == 0xBF || c == 0xA1 || c == '*' || c == 0x201E;
      };
      const auto trailing = [](UChar32 c) {
        return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']' ||
               c == '}' || c == '"' || c == '\'' || c == 0xBB || c == 0x201D || c == 0x2019 || c == 0x2026 || c == '*';
      };
      bool opened_quote_or_paren = false;
      while (b < e && leading(cps[b].c)) opened_quote_or_paren = true, ++b;
      bool ends_sentence = false, closes_with_punct = false;
      const auto opens_before = [&](size_t end_index) {
        for (size_t k = b; k < end_index; ++k) {
          if (cps[k].c == '(') return true;
        }
        return false;
      };
      while (e > b && trailing(cps[e - 1].c)) {
        if (cps[e - 1].c == ')' && opens_before(e - 1)) break;  // f(), snake_case(): keep the call
        ends_sentence |= IsSentenceEnd(cps[e - 1].c);
        closes_with_punct = true;
        --e;
      }
      const size_t items_before = items.size();
      if (b < e) {
        if (!ClassifyChunk(cps[b].begin, cps[e - 1].end)) {
          bool percent = false;
          SplitChunk(b, e, sentence_start, &percent);
        } else {
          items.push_back(Item{Item::kWord, cps[b].begin, cps[b].begin, sentence_start, false, false, false});
        }
      }
      // Punctuation inside or around the chunk breaks name runs and digit groups.
      if (!items.empty() && items.size() > items_before && (closes_with_punct || opened_quote_or_paren)) {
        if (closes_with_punct) items.back().joined_to_next = false;
      }
      if (opened_quote_or_paren && items_before > 0 && items_before <= items.size()) items[items_before - 1].joined_to_next = false;
      if (b < e || ends_sentence) sentence_start = ends_sentence;
      i = end;
    }
    // After the last chunk, nothing joins.
    if (!items.empty()) items.back().joined_to_next = false;
  }
};

// ---------------------------------------------------------------------------------------------
// Items to anchors

bool Capitalized(std::string_view w) {
  if (!w.empty() && static_cast<unsigned char>(w[0]) < 0x80) return w[0] >= 'A' && w[0] <= 'Z';
  const auto* p = reinterpret_cast<const uint8_t*>(w.data());
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(p, i, static_cast<int32_t>(w.size()), c);
  return u_isupper(c) || u_istitle(c);
}

// Whether `w` starts with a letter of another script than Latin (Greek, Cyrillic, CJK...): a code
// point from U+0370 on, outside the blocks that hold Latin letters or letter-like symbols
// (the Kelvin sign lowers to 'k').
bool StartsOutsideLatin(std::string_view w) {
  if (w.empty() || static_cast<unsigned char>(w[0]) < 0x80) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(w.data());
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(p, i, static_cast<int32_t>(w.size()), c);
  const auto in = [c](UChar32 first, UChar32 last) { return c >= first && c <= last; };
  return c >= 0x0370 && !in(0x1D00, 0x1EFF) && !in(0x2100, 0x218F) && !in(0x2C60, 0x2C7F) && !in(0xA720, 0xA7FF) &&
         !in(0xAB30, 0xAB6F) && !in(0xFB00, 0xFB4F) && !in(0xFF00, 0xFFEF) && !in(0x1D400, 0x1D7FF);
}

// All letters upper case (NVIDIA, TPU) or an upper case letter after a lower case one (OpenAI).
// Acronyms are short: NVIDIA, UNESCO, NASDAQ. Longer words in capitals are words.
constexpr int kMaxAcronymLetters = 6;
// Three words in capitals in a row are a heading or a shouted phrase, not three acronyms.
constexpr size_t kCapitalRun = 3;

int LetterCount(std::string_view w) {
  int letters = 0;
  ForEachCodePoint(w, [&](UChar32 c) { letters += IsLetter(c); });
  return letters;
}

bool HasLowercase(std::string_view w) {
  bool any = false;
  ForEachCodePoint(w, [&](UChar32 c) { any |= c < 0x80 ? (c >= 'a' && c <= 'z') : u_islower(c) != 0; });
  return any;
}

bool HasUppercase(std::string_view w) {
  bool any = false;
  ForEachCodePoint(w, [&](UChar32 c) { any |= c < 0x80 ? (c >= 'A' && c <= 'Z') : u_isupper(c) != 0; });
  return any;
}

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

bool AcronymLike(std::string_view w) {
  const auto* p = reinterpret_cast<const uint8_t*>(w.data());
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(w.size());
  int letters = 0, upper = 0;
  bool lower_seen = false, upper_after_lower = false;
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0x80) {  // ASCII without ICU lookups
      if (c >= 'A' && c <= 'Z') {
        ++letters, ++upper;
        if (lower_seen) upper_after_lower = true;
      } else if (c >= 'a' && c <= 'z') {
        ++letters, lower_seen = true;
      }
      continue;
    }
    if (!u_isalpha(c)) continue;
    ++letters;
    if (u_isupper(c)) {
      ++upper;
      if (lower_seen) upper_after_lower = true;
    } else if (u_islower(c)) {
      lower_seen = true;
    }
  }
  return (letters >= 2 && upper == letters) || upper_after_lower;
}

// Whether `language` groups digits with a comma and marks decimals with a point (CLDR's
// number symbols: "1,500.5"), as English, Chinese, Japanese, Korean, Thai, Hebrew and the
// languages of India do, against "1.500,5" in most of Europe. No language: as English.
bool GroupsWithComma(std::string_view language) {
  const std::string_view primary = language.substr(0, language.find_first_of("-_"));
  if (primary.empty()) return true;
  for (std::string_view l : {"en", "zh", "ja", "ko", "yue", "th", "he", "hi", "bn", "mr", "gu", "pa", "ta", "te", "kn",
                             "ml", "ur", "ms", "fil", "ga", "cy", "mt", "sw"}) {
    if (primary == l) return true;
  }
  return false;
}

std::optional<double> ParseDigits(std::string_view s, std::string_view language) {
  // Separators: with both kinds, the last is the decimal mark. With one kind, several
  // occurrences group; a single one followed by exactly three digits groups where the
  // language groups with it (',' in English, '.' elsewhere), and is a decimal mark otherwise.
  const size_t last_dot = s.rfind('.'), last_comma = s.rfind(',');
  char decimal = 0;
  if (last_dot != std::string_view::npos && last_comma != std::string_view::npos) {
    decimal = last_dot > last_comma ? '.' : ',';
  } else if (last_dot != std::string_view::npos || last_comma != std::string_view::npos) {
    const char sep = last_dot != std::string_view::npos ? '.' : ',';
    const size_t pos = sep == '.' ? last_dot : last_comma;
    const size_t count = static_cast<size_t>(std::count(s.begin(), s.end(), sep));
    const bool three_after = s.size() - pos - 1 == 3;
    const char grouping_sep = GroupsWithComma(language) ? ',' : '.';
    if (count > 1 || (three_after && sep == grouping_sep)) {
      decimal = 0;  // grouping
    } else {
      decimal = sep;
    }
  }
  double value = 0, scale = 0;
  bool any = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      any = true;
      if (scale > 0) {
        value += (c - '0') * scale;
        scale /= 10;
      } else {
        value = value * 10 + (c - '0');
      }
    } else if (c == decimal) {
      scale = 0.1;
    }
  }
  if (!any) return std::nullopt;
  return std::round(value * 1e6) / 1e6;
}

bool AsciiDigitsOnly(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

// Function words that are capitalized only because they start a clause or a title; never names.
bool IsFunctionWord(std::string_view w) {
  static const absl::flat_hash_set<std::string_view> kWords = {
      "the", "this", "that", "these", "those", "a", "an", "in", "on", "at", "for", "with", "and", "but", "or", "it",
      "he", "she", "we", "they", "you", "i", "if", "as", "by", "from", "to", "of", "not", "no", "yes", "all",
      "le", "la", "les", "l", "un", "une", "des", "du", "de", "ce", "cet", "cette", "ces", "il", "elle", "ils",
      "elles", "nous", "vous", "on", "et", "ou", "mais", "pour", "par", "dans", "sur", "avec", "en", "au", "aux",
      "lo", "gli", "i", "uno", "una", "questo", "questa", "questi", "queste", "di", "da", "per", "con", "su", "non",
      "si", "e", "ma", "nel", "nella", "del", "della", "al", "alla", "anche", "come", "hanno", "ha", "sono", "è",
      "el", "los", "las", "unos", "unas", "este", "esta", "estos", "estas", "y", "pero", "por", "para", "sin",
      "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "dieser", "diese",
      "dieses", "und", "oder", "aber", "mit", "für", "von", "zu", "im", "ist", "sie", "er", "es", "wir", "ich",
      "o", "os", "as", "um", "uma", "com", "não", "se", "mas", "quando", "wenn", "when", "quand", "quando",
      "cuando", "où", "dove", "donde", "wo", "where", "voici", "ecco", "here", "there", "hier",
  };
  return kWords.contains(w);
}

struct Builder {
  Scanner& sc;
  absl::flat_hash_set<std::string> mid_sentence_names;  // capitalized words seen not at a sentence start

  std::string Lower(std::string_view w) const { return WordKey(w); }

  // Whether word item `i` is all capitals.
  bool AllCapitalsAt(size_t i) const {
    const Item& it = sc.items[i];
    if (it.type != Item::kWord || it.end <= it.begin) return false;
    const std::string_view w = sc.Bytes(it.begin, it.end);
    return AcronymLike(w) && !HasLowercase(w);
  }

  // Whether word item `i` is in a run of kCapitalRun or more all-capital words joined by
  // single spaces.
  bool InCapitalRun(size_t i) const {
    if (!AllCapitalsAt(i)) return false;
    size_t first = i, last = i;
    while (first > 0 && sc.items[first - 1].joined_to_next && AllCapitalsAt(first - 1)) --first;
    while (last + 1 < sc.items.size() && sc.items[last].joined_to_next && AllCapitalsAt(last + 1)) ++last;
    return last - first + 1 >= kCapitalRun;
  }

  void Run() {
    const std::string& lang = sc.language;
    // Digit groups after an ordinary space join in every language, not only in those that
    // write "1 000 000" so: a translation must read "374 252" in a table the way its original
    // does (de and en man pages of character sets disagreed on every row before).
    constexpr bool space_groups = true;
    for (const Item& it : sc.items) {
      if (it.type == Item::kWord && it.end > it.begin && !it.sentence_start) {
        const std::string_view w = sc.Bytes(it.begin, it.end);
        if (Capitalized(w)) mid_sentence_names.insert(LowerKeepMarks(w));
      }
    }
    std::vector<Anchor> words;
    const auto& items = sc.items;
    for (size_t i = 0; i < items.size(); ++i) {
      const Item& it = items[i];
      if (it.end == it.begin) continue;  // placeholder of a chunk classified as a whole
      const std::string_view w = sc.Bytes(it.begin, it.end);
      if (it.type == Item::kNumber) {
        uint32_t end = it.end;
        std::string digits(w);
        // "1 000 000": groups of three digits after a space (no-break spaces in any language).
        size_t j = i;
        if (AsciiDigitsOnly(digits) && digits.size() <= 3) {
          while (j + 1 < items.size() && items[j].joined_to_next && (items[j].grouping_space_after || space_groups) &&
                 items[j + 1].type == Item::kNumber && items[j + 1].end - items[j + 1].begin == 3 &&
                 AsciiDigitsOnly(sc.Bytes(items[j + 1].begin, items[j + 1].end)) && !items[j].percent_after) {
            ++j;
            digits += sc.Bytes(items[j].begin, items[j].end);
            end = items[j].end;
          }
        }
        std::optional<double> value = ParseDigits(digits, lang);
        if (!value) continue;
        // "7 milliards", "7 miliardi", "7 billion"; "3万" (a space was put between them).
        if (j + 1 < items.size() && items[j].joined_to_next && items[j + 1].type == Item::kWord) {
          const std::string_view next_word = sc.Bytes(items[j + 1].begin, items[j + 1].end);
          UChar32 first = -1;
          int32_t first_bytes = 0;
          if (!next_word.empty() && static_cast<unsigned char>(next_word[0]) >= 0xE0) {
            U8_NEXT(reinterpret_cast<const uint8_t*>(next_word.data()), first_bytes, static_cast<int32_t>(next_word.size()), first);
          }
          if (auto scale = CjkScaleAfterDigits(first)) {
            *value *= *scale;
            ++j;
            end = items[j].begin + static_cast<uint32_t>(first_bytes);
          } else if (auto word_scale = internal::ScaleWord(lang, LowerKeepMarks(next_word))) {
            *value *= *word_scale;
            ++j;
            end = items[j].end;
          }
        }
        sc.Emit(AnchorKind::kNumber, it.begin, end, NumberKey(*value), *value);
        i = j;
        continue;
      }
      // A word that starts with a small letter of another script than Latin can be no month,
      // number word (their vocabularies are Latin, and case mapping keeps a letter's script)
      // or name, only an acronym: it is not lowered (lowering words was 8% of anchor
      // extraction's time on the perf corpus, whose non-ASCII text is mostly Cyrillic and CJK).
      const bool vocabulary_word_possible = !StartsOutsideLatin(w) || Capitalized(w);
      // Most words are lower-case ASCII already: look them up without a copy.
      std::string lower_storage;
      bool needs_lowering = vocabulary_word_possible && !IsAscii(w);
      for (char c : w) needs_lowering |= (c >= 'A' && c <= 'Z');
      if (needs_lowering) lower_storage = LowerKeepMarks(w);
      const std::string_view lower = needs_lowering ? std::string_view(lower_storage) : w;
      if (vocabulary_word_possible) {
        if (const int month = internal::MonthNumber(lower); month > 0 && !(lower == "march" && lang != "en") &&
                                                            !(lower == "mars" && lang != "fr") && !(lower == "mayo" && lang != "es")) {
          sc.Emit(AnchorKind::kMonth, it.begin, it.end, absl::StrCat("m:", month), month);
          continue;
        }
        if (internal::IsNumberWord(lang, lower)) {
          // The run of number words (with joiners between them): "un million", "vingt-et-un".
          size_t j = i;
          std::string phrase(lower);
          while (j + 1 < items.size() && items[j].joined_to_next && items[j + 1].type == Item::kWord) {
            const std::string next = LowerKeepMarks(sc.Bytes(items[j + 1].begin, items[j + 1].end));
            if (internal::IsNumberWord(lang, next)) {
              phrase.push_back(sc.text[items[j].end] == '-' ? '-' : ' ');
              phrase += next;
              ++j;
            } else if (internal::IsNumberJoiner(lang, next) && j + 2 < items.size() && items[j + 1].joined_to_next &&
                       internal::IsNumberWord(lang, LowerKeepMarks(sc.Bytes(items[j + 2].begin, items[j + 2].end)))) {
              phrase.push_back(' ');
              phrase += next;
              ++j;
            } else {
              break;
            }
          }
          // An article alone ("un", "una", "a") is not a number.
          if (j == i && internal::IsArticleOne(lang, lower)) continue;
          if (auto value = internal::ParseSpelledNumber(lang, phrase)) {
            sc.Emit(AnchorKind::kNumber, it.begin, items[j].end, NumberKey(*value), *value);
            i = j;
            continue;
          }
        }
      }
      // Keys (no diacritics, Latin script; transliteration is slow) only for words that are anchors.
      if (AcronymLike(w)) {
        // Capitals that are words, not acronyms: a long one (LATEINISCHER), or one of a run of
        // three or more (LATIN SMALL LETTER U, headings in capitals). They are translated, so
        // they count as names: matched they help, unmatched they do not count against. As
        // acronyms, the capitalized table rows of translated man pages read as hundreds of
        // conflicting anchors.
        const bool shouting = LetterCount(w) > kMaxAcronymLetters || InCapitalRun(i);
        sc.Emit(shouting ? AnchorKind::kName : AnchorKind::kAcronym, it.begin, it.end, Lower(w));
        continue;
      }
      if (Capitalized(w) && lower.size() >= 2 && !IsFunctionWord(lower)) {
        if (it.sentence_start && !mid_sentence_names.contains(internal::ToAbsl(lower))) continue;
        // A run of capitalized words joined by single spaces is one name: "Jensen Huang".
        size_t j = i;
        std::string key = Lower(w);
        while (j + 1 < items.size() && items[j].joined_to_next && items[j + 1].type == Item::kWord &&
               items[j + 1].end > items[j + 1].begin) {
          const std::string_view next = sc.Bytes(items[j + 1].begin, items[j + 1].end);
          if (!Capitalized(next) || AcronymLike(next)) break;
          key.push_back(' ');
          key += Lower(next);
          ++j;
        }
        sc.Emit(AnchorKind::kName, it.begin, items[j].end, key);
        i = j;
      }
    }
  }
};

}  // namespace

namespace {

// An acronym or identifier whose letter runs are all ordinary lower-case words of the same
// text is a word written in capitals or a placeholder (FILE, STRING, FILE1, point_de_montage
// where the page also says "file", "point", "montage"): translated like the words, so a name.
// On xlang-dev, 124 true pairs had such words on one side and their translation on the other.
void DemoteWordsInCapitals(const Scanner& sc, std::vector<Anchor>* anchors) {
  // The letter runs of the acronyms and identifiers, lowered: the only words to look for
  // among the text's (collecting every lower-case word of the text in a set, and the hashing
  // it took, was about 12% of anchor extraction's time on the perf corpus).
  std::vector<std::pair<size_t, std::string>> runs;  // (anchor, lowered run), anchor by anchor
  absl::flat_hash_map<std::string, bool> seen;        // lowered run -> a lower-case word of the text
  uint64_t lengths = 0;                               // bit (size % 64) of each run's size
  for (size_t i = 0; i < anchors->size(); ++i) {
    const Anchor& a = (*anchors)[i];
    if (a.kind != AnchorKind::kAcronym && a.kind != AnchorKind::kIdentifier) continue;
    ForEachLetterRun(sc.Bytes(a.begin, a.end), [&](std::string_view run) {
      runs.emplace_back(i, LowerKeepMarks(run));
      seen.emplace(runs.back().second, false);
      lengths |= uint64_t{1} << (runs.back().second.size() % 64);
    });
  }
  if (runs.empty()) return;
  for (const Item& it : sc.items) {
    if (it.type != Item::kWord || it.end <= it.begin || !(lengths >> ((it.end - it.begin) % 64) & 1)) continue;
    const std::string_view w = sc.Bytes(it.begin, it.end);
    if (HasUppercase(w)) continue;
    if (const auto found = seen.find(internal::ToAbsl(w)); found != seen.end()) found->second = true;
  }
  // An anchor is demoted when all its runs are words of the text.
  for (size_t r = 0; r < runs.size();) {
    const size_t anchor = runs[r].first;
    bool all_words = true;
    for (; r < runs.size() && runs[r].first == anchor; ++r) all_words &= seen[runs[r].second];
    if (all_words) (*anchors)[anchor].kind = AnchorKind::kName;
  }
}

}  // namespace

namespace internal {

std::vector<Anchor> ExtractAnchorsOfValidUtf8(std::string_view text, std::string_view language) {
  // The decoded text (12 bytes a byte) and the items are kept by each thread between
  // documents: allocating them afresh cost page faults on every long one.
  thread_local std::vector<CodePoint> cps;
  thread_local std::vector<Item> items;
  std::optional<ScanForm> form;
  if (NeedsScanForm(text)) form.emplace(text);
  Scanner scanner{form ? std::string_view(form->text) : text, NormalizeLanguageTag(language), std::move(cps), {},
                  std::move(items)};
  scanner.items.clear();
  scanner.Scan();
  Builder builder{scanner, {}};
  builder.Run();
  DemoteWordsInCapitals(scanner, &scanner.anchors);
  if (form) {
    for (Anchor& a : scanner.anchors) form->MapBack(&a);
  }
  // Whole-chunk anchors were emitted while scanning, word anchors after: restore text order.
  std::stable_sort(scanner.anchors.begin(), scanner.anchors.end(),
                   [](const Anchor& a, const Anchor& b) { return a.begin < b.begin; });
  // What a huge document needed is given back; ordinary ones' is kept.
  constexpr size_t kKeptScratchBytes = 64 << 20;
  if (scanner.cps.capacity() * sizeof(CodePoint) <= kKeptScratchBytes) cps = std::move(scanner.cps);
  if (scanner.items.capacity() * sizeof(Item) <= kKeptScratchBytes) items = std::move(scanner.items);
  return std::move(scanner.anchors);
}

}  // namespace internal

absl::StatusOr<std::vector<Anchor>> ExtractAnchors(std::string_view text, const AnchorOptions& options) {
  if (absl::Status valid = ValidateUtf8(text); !valid.ok()) return valid;
  return internal::ExtractAnchorsOfValidUtf8(text, options.language);
}

}  // namespace neardup

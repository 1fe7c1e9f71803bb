// File: xlang/anchor_scanner.h
//
// The anchor scanner: a text's code points turned into items (words, numbers, punctuation,
// sentence ends) with their byte spans, which the anchor builder (anchor.cc) reads.
// Private to the anchor extractor (anchor.cc).

#ifndef NEARDUP_XLANG_ANCHOR_SCANNER_H_
#define NEARDUP_XLANG_ANCHOR_SCANNER_H_

#include <unicode/locid.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
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
#include "xlang/unspaced_text.h"

namespace neardup::internal::anchors {

// The code point that starts at byte `i` of valid UTF-8 `text`; `*next` is the byte after it.
// The text is read in place: a decoded copy (12 bytes a code point) and the pass that made it
// were a sixth of anchor extraction's time on the perf corpus, whose bytes are 82% ASCII.
inline UChar32 CodePointAt(std::string_view text, uint32_t i, uint32_t* next) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  if (p[i] < 0x80) {
    *next = i + 1;
    return p[i];
  }
  int32_t j = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(p, j, static_cast<int32_t>(text.size()), c);
  *next = static_cast<uint32_t>(j);
  return c;
}

// The code point that ends at byte `i` of valid UTF-8 `text`; `*start` is its first byte.
inline UChar32 CodePointBefore(std::string_view text, uint32_t i, uint32_t* start) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  if (p[i - 1] < 0x80) {
    *start = i - 1;
    return p[i - 1];
  }
  int32_t j = static_cast<int32_t>(i);
  UChar32 c;
  U8_PREV(p, 0, j, c);
  *start = static_cast<uint32_t>(j);
  return c;
}

// The first byte from `i` on that is a control character, a space or not ASCII (or
// text.size()): the bytes before it are printable ASCII, no space, and can be passed over
// without decoding. Eight bytes at a time where the machine is little-endian.
inline uint32_t SkipPrintableAscii(std::string_view text, uint32_t i) {
  const auto n = static_cast<uint32_t>(text.size());
  if constexpr (std::endian::native == std::endian::little) {
    constexpr uint64_t kOnes = 0x0101010101010101, kHighBits = 0x8080808080808080;
    for (; i + 8 <= n; i += 8) {
      uint64_t x;
      std::memcpy(&x, text.data() + i, 8);
      // A byte below 0x21 borrows its high bit in x - 0x21.., one of 0x80 or more has it set;
      // borrows reach only bytes after the first such byte, which is the lowest flagged.
      const uint64_t stops = (((x - kOnes * 0x21) & ~x) | x) & kHighBits;
      if (stops != 0) return i + static_cast<uint32_t>(std::countr_zero(stops)) / 8;
    }
  }
  while (i < n && static_cast<uint8_t>(text[i]) > 0x20 && static_cast<uint8_t>(text[i]) < 0x80) ++i;
  return i;
}

// The classes beyond what is answered inline below, from ICU's properties.
bool IsLetterBeyondAscii(UChar32 c);
bool IsDigitBeyondAscii(UChar32 c);

// The classes of ASCII, and of the Latin and Cyrillic letters most other text is written in,
// are answered inline, as ICU's properties answer them (checked against ICU 72 code point by
// code point), without ICU's lookups for every character of a text.
inline bool IsSpace(UChar32 c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  return IsWhiteSpaceBeyondAscii(c) || c == 0x200B;  // and the zero-width space between words
}

inline bool IsGroupingSpace(UChar32 c) { return c == 0x00A0 || c == 0x202F || c == 0x2009 || c == 0x2007; }

inline bool IsLetter(UChar32 c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7;  // Latin-1's letters, Latin Extended-A and -B
  if (c >= 0x400 && c <= 0x481) return true;                     // Cyrillic's letters
  return IsLetterBeyondAscii(c);
}

inline bool IsDigit(UChar32 c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  if (c < 0x660) return false;  // no decimal digit between ASCII's and Arabic-Indic's (U+0660)
  return IsDigitBeyondAscii(c);
}

inline bool IsApostrophe(UChar32 c) { return c == '\'' || c == 0x2019 || c == 0x02BC; }

inline bool IsSentenceEnd(UChar32 c) { return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == ':' || c == ';'; }

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
  std::vector<Anchor> anchors;
  std::vector<Item> items;

  std::string_view Bytes(uint32_t b, uint32_t e) const { return text.substr(b, e - b); }
  UChar32 At(uint32_t i, uint32_t* next) const { return CodePointAt(text, i, next); }

  void Emit(AnchorKind kind, uint32_t b, uint32_t e, std::string key, double value = 0) {
    anchors.push_back(Anchor{kind, b, e, std::move(key), value});
  }

  static bool AsciiLettersOnly(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; });
  }

  // Whole-chunk anchors: URLs, e-mails, handles, hashtags, options, paths, code identifiers.
  bool ClassifyChunk(uint32_t b, uint32_t e) {
    const std::string_view s = Bytes(b, e);
    // Most chunks are plain words, and letters alone (of any script) make none of the
    // patterns below, which all need a digit or a mark such as '.', ':', '/', '@' or '_'.
    if (std::all_of(s.begin(), s.end(), [](char c) {
          return static_cast<unsigned char>(c) >= 0x80 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
        })) {
      return false;
    }
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

  // Splits the chunk of bytes [first, last) into letter runs and digit runs.
  void SplitChunk(uint32_t first, uint32_t last, bool sentence_start, bool* percent_seen) {
    uint32_t i = first, next, after;
    while (i < last) {
      const UChar32 c = At(i, &next);
      if (c == '%' && !items.empty()) {
        items.back().percent_after = true;
        *percent_seen = true;
      }
      if (IsLetter(c) || IsDigit(c)) {
        const uint32_t start = i;
        bool letters = false, digits = false;
        while (i < last) {
          const UChar32 d = At(i, &next);
          if (IsLetter(d)) {
            letters = true;
          } else if (IsDigit(d)) {
            digits = true;
          } else if ((d == '.' || d == ',') && next < last && IsDigit(At(next, &after)) && digits && !letters) {
            // decimal or grouping separator inside a number
          } else if ((IsApostrophe(d) || d == '-') && next < last && IsLetter(At(next, &after)) && letters) {
            // elision or hyphenated word: split after, handled below
            break;
          } else {
            break;
          }
          i = next;
        }
        Item item{letters ? Item::kWord : Item::kNumber, start, i, sentence_start, false, false, false};
        if (letters && digits) {
          // TPU1, H100, x86, 3D: an identifier as a whole.
          Emit(AnchorKind::kIdentifier, item.begin, item.end, "id:" + WordKey(Bytes(item.begin, item.end)));
          items.push_back(Item{Item::kWord, item.begin, item.begin, sentence_start, false, false, false});  // placeholder breaks runs
        } else {
          items.push_back(item);
        }
        sentence_start = false;
        // Elision: d'Anthropic, dell'azienda, l'IA: the part before the apostrophe is an article
        // (of five bytes at most: ASCII letters, since lowering ASCII keeps the length).
        if (i < last && IsApostrophe(At(i, &next)) && letters) {
          if (item.end - item.begin <= 5) {
            items.pop_back();
            sentence_start = item.sentence_start;
            if (!items.empty()) items.back().joined_to_next = false;  // "Trainium d'Amazon": two names
          }
          i = next;
        } else if (i < last && text[i] == '-') {
          ++i;  // "Jean-Pierre", "vingt-et-un": parts become separate items, joined
          if (!items.empty()) items.back().joined_to_next = true;
        }
        continue;
      }
      i = next;
    }
  }

  void Scan() {
    const uint32_t n = static_cast<uint32_t>(text.size());
    bool sentence_start = true;
    uint32_t i = 0, next;
    while (i < n) {
      // Whitespace between chunks: a newline starts a sentence.
      size_t spaces = 0;
      bool grouping = false;
      while (i < n) {
        const UChar32 c = At(i, &next);
        if (!IsSpace(c)) break;
        if (c == '\n' || c == '\r' || c == 0x2029) sentence_start = true;
        grouping |= IsGroupingSpace(c);
        ++spaces, i = next;
      }
      if (!items.empty() && spaces > 0) {
        items.back().joined_to_next = spaces == 1 && !sentence_start;
        items.back().grouping_space_after = grouping;
      }
      if (i >= n) break;
      uint32_t end = SkipPrintableAscii(text, i);
      while (end < n && !IsSpace(At(end, &next))) end = SkipPrintableAscii(text, next);
      // Trim punctuation around the chunk; remember whether it ends a sentence.
      uint32_t b = i, e = end;
      const auto leading = [](UChar32 c) {
        return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == 0xAB || c == 0x201C || c == 0x2018 ||
               c == 0xBF || c == 0xA1 || c == '*' || c == 0x201E;
      };
      const auto trailing = [](UChar32 c) {
        return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']' ||
               c == '}' || c == '"' || c == '\'' || c == 0xBB || c == 0x201D || c == 0x2019 || c == 0x2026 || c == '*';
      };
      bool opened_quote_or_paren = false;
      while (b < e && leading(At(b, &next))) opened_quote_or_paren = true, b = next;
      bool ends_sentence = false, closes_with_punct = false;
      // '(' is one byte, and no byte of another character's UTF-8 equals it.
      const auto opens_before = [&](uint32_t end_byte) {
        return Bytes(b, end_byte).find('(') != std::string_view::npos;
      };
      while (e > b) {
        uint32_t start;
        const UChar32 c = CodePointBefore(text, e, &start);
        if (!trailing(c)) break;
        if (c == ')' && opens_before(start)) break;  // f(), snake_case(): keep the call
        ends_sentence |= IsSentenceEnd(c);
        closes_with_punct = true;
        e = start;
      }
      const size_t items_before = items.size();
      if (b < e) {
        if (AsciiLettersOnly(Bytes(b, e))) {
          // The most common chunk, a plain word: the item SplitChunk would make, without its
          // decoding (and no pattern of ClassifyChunk matches letters alone).
          items.push_back(Item{Item::kWord, b, e, sentence_start, false, false, false});
        } else if (!ClassifyChunk(b, e)) {
          bool percent = false;
          SplitChunk(b, e, sentence_start, &percent);
        } else {
          items.push_back(Item{Item::kWord, b, b, sentence_start, false, false, false});
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

}  // namespace neardup::internal::anchors

#endif  // NEARDUP_XLANG_ANCHOR_SCANNER_H_

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
#include "xlang/unspaced_text.h"

namespace neardup::internal::anchors {

struct CodePoint {
  UChar32 c;
  uint32_t begin, end;
};

void Decode(std::string_view text, std::vector<CodePoint>* cps);

// ASCII answers inline; ICU's property lookups only for the rest.
bool IsSpace(UChar32 c);

bool IsGroupingSpace(UChar32 c);

bool IsLetter(UChar32 c);

bool IsDigit(UChar32 c);

bool IsApostrophe(UChar32 c);

bool IsSentenceEnd(UChar32 c);

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

}  // namespace neardup::internal::anchors

#endif  // NEARDUP_XLANG_ANCHOR_SCANNER_H_

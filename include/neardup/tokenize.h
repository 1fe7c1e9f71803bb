// File: tokenize.h
//
// Word tokenization by the Unicode word-break rules (UAX #29, via ICU), right for every script:
// spaces are not needed between words, so Chinese, Japanese and Thai are split with ICU's
// dictionaries. Punctuation and spaces are not tokens. Lines without such scripts take a faster
// implementation of the same rules, with identical output.
//
// Example:
//   std::string text = *neardup::Normalize("Le PDG de NVIDIA, 7 milliards.");
//   for (const neardup::Token& t : neardup::Tokenize(text)) std::cout << t.text(text) << "\n";
//   // le / pdg / de / nvidia / 7 / milliards

#ifndef NEARDUP_TOKENIZE_H_
#define NEARDUP_TOKENIZE_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace neardup {

// The word-break category of a token (ICU's rule status ranges).
enum class TokenKind : uint8_t {
  kNumber = 1,       // 42, 3.14, 1,000
  kLetter = 2,       // words in alphabetic scripts and Hangul
  kKana = 3,         // Japanese kana
  kIdeographic = 4,  // CJK ideographs, one dictionary word per token
};

// A token: the bytes [begin, end) of the text it was found in.
struct Token {
  uint32_t begin = 0;
  uint32_t end = 0;
  TokenKind kind = TokenKind::kLetter;

  std::string_view text(std::string_view document) const {
    return document.substr(begin, end - begin);
  }
  friend bool operator==(const Token&, const Token&) = default;
};

// Appends the tokens of `utf8` (which should be valid UTF-8, e.g. Normalize()'s output; ill-formed
// bytes are treated as U+FFFD) to `*out` after clearing it. Documents of 4 GiB or more are
// refused by Normalize's size limit before they get here. Thread-safe: each thread uses its own
// ICU break iterator.
void Tokenize(std::string_view utf8, std::vector<Token>* out);
std::vector<Token> Tokenize(std::string_view utf8);

}  // namespace neardup

#endif  // NEARDUP_TOKENIZE_H_

// File: text/word_break.h
//
// Two implementations of the same word segmentation: ICU's BreakIterator (the reference, and
// the only one for Thai, Lao, Khmer, Myanmar and Korean), and a direct implementation of the
// Unicode word-break rules (UAX #29, with ICU's tailoring) for everything else, several times
// faster because it makes one pass with one table lookup per character. Chinese and Japanese
// runs go to ICU's own dictionary, through text/cjk_segmenter.h. Tokenize() runs the fast one
// and hands ICU only the lines (a line feed always breaks words) it cannot take; the tests and
// a fuzz target check that the result agrees with ICU's byte for byte.

#ifndef NEARDUP_TEXT_WORD_BREAK_H_
#define NEARDUP_TEXT_WORD_BREAK_H_

#include <string_view>
#include <vector>

#include "neardup/tokenize.h"

namespace neardup::internal {

void TokenizeWithIcu(std::string_view utf8, std::vector<Token>* out);

// Returns false, leaving *out unspecified, when the text needs ICU: Thai, Lao, Khmer or
// Myanmar (dictionary segmentation), Korean, Chinese or Japanese next to a combining mark or
// connector, Hebrew letters, emoji sequences, regional indicators, or ill-formed UTF-8.
bool TokenizeFast(std::string_view utf8, std::vector<Token>* out);

}  // namespace neardup::internal

#endif  // NEARDUP_TEXT_WORD_BREAK_H_

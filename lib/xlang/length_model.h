// File: xlang/length_model.h
//
// How long a text is for comparing it with its translation, in any script.

#ifndef NEARDUP_XLANG_LENGTH_MODEL_H_
#define NEARDUP_XLANG_LENGTH_MODEL_H_

#include <cstddef>
#include <string_view>

namespace neardup::internal {

// The length of valid UTF-8 in Latin letters: what its characters would take written in
// English. A Han character counts kHanLetters, a kana kKanaLetters, a Hangul syllable
// kHangulLetters (length_model.cc says where they come from), any other code point 1.
// A Chinese sentence has about a quarter of the code points of its English original, while
// the code, paths and numbers inside it are as long as in the original: lengths, length
// ratios and paragraph layouts of translations are compared in these units.
size_t LengthInLatinLetters(std::string_view text);

}  // namespace neardup::internal

#endif  // NEARDUP_XLANG_LENGTH_MODEL_H_

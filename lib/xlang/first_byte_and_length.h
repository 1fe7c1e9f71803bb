// File: xlang/first_byte_and_length.h
//
// A quick test that rules most words out before a hash lookup in a small vocabulary (month
// names, number words, function words, the letter runs of acronyms): the set of its words'
// (first byte, length) pairs, as a bitset. A word whose pair is absent is no word of the
// vocabulary; one whose pair is present still needs the lookup.

#ifndef NEARDUP_XLANG_FIRST_BYTE_AND_LENGTH_H_
#define NEARDUP_XLANG_FIRST_BYTE_AND_LENGTH_H_

#include <algorithm>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace neardup::internal {

class FirstByteAndLength {
 public:
  void Add(std::string_view word) { bits_.set(Index(word)); }
  bool MayHold(std::string_view word) const { return !word.empty() && bits_.test(Index(word)); }

 private:
  static constexpr size_t kLengths = 64;  // longer words share the last length
  static size_t Index(std::string_view word) {
    return static_cast<uint8_t>(word[0]) * kLengths + std::min(word.size(), kLengths - 1);
  }
  std::bitset<256 * kLengths> bits_;
};

}  // namespace neardup::internal

#endif  // NEARDUP_XLANG_FIRST_BYTE_AND_LENGTH_H_

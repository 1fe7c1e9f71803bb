// File: internal/text_util.h
//
// Small text helpers shared by the implementation files.

#ifndef NEARDUP_INTERNAL_TEXT_UTIL_H_
#define NEARDUP_INTERNAL_TEXT_UTIL_H_

#include <cstddef>
#include <string_view>

namespace neardup::internal {

// Code points of valid UTF-8 (bytes that are not continuation bytes).
inline size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace neardup::internal

#endif  // NEARDUP_INTERNAL_TEXT_UTIL_H_

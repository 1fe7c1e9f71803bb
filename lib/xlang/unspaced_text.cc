#include "xlang/unspaced_text.h"

#include <cstring>

namespace neardup::internal::anchors {

using internal::StringCache;

bool IsUnspacedScript(UChar32 c) {
  const auto in = [c](UChar32 first, UChar32 last) { return c >= first && c <= last; };
  return in(0x0E00, 0x0EFF) || in(0x1000, 0x109F) || in(0x1100, 0x11FF) || in(0x1780, 0x17FF) ||
         in(0x2E80, 0x2FDF) || in(0x3005, 0x3007) || in(0x3040, 0x30FA) || in(0x30FC, 0x30FF) ||
         in(0x3130, 0x318F) || in(0x31F0, 0x31FF) || in(0x3400, 0x4DBF) || in(0x4E00, 0x9FFF) ||
         in(0xAC00, 0xD7AF) || in(0xF900, 0xFAFF) || in(0xFF66, 0xFF9F) || in(0x20000, 0x3FFFF);
}

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

bool NeedsScanForm(std::string_view text) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    // Every character ScanForm changes is of three bytes or four, whose first byte is 0xE0
    // or more: eight bytes without one (ASCII, Latin, Cyrillic, Greek, Arabic...) are passed
    // over at once. A byte's top three bits are all set in x & 0xE0.. exactly when it is
    // 0xE0 or more, so y = that ^ 0xE0.. has a zero byte, found by the usual zero-byte test.
    if (i + 8 <= n) {
      constexpr uint64_t kOnes = 0x0101010101010101, kHighBits = 0x8080808080808080;
      uint64_t x;
      std::memcpy(&x, p + i, 8);
      const uint64_t y = (x & (kOnes * 0xE0)) ^ (kOnes * 0xE0);
      if (((y - kOnes) & ~y & kHighBits) == 0) {
        i += 8;
        continue;
      }
    }
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

std::optional<double> CjkScaleAfterDigits(UChar32 c) {
  switch (c) {
    case 0x5343: case 0xCC9C: return 1e3;             // 千, 천
    case 0x4E07: case 0x842C: case 0xB9CC: return 1e4;  // 万, 萬, 만
    case 0x5104: case 0x4EBF: case 0xC5B5: return 1e8;  // 億, 亿, 억
    default: return std::nullopt;
  }
}

}  // namespace neardup::internal::anchors

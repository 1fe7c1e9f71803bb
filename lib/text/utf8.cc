#include "neardup/utf8.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace neardup {
namespace {

// Length of the well-formed sequence starting at text[i], or 0 if the bytes there are not a
// well-formed sequence. `*bad_len` receives the length of the maximal subpart to replace.
size_t SequenceLength(std::string_view text, size_t i, size_t* bad_len) {
  const auto byte = [&](size_t j) { return static_cast<unsigned char>(text[j]); };
  const unsigned char b0 = byte(i);
  *bad_len = 1;
  if (b0 == 0) return 0;  // NUL: binary data
  if (b0 < 0x80) return 1;
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlongs
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 4;
    if (b0 == 0xF0) lo = 0x90;  // no overlongs
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  for (size_t k = 1; k < need; ++k) {
    if (i + k >= text.size()) return 0;
    const unsigned char b = byte(i + k);
    const bool ok = (k == 1) ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    if (!ok) return 0;
    *bad_len = k + 1;  // the maximal subpart includes every continuation byte seen so far
  }
  return need;
}

// Why the sequence at text[i] is not UTF-8, in the terms of the Unicode standard (table 3-7).
std::string DescribeByte(std::string_view text, size_t i) {
  const auto byte = [&](size_t j) { return static_cast<unsigned char>(text[j]); };
  const unsigned char b = byte(i);
  if (b == 0) return "NUL byte (binary data?)";
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto hex = [&](unsigned char v) { return std::string{'0', 'x', kHex[v >> 4], kHex[v & 15]}; };
  if (b >= 0x80 && b <= 0xBF) return absl::StrCat("unexpected continuation byte ", hex(b));
  if (b == 0xC0 || b == 0xC1 || b >= 0xF5) return absl::StrCat("byte ", hex(b), " never appears in UTF-8");
  size_t bad_len;
  SequenceLength(text, i, &bad_len);  // the lead byte and the continuation bytes that fit
  const size_t at = i + bad_len;
  if (at >= text.size()) return absl::StrCat("sequence starting with ", hex(b), " cut by the end of the text");
  const unsigned char next = byte(at);
  if (bad_len == 1) {  // the second byte is the culprit: some leads narrow its range
    if ((b == 0xE0 && next < 0xA0) || (b == 0xF0 && next < 0x90)) {
      return absl::StrCat("overlong encoding ", hex(b), " ", hex(next));
    }
    if (b == 0xED && next >= 0xA0 && next <= 0xBF) {
      return absl::StrCat("UTF-16 surrogate encoded as UTF-8 (", hex(b), " ", hex(next), ")");
    }
    if (b == 0xF4 && next >= 0x90 && next <= 0xBF) {
      return absl::StrCat("code point above U+10FFFF (", hex(b), " ", hex(next), ")");
    }
  }
  return absl::StrCat("sequence starting with ", hex(b), " lacks a continuation byte (found ", hex(next), ")");
}

}  // namespace

size_t FindInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    // ASCII fast path: eight bytes at a time while no byte has its high bit set or is NUL.
    while (i + 8 <= text.size()) {
      uint64_t w = 0;
      for (int k = 0; k < 8; ++k) w |= static_cast<uint64_t>(static_cast<unsigned char>(text[i + k])) << (8 * k);
      const bool has_high = (w & 0x8080808080808080ULL) != 0;
      const bool has_zero = ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) != 0;
      if (has_high || has_zero) break;
      i += 8;
    }
    if (i >= text.size()) break;
    size_t bad_len;
    const size_t len = SequenceLength(text, i, &bad_len);
    if (len == 0) return i;
    i += len;
  }
  return text.size();
}

absl::Status ValidateUtf8(std::string_view text) {
  const size_t at = FindInvalidUtf8(text);
  if (at == text.size()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("invalid UTF-8 at byte ", at, ": ", DescribeByte(text, at)));
}

std::string ReplaceInvalidUtf8(std::string_view text) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t bad = FindInvalidUtf8(text.substr(i));
    out.append(text.substr(i, bad));
    i += bad;
    if (i >= text.size()) break;
    size_t bad_len;
    SequenceLength(text, i, &bad_len);
    out.append(kReplacement);
    i += bad_len;
  }
  return out;
}

}  // namespace neardup

#include "xlang/anchor_scanner.h"

namespace neardup::internal::anchors {

using internal::StringCache;

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

}  // namespace neardup::internal::anchors

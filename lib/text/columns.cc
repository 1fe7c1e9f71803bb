#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "internal/text_util.h"

namespace neardup::internal {

size_t CountColumns(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  size_t columns = 0;
  for (int32_t i = 0; i < n;) {
    // Below U+1100 (lead bytes under 0xE1) nothing is wide: no lookup.
    if (p[i] < 0xE1) {
      columns += (p[i] & 0xC0) != 0x80;
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);
    const int width = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    columns += (width == U_EA_WIDE || width == U_EA_FULLWIDTH) ? 2 : 1;
  }
  return columns;
}

}  // namespace neardup::internal

#include "xlang/anchor_scanner.h"

namespace neardup::internal::anchors {

using internal::StringCache;

bool IsLetterBeyondAscii(UChar32 c) { return u_isalpha(c) || u_charType(c) == U_NON_SPACING_MARK; }

bool IsDigitBeyondAscii(UChar32 c) { return u_isdigit(c); }

}  // namespace neardup::internal::anchors

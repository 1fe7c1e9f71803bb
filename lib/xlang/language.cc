// The only translation unit that includes CLD2.
#include "neardup/language.h"

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <algorithm>
#include <cctype>

namespace CLD2 {
const char* LanguageCode(Language lang);  // declared in cld2/internal/lang_script.h
}  // namespace CLD2

namespace neardup {

std::string NormalizeLanguageTag(std::string_view tag) {
  std::string out;
  for (char c : tag) {
    if (c == '-' || c == '_') break;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string DetectLanguage(std::string_view text) {
  // A few kilobytes identify a language reliably; the rest of a long document only costs time
  // (CLD2 is a third of the cross-language path's cost at 8 KB).
  constexpr size_t kMaxBytes = 3 << 10;
  size_t n = std::min(text.size(), kMaxBytes);
  while (n > 0 && n < text.size() && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // whole chars
  bool reliable = false;
  int valid_prefix = 0;
  const CLD2::Language lang = CLD2::DetectLanguageCheckUTF8(text.data(), static_cast<int>(n), /*is_plain_text=*/true,
                                                            &reliable, &valid_prefix);
  if (!reliable || lang == CLD2::UNKNOWN_LANGUAGE) return "";
  return NormalizeLanguageTag(CLD2::LanguageCode(lang));
}

}  // namespace neardup

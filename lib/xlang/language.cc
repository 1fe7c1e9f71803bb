// The only translation unit that includes CLD2.
#include "neardup/language.h"

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <algorithm>
#include <cctype>
#include <climits>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "xlang/language_sample.h"

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

absl::StatusOr<std::string> ParseLanguageTag(std::string_view tag) {
  const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  const auto is_alnum = [&](char c) { return is_alpha(c) || (c >= '0' && c <= '9'); };
  bool valid = true;
  size_t subtag_begin = 0;
  for (size_t i = 0; i <= tag.size() && valid; ++i) {
    if (i < tag.size() && tag[i] != '-' && tag[i] != '_') {
      valid = subtag_begin == 0 ? is_alpha(tag[i]) : is_alnum(tag[i]);
      continue;
    }
    const size_t length = i - subtag_begin;
    // BCP 47: the primary subtag has 2 or 3 letters (ISO 639), the others 1 to 8 characters.
    valid = subtag_begin == 0 ? (length >= 2 && length <= 3) : (length >= 1 && length <= 8);
    subtag_begin = i + 1;
  }
  if (tag.empty()) return std::string();
  if (!valid) {
    return absl::InvalidArgumentError(absl::StrCat("language tag '", absl::CHexEscape(absl::string_view(tag.data(), tag.size())),
                                                   "' is not a BCP 47 tag such as 'fr' or 'pt-BR'"));
  }
  return NormalizeLanguageTag(tag);
}

namespace internal {

std::string DetectLanguageIn(std::string_view text, size_t max_bytes) {
  size_t n = std::min({text.size(), max_bytes, size_t{INT_MAX}});  // CLD2 takes an int length
  while (n > 0 && n < text.size() && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // whole chars
  bool reliable = false;
  int valid_prefix = 0;
  const CLD2::Language lang = CLD2::DetectLanguageCheckUTF8(text.data(), static_cast<int>(n), /*is_plain_text=*/true,
                                                            &reliable, &valid_prefix);
  if (!reliable || lang == CLD2::UNKNOWN_LANGUAGE) return "";
  return NormalizeLanguageTag(CLD2::LanguageCode(lang));
}

}  // namespace internal

std::string DetectLanguage(std::string_view text) {
  return internal::DetectLanguageIn(text, internal::kLanguageSampleBytes);
}

}  // namespace neardup

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
const char* LanguageCode(Language lang);                     // declared in cld2/internal/lang_script.h
int SpanInterchangeValid(const char* src, int byte_length);  // declared in cld2/internal/compact_lang_det_impl.h
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

namespace {

// CLD2's answer on a prefix of a text, and how sure it is.
struct PrefixAnswer {
  std::string language;  // "" when CLD2 finds no language or does not call it reliable
  int percent = 0;       // its share of the prefix's text (percent3) when CLD2 ranks it first, else 0
  bool english = false;
  bool final = false;    // no longer prefix can answer otherwise: it was the whole text, or not UTF-8
};

PrefixAnswer DetectInPrefix(std::string_view text, size_t max_bytes) {
  size_t n = std::min({text.size(), max_bytes, size_t{INT_MAX}});  // CLD2 takes an int length
  while (n > 0 && n < text.size() && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // whole chars
  const int length = static_cast<int>(n);
  PrefixAnswer answer;
  answer.final = n == text.size();
  // DetectLanguageCheckUTF8's check, which gives no percentages: CLD2 finds nothing in text that
  // is not UTF-8, and every longer prefix holds the same bad bytes.
  if (CLD2::SpanInterchangeValid(text.data(), length) < length) {
    answer.final = true;
    return answer;
  }
  CLD2::Language language3[3];
  int percent3[3];
  int text_bytes = 0;
  bool reliable = false;
  // The same answer as DetectLanguageCheckUTF8's (both call DetectLanguageSummaryV2 without
  // extended languages), with the top three languages' shares.
  const CLD2::Language lang = CLD2::DetectLanguageSummary(text.data(), length, /*is_plain_text=*/true, language3,
                                                          percent3, &text_bytes, &reliable);
  if (!reliable || lang == CLD2::UNKNOWN_LANGUAGE) return answer;
  answer.language = NormalizeLanguageTag(CLD2::LanguageCode(lang));
  // CLD2 may answer its second language over a first English one (its boilerplate rule): never sure.
  answer.percent = lang == language3[0] ? percent3[0] : 0;
  answer.english = lang == CLD2::ENGLISH;
  return answer;
}

}  // namespace

namespace internal {

std::string DetectLanguageIn(std::string_view text, size_t max_bytes) {
  return DetectInPrefix(text, max_bytes).language;
}

}  // namespace internal

// The adaptive sample of xlang/language_sample.h: more of the text only where CLD2 is unsure.
std::string DetectLanguage(std::string_view text) {
  const PrefixAnswer first = DetectInPrefix(text, internal::kLanguageFirstSampleBytes);
  const int sure_percent = first.english ? internal::kLanguageSureEnglishPercent : internal::kLanguageSurePercent;
  if (first.final || (!first.language.empty() && first.percent >= sure_percent)) return first.language;
  const PrefixAnswer grown = DetectInPrefix(text, internal::kLanguageGrownSampleBytes);
  if (grown.final || !grown.language.empty()) return grown.language;
  return internal::DetectLanguageIn(text, internal::kLanguageLastSampleBytes);
}

}  // namespace neardup

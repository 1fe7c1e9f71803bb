// File: language.h
//
// Language identification for documents whose language the caller does not know, so that
// cross-language matching knows which pairs are translations and how to read numbers
// ("1,5" is 1.5 in French; "1,500" is 1500 in English). Backed by CLD2 (Compact Language
// Detector 2).
//
// Example:
//   std::string lang = neardup::DetectLanguage("Le PDG de NVIDIA a annoncé ...");  // "fr"

#ifndef NEARDUP_LANGUAGE_H_
#define NEARDUP_LANGUAGE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace neardup {

// The ISO 639-1 code of the main language of UTF-8 `text` ("en", "fr", "it", ...), or "" when
// the text is too short or too mixed to say reliably. Reads the first 2 KB, and up to 16 KB
// where CLD2 is unsure of those: on the corpora it decides as the whole text does for more than
// 99% of documents. Deterministic; thread-safe.
std::string DetectLanguage(std::string_view text);

// "fr-CA" → "fr", "FR" → "fr", "" → "": the form DetectLanguage returns and anchors expect.
std::string NormalizeLanguageTag(std::string_view tag);

// A caller's language tag, checked and normalized: a BCP 47 primary language subtag of 2 or 3
// letters, optionally followed by subtags of letters and digits after '-' or '_' ("fr",
// "pt-BR", "zh_Hant"). "" means unknown (detect). Anything else ("french", "f", "fr--CA")
// is kInvalidArgument: a misspelled tag would otherwise silently make a document of another
// language, and a French page a "translation" of its French copy.
absl::StatusOr<std::string> ParseLanguageTag(std::string_view tag);

}  // namespace neardup

#endif  // NEARDUP_LANGUAGE_H_

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

namespace neardup {

// The ISO 639-1 code of the main language of UTF-8 `text` ("en", "fr", "it", ...), or "" when
// the text is too short or too mixed to say reliably. Deterministic; thread-safe.
std::string DetectLanguage(std::string_view text);

// "fr-CA" → "fr", "FR" → "fr", "" → "": the form DetectLanguage returns and anchors expect.
std::string NormalizeLanguageTag(std::string_view tag);

}  // namespace neardup

#endif  // NEARDUP_LANGUAGE_H_

// File: xlang/number_words.h
//
// Spelled-out numbers per language, backed by ICU's RuleBasedNumberFormat: a vocabulary of
// number words (made by formatting numbers with the spellout rules, so it is ICU's own), scale
// words that multiply digits ("7 milliards"), month names, and a cached parser.

#ifndef NEARDUP_XLANG_NUMBER_WORDS_H_
#define NEARDUP_XLANG_NUMBER_WORDS_H_

#include <optional>
#include <string>
#include <string_view>

namespace neardup::internal {

// Whether `language` ("en", "fr", ...) has number words, scale words and separators here.
bool SupportsNumberWords(std::string_view language);

// Whether lower-case `word` belongs to the spelled-out numbers of `language` (including joiners
// such as "et", "e", "y", "und", "and" that only count between number words).
bool IsNumberWord(std::string_view language, std::string_view word);
bool IsNumberJoiner(std::string_view language, std::string_view word);
// Whether `word` is the language's indefinite article that is also "one" (un, una, a, ein...).
bool IsArticleOne(std::string_view language, std::string_view word);

// The value of a lower-case spelled-out number phrase ("un million", "vingt-et-un"), or
// nullopt if ICU cannot read all of it. Cached per thread.
std::optional<double> ParseSpelledNumber(std::string_view language, std::string_view phrase);

// The multiplier of a scale word after digits ("milliards" in French = 1e9, "billion" in
// English = 1e9, in French = 1e12), or nullopt.
std::optional<double> ScaleWord(std::string_view language, std::string_view word);

// 1-12 for a month name in any supported language ("octobre", "ottobre", "Oct"), else 0.
int MonthNumber(std::string_view word);

}  // namespace neardup::internal

#endif  // NEARDUP_XLANG_NUMBER_WORDS_H_

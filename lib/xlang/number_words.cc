#include "xlang/number_words.h"

#include "xlang/first_byte_and_length.h"
#include "xlang/string_cache.h"

#include <unicode/fmtable.h>
#include <unicode/locid.h>
#include <unicode/parsepos.h>
#include <unicode/rbnf.h>
#include <unicode/unistr.h>

#include <iterator>
#include <memory>
#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace neardup::internal {
namespace {

constexpr std::string_view kLanguages[] = {"en", "fr", "it", "es", "de", "pt"};

std::string Lower(const icu::UnicodeString& s) {
  icu::UnicodeString copy(s);
  copy.toLower(icu::Locale::getRoot());
  std::string out;
  copy.toUTF8String(out);
  return out;
}

// Number vocabulary of one language, built once from ICU's spellout rules. The filter rules
// out most words of a text before hashing them (the hash lookups of every word were 8% of
// anchor extraction's time on the perf corpus).
struct Vocabulary {
  absl::flat_hash_set<std::string> words;
  FirstByteAndLength filter;
};

const Vocabulary& VocabularyOfLocked(std::string_view language);

// The vocabulary of `language` (one of kLanguages), remembered per thread (a document asks
// for its own language thousands of times; the shared table needs a lock). By the language's
// index in kLanguages: plain pointers in thread-local storage are read without the guard a
// thread-local string needs.
const Vocabulary& VocabularyOf(size_t language_index) {
  thread_local const Vocabulary* known[std::size(kLanguages)] = {};
  const Vocabulary*& vocabulary = known[language_index];
  if (vocabulary == nullptr) vocabulary = &VocabularyOfLocked(kLanguages[language_index]);
  return *vocabulary;
}

// The index of `language` in kLanguages, or -1.
int LanguageIndex(std::string_view language) {
  for (size_t i = 0; i < std::size(kLanguages); ++i) {
    if (kLanguages[i] == language) return static_cast<int>(i);
  }
  return -1;
}

const Vocabulary& VocabularyOfLocked(std::string_view language) {
  static std::mutex mu;
  static absl::flat_hash_map<std::string, std::unique_ptr<Vocabulary>> cache;
  std::lock_guard lock(mu);
  auto& slot = cache[absl::string_view(language.data(), language.size())];
  if (slot) return *slot;
  slot = std::make_unique<Vocabulary>();
  UErrorCode status = U_ZERO_ERROR;
  icu::RuleBasedNumberFormat format(icu::URBNF_SPELLOUT, icu::Locale(std::string(language).c_str()), status);
  if (U_FAILURE(status)) return *slot;
  std::vector<double> values;
  for (int v = 0; v <= 100; ++v) values.push_back(v);
  for (int v = 200; v <= 1000; v += 100) values.push_back(v);
  for (double v : {2000.0, 1e6, 2e6, 1e9, 2e9, 1e12, 2e12}) values.push_back(v);
  for (double v : values) {
    icu::UnicodeString text;
    format.format(v, text);
    const std::string lower = Lower(text);
    std::string word;
    for (size_t i = 0; i <= lower.size(); ++i) {
      const bool boundary = i == lower.size() || lower[i] == ' ' || lower[i] == '-' ||
                            (lower.compare(i, 2, "\xC2\xAD") == 0);  // soft hyphen
      if (!boundary) {
        word.push_back(lower[i]);
        continue;
      }
      if (!word.empty()) {
        slot->words.insert(word);
        slot->filter.Add(word);
      }
      word.clear();
      if (i < lower.size() && lower[i] == '\xC2') ++i;
    }
  }
  return *slot;
}

struct ScaleEntry {
  std::string_view language, word;
  double value;
};
constexpr ScaleEntry kScales[] = {
    {"en", "thousand", 1e3}, {"en", "million", 1e6}, {"en", "millions", 1e6}, {"en", "billion", 1e9},
    {"en", "billions", 1e9}, {"en", "bn", 1e9}, {"en", "trillion", 1e12},
    {"fr", "mille", 1e3}, {"fr", "million", 1e6}, {"fr", "millions", 1e6}, {"fr", "milliard", 1e9},
    {"fr", "milliards", 1e9}, {"fr", "md", 1e9}, {"fr", "mds", 1e9}, {"fr", "billion", 1e12}, {"fr", "billions", 1e12},
    {"it", "mila", 1e3}, {"it", "mille", 1e3}, {"it", "milione", 1e6}, {"it", "milioni", 1e6}, {"it", "mln", 1e6},
    {"it", "miliardo", 1e9}, {"it", "miliardi", 1e9}, {"it", "mld", 1e9}, {"it", "mrd", 1e9},
    {"es", "mil", 1e3}, {"es", "millón", 1e6}, {"es", "millones", 1e6}, {"es", "billón", 1e12}, {"es", "billones", 1e12},
    {"de", "tausend", 1e3}, {"de", "million", 1e6}, {"de", "millionen", 1e6}, {"de", "mio", 1e6},
    {"de", "milliarde", 1e9}, {"de", "milliarden", 1e9}, {"de", "mrd", 1e9}, {"de", "billion", 1e12}, {"de", "billionen", 1e12},
    {"pt", "mil", 1e3}, {"pt", "milhão", 1e6}, {"pt", "milhões", 1e6}, {"pt", "bilhão", 1e9}, {"pt", "bilhões", 1e9},
};

struct Joiner {
  std::string_view language, word;
};
constexpr Joiner kJoiners[] = {{"en", "and"}, {"fr", "et"}, {"it", "e"}, {"es", "y"}, {"de", "und"}, {"pt", "e"}};
constexpr Joiner kArticles[] = {{"en", "a"}, {"en", "an"}, {"en", "one"}, {"fr", "un"}, {"fr", "une"},
                                {"it", "un"}, {"it", "uno"}, {"it", "una"}, {"es", "un"}, {"es", "uno"},
                                {"es", "una"}, {"de", "ein"}, {"de", "eine"}, {"de", "eins"}, {"pt", "um"},
                                {"pt", "uma"}};

struct Month {
  std::string_view word;
  int number;
};
constexpr Month kMonths[] = {
    {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"june", 6}, {"july", 7}, {"august", 8},
    {"september", 9}, {"october", 10}, {"november", 11}, {"december", 12},
    {"janvier", 1}, {"février", 2}, {"mars", 3}, {"avril", 4}, {"juin", 6}, {"juillet", 7}, {"août", 8},
    {"septembre", 9}, {"octobre", 10}, {"novembre", 11}, {"décembre", 12},
    {"gennaio", 1}, {"febbraio", 2}, {"aprile", 4}, {"maggio", 5}, {"giugno", 6}, {"luglio", 7}, {"agosto", 8},
    {"settembre", 9}, {"ottobre", 10}, {"dicembre", 12},
    {"enero", 1}, {"febrero", 2}, {"marzo", 3}, {"abril", 4}, {"mayo", 5}, {"junio", 6}, {"julio", 7},
    {"septiembre", 9}, {"octubre", 10}, {"noviembre", 11}, {"diciembre", 12},
    {"januar", 1}, {"februar", 2}, {"märz", 3}, {"juni", 6}, {"juli", 7}, {"oktober", 10}, {"dezember", 12},
    {"janeiro", 1}, {"fevereiro", 2}, {"março", 3}, {"maio", 5}, {"junho", 6}, {"julho", 7}, {"setembro", 9},
    {"outubro", 10}, {"novembro", 11}, {"dezembro", 12},
};

}  // namespace

bool SupportsNumberWords(std::string_view language) { return LanguageIndex(language) >= 0; }

bool IsNumberWord(std::string_view language, std::string_view word) {
  const int index = LanguageIndex(language);
  if (index < 0) return false;
  const Vocabulary& vocabulary = VocabularyOf(static_cast<size_t>(index));
  return vocabulary.filter.MayHold(word) && vocabulary.words.contains(absl::string_view(word.data(), word.size()));
}

bool IsNumberJoiner(std::string_view language, std::string_view word) {
  for (const Joiner& j : kJoiners) {
    if (j.language == language && j.word == word) return true;
  }
  return false;
}

bool IsArticleOne(std::string_view language, std::string_view word) {
  for (const Joiner& a : kArticles) {
    if (a.language == language && a.word == word) return true;
  }
  return false;
}

std::optional<double> ScaleWord(std::string_view language, std::string_view word) {
  for (const ScaleEntry& s : kScales) {
    if (s.language == language && s.word == word) return s.value;
  }
  return std::nullopt;
}

int MonthNumber(std::string_view word) {
  static const absl::flat_hash_map<std::string_view, int> kByWord = [] {
    absl::flat_hash_map<std::string_view, int> m;
    for (const Month& month : kMonths) m.emplace(month.word, month.number);
    return m;
  }();
  static const FirstByteAndLength kFilter = [] {
    FirstByteAndLength filter;
    for (const Month& month : kMonths) filter.Add(month.word);
    return filter;
  }();
  if (!kFilter.MayHold(word)) return 0;
  const auto it = kByWord.find(word);
  return it == kByWord.end() ? 0 : it->second;
}

namespace {

std::optional<double> ParseWithRbnf(std::string_view language, std::string_view phrase) {
  thread_local absl::flat_hash_map<std::string, std::unique_ptr<icu::RuleBasedNumberFormat>> formats;
  auto& format = formats[std::string(language)];
  if (!format) {
    UErrorCode status = U_ZERO_ERROR;
    format = std::make_unique<icu::RuleBasedNumberFormat>(icu::URBNF_SPELLOUT,
                                                          icu::Locale(std::string(language).c_str()), status);
    if (U_FAILURE(status)) format.reset();
  }
  if (!format) return std::nullopt;
  std::optional<double> result;
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(phrase.data(), static_cast<int32_t>(phrase.size())));
  for (bool lenient : {false, true}) {
    format->setLenient(lenient);
    icu::Formattable value;
    icu::ParsePosition position(0);
    format->parse(text, value, position);
    if (position.getIndex() == text.length() && position.getErrorIndex() < 0) {
      UErrorCode status = U_ZERO_ERROR;
      const double v = value.getDouble(status);
      if (U_SUCCESS(status)) {
        result = v;
        break;
      }
    }
  }
  format->setLenient(false);
  return result;
}

}  // namespace

std::optional<double> ParseSpelledNumber(std::string_view language, std::string_view phrase) {
  if (!SupportsNumberWords(language)) return std::nullopt;
  // Parsing costs 10-30 µs strict and milliseconds lenient; phrases repeat, so cache both
  // answers (and failures) per thread, keyed by language and phrase; and once for the process
  // behind them, so that a phrase is parsed by one thread only (each fingerprinting thread
  // parsed the same few hundred phrases: 2.3 G instructions each on the perf corpus).
  thread_local StringCache<std::optional<double>> cache(1 << 14);
  static std::mutex shared_mu;
  static StringCache<std::optional<double>> shared(1 << 14);
  std::string key(language);
  key.push_back('\0');
  key.append(phrase);
  return cache.Get(key, [&](std::string_view) {
    {
      std::lock_guard lock(shared_mu);
      if (const std::optional<double>* known = shared.Find(key)) return *known;
    }
    const std::optional<double> parsed = ParseWithRbnf(language, phrase);
    std::lock_guard lock(shared_mu);
    return shared.Get(key, [&](std::string_view) { return parsed; });
  });
}

}  // namespace neardup::internal

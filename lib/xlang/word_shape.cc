#include "xlang/word_shape.h"

#include "xlang/first_byte_and_length.h"

namespace neardup::internal::anchors {

using internal::StringCache;

LetterCase CaseFromIcu(UChar32 c) {
  const int8_t type = u_charType(c);  // u_isupper, u_islower and u_istitle ask for these categories
  return {u_isalpha(c) != 0, type == U_UPPERCASE_LETTER, type == U_LOWERCASE_LETTER, type == U_TITLECASE_LETTER};
}

bool CapitalizedBeyondAscii(std::string_view w) {
  const auto* p = reinterpret_cast<const uint8_t*>(w.data());
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(p, i, static_cast<int32_t>(w.size()), c);
  const LetterCase letter = CaseOf(c);
  return letter.upper || letter.title;
}

bool StartsOutsideLatin(std::string_view w) {
  if (w.empty() || static_cast<unsigned char>(w[0]) < 0x80) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(w.data());
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(p, i, static_cast<int32_t>(w.size()), c);
  const auto in = [c](UChar32 first, UChar32 last) { return c >= first && c <= last; };
  return c >= 0x0370 && !in(0x1D00, 0x1EFF) && !in(0x2100, 0x218F) && !in(0x2C60, 0x2C7F) && !in(0xA720, 0xA7FF) &&
         !in(0xAB30, 0xAB6F) && !in(0xFB00, 0xFB4F) && !in(0xFF00, 0xFFEF) && !in(0x1D400, 0x1D7FF);
}

int LetterCount(std::string_view w) {
  int letters = 0;
  ForEachCodePoint(w, [&](UChar32 c) { letters += IsLetter(c); });
  return letters;
}

bool HasLowercase(std::string_view w) {
  bool any = false;
  ForEachCodePoint(w, [&](UChar32 c) { any |= CaseOf(c).lower; });
  return any;
}

bool HasUppercase(std::string_view w) {
  // ASCII words (most) are answered on their bytes.
  if (IsAscii(w)) return std::any_of(w.begin(), w.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  bool any = false;
  ForEachCodePoint(w, [&](UChar32 c) { any |= CaseOf(c).upper; });
  return any;
}

bool AcronymLike(std::string_view w) {
  int letters = 0, upper = 0;
  bool lower_seen = false, upper_after_lower = false;
  ForEachCodePoint(w, [&](UChar32 c) {
    const LetterCase letter = CaseOf(c);
    if (!letter.letter) return;
    ++letters;
    if (letter.upper) {
      ++upper;
      if (lower_seen) upper_after_lower = true;
    } else if (letter.lower) {
      lower_seen = true;
    }
  });
  return (letters >= 2 && upper == letters) || upper_after_lower;
}

bool GroupsWithComma(std::string_view language) {
  const std::string_view primary = language.substr(0, language.find_first_of("-_"));
  if (primary.empty()) return true;
  for (std::string_view l : {"en", "zh", "ja", "ko", "yue", "th", "he", "hi", "bn", "mr", "gu", "pa", "ta", "te", "kn",
                             "ml", "ur", "ms", "fil", "ga", "cy", "mt", "sw"}) {
    if (primary == l) return true;
  }
  return false;
}

std::optional<double> ParseDigits(std::string_view s, std::string_view language) {
  // Separators: with both kinds, the last is the decimal mark. With one kind, several
  // occurrences group; a single one followed by exactly three digits groups where the
  // language groups with it (',' in English, '.' elsewhere), and is a decimal mark otherwise.
  const size_t last_dot = s.rfind('.'), last_comma = s.rfind(',');
  char decimal = 0;
  if (last_dot != std::string_view::npos && last_comma != std::string_view::npos) {
    decimal = last_dot > last_comma ? '.' : ',';
  } else if (last_dot != std::string_view::npos || last_comma != std::string_view::npos) {
    const char sep = last_dot != std::string_view::npos ? '.' : ',';
    const size_t pos = sep == '.' ? last_dot : last_comma;
    const size_t count = static_cast<size_t>(std::count(s.begin(), s.end(), sep));
    const bool three_after = s.size() - pos - 1 == 3;
    const char grouping_sep = GroupsWithComma(language) ? ',' : '.';
    if (count > 1 || (three_after && sep == grouping_sep)) {
      decimal = 0;  // grouping
    } else {
      decimal = sep;
    }
  }
  double value = 0, scale = 0;
  bool any = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      any = true;
      if (scale > 0) {
        value += (c - '0') * scale;
        scale /= 10;
      } else {
        value = value * 10 + (c - '0');
      }
    } else if (c == decimal) {
      scale = 0.1;
    }
  }
  if (!any) return std::nullopt;
  return std::round(value * 1e6) / 1e6;
}

bool AsciiDigitsOnly(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

bool IsFunctionWord(std::string_view w) {
  static const absl::flat_hash_set<std::string_view> kWords = {
      "the", "this", "that", "these", "those", "a", "an", "in", "on", "at", "for", "with", "and", "but", "or", "it",
      "he", "she", "we", "they", "you", "i", "if", "as", "by", "from", "to", "of", "not", "no", "yes", "all",
      "le", "la", "les", "l", "un", "une", "des", "du", "de", "ce", "cet", "cette", "ces", "il", "elle", "ils",
      "elles", "nous", "vous", "on", "et", "ou", "mais", "pour", "par", "dans", "sur", "avec", "en", "au", "aux",
      "lo", "gli", "i", "uno", "una", "questo", "questa", "questi", "queste", "di", "da", "per", "con", "su", "non",
      "si", "e", "ma", "nel", "nella", "del", "della", "al", "alla", "anche", "come", "hanno", "ha", "sono", "è",
      "el", "los", "las", "unos", "unas", "este", "esta", "estos", "estas", "y", "pero", "por", "para", "sin",
      "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "dieser", "diese",
      "dieses", "und", "oder", "aber", "mit", "für", "von", "zu", "im", "ist", "sie", "er", "es", "wir", "ich",
      "o", "os", "as", "um", "uma", "com", "não", "se", "mas", "quando", "wenn", "when", "quand", "quando",
      "cuando", "où", "dove", "donde", "wo", "where", "voici", "ecco", "here", "there", "hier",
  };
  static const internal::FirstByteAndLength kFilter = [] {
    internal::FirstByteAndLength filter;
    for (std::string_view word : kWords) filter.Add(word);
    return filter;
  }();
  return kFilter.MayHold(w) && kWords.contains(w);
}

}  // namespace neardup::internal::anchors

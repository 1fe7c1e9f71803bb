#include "xlang/anchor_keys.h"

namespace neardup::internal::anchors {

using internal::StringCache;

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

bool HasNonLatinLetter(std::string_view s) {
  bool found = false;
  ForEachCodePoint(s, [&](UChar32 c) {
    if (found || !u_isalpha(c)) return;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    found = script != USCRIPT_LATIN && script != USCRIPT_COMMON && script != USCRIPT_INHERITED;
  });
  return found;
}

std::string WordKeyUncached(std::string_view word) {
  if (HasNonLatinLetter(word)) {
    thread_local std::unique_ptr<icu::Transliterator> to_latin;
    if (!to_latin) {
      UErrorCode status = U_ZERO_ERROR;
      to_latin.reset(icu::Transliterator::createInstance("Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
      if (U_FAILURE(status)) to_latin.reset();
    }
    if (!to_latin) return std::string(word);
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
    to_latin->transliterate(u);
    std::string out;
    u.toUTF8String(out);
    return out;
  }
  NormalizeOptions options;
  options.strip_diacritics = true;
  absl::StatusOr<std::string> key = Normalize(word, options);
  return key.ok() ? *key : std::string(word);
}

std::string WordKey(std::string_view word) {
  if (IsAscii(word)) return AsciiLower(word);
  thread_local StringCache<std::string> cache(1 << 15);
  return cache.Get(word, WordKeyUncached);
}

std::string NumberKey(double value) {
  if (std::fabs(value) < 1e18 && value == std::floor(value)) {
    return absl::StrCat("n:", static_cast<int64_t>(value));
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6f", value);  // values are rounded to 6 decimals
  std::string s = buffer;
  for (char& c : s) {
    if (c == ',') c = '.';  // in case a C locale with a decimal comma was installed
  }
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return "n:" + s;
}

std::string LowerKeepMarks(std::string_view word) {
  if (IsAscii(word)) return AsciiLower(word);
  thread_local StringCache<std::string> cache(1 << 15);  // ICU's case mapping costs a microsecond a word
  return cache.Get(word, [](std::string_view w) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(w.data(), static_cast<int32_t>(w.size())));
    u.toLower(icu::Locale::getRoot());
    std::string out;
    u.toUTF8String(out);
    return out;
  });
}

}  // namespace neardup::internal::anchors

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

bool LowerOnBytes(std::string_view word, std::string* out) {
  out->resize(word.size());
  const auto* p = reinterpret_cast<const uint8_t*>(word.data());
  auto* q = reinterpret_cast<uint8_t*>(out->data());
  const size_t n = word.size();
  for (size_t i = 0; i < n; ++i) {
    const uint8_t b = p[i];
    if (b < 0x80) {
      q[i] = b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
      continue;
    }
    if (i + 1 >= n) return false;
    const uint8_t second = p[i + 1];
    uint8_t lead = b, low = second;
    if (b == 0xC2) {
      // U+0080..U+00BF: no capitals.
    } else if (b == 0xC3) {
      if (second <= 0x9E && second != 0x97) low = second + 0x20;  // U+00C0..U+00DE but the sign U+00D7
    } else if (b == 0xC4 || b == 0xC5) {
      const UChar32 lower = LowerLatinExtendedA(((b & 0x1F) << 6) | (second & 0x3F));
      if (lower < 0) return false;
      lead = static_cast<uint8_t>(0xC0 | (lower >> 6)), low = static_cast<uint8_t>(0x80 | (lower & 0x3F));
    } else if (b == 0xD0) {
      if (second <= 0x8F) {
        lead = 0xD1, low = second + 0x10;  // U+0400..U+040F to U+0450..U+045F
      } else if (second <= 0x9F) {
        low = second + 0x20;  // U+0410..U+041F to U+0430..U+043F
      } else if (second <= 0xAF) {
        lead = 0xD1, low = second - 0x20;  // U+0420..U+042F to U+0440..U+044F
      }
    } else if (b == 0xD1 && second <= 0x9F) {
      // U+0440..U+045F: small letters.
    } else {
      return false;
    }
    q[i] = lead, q[i + 1] = low;
    ++i;
  }
  return true;
}

std::string_view LowerKeepMarks(std::string_view word, std::string* buffer) {
  if (!LowerOnBytes(word, buffer)) *buffer = LowerKeepMarks(word);
  return *buffer;
}

std::string LowerKeepMarks(std::string_view word) {
  if (std::string out; LowerOnBytes(word, &out)) return out;
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

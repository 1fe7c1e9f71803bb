// The Unicode normalization step. With tokenize.cc, one of the two translation units that
// include ICU; ICU error codes become absl::Status here.
#include "neardup/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "absl/strings/str_cat.h"
#include "neardup/utf8.h"

namespace neardup {
namespace {

absl::Status IcuError(const char* what, UErrorCode code) {
  return absl::InternalError(absl::StrCat("ICU ", what, " failed: ", u_errorName(code)));
}

// The ASCII replacement for a typographic variant, or 0 if `c` is kept.
char UnifiedPunctuation(UChar32 c) {
  switch (c) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC:
      return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB:
    case 0x2039: case 0x203A: case 0x2033: case 0x301D: case 0x301E: case 0x301F:
      return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63:
      return '-';
    default:
      return 0;
  }
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string UnifyPunctuation(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      out.push_back(static_cast<char>(p[i++]));
      continue;
    }
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (char ascii = UnifiedPunctuation(c)) {
      out.push_back(ascii);
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

absl::StatusOr<std::string> NormalizeWith(const icu::Normalizer2& normalizer, std::string_view s) {
  std::string out;
  out.reserve(s.size());
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  normalizer.normalizeUTF8(0, icu::StringPiece(s.data(), static_cast<int32_t>(s.size())), sink,
                           nullptr, status);
  if (U_FAILURE(status)) return IcuError("normalization", status);
  return out;
}

absl::StatusOr<std::string> StripDiacritics(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return IcuError("loading NFD/NFC", status);
  absl::StatusOr<std::string> decomposed = NormalizeWith(*nfd, s);
  if (!decomposed.ok()) return decomposed.status();
  std::string kept;
  kept.reserve(decomposed->size());
  const auto* p = reinterpret_cast<const uint8_t*>(decomposed->data());
  const int32_t n = static_cast<int32_t>(decomposed->size());
  int32_t i = 0;
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (u_charType(c) != U_NON_SPACING_MARK) kept.append(*decomposed, start, i - start);
  }
  return NormalizeWith(*nfc, kept);
}

}  // namespace

absl::StatusOr<std::string> Normalize(std::string_view text, const NormalizeOptions& options) {
  if (text.size() > options.max_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat("document is ", text.size(),
                                                     " bytes, larger than the limit of ",
                                                     options.max_bytes, " (max_bytes)"));
  }
  std::string repaired;
  if (const size_t bad = FindInvalidUtf8(text); bad != text.size()) {
    if (options.invalid_utf8 == InvalidUtf8::kReject) return ValidateUtf8(text);
    repaired = ReplaceInvalidUtf8(text);
    text = repaired;
  }

  std::string out;
  if (IsAscii(text)) {
    // NFKC_Casefold maps ASCII only by folding A-Z; this is byte-identical and skips ICU.
    out.assign(text);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    }
    return out;  // no typographic punctuation and no diacritics in ASCII
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return IcuError("loading NFKC_Casefold", status);
  absl::StatusOr<std::string> folded = NormalizeWith(*nfkc_cf, text);
  if (!folded.ok()) return folded.status();
  out = *std::move(folded);
  if (options.unify_punctuation) out = UnifyPunctuation(out);
  if (options.strip_diacritics) {
    absl::StatusOr<std::string> stripped = StripDiacritics(out);
    if (!stripped.ok()) return stripped.status();
    out = *std::move(stripped);
  }
  return out;
}

std::string UnicodeVersion() {
  UVersionInfo v;
  u_getUnicodeVersion(v);
  return absl::StrCat(v[0], ".", v[1]);
}

}  // namespace neardup

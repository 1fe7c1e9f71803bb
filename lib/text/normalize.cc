// The Unicode normalization step. With tokenize.cc, one of the two translation units that
// include ICU; ICU error codes become absl::Status here.
#include "neardup/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "text/normalize_icu.h"
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

// The fast path. Normalization works segment by segment: a code point that "has a boundary
// before it" (ICU) never interacts with what precedes it, so text between two such code points
// normalizes independently of the rest. Almost every segment of real text is one code point,
// whose normalized form (with punctuation unified) is remembered per thread; only segments
// that also hold combining marks and the like go through ICU, one segment at a time.
struct CodePointMapping {
  UChar32 key = -1;       // the code point, with bit 30 set when punctuation is unified
  uint8_t length = 0;     // bytes of its normalized form
  bool starts_segment = false;
  bool alone = false;     // starts a segment and its form fits in `bytes`
  char bytes[10] = {};
};

const CodePointMapping& MappingOf(UChar32 c, bool unify, const icu::Normalizer2& nfkc_cf) {
  thread_local CodePointMapping cache[4096];
  const UChar32 key = c | (unify ? (1 << 30) : 0);
  CodePointMapping& m = cache[static_cast<uint32_t>(c) & 4095];
  if (m.key == key) return m;
  m.key = key;
  m.alone = false;
  m.starts_segment = nfkc_cf.hasBoundaryBefore(c);
  if (!m.starts_segment) return m;
  char utf8[U8_MAX_LENGTH];
  int32_t length = 0;
  U8_APPEND_UNSAFE(utf8, length, c);
  absl::StatusOr<std::string> mapped = NormalizeWith(nfkc_cf, std::string_view(utf8, length));
  if (!mapped.ok()) return m;
  if (unify) *mapped = UnifyPunctuation(*mapped);
  if (mapped->size() > sizeof(m.bytes)) return m;
  m.length = static_cast<uint8_t>(mapped->size());
  std::memcpy(m.bytes, mapped->data(), mapped->size());
  m.alone = true;
  return m;
}

// ASCII A-Z to a-z in eight bytes at once; every byte must be below 0x80.
inline uint64_t LowercaseAscii8(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  const uint64_t above_z = w + kOnes * (0x7F - 'Z');  // high bit set where byte > 'Z'
  const uint64_t from_a = w + kOnes * (0x80 - 'A');   // high bit set where byte >= 'A'
  return w | (((from_a & ~above_z) & (kOnes * 0x80)) >> 2);
}

inline bool AsciiWithoutNul(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  const bool has_zero = ((w - kOnes) & ~w & (kOnes * 0x80)) != 0;
  return (w & (kOnes * 0x80)) == 0 && !has_zero;
}

// NFKC_Casefold (and punctuation unification if `unify`) of `text` into `*out`, equal to the
// ICU path byte for byte. Returns false, with *out unspecified, for ill-formed UTF-8 or NUL,
// which the general path reports or repairs.
bool NormalizeFast(std::string_view text, bool unify, const icu::Normalizer2& nfkc_cf, std::string* out) {
  // Written in place, with room grown ahead of each write: appending to the string was a third
  // of the function's time. `size` bytes are valid; the rest of *out is room.
  out->resize(text.size() + 16);
  size_t size = 0;
  const auto room = [&](size_t bytes) -> char* {
    if (size + bytes > out->size()) out->resize(std::max(2 * out->size(), size + bytes));
    return out->data() + size;
  };
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  int32_t segment_in = 0;   // where the current segment starts in `text`
  size_t segment_out = 0;   // and in *out
  int32_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (AsciiWithoutNul(w)) {
        w = LowercaseAscii8(w);
        std::memcpy(room(8), &w, 8);  // byte order is kept either way
        size += 8;
        segment_in = i + 7, segment_out = size - 1;  // every ASCII character starts a segment
        i += 8;
        continue;
      }
    }
    if (p[i] < 0x80) {
      if (p[i] == 0) return false;
      *room(1) = static_cast<char>(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + ('a' - 'A') : p[i]);
      segment_in = i, segment_out = size++;
      ++i;
      continue;
    }
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;
    const CodePointMapping& m = MappingOf(c, unify, nfkc_cf);
    if (m.alone) {
      segment_in = start, segment_out = size;
      std::memcpy(room(sizeof(m.bytes)), m.bytes, sizeof(m.bytes));  // all of it: fixed size, faster
      size += m.length;
      continue;
    }
    // `c` interacts with the segment before it (or maps to something long): normalize the
    // whole segment, up to the next code point that starts one, with ICU.
    if (m.starts_segment) segment_in = start, segment_out = size;
    int32_t end = i;
    while (end < n && p[end] >= 0x80) {
      int32_t next = end;
      UChar32 d;
      U8_NEXT(p, next, n, d);
      if (d < 0) return false;
      if (MappingOf(d, unify, nfkc_cf).starts_segment) break;
      end = next;
    }
    absl::StatusOr<std::string> segment =
        NormalizeWith(nfkc_cf, text.substr(segment_in, end - segment_in));
    if (!segment.ok()) return false;
    const std::string folded = unify ? UnifyPunctuation(*segment) : *std::move(segment);
    size = segment_out;
    std::memcpy(room(folded.size()), folded.data(), folded.size());
    size += folded.size();
    i = end;
  }
  out->resize(size);
  return true;
}

// Both paths; `fast` false forces ICU on the whole text (the differential tests' reference).
absl::StatusOr<std::string> NormalizeImpl(std::string_view text, const NormalizeOptions& options, bool fast) {
  if (text.size() > options.max_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat("document is ", text.size(),
                                                     " bytes, larger than the limit of ",
                                                     options.max_bytes, " (max_bytes)"));
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return IcuError("loading NFKC_Casefold", status);
  std::string out;
  if (!fast || !NormalizeFast(text, options.unify_punctuation, *nfkc_cf, &out)) {
    // Ill-formed UTF-8 and NUL bytes (binary data) are rejected or repaired first.
    std::string repaired;
    if (FindInvalidUtf8(text) != text.size()) {
      if (options.invalid_utf8 == InvalidUtf8::kReject) return ValidateUtf8(text);
      repaired = ReplaceInvalidUtf8(text);
      text = repaired;
    }
    absl::StatusOr<std::string> folded = NormalizeWith(*nfkc_cf, text);
    if (!folded.ok()) return folded.status();
    out = *std::move(folded);
    if (options.unify_punctuation) out = UnifyPunctuation(out);
  }
  if (options.strip_diacritics) {
    absl::StatusOr<std::string> stripped = StripDiacritics(out);
    if (!stripped.ok()) return stripped.status();
    out = *std::move(stripped);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> Normalize(std::string_view text, const NormalizeOptions& options) {
  return NormalizeImpl(text, options, /*fast=*/true);
}

namespace internal {

absl::StatusOr<std::string> NormalizeWithIcu(std::string_view text, const NormalizeOptions& options) {
  return NormalizeImpl(text, options, /*fast=*/false);
}

}  // namespace internal

std::string UnicodeVersion() {
  UVersionInfo v;
  u_getUnicodeVersion(v);
  return absl::StrCat(v[0], ".", v[1]);
}

}  // namespace neardup

// File: normalize.h
//
// Unicode normalization so that copies differing only in encoding details compare equal:
// NFKC with case folding (ICU's NFKC_Casefold: full-width, ligatures, compatibility forms and
// case all unified, default-ignorable code points removed), then apostrophes, quotation marks
// and dashes unified to ASCII ' " -, then optionally diacritics stripped.
//
// Example:
//   absl::StatusOr<std::string> n = neardup::Normalize("Ｌ’ÉTÉ — «Déjà»");
//   // *n == "l'été - \"déjà\""
//
// Determinism: the output depends only on the input, the options and the Unicode version of
// the ICU that neardup was built with (UnicodeVersion()); signatures record that version.

#ifndef NEARDUP_NORMALIZE_H_
#define NEARDUP_NORMALIZE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace neardup {

// What to do with input that is not well-formed UTF-8 (or that contains NUL bytes).
enum class InvalidUtf8 {
  kReject,   // return kInvalidArgument naming the byte offset (default)
  kReplace,  // replace each bad sequence with U+FFFD and go on
};

// The largest document accepted by default: 64 MiB. ICU works on 32-bit lengths, and a
// document that large is almost always a data file fed by mistake.
inline constexpr size_t kDefaultMaxDocumentBytes = size_t{64} << 20;

// Options for Normalize().
//
//   option              default     meaning
//   invalid_utf8        kReject     see InvalidUtf8
//   unify_punctuation   true        ’‘‚‛′ʼ → '   “”„‟«»‹› → "   ‐‑‒–—―− → -
//   strip_diacritics    false       é → e, ñ → n, ş → s (NFD, drop nonspacing marks, NFC)
//   max_bytes           64 MiB      larger input gives kResourceExhausted
struct NormalizeOptions {
  InvalidUtf8 invalid_utf8 = InvalidUtf8::kReject;
  bool unify_punctuation = true;
  bool strip_diacritics = false;
  size_t max_bytes = kDefaultMaxDocumentBytes;
};

// Normalizes UTF-8 `text`. Errors: kInvalidArgument for ill-formed UTF-8 under kReject (the
// message names the byte offset), kResourceExhausted when text.size() > options.max_bytes,
// kInternal if ICU fails. Thread-safe.
absl::StatusOr<std::string> Normalize(std::string_view text, const NormalizeOptions& options = {});

// The Unicode version of the linked ICU, e.g. "15.0". Normalization and word breaking follow it.
std::string UnicodeVersion();

}  // namespace neardup

#endif  // NEARDUP_NORMALIZE_H_

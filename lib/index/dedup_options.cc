// ValidateDedupOptions: the one check of a DedupOptions, with one message per option, that the
// command, the Python binding and neardup.dask all show (dedup_options.h); and the banding of
// the Deduplicator's two indexes that follows from the options (index/index_options.h).
//
// Every comparison is written so that NaN fails it (`!(lo <= x && x <= hi)`, never
// `x < lo || x > hi`, which NaN passes), and every double must also be finite.

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <utility>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "index/index_options.h"
#include "neardup/dedup_options.h"

namespace neardup {
namespace {

using internal::ToAbsl;

// The shortest text that reads back as `x` ("0.8", "1.0000001", "nan", "inf").
std::string Number(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), x);
  return ec == std::errc() ? std::string(buffer, end) : absl::StrCat(x);
}

absl::Status OutOfRange(std::string_view name, std::string_view range, std::string_view value) {
  return absl::InvalidArgumentError(absl::StrCat(ToAbsl(name), " must be ", ToAbsl(range), ", got ", ToAbsl(value)));
}

// The allowed range of each option the front ends name, as the messages say it.
std::string RangeOf(std::string_view name) {
  if (name == "threshold") return "in (0, 1]";
  if (name == "containment_threshold" || name == "translation_threshold") return "in [0, 1]";
  if (name == "num_perm") return absl::StrCat("an integer in [1, ", kMaxNumPerm, "]");
  if (name == "max_bytes") return "a size in [1, 2^40] bytes (an integer, or with a unit: 64MiB)";
  if (name == "seed") return "an integer in [0, 2^64-1]";
  if (name == "shingle size") return absl::StrCat("an integer in [1, ", kMaxShingleSize, "]");
  return "";
}

// A probability-like threshold: finite, in [0, 1], and above 0 unless `zero_allowed`.
absl::Status CheckUnit(std::string_view name, double x, bool zero_allowed) {
  const bool ok = zero_allowed ? (x >= 0.0 && x <= 1.0) : (x > 0.0 && x <= 1.0);
  return ok ? absl::OkStatus() : OutOfRange(name, zero_allowed ? "in [0, 1]" : "in (0, 1]", Number(x));
}

// A finite number at least `lo` (above it if `open`).
absl::Status CheckAtLeast(std::string_view name, double x, double lo, bool open) {
  const bool ok = std::isfinite(x) && (open ? x > lo : x >= lo);
  return ok ? absl::OkStatus()
            : OutOfRange(name, absl::StrCat("a finite number ", open ? "above " : "at least ", Number(lo)), Number(x));
}

// The banding options of an index whose signatures have `num_perm` values; `prefix` names it.
absl::Status CheckLsh(std::string_view prefix, const LshOptions& lsh, int num_perm, std::string_view threshold_name) {
  NEARDUP_RETURN_IF_ERROR(CheckUnit(threshold_name, lsh.threshold, /*zero_allowed=*/false));
  NEARDUP_RETURN_IF_ERROR(
      CheckAtLeast(absl::StrCat(ToAbsl(prefix), ".false_positive_weight"), lsh.false_positive_weight, 0.0, false));
  NEARDUP_RETURN_IF_ERROR(
      CheckAtLeast(absl::StrCat(ToAbsl(prefix), ".false_negative_weight"), lsh.false_negative_weight, 0.0, false));
  if (!(lsh.false_positive_weight + lsh.false_negative_weight > 0.0)) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(prefix), ".false_positive_weight and ", ToAbsl(prefix),
                                                   ".false_negative_weight must not both be 0"));
  }
  if (lsh.num_perm != LshOptions().num_perm && lsh.num_perm != num_perm) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(prefix), ".num_perm is taken from num_perm (", num_perm,
                                                   "): leave it at its default, got ", lsh.num_perm));
  }
  if (!(lsh.num_bands >= 0 && lsh.num_bands <= num_perm)) {
    return OutOfRange(absl::StrCat(ToAbsl(prefix), ".num_bands"), absl::StrCat("an integer in [0, num_perm = ", num_perm, "]"),
                      absl::StrCat(lsh.num_bands));
  }
  return absl::OkStatus();
}

// Digits only (no sign, no space) into *value, at most `max`.
bool ParseDigits(std::string_view text, uint64_t max, uint64_t* value) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size() && *value <= max;
}

// A double written in full ("0.8", "1e-3", "nan"); the range is ValidateDedupOptions'.
bool ParseReal(std::string_view text, double* value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

bool ParseSwitch(std::string_view text, bool* value) {
  if (text != "true" && text != "false") return false;
  *value = text == "true";
  return true;
}

absl::Status ParseShingleSpec(std::string_view spec, ShingleOptions* out) {
  ShingleOptions sh;
  std::string_view size = spec;
  if (spec.substr(0, 5) == "word:") {
    size = spec.substr(5);
  } else if (spec.substr(0, 5) == "char:") {
    sh.kind = ShingleKind::kCharacter;
    size = spec.substr(5);
  }
  if (size.empty() || size.find_first_not_of("0123456789") != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("--shingle: expected N, word:N or char:N, got '", ToAbsl(spec), "'"));
  }
  uint64_t n = 0;
  if (!ParseDigits(size, kMaxShingleSize, &n)) return InvalidOptionValue("shingle size", size);
  sh.size = static_cast<int>(n);
  *out = sh;
  return absl::OkStatus();
}

constexpr NamedOption kNamedOptions[] = {
    {"threshold", OptionKind::kNumber, "Estimated Jaccard at or above which two documents are duplicates", ""},
    {"containment_threshold", OptionKind::kNumber,
     "Estimated share of the smaller document inside the larger at or above which it is a contained (trimmed) "
     "copy; 0 = off", ""},
    {"translation_threshold", OptionKind::kNumber,
     "Score at or above which documents in different languages are translations", ""},
    {"translations", OptionKind::kSwitch, "Look for translations, beside near and contained copies",
     "Only near and contained copies: skip anchors and translations"},
    {"num_perm", OptionKind::kNumber, "MinHash signature length k", ""},
    {"shingle", OptionKind::kText, "Shingles: N or word:N (N words) or char:N (N characters)", ""},
    {"seed", OptionKind::kNumber, "Hash seed; only signatures with the same seed compare", ""},
    {"strip_diacritics", OptionKind::kSwitch, "Compare without accents (é = e)", ""},
    {"replace_invalid", OptionKind::kSwitch, "Replace invalid UTF-8 with U+FFFD instead of rejecting the document", ""},
    {"max_bytes", OptionKind::kSize, "Largest document accepted: bytes, or with a unit (64MiB, 1GB); 1 byte to 1 TiB", ""},
};

}  // namespace

std::span<const NamedOption> NamedOptions() { return kNamedOptions; }

absl::StatusOr<uint64_t> ParseByteSize(std::string_view name, std::string_view text) {
  const size_t digits = std::min(text.find_first_not_of("0123456789"), text.size());
  std::string unit(text.substr(digits));
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::pair<std::string_view, uint64_t> kUnits[] = {
      {"", 1},          {"b", 1},           {"kb", 1000},       {"mb", 1000000},         {"gb", 1000000000},
      {"tb", 1000000000000}, {"kib", 1ull << 10}, {"mib", 1ull << 20}, {"gib", 1ull << 30}, {"tib", 1ull << 40}};
  uint64_t count = 0;
  for (const auto& [spelling, factor] : kUnits) {
    if (unit != spelling) continue;
    if (ParseDigits(text.substr(0, digits), UINT64_MAX / factor, &count)) return count * factor;
    break;
  }
  return InvalidOptionValue(name, text);
}

absl::Status SetNamedOption(DedupOptions* o, std::string_view name, std::string_view value) {
  FingerprintOptions& f = o->fingerprint;
  const auto bad = [&] { return InvalidOptionValue(name, value); };
  uint64_t n = 0;
  bool on = false;
  if (name == "threshold") return ParseReal(value, &o->lsh.threshold) ? absl::OkStatus() : bad();
  if (name == "containment_threshold") return ParseReal(value, &o->containment_threshold) ? absl::OkStatus() : bad();
  if (name == "translation_threshold") return ParseReal(value, &o->translation.threshold) ? absl::OkStatus() : bad();
  if (name == "num_perm") {
    // Digits, but more than an int holds: out of range all the same.
    if (!ParseDigits(value, static_cast<uint64_t>(kMaxNumPerm), &n)) return bad();
    f.minhash.num_perm = static_cast<int>(n);
    return absl::OkStatus();
  }
  if (name == "seed") return ParseDigits(value, UINT64_MAX, &f.minhash.seed) ? absl::OkStatus() : bad();
  if (name == "shingle") return ParseShingleSpec(value, &f.shingle);
  if (name == "max_bytes") {
    NEARDUP_ASSIGN_OR_RETURN(f.normalize.max_bytes, ParseByteSize(name, value));
    return absl::OkStatus();
  }
  if (name == "translations" || name == "strip_diacritics" || name == "replace_invalid") {
    if (!ParseSwitch(value, &on)) {
      return absl::InvalidArgumentError(absl::StrCat(ToAbsl(name), " must be true or false, got ", ToAbsl(value)));
    }
    if (name == "translations") f.anchors = on;
    if (name == "strip_diacritics") f.normalize.strip_diacritics = on;
    if (name == "replace_invalid") f.normalize.invalid_utf8 = on ? InvalidUtf8::kReplace : InvalidUtf8::kReject;
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown option '", ToAbsl(name), "'"));
}

std::string NamedOptionValue(const DedupOptions& o, std::string_view name) {
  const FingerprintOptions& f = o.fingerprint;
  const auto yes_no = [](bool on) { return std::string(on ? "true" : "false"); };
  if (name == "threshold") return Number(o.lsh.threshold);
  if (name == "containment_threshold") return Number(o.containment_threshold);
  if (name == "translation_threshold") return Number(o.translation.threshold);
  if (name == "num_perm") return absl::StrCat(f.minhash.num_perm);
  if (name == "seed") return absl::StrCat(f.minhash.seed);
  if (name == "shingle") return absl::StrCat(f.shingle.kind == ShingleKind::kCharacter ? "char:" : "word:", f.shingle.size);
  if (name == "max_bytes") return absl::StrCat(f.normalize.max_bytes);
  if (name == "translations") return yes_no(f.anchors);
  if (name == "strip_diacritics") return yes_no(f.normalize.strip_diacritics);
  if (name == "replace_invalid") return yes_no(f.normalize.invalid_utf8 == InvalidUtf8::kReplace);
  return "";
}

VerdictOptions VerdictOptionsOf(const DedupOptions& options) {
  VerdictOptions verdict;
  verdict.threshold = options.lsh.threshold;
  verdict.containment_threshold = options.containment_threshold;
  verdict.translation = options.translation;
  return verdict;
}

absl::Status InvalidOptionValue(std::string_view name, std::string_view value) {
  const std::string range = RangeOf(name);
  if (range.empty()) return absl::InvalidArgumentError(absl::StrCat(ToAbsl(name), ": bad value ", ToAbsl(value)));
  return OutOfRange(name, range, value);
}

absl::Status ValidateDedupOptions(const DedupOptions& o) {
  // The fingerprint: shingles, MinHash, normalization.
  const FingerprintOptions& f = o.fingerprint;
  if (f.shingle.kind != ShingleKind::kWord && f.shingle.kind != ShingleKind::kCharacter) {
    return absl::InvalidArgumentError(
        absl::StrCat("shingle kind must be kWord or kCharacter, got ", static_cast<int>(f.shingle.kind)));
  }
  if (!(f.shingle.size >= 1 && f.shingle.size <= kMaxShingleSize)) {
    return InvalidOptionValue("shingle size", absl::StrCat(f.shingle.size));
  }
  if (!(f.minhash.num_perm >= 1 && f.minhash.num_perm <= kMaxNumPerm)) {
    return InvalidOptionValue("num_perm", absl::StrCat(f.minhash.num_perm));
  }
  if (f.minhash.algorithm != MinHashAlgorithm::kPermutation &&
      f.minhash.algorithm != MinHashAlgorithm::kOnePermutation) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown MinHash algorithm ", static_cast<int>(f.minhash.algorithm)));
  }
  if (!(f.normalize.max_bytes >= 1 && f.normalize.max_bytes <= kLargestMaxBytes)) {
    return InvalidOptionValue("max_bytes", absl::StrCat(f.normalize.max_bytes));
  }
  if (f.normalize.invalid_utf8 != InvalidUtf8::kReject && f.normalize.invalid_utf8 != InvalidUtf8::kReplace) {
    return absl::InvalidArgumentError(
        absl::StrCat("normalize.invalid_utf8 must be kReject or kReplace, got ", static_cast<int>(f.normalize.invalid_utf8)));
  }
  // The verdicts.
  const int k = f.minhash.num_perm;
  NEARDUP_RETURN_IF_ERROR(CheckLsh("lsh", o.lsh, k, "threshold"));
  NEARDUP_RETURN_IF_ERROR(CheckUnit("containment_threshold", o.containment_threshold, /*zero_allowed=*/true));
  NEARDUP_RETURN_IF_ERROR(CheckUnit("translation_threshold", o.translation.threshold, /*zero_allowed=*/true));
  if (!(o.translation.min_anchors >= 0)) {
    return OutOfRange("translation.min_anchors", "an integer at least 0", absl::StrCat(o.translation.min_anchors));
  }
  NEARDUP_RETURN_IF_ERROR(CheckAtLeast("translation.min_weight", o.translation.min_weight, 0.0, false));
  // The score fades between a length ratio of 1.5 and this (xlang/anchor_query.cc): it must lie above.
  NEARDUP_RETURN_IF_ERROR(CheckAtLeast("translation.max_length_ratio", o.translation.max_length_ratio, 1.5, true));
  return CheckLsh("translation_lsh", o.translation_lsh, k, "translation_lsh.threshold");
}

namespace internal {

// How many of a two-row text bucket's newest members a query scans. Two-row bands put every
// document sharing a common passage (boilerplate) in one bucket, and this bounds a query's
// cost there. Chosen with containment search (commit fd37beb); no measurement of the value
// was recorded, and the Dask path (python/) reproduces it.
constexpr uint32_t kContainmentBucketScan = 32;

bool UsesContainmentSketches(const DedupOptions& options) {
  return options.containment_threshold > 0 && options.fingerprint.containment &&
         options.fingerprint.minhash.algorithm == MinHashAlgorithm::kOnePermutation;
}

LshOptions TextIndexOptions(const DedupOptions& options) {
  LshOptions lsh = options.lsh;
  lsh.num_perm = options.fingerprint.minhash.num_perm;
  // Without sketches, containment is judged on the slots: two-row bands find the pairs.
  if (options.containment_threshold > 0 && !UsesContainmentSketches(options) && lsh.num_bands == 0) {
    lsh.num_bands = std::max(1, lsh.num_perm / kContainmentBandRows);
    if (lsh.max_bucket_scan == 0) lsh.max_bucket_scan = kContainmentBucketScan;
  }
  return lsh;
}

LshOptions TranslationIndexOptions(const DedupOptions& options) {
  LshOptions lsh = options.translation_lsh;
  lsh.num_perm = options.fingerprint.minhash.num_perm;
  return lsh;
}

}  // namespace internal

const char* KeepPolicyName(KeepPolicy keep) { return keep == KeepPolicy::kFirst ? "first" : "longest"; }

absl::StatusOr<KeepPolicy> ParseKeepPolicy(std::string_view name) {
  for (KeepPolicy keep : {KeepPolicy::kLongest, KeepPolicy::kFirst}) {
    if (name == KeepPolicyName(keep)) return keep;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown keep policy '", internal::Str(name), "': longest or first"));
}

}  // namespace neardup

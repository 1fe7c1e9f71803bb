// ValidateDedupOptions: the one check of a DedupOptions, with one message per option, that the
// command, the Python binding and neardup.dask all show (dedup_options.h); and the banding of
// the Deduplicator's two indexes that follows from the options (index/index_options.h).
//
// Every comparison is written so that NaN fails it (`!(lo <= x && x <= hi)`, never
// `x < lo || x > hi`, which NaN passes), and every double must also be finite.

#include <algorithm>
#include <charconv>
#include <cmath>
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
  if (name == "max_bytes") return "an integer in [1, 2^40]";
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
  if (!(lsh.num_bands >= 0 && lsh.num_bands <= num_perm)) {
    return OutOfRange(absl::StrCat(ToAbsl(prefix), ".num_bands"), absl::StrCat("an integer in [0, num_perm = ", num_perm, "]"),
                      absl::StrCat(lsh.num_bands));
  }
  return absl::OkStatus();
}

}  // namespace

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
  // The score fades between a length ratio of 1.5 and this (translation.cc): it must lie above.
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

}  // namespace neardup

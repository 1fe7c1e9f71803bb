// File: dedup_options.h
//
// What a Deduplicator is made with (DedupOptions), and the one check of it. Apart from
// dedup.h so that the store, which records these options, and the index, which is banded by
// them, need not see the Deduplicator that sits above both.

#ifndef NEARDUP_DEDUP_OPTIONS_H_
#define NEARDUP_DEDUP_OPTIONS_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "neardup/fingerprint.h"
#include "neardup/lsh.h"
#include "neardup/translation.h"
#include "neardup/verdict.h"

namespace neardup {

// Options for Deduplicator; `lsh.threshold` is the reporting threshold for near duplicates, and
// `containment_threshold` the one for contained documents (0 = off; see verdict.h). With
// containment on, the text index bands the k slots in rows of kContainmentBandRows (64 bands
// at k = 128, unless lsh.num_bands is set): a pair of Jaccard s shares a band with
// probability 1 - (1 - s²)^64, 0.93 at s = 0.2 and 0.998 at 0.3, which finds a document
// contained at 0.8 in one up to 3 to 4 times its size (J = C / (ρ + 1 - C)); with it off, the
// banding is tuned for Jaccard `lsh.threshold` alone (16 bands of 8 rows at 0.8), 4x fewer keys.
// `lsh.num_perm` and `translation_lsh.num_perm` are taken from `fingerprint.minhash.num_perm`:
// ValidateDedupOptions refuses another value there rather than overwrite it silently.
// Translations are looked for when `fingerprint.anchors` is true: candidates are documents in
// another language whose translation signatures (anchors and layout) share an LSH band
// (translation_lsh, tuned for recall at a low similarity), verified by CompareAnchors with
// `translation`. The candidate threshold trades speed for recall: on the xlang-dev set, 0.2
// finds 0.940 of the translations, 0.25 0.939 and 0.3 0.934, while a 10,000-document
// multilingual collection takes 2.1x and 0.8x the time of 0.25. Only the 16 newest members of
// each band's bucket are scanned (max_bucket_scan): against 64, the index stage runs 1.6x
// faster on the first 20,000 perf-corpus documents, the whole corpus reports 0.3% fewer
// translation links, and xlang-dev precision and recall do not change.
struct DedupOptions {
  FingerprintOptions fingerprint;
  LshOptions lsh;
  LshOptions translation_lsh = {
      .threshold = 0.25, .false_positive_weight = 0.05, .false_negative_weight = 0.95, .max_bucket_scan = 16};
  TranslationOptions translation;
  double containment_threshold = VerdictOptions().containment_threshold;
};

// The largest fingerprint.normalize.max_bytes: 1 TiB (2^40 bytes).
inline constexpr size_t kLargestMaxBytes = size_t{1} << 40;

// OK if every option of `options` is usable: each number finite and in its range, each enum
// one of its values. Otherwise kInvalidArgument naming the first bad option, its allowed
// range and the value given ("translation_threshold must be in [0, 1], got nan"). The
// options that `neardup`, Python and neardup.dask set are named as Python's keywords (the
// command's flags without their dashes): threshold (lsh.threshold), containment_threshold,
// translation_threshold (translation.threshold), num_perm (fingerprint.minhash.num_perm),
// max_bytes (fingerprint.normalize.max_bytes, from 1 to kLargestMaxBytes), shingle size;
// the others by their place in DedupOptions (translation_lsh.threshold, ...). `lsh.num_perm`
// and `translation_lsh.num_perm` must be left at 128 or equal num_perm (see above).
// Deduplicator::Create and Open
// apply it first; the command, the Python binding and neardup.dask show its message.
absl::Status ValidateDedupOptions(const DedupOptions& options);

// The error ValidateDedupOptions gives for option `name` (one it names, or "seed": an
// integer in [0, 2^64-1]) given `value` as the user wrote it, for front ends whose value
// cannot even be held by the option's type: "seed must be an integer in [0, 2^64-1], got -1".
absl::Status InvalidOptionValue(std::string_view name, std::string_view value);

// The options a user sets by name, parsed and printed here once for every front end: the
// command's flags (--num-perm ...), the Python keyword arguments, neardup.dask, and the store's
// parameters (for the shingle spec). Each name is a Python keyword (the flag without its
// dashes); the default a front end shows is NamedOptionValue(DedupOptions(), name), so it is
// always the option struct's own.
//
//   name                   kind    value text
//   threshold              number  near-duplicate Jaccard, in (0, 1] (lsh.threshold)
//   containment_threshold  number  share of the smaller document, in [0, 1]; 0 = off
//   translation_threshold  number  translation score, in [0, 1] (translation.threshold)
//   translations           switch  true or false (fingerprint.anchors)
//   num_perm               number  MinHash signature length k
//   shingle                text    N or word:N (N words), char:N (N characters)
//   seed                   number  hash seed, an integer in [0, 2^64-1]
//   strip_diacritics       switch  true or false
//   replace_invalid        switch  true: invalid UTF-8 becomes U+FFFD; false: refused
//   max_bytes              size    bytes, with an optional unit: 64MiB, 1GiB, 500kB, 4096
enum class OptionKind { kNumber, kText, kSwitch, kSize };
struct NamedOption {
  std::string_view name;
  OptionKind kind;
  std::string_view help;      // one line, for --help
  std::string_view off_help;  // a switch on by default: what turning it off does (--no-NAME)
};
std::span<const NamedOption> NamedOptions();

// Sets option `name` of *options from its text. kInvalidArgument, with the message
// ValidateDedupOptions would give, for a value that is not one ("seed must be an integer in
// [0, 2^64-1], got -1", "shingle: expected N, word:N or char:N, got 'x'") or an unknown name.
// Ranges of numbers are left to ValidateDedupOptions, which every Deduplicator applies.
absl::Status SetNamedOption(DedupOptions* options, std::string_view name, std::string_view value);

// The text of option `name` as SetNamedOption reads it back ("0.8", "word:5", "true",
// "67108864"); empty for an unknown name.
std::string NamedOptionValue(const DedupOptions& options, std::string_view name);

// Bytes from "N" with an optional unit: B, kB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB,
// TiB (powers of 1024), case-insensitive, with no space ("64MiB"). kInvalidArgument naming
// `name` otherwise, or when the result does not fit in 64 bits.
absl::StatusOr<uint64_t> ParseByteSize(std::string_view name, std::string_view text);

// The VerdictOptions a Deduplicator with `options` judges by: the near threshold is
// options.lsh.threshold, so that a pair is linked exactly at the threshold its index is tuned
// for. The one place they are derived, for the Deduplicator and the Dask path alike.
VerdictOptions VerdictOptionsOf(const DedupOptions& options);

// Rows per band of the text index when containment is on: 2 is the fewest that still asks two
// independent slots to agree (with 1, any single shared shingle would make a candidate).
inline constexpr int kContainmentBandRows = 2;

// Which document of a group of copies to keep (Deduplicator::Duplicates).
enum class KeepPolicy {
  // The one of the most distinct shingles (of equals, the first added). Of a trimmed copy and
  // its original it keeps the original, which holds the copy's text, so dropping loses the
  // least; of a story re-sent with a byline added, the fuller one.
  kLongest,
  // The first added: what a crawler that drops each later copy as it comes has kept.
  kFirst,
};

// "longest" or "first".
const char* KeepPolicyName(KeepPolicy keep);
// The policy of that name; kInvalidArgument naming the choices otherwise.
absl::StatusOr<KeepPolicy> ParseKeepPolicy(std::string_view name);

}  // namespace neardup

#endif  // NEARDUP_DEDUP_OPTIONS_H_

// File: fingerprint.h
//
// The whole text pipeline in one call: UTF-8 check → Normalize → Tokenize → ShingleSet →
// MinHash. A Fingerprint is everything the index needs to know about a document.
//
// Example:
//   absl::StatusOr<neardup::Fingerprinter> fp = neardup::Fingerprinter::Create();
//   absl::StatusOr<neardup::Fingerprint> a = fp->Compute(text_a);
//   absl::StatusOr<neardup::Fingerprint> b = fp->Compute(text_b);
//   absl::StatusOr<double> j = neardup::EstimateJaccard(a->signature, b->signature);
//
// Determinism: same text + same options ⇒ same signature on every platform and every future
// 0.x/1.x version, as long as ICU's Unicode version is the same (it is part of the fingerprint
// of the parameters, so signatures from different Unicode versions refuse to be compared).

#ifndef NEARDUP_FINGERPRINT_H_
#define NEARDUP_FINGERPRINT_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/containment.h"
#include "neardup/minhash.h"
#include "neardup/normalize.h"
#include "neardup/shingle.h"
#include "neardup/translation.h"

namespace neardup {

// Options for the whole pipeline; each part documents its own defaults.
//
//   option       default  meaning
//   anchors      true     also extract anchors and their signature, for cross-language matching
//   containment  true     also make the containment sketch (containment.h), for finding a text
//                         inside a larger one; only with MinHashAlgorithm::kOnePermutation
struct FingerprintOptions {
  NormalizeOptions normalize;
  ShingleOptions shingle;
  MinHashOptions minhash;
  bool anchors = true;
  bool containment = true;
};

// What the pipeline learns about one document.
struct Fingerprint {
  Signature signature;         // MinHash of the shingle set
  uint64_t num_tokens = 0;     // words after normalization
  uint64_t num_bytes = 0;      // bytes of the input text
  std::string language;        // as given, or detected; "" if unknown
  AnchorProfile anchors;       // empty unless options.anchors
  Signature translation_signature;  // MinHash of anchor and layout shingles: finds translation candidates
  ContainmentSketch containment;     // empty unless options.containment (and one-permutation MinHash)
};

// Runs the pipeline. Immutable after Create(); thread-safe (ICU state is per thread).
class Fingerprinter {
 public:
  // kInvalidArgument if any option is out of range.
  static absl::StatusOr<Fingerprinter> Create(const FingerprintOptions& options = {});

  // Fingerprint of `text`. Errors: those of Normalize() (invalid UTF-8 with its byte offset,
  // document over max_bytes). A text with no words gives an empty signature (set_size() == 0),
  // which compares as similarity 0 to everything.
  // `language` is the text's ISO 639-1 code, or "" to detect it (only when options.anchors).
  absl::StatusOr<Fingerprint> Compute(std::string_view text, std::string_view language = "") const;

  // The translation signature of `profile` (what Compute() stores), or, given a collection's
  // `weights`, of the profile without its boilerplate tail (AnchorWeights::BoilerplateTail):
  // the Deduplicator indexes and queries that one, so that a translated man page's credits
  // section does not keep it from its original.
  Signature TranslationSignature(const AnchorProfile& profile, const AnchorWeights* weights = nullptr) const;
  // The same, of what `kept` (weights.WithoutBoilerplateTail(profile)) leaves of `profile`: for a
  // caller that has it already.
  Signature TranslationSignature(const AnchorProfile& profile, const AnchorWeights::Kept& kept) const;

  // The shingle set Compute() hashes (sorted distinct hashes), for exact comparisons.
  absl::StatusOr<std::vector<uint64_t>> ShingleSet(std::string_view text) const;

  const FingerprintOptions& options() const { return options_; }
  // Digest of every parameter that affects signatures, including ICU's Unicode version.
  uint64_t params_fingerprint() const { return params_fingerprint_; }
  // The same for anchor signatures.
  uint64_t translation_params_fingerprint() const { return translation_params_fingerprint_; }

 private:
  Fingerprinter(const FingerprintOptions& options, MinHasher hasher, MinHasher translation_hasher);

  // The two halves of Compute(): ComputeText fills signature, num_tokens and num_bytes;
  // ComputeCrossLanguage fills language (detected when `language` is ""), anchors and
  // translation_signature.
  absl::Status ComputeText(std::string_view text, Fingerprint* fingerprint) const;
  absl::Status ComputeCrossLanguage(std::string_view text, std::string_view language, Fingerprint* fingerprint) const;

  FingerprintOptions options_;
  MinHasher hasher_;
  MinHasher translation_hasher_;
  uint64_t params_fingerprint_ = 0;
  uint64_t translation_params_fingerprint_ = 0;
};

// The Jaccard similarity of two sorted sets of distinct values, computed exactly.
double ExactJaccard(std::span<const uint64_t> a, std::span<const uint64_t> b);

}  // namespace neardup

#endif  // NEARDUP_FINGERPRINT_H_

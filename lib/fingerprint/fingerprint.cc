#include "neardup/fingerprint.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "xlang/anchors_of_valid_text.h"
#include "base/endian.h"
#include "text/hash.h"
#include "base/status_macros.h"
#include "sketch/bag_sketch.h"
#include "xlang/translation_shingles.h"
#include "neardup/language.h"
#include "neardup/tokenize.h"
#include "neardup/utf8.h"

#include <algorithm>
#include <cmath>

namespace neardup {

absl::StatusOr<Fingerprinter> Fingerprinter::Create(const FingerprintOptions& options) {
  NEARDUP_RETURN_IF_ERROR(ValidateShingleOptions(options.shingle));
  NEARDUP_ASSIGN_OR_RETURN(MinHasher hasher, MinHasher::Create(options.minhash));
  MinHashOptions translation_options = options.minhash;
  translation_options.seed = internal::SplitMix64(options.minhash.seed ^ 0x616e63686f72ULL);  // independent of text hashes
  NEARDUP_ASSIGN_OR_RETURN(MinHasher translation_hasher, MinHasher::Create(translation_options));
  return Fingerprinter(options, std::move(hasher), std::move(translation_hasher));
}

Fingerprinter::Fingerprinter(const FingerprintOptions& options, MinHasher hasher, MinHasher translation_hasher)
    : options_(options), hasher_(std::move(hasher)), translation_hasher_(std::move(translation_hasher)) {
  std::string canonical = "neardup.fingerprint";
  internal::AppendLe64(canonical, hasher_.fingerprint());
  internal::AppendLe(canonical, options.normalize.unify_punctuation, 1);
  internal::AppendLe(canonical, options.normalize.strip_diacritics, 1);
  internal::AppendLe(canonical, static_cast<uint8_t>(options.shingle.kind), 1);
  internal::AppendLe32(canonical, static_cast<uint32_t>(options.shingle.size));
  canonical += UnicodeVersion();
  params_fingerprint_ = internal::Hash64(canonical, 0);
  translation_params_fingerprint_ = internal::Hash64(absl::StrCat("neardup.anchors.v", kAnchorRulesVersion, canonical),
                                                    translation_hasher_.fingerprint());
}

Signature Fingerprinter::TranslationSignature(const AnchorProfile& profile, const AnchorWeights* weights) const {
  AnchorWeights::Kept kept;
  kept.paragraphs = profile.paragraph_lengths.size();
  if (weights != nullptr) kept = weights->WithoutBoilerplateTail(profile);
  return TranslationSignature(profile, kept);
}

Signature Fingerprinter::TranslationSignature(const AnchorProfile& profile, const AnchorWeights::Kept& kept) const {
  return translation_hasher_.ComputeFromBag(internal::TranslationShingles(profile, kept), translation_params_fingerprint_);
}

absl::StatusOr<std::vector<uint64_t>> Fingerprinter::ShingleSet(std::string_view text) const {
  NEARDUP_ASSIGN_OR_RETURN(std::string normalized, Normalize(text, options_.normalize));
  const std::vector<Token> tokens = Tokenize(normalized);
  return neardup::ShingleSet(normalized, tokens, options_.shingle, options_.minhash.seed);
}

absl::StatusOr<Fingerprint> Fingerprinter::Compute(std::string_view text, std::string_view language) const {
  NEARDUP_ASSIGN_OR_RETURN(const std::string tag, ParseLanguageTag(language));
  Fingerprint fp;
  NEARDUP_RETURN_IF_ERROR(ComputeText(text, &fp));
  if (options_.anchors) {
    NEARDUP_RETURN_IF_ERROR(ComputeCrossLanguage(text, tag, &fp));
  } else {
    fp.language = tag;
  }
  return fp;
}

absl::Status Fingerprinter::ComputeText(std::string_view text, Fingerprint* fp) const {
  NEARDUP_ASSIGN_OR_RETURN(std::string normalized, Normalize(text, options_.normalize));
  const std::vector<Token> tokens = Tokenize(normalized);
  const std::vector<uint64_t> bag = ShingleHashes(normalized, tokens, options_.shingle, options_.minhash.seed);
  if (options_.containment && options_.minhash.algorithm == MinHashAlgorithm::kOnePermutation) {
    NEARDUP_RETURN_IF_ERROR(internal::SketchBag(hasher_, bag, params_fingerprint_, &fp->signature, &fp->containment));
  } else {
    fp->signature = hasher_.ComputeFromBag(bag, params_fingerprint_);
  }
  fp->num_tokens = tokens.size();
  fp->num_bytes = text.size();
  return absl::OkStatus();
}

absl::Status Fingerprinter::ComputeCrossLanguage(std::string_view text, std::string_view language,
                                                 Fingerprint* fp) const {
  if (text.size() > options_.normalize.max_bytes) return Normalize(text, options_.normalize).status();
  // Anchors read the original text (capitals matter); bad bytes are rejected or replaced as
  // the normalization options say.
  std::string repaired;
  std::string_view source = text;
  if (FindInvalidUtf8(text) != text.size()) {
    if (options_.normalize.invalid_utf8 == InvalidUtf8::kReject) return ValidateUtf8(text);
    repaired = ReplaceInvalidUtf8(text);
    source = repaired;
  }
  fp->language = language.empty() ? DetectLanguage(source) : NormalizeLanguageTag(language);
  fp->anchors = internal::AnchorProfileOfValidUtf8(source, fp->language);  // checked or repaired above
  fp->translation_signature = TranslationSignature(fp->anchors);
  return absl::OkStatus();
}

double ExactJaccard(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  if (a.empty() || b.empty()) return 0.0;
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

}  // namespace neardup

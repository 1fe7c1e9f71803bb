#include "neardup/fingerprint.h"

#include <string>

#include "internal/endian.h"
#include "internal/hash.h"
#include "internal/status_macros.h"
#include "neardup/language.h"
#include "neardup/tokenize.h"
#include "neardup/utf8.h"

#include <algorithm>

namespace neardup {

absl::StatusOr<Fingerprinter> Fingerprinter::Create(const FingerprintOptions& options) {
  NEARDUP_RETURN_IF_ERROR(ValidateShingleOptions(options.shingle));
  NEARDUP_ASSIGN_OR_RETURN(MinHasher hasher, MinHasher::Create(options.minhash));
  MinHashOptions anchor_options = options.minhash;
  anchor_options.seed = internal::SplitMix64(options.minhash.seed ^ 0x616e63686f72ULL);  // independent of text hashes
  NEARDUP_ASSIGN_OR_RETURN(MinHasher anchor_hasher, MinHasher::Create(anchor_options));
  return Fingerprinter(options, std::move(hasher), std::move(anchor_hasher));
}

Fingerprinter::Fingerprinter(const FingerprintOptions& options, MinHasher hasher, MinHasher anchor_hasher)
    : options_(options), hasher_(std::move(hasher)), anchor_hasher_(std::move(anchor_hasher)) {
  std::string canonical = "neardup.fingerprint";
  internal::AppendLe64(canonical, hasher_.fingerprint());
  internal::AppendLe(canonical, options.normalize.unify_punctuation, 1);
  internal::AppendLe(canonical, options.normalize.strip_diacritics, 1);
  internal::AppendLe(canonical, static_cast<uint8_t>(options.shingle.kind), 1);
  internal::AppendLe32(canonical, static_cast<uint32_t>(options.shingle.size));
  canonical += UnicodeVersion();
  params_fingerprint_ = internal::Hash64(canonical, 0);
  anchor_params_fingerprint_ = internal::Hash64("neardup.anchors.v1" + canonical, anchor_hasher_.fingerprint());
}

namespace {

// Shingles of the anchor sequence: every anchor, and every pair of consecutive anchors, so
// that both what is shared and the order it comes in make documents similar.
std::vector<uint64_t> AnchorShingles(const AnchorProfile& profile) {
  std::vector<uint64_t> out;
  out.reserve(2 * profile.keys.size());
  for (size_t i = 0; i < profile.keys.size(); ++i) {
    out.push_back(profile.keys[i]);
    if (i + 1 < profile.keys.size()) {
      out.push_back(internal::CombineFinish(
          internal::CombineStep(internal::CombineStep(internal::kCombineInit, profile.keys[i]), profile.keys[i + 1]), 2));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

absl::StatusOr<std::vector<uint64_t>> Fingerprinter::ShingleSet(std::string_view text) const {
  NEARDUP_ASSIGN_OR_RETURN(std::string normalized, Normalize(text, options_.normalize));
  const std::vector<Token> tokens = Tokenize(normalized);
  return neardup::ShingleSet(normalized, tokens, options_.shingle, options_.minhash.seed);
}

absl::StatusOr<Fingerprint> Fingerprinter::Compute(std::string_view text, std::string_view language) const {
  NEARDUP_ASSIGN_OR_RETURN(std::string normalized, Normalize(text, options_.normalize));
  const std::vector<Token> tokens = Tokenize(normalized);
  const std::vector<uint64_t> set =
      neardup::ShingleSet(normalized, tokens, options_.shingle, options_.minhash.seed);
  Fingerprint fp;
  fp.signature = hasher_.Compute(set, params_fingerprint_);
  fp.num_tokens = tokens.size();
  fp.num_bytes = text.size();
  if (options_.anchors) {
    // Anchors read the original text (capitals matter); it is valid UTF-8 once Normalize
    // accepted it, unless replacement was asked for.
    std::string repaired;
    std::string_view source = text;
    if (FindInvalidUtf8(text) != text.size()) {
      repaired = ReplaceInvalidUtf8(text);
      source = repaired;
    }
    fp.language = language.empty() ? DetectLanguage(source) : NormalizeLanguageTag(language);
    NEARDUP_ASSIGN_OR_RETURN(fp.anchors, MakeAnchorProfile(source, fp.language));
    fp.anchor_signature = anchor_hasher_.Compute(AnchorShingles(fp.anchors), anchor_params_fingerprint_);
  } else {
    fp.language = NormalizeLanguageTag(language);
  }
  return fp;
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

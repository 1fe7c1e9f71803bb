#include "neardup/fingerprint.h"

#include <string>

#include "internal/endian.h"
#include "internal/hash.h"
#include "internal/status_macros.h"
#include "neardup/tokenize.h"

namespace neardup {

absl::StatusOr<Fingerprinter> Fingerprinter::Create(const FingerprintOptions& options) {
  NEARDUP_RETURN_IF_ERROR(ValidateShingleOptions(options.shingle));
  NEARDUP_ASSIGN_OR_RETURN(MinHasher hasher, MinHasher::Create(options.minhash));
  return Fingerprinter(options, std::move(hasher));
}

Fingerprinter::Fingerprinter(const FingerprintOptions& options, MinHasher hasher)
    : options_(options), hasher_(std::move(hasher)) {
  std::string canonical = "neardup.fingerprint";
  internal::AppendLe64(canonical, hasher_.fingerprint());
  internal::AppendLe(canonical, options.normalize.unify_punctuation, 1);
  internal::AppendLe(canonical, options.normalize.strip_diacritics, 1);
  internal::AppendLe(canonical, static_cast<uint8_t>(options.shingle.kind), 1);
  internal::AppendLe32(canonical, static_cast<uint32_t>(options.shingle.size));
  canonical += UnicodeVersion();
  params_fingerprint_ = internal::Hash64(canonical, 0);
}

absl::StatusOr<std::vector<uint64_t>> Fingerprinter::ShingleSet(std::string_view text) const {
  NEARDUP_ASSIGN_OR_RETURN(std::string normalized, Normalize(text, options_.normalize));
  const std::vector<Token> tokens = Tokenize(normalized);
  return neardup::ShingleSet(normalized, tokens, options_.shingle, options_.minhash.seed);
}

absl::StatusOr<Fingerprint> Fingerprinter::Compute(std::string_view text) const {
  NEARDUP_ASSIGN_OR_RETURN(std::string normalized, Normalize(text, options_.normalize));
  const std::vector<Token> tokens = Tokenize(normalized);
  const std::vector<uint64_t> set =
      neardup::ShingleSet(normalized, tokens, options_.shingle, options_.minhash.seed);
  Fingerprint fp;
  fp.signature = hasher_.Compute(set, params_fingerprint_);
  fp.num_tokens = tokens.size();
  fp.num_bytes = text.size();
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

#include "neardup/fingerprint.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "internal/anchors_of_valid_text.h"
#include "internal/endian.h"
#include "internal/hash.h"
#include "internal/radix_sort.h"
#include "internal/status_macros.h"
#include "sketch/shingle_filter.h"
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

namespace {

// What a translation shares with its source, as a set for MinHash:
//   * every anchor other than names, and every pair of consecutive ones (so the order
//     counts). Names are left out: they are often translated (German capitalizes every noun,
//     English title-cases labels) and would make translations look less alike than they are;
//   * the layout: each paragraph's index with its share of the text's length on a log scale
//     (two offset grids, so a share near a bucket edge still matches), and the paragraph
//     count. Anchor-poor pages (user-interface help, say) are found through these.
std::vector<uint64_t> TranslationShingles(const AnchorProfile& profile, AnchorWeights::Kept kept) {
  const std::span<const uint32_t> paragraphs(profile.paragraph_lengths.data(), kept.paragraphs);
  std::vector<uint64_t> hard;
  for (size_t i = 0; i < profile.keys.size(); ++i) {
    if (profile.kinds[i] != AnchorKind::kName && kept.Keeps(i)) hard.push_back(profile.keys[i]);
  }
  std::vector<uint64_t> out;
  out.reserve(2 * hard.size() + 2 * paragraphs.size() + 1);
  const auto combine = [](uint64_t tag, uint64_t x, uint64_t y) {
    return internal::CombineFinish(internal::CombineStep(internal::CombineStep(internal::kCombineInit, x), y), tag);
  };
  for (size_t i = 0; i < hard.size(); ++i) {
    out.push_back(hard[i]);
    if (i + 1 < hard.size()) out.push_back(combine(2, hard[i], hard[i + 1]));
  }
  double total = 0;
  for (uint32_t len : paragraphs) total += len;
  // Layout shingles pair a paragraph's index with its length, so one paragraph split or added
  // in a translation shifts every later one; in a long page they also outnumber the anchors'.
  // A page with anchors enough to be found by them keeps the layout of its first
  // kLayoutParagraphsWithAnchors paragraphs only. Fitted on xlang-wild-dev (manuals of 65 to
  // 400 paragraphs that translate an older version: +6 true links, none false), checked on
  // xlang-dev (+1 true link) and wire-dev (no change); at 32, wire-dev lost 2 of its 19.
  constexpr size_t kAnchorsToBeFoundBy = 16, kLayoutParagraphsWithAnchors = 64;
  const size_t layout_paragraphs =
      hard.size() >= kAnchorsToBeFoundBy ? std::min(paragraphs.size(), kLayoutParagraphsWithAnchors) : paragraphs.size();
  for (size_t i = 0; i < layout_paragraphs; ++i) {
    const double scaled = 2.5 * std::log2((paragraphs[i] + 10.0) / std::max(1.0, total));
    out.push_back(combine(3, i, static_cast<uint64_t>(static_cast<int64_t>(std::floor(scaled)))));
    out.push_back(combine(4, i, static_cast<uint64_t>(static_cast<int64_t>(std::floor(scaled + 0.5)))));
  }
  if (!paragraphs.empty()) out.push_back(combine(5, paragraphs.size(), 0));
  return out;  // repeats included: ComputeFromBag ignores them
}

// The sketch of a bag of shingle hashes (repeats allowed): the top 32 bits of each element
// hash, sorted and distinct, make the filter, and their prefix below the sampling bound the
// sample.
ContainmentSketch ContainmentSketchOf(const MinHasher& hasher, std::span<const uint64_t> bag) {
  thread_local std::vector<uint32_t> keys;
  keys.clear();
  keys.reserve(bag.size());
  for (uint64_t x : bag) keys.push_back(KeptBits(hasher.ElementHash(x)));
  internal::RadixSort(keys);  // std::sort was an eighth of near mode's time on the perf corpus
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  ContainmentSketch sketch;
  constexpr uint64_t kSampleBound = (uint64_t{1} << 32) / kContainmentSampleScale;
  sketch.sample.assign(keys.begin(), std::lower_bound(keys.begin(), keys.end(), kSampleBound));
  sketch.filter = internal::EncodeShingleFilter(keys);
  return sketch;
}

}  // namespace

Signature Fingerprinter::TranslationSignature(const AnchorProfile& profile, const AnchorWeights* weights) const {
  AnchorWeights::Kept kept;
  kept.paragraphs = profile.paragraph_lengths.size();
  if (weights != nullptr) kept = weights->WithoutBoilerplateTail(profile);
  return translation_hasher_.ComputeFromBag(TranslationShingles(profile, kept), translation_params_fingerprint_);
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
  fp->signature = hasher_.ComputeFromBag(bag, params_fingerprint_);
  if (options_.containment && options_.minhash.algorithm == MinHashAlgorithm::kOnePermutation) {
    fp->containment = ContainmentSketchOf(hasher_, bag);
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

#include "xlang/translation_shingles.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "text/hash.h"

namespace neardup::internal {

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

}  // namespace neardup::internal

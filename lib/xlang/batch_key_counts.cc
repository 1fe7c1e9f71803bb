#include "xlang/batch_key_counts.h"

#include <bit>

namespace neardup::internal {

void BatchKeyCounts::Add(size_t position, const AnchorProfile& profile) {
  const uint64_t bit = uint64_t{1} << position;
  counted_ |= bit;
  for (uint64_t key : AnchorWeights::CountedKeys(profile)) {
    holders_[key] |= bit;
    filter_[FilterBit(key) / 64] |= uint64_t{1} << (FilterBit(key) % 64);
  }
}

AnchorWeights BatchKeyCounts::AsOf(const AnchorWeights& base, size_t position) const {
  const uint64_t up_to = position + 1 >= kMaxDocuments ? ~uint64_t{0} : (uint64_t{1} << (position + 1)) - 1;
  return AnchorWeights::View(base, *this, counted_ & up_to);
}

uint32_t BatchKeyCounts::Count(uint64_t key, uint64_t documents) const {
  if ((filter_[FilterBit(key) / 64] >> (FilterBit(key) % 64) & 1) == 0) return 0;
  const auto it = holders_.find(key);
  return it == holders_.end() ? 0 : static_cast<uint32_t>(std::popcount(it->second & documents));
}

}  // namespace neardup::internal

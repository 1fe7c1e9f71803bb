#include "index/posting_table.h"

#include <algorithm>
#include <cmath>

namespace neardup::internal {

bool SharesEnoughSample(uint32_t shared, size_t sample_a, size_t sample_b) {
  const double needed = std::floor(kMinSharedSampleShare * static_cast<double>(std::min(sample_a, sample_b)));
  return shared >= std::max(1.0, needed);
}

void PostingTable::Add(uint32_t seq, std::span<const uint32_t> keys) {
  for (uint32_t key : keys) {
    uint32_t at;
    if (!free_.empty()) {
      at = free_.back();
      free_.pop_back();
    } else {
      at = static_cast<uint32_t>(postings_.size());
      postings_.emplace_back();
    }
    auto [it, inserted] = newest_.try_emplace(key, at);
    postings_[at] = Posting{seq, inserted ? kEnd : it->second};
    it->second = at;
  }
}

void PostingTable::Remove(uint32_t seq, std::span<const uint32_t> keys) {
  for (uint32_t key : keys) {
    const auto it = newest_.find(key);
    if (it == newest_.end()) continue;
    uint32_t* link = &it->second;
    while (*link != kEnd && postings_[*link].seq != seq) link = &postings_[*link].next;
    if (*link == kEnd) continue;
    const uint32_t at = *link;
    *link = postings_[at].next;
    free_.push_back(at);
    if (it->second == kEnd) newest_.erase(it);
  }
}

void PostingTable::CountShared(std::span<const uint32_t> keys, absl::flat_hash_map<uint32_t, uint32_t>* shared) const {
  for (uint32_t key : keys) {
    const auto it = newest_.find(key);
    if (it == newest_.end()) continue;
    uint32_t scanned = 0;
    for (uint32_t at = it->second; at != kEnd && scanned < kMaxPostingScan; at = postings_[at].next, ++scanned) {
      ++(*shared)[postings_[at].seq];
    }
  }
}

size_t PostingTable::MemoryUsage() const {
  return newest_.capacity() * (sizeof(std::pair<uint32_t, uint32_t>) + 1) + postings_.capacity() * sizeof(Posting) +
         free_.capacity() * sizeof(uint32_t);
}

}  // namespace neardup::internal

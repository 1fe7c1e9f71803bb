#include "index/posting_table.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

#include "base/radix_sort.h"

namespace neardup::internal {

bool SharesEnoughSample(uint32_t shared, size_t sample_a, size_t sample_b) {
  const double needed = std::floor(kMinSharedSampleShare * static_cast<double>(std::min(sample_a, sample_b)));
  return shared >= std::max(1.0, needed);
}

void PostingTable::Add(uint32_t seq, std::span<const uint32_t> keys) {
  assert(recent_.empty() || seq > recent_.back().seq);
  for (uint32_t key : keys) {
    const uint32_t at = static_cast<uint32_t>(recent_.size());
    auto [it, inserted] = recent_newest_.try_emplace(key, at);
    recent_.push_back(RecentPosting{key, seq, inserted ? kEnd : it->second});
    it->second = at;
  }
  if (recent_.size() >= std::max(kMinRecentPostings, merged_postings_ / kRecentShare)) Merge();
}

void PostingTable::Remove(uint32_t seq, size_t key_count) {
  if (seq >= removed_.size()) removed_.resize(size_t{seq} + 1, false);
  if (removed_[seq]) return;
  removed_[seq] = true;
  removed_postings_ += key_count;
  if (2 * removed_postings_ > merged_postings_ + recent_.size()) Merge();
}

void PostingTable::AppendHolders(std::span<const uint32_t> keys, std::vector<uint32_t>* holders) const {
  for (uint32_t key : keys) {
    uint32_t scanned = 0;
    // The recent part first: its holders are the newest.
    if (const auto it = recent_newest_.find(key); it != recent_newest_.end()) {
      for (uint32_t at = it->second; at != kEnd && scanned < kMaxPostingScan; at = recent_[at].next) {
        if (!Removed(recent_[at].seq)) holders->push_back(recent_[at].seq), ++scanned;
      }
    }
    const Shard& shard = shards_[ShardOf(key)];
    if (shard.bucket_end.empty() || scanned == kMaxPostingScan) continue;
    const size_t bucket = BucketOf(key);
    const uint16_t low = static_cast<uint16_t>(key);
    const auto begin = shard.low_keys.begin() + shard.BucketBegin(bucket);
    const auto end = shard.low_keys.begin() + shard.bucket_end[bucket];
    const auto [first, last] = std::equal_range(begin, end, low);
    // Newest (the highest numbers) first.
    const size_t stop = static_cast<size_t>(first - shard.low_keys.begin());
    for (auto i = static_cast<size_t>(last - shard.low_keys.begin()); i > stop && scanned < kMaxPostingScan;) {
      --i;
      if (!Removed(shard.seqs[i])) holders->push_back(shard.seqs[i]), ++scanned;
    }
  }
}

void PostingTable::MergeShard(Shard& shard, std::span<const uint64_t> fresh) {
  Shard merged;
  const size_t old_size = shard.low_keys.size();
  merged.bucket_end.resize(kBucketsPerShard);
  merged.low_keys.reserve(old_size + fresh.size());
  merged.seqs.reserve(old_size + fresh.size());
  size_t f = 0;
  for (size_t bucket = 0; bucket < kBucketsPerShard; ++bucket) {
    size_t i = shard.bucket_end.empty() ? 0 : shard.BucketBegin(bucket);
    const size_t end = shard.bucket_end.empty() ? 0 : shard.bucket_end[bucket];
    size_t fresh_end = f;
    while (fresh_end < fresh.size() && BucketOf(static_cast<uint32_t>(fresh[fresh_end] >> 32)) == bucket) ++fresh_end;
    // Within a key the merged documents come first: they are the older ones.
    while (i < end || f < fresh_end) {
      const bool take_old = f == fresh_end || (i < end && shard.low_keys[i] <= static_cast<uint16_t>(fresh[f] >> 32));
      const uint16_t low = take_old ? shard.low_keys[i] : static_cast<uint16_t>(fresh[f] >> 32);
      const uint32_t seq = take_old ? shard.seqs[i++] : static_cast<uint32_t>(fresh[f++]);
      if (!Removed(seq)) merged.low_keys.push_back(low), merged.seqs.push_back(seq);
    }
    merged.bucket_end[bucket] = static_cast<uint32_t>(merged.low_keys.size());
  }
  merged_postings_ = merged_postings_ - old_size + merged.low_keys.size();
  if (merged.low_keys.empty()) merged = Shard{};  // a shard whose postings were all removed
  shard = std::move(merged);
}

void PostingTable::Merge() {
  // The live recent postings as (key, document): in document order, so a stable sort by key
  // leaves each key's documents ascending, as the merged part keeps them.
  std::vector<uint64_t> fresh;
  fresh.reserve(recent_.size());
  for (const RecentPosting& p : recent_) {
    if (!Removed(p.seq)) fresh.push_back(uint64_t{p.key} << 32 | p.seq);
  }
  RadixSortBy(fresh, 32, [](uint64_t v) { return v >> 32; });
  // A shard is rebuilt when it has fresh postings or removed ones to drop.
  const bool dropping = removed_postings_ > 0;
  size_t f = 0;
  for (size_t s = 0; s < kShards; ++s) {
    const size_t begin = f;
    while (f < fresh.size() && ShardOf(static_cast<uint32_t>(fresh[f] >> 32)) == s) ++f;
    if (f > begin || (dropping && !shards_[s].low_keys.empty())) {
      MergeShard(shards_[s], std::span<const uint64_t>(fresh).subspan(begin, f - begin));
    }
  }
  recent_newest_ = {};
  recent_ = {};
  removed_postings_ = 0;
}

size_t PostingTable::MemoryUsage() const {
  size_t bytes = shards_.capacity() * sizeof(Shard);
  for (const Shard& shard : shards_) {
    bytes += shard.bucket_end.capacity() * sizeof(uint32_t) + shard.low_keys.capacity() * sizeof(uint16_t) +
             shard.seqs.capacity() * sizeof(uint32_t);
  }
  return bytes + recent_newest_.capacity() * (sizeof(std::pair<uint32_t, uint32_t>) + 1) +
         recent_.capacity() * sizeof(RecentPosting) + removed_.capacity() / 8;
}

}  // namespace neardup::internal

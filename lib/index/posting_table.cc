#include "index/posting_table.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

#include "internal/radix_sort.h"

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
  if (recent_.size() >= std::max(kMinRecentPostings, low_keys_.size() / kRecentShare)) Merge();
}

void PostingTable::Remove(uint32_t seq, size_t key_count) {
  if (seq >= removed_.size()) removed_.resize(size_t{seq} + 1, false);
  if (removed_[seq]) return;
  removed_[seq] = true;
  removed_postings_ += key_count;
  if (2 * removed_postings_ > low_keys_.size() + recent_.size()) Merge();
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
    if (bucket_end_.empty() || scanned == kMaxPostingScan) continue;
    const uint32_t bucket = key >> (32 - kDirectoryBits);
    const uint16_t low = static_cast<uint16_t>(key);
    const auto begin = low_keys_.begin() + BucketBegin(bucket);
    const auto end = low_keys_.begin() + bucket_end_[bucket];
    const auto [first, last] = std::equal_range(begin, end, low);
    // Newest (the highest numbers) first.
    for (auto i = static_cast<size_t>(last - low_keys_.begin()); i > static_cast<size_t>(first - low_keys_.begin()) && scanned < kMaxPostingScan;) {
      --i;
      if (!Removed(seqs_[i])) holders->push_back(seqs_[i]), ++scanned;
    }
  }
}

void PostingTable::DropRemovedMerged() {
  size_t kept = 0, begin = 0;
  for (size_t bucket = 0; bucket < bucket_end_.size(); ++bucket) {
    for (size_t i = begin; i < bucket_end_[bucket]; ++i) {
      if (!Removed(seqs_[i])) low_keys_[kept] = low_keys_[i], seqs_[kept] = seqs_[i], ++kept;
    }
    begin = bucket_end_[bucket];
    bucket_end_[bucket] = static_cast<uint32_t>(kept);
  }
  low_keys_.resize(kept);
  seqs_.resize(kept);
}

void PostingTable::Merge() {
  if (removed_postings_ > 0) DropRemovedMerged();
  // The live recent postings as (key, document): in document order, so a stable sort by key
  // leaves each key's documents ascending, as the merged part keeps them.
  std::vector<uint64_t> fresh;
  fresh.reserve(recent_.size());
  for (const RecentPosting& p : recent_) {
    if (!Removed(p.seq)) fresh.push_back(uint64_t{p.key} << 32 | p.seq);
  }
  RadixSortBy(fresh, 32, [](uint64_t v) { return v >> 32; });
  const size_t buckets = size_t{1} << kDirectoryBits;
  if (bucket_end_.empty()) bucket_end_.assign(buckets, 0);
  // Merged in place from the back: each fresh posting goes after the merged ones of its
  // bucket with a lower or equal low key (within a key, merged documents are the older), and
  // the merged runs between move up whole. The arrays grow with slack for the next merge
  // (1/kRecentShare is what a merge adds), not by doubling.
  const size_t old_size = low_keys_.size(), total = old_size + fresh.size();
  if (low_keys_.capacity() < total) {
    low_keys_.reserve(total + total / kRecentShare);
    seqs_.reserve(low_keys_.capacity());
  }
  low_keys_.resize(total);
  seqs_.resize(total);
  size_t unmoved = old_size, write = total;
  for (size_t f = fresh.size(); f-- > 0;) {
    const uint32_t key = static_cast<uint32_t>(fresh[f] >> 32);
    const size_t bucket = key >> (32 - kDirectoryBits);
    const uint16_t low = static_cast<uint16_t>(key);
    const auto begin = low_keys_.begin() + BucketBegin(bucket);
    const auto end = low_keys_.begin() + std::min<size_t>(unmoved, bucket_end_[bucket]);
    const size_t at = static_cast<size_t>(std::upper_bound(begin, end, low) - low_keys_.begin());
    std::copy_backward(low_keys_.begin() + at, low_keys_.begin() + unmoved, low_keys_.begin() + write);
    std::copy_backward(seqs_.begin() + at, seqs_.begin() + unmoved, seqs_.begin() + write);
    write -= unmoved - at, unmoved = at;
    --write;
    low_keys_[write] = low, seqs_[write] = static_cast<uint32_t>(fresh[f]);
  }
  // Each bucket ends later by the fresh postings in it and before it.
  size_t f = 0;
  for (size_t bucket = 0; bucket < buckets; ++bucket) {
    while (f < fresh.size() && (fresh[f] >> (64 - kDirectoryBits)) == bucket) ++f;
    bucket_end_[bucket] += static_cast<uint32_t>(f);
  }
  recent_newest_ = {};
  recent_ = {};
  removed_postings_ = 0;
}

size_t PostingTable::MemoryUsage() const {
  return bucket_end_.capacity() * sizeof(uint32_t) + low_keys_.capacity() * sizeof(uint16_t) +
         seqs_.capacity() * sizeof(uint32_t) +
         recent_newest_.capacity() * (sizeof(std::pair<uint32_t, uint32_t>) + 1) +
         recent_.capacity() * sizeof(RecentPosting) + removed_.capacity() / 8;
}

}  // namespace neardup::internal

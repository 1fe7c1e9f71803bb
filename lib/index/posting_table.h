// File: index/posting_table.h
//
// Containment candidates: each document's sample keys (ContainmentSketch::sample, a FracMinHash
// sketch) → the documents holding them, newest first. A text contained in a larger one has
// its sampled shingles in the larger one's sample too, whatever the size ratio, so the pairs
// that share enough sample keys (SharesEnoughSample) are the ones to verify.
//
// Two parts, as a log-structured merge keeps them:
//  - merged: every posting sorted by (key, document), the key split into a directory of its
//    top 16 bits and 2 bytes of low bits beside a 4-byte document number: 6 bytes a posting,
//    one key for 16 shingles (about 0.4 bytes a shingle). A key's holders are contiguous, so
//    a query reads them from one or two cache lines instead of following links. The merged
//    part is cut in kShards shards by the key's top bits, each in arrays of its own: a merge
//    rebuilds each shard into new arrays of its exact size, a few dozen KB the heap hands
//    back from the shards freed before, where one array of every posting (11 MB on the perf
//    corpus) was reallocated into freshly mapped pages at almost every merge and the page
//    faults were most of the merge's cost.
//  - recent: the postings added since the last merge, in linked lists found by key (about
//    30 bytes a posting), merged in once they reach 1/kRecentShare of the merged part, so
//    they cost at most ~2 bytes a merged posting and each posting is copied about
//    kRecentShare times over its life (amortized O(1)), mostly by memcpy.
// A removed document is marked, skipped by queries (it does not count toward a key's
// kMaxPostingScan) and dropped at the next merge.
//
// Documents are numbered in the order they are added (the Deduplicator's sequence numbers),
// so within a key the merged part holds older documents than the recent part.
// Not synchronized: the Deduplicator's lock guards it.

#ifndef NEARDUP_INDEX_POSTING_TABLE_H_
#define NEARDUP_INDEX_POSTING_TABLE_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace neardup::internal {

// How many of a key's newest holders a query reads. A sample key of common boilerplate (a
// license's sentence, a man page's "SEE ALSO" line) is held by thousands of documents, and
// this bounds a query's cost there; a family of copies stays joined through its newest
// members. licenses-dev's most widely copied license text is in fewer than 256 files.
inline constexpr uint32_t kMaxPostingScan = 256;

// A pair is a containment candidate when it shares at least half of the smaller of its two
// samples (at least 1). A text contained at 0.9 shares about 0.9 of its sample; with 4 keys it
// keeps 2 with probability 0.996, and with 1 to 3 keys one is enough. Two documents that
// merely share a boilerplate paragraph share a small part of the smaller one's sample.
inline constexpr double kMinSharedSampleShare = 0.5;
bool SharesEnoughSample(uint32_t shared, size_t sample_a, size_t sample_b);

class PostingTable {
 public:
  // Adds document `seq` under each of `keys` (distinct). `seq` must be above every document
  // added before, as the Deduplicator's sequence numbers are.
  void Add(uint32_t seq, std::span<const uint32_t> keys);
  // Removes document `seq`, added with `key_count` keys. Merges once half the postings are
  // removed ones, so that a collection that churns does not keep them.
  void Remove(uint32_t seq, size_t key_count);
  // Appends to `holders` each of the kMaxPostingScan newest live holders of every one of
  // `keys` (distinct): a document appears once for each key it shares.
  void AppendHolders(std::span<const uint32_t> keys, std::vector<uint32_t>* holders) const;
  size_t MemoryUsage() const;
  size_t size() const { return merged_postings_ + recent_.size() - removed_postings_; }

 private:
  static constexpr int kDirectoryBits = 16;
  // The top kShardBits of the directory's bits choose the shard, the rest the bucket in it.
  // 256 shards keep a shard's arrays under glibc's mmap threshold (128 KiB at first) up to
  // about 8M postings (32,768 a shard, 4 bytes of document each), and cost 256 triples of
  // vectors (18 KB).
  static constexpr int kShardBits = 8;
  static constexpr size_t kShards = size_t{1} << kShardBits;
  static constexpr size_t kBucketsPerShard = size_t{1} << (kDirectoryBits - kShardBits);
  // The recent part is merged once it holds this share of the merged part's postings...
  static constexpr size_t kRecentShare = 16;
  // ...or this many, whichever is larger, so that a small table is not merged at every Add.
  static constexpr size_t kMinRecentPostings = size_t{1} << 16;
  static constexpr uint32_t kEnd = UINT32_MAX;

  struct RecentPosting {
    uint32_t key, seq;
    uint32_t next;  // the next older holder of the key in the recent part, or kEnd
  };
  // A shard of the merged part: bucket b (the key's next kDirectoryBits - kShardBits bits)
  // is [bucket_end[b - 1], bucket_end[b]), sorted by (low key, document). Empty until the
  // first merge that gives it a posting.
  struct Shard {
    std::vector<uint32_t> bucket_end;
    std::vector<uint16_t> low_keys;
    std::vector<uint32_t> seqs;
    size_t BucketBegin(size_t bucket) const { return bucket == 0 ? 0 : bucket_end[bucket - 1]; }
  };
  static size_t ShardOf(uint32_t key) { return key >> (32 - kShardBits); }
  static size_t BucketOf(uint32_t key) { return (key >> (32 - kDirectoryBits)) & (kBucketsPerShard - 1); }
  bool Removed(uint32_t seq) const { return seq < removed_.size() && removed_[seq]; }
  void Merge();
  // Rebuilds `shard` with `fresh` (its new postings as key << 32 | document, sorted by key,
  // documents ascending within a key), dropping removed documents.
  void MergeShard(Shard& shard, std::span<const uint64_t> fresh);

  std::vector<Shard> shards_ = std::vector<Shard>(kShards);
  size_t merged_postings_ = 0;  // in all shards
  // The recent part.
  absl::flat_hash_map<uint32_t, uint32_t> recent_newest_;  // key → its newest recent posting
  std::vector<RecentPosting> recent_;
  std::vector<bool> removed_;      // by document
  size_t removed_postings_ = 0;    // postings of removed documents not yet dropped
};

}  // namespace neardup::internal

#endif  // NEARDUP_INDEX_POSTING_TABLE_H_

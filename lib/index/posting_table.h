// File: index/posting_table.h
//
// Containment candidates: each document's sample keys (ContainmentSketch::sample, a FracMinHash
// sketch) → the documents holding them, newest first. A text contained in a larger one has
// its sampled shingles in the larger one's sample too, whatever the size ratio, so the pairs
// that share enough sample keys (SharesEnoughSample) are the ones to verify.
//
// Each key's list is a singly linked list through one array of postings (8 bytes each), the
// head found by key: about 8 + 10 bytes a sample key, one key for 16 shingles.
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
  // Adds document `seq` under each of `keys` (distinct).
  void Add(uint32_t seq, std::span<const uint32_t> keys);
  // Removes document `seq` from the lists of `keys` (those it was added with).
  void Remove(uint32_t seq, std::span<const uint32_t> keys);
  // Adds to (*shared)[d] the number of `keys` whose kMaxPostingScan newest holders include d.
  void CountShared(std::span<const uint32_t> keys, absl::flat_hash_map<uint32_t, uint32_t>* shared) const;
  size_t MemoryUsage() const;

 private:
  static constexpr uint32_t kEnd = UINT32_MAX;
  struct Posting {
    uint32_t seq;
    uint32_t next;  // the next older holder, or kEnd
  };
  absl::flat_hash_map<uint32_t, uint32_t> newest_;  // key → its newest posting
  std::vector<Posting> postings_;
  std::vector<uint32_t> free_;  // postings removed, to reuse
};

}  // namespace neardup::internal

#endif  // NEARDUP_INDEX_POSTING_TABLE_H_

// File: store/records.h
//
// The rows of the store's tables, encoded little-endian (base/endian.h) and decoded with
// bounds checks (base/byte_reader.h): a damaged row is kDataLoss naming the field, never
// a crash. The layouts are part of the store's format (kStoreFormatVersion).
//
// Every value ends with the CRC-32C of the bytes before it (Sealed, store/crc32c.h), checked
// on every read: a flipped bit is kDataLoss naming the row, never a different answer.
//
// documents: the rows of documents in sequence order, kRowsPerBlock to a block:
//   key = block number (4 bytes, big-endian, so appends stay in key order): a complete block,
//         its kRowsPerBlock rows each as a varint length and the row;
//   key = block number and the row's place in it (5 bytes): one row of the last block, while
//         that block is incomplete (1 to kRowsPerBlock - 1 of them). The Add that completes
//         the block writes it whole and deletes these.
// So each block is written once, whatever the batching (a block rewritten on every Add of a
// batch left 36 KB a document of free pages: LMDB cannot reuse a page freed in the
// transaction that frees it). Blocks rather than a key per row: LMDB stores a value over
// about 2 KB in whole 4 KB pages of its own, and fits two rows of 1.5 KB in a page, so
// translation-mode rows cost 1.6 times their size one per key (perf corpus: 3,780 bytes a
// document for 2,319 of rows); a block loses part of one page per kRowsPerBlock rows.
// A row:
//   u8   flags: 1 alive, 2 has a translation signature, 4 has an anchor profile, 8 has a
//        containment sketch
//   u32  id length, then the id's bytes
//   u64  shingle-set size, then k u32 text signature values (k = num_perm of the parameters):
//        each value's top 32 bits, all the index keeps (TruncateSignature in minhash.h)
//   [2]  u64 set size, then k u32 values: the translation signature as indexed, likewise
//   [4]  the anchor profile (store/profile_codec.h)
//   [8]  u32 sample size, then the sample's u32 keys (ascending); u32 filter bytes, then the
//        filter (sketch/shingle_filter.h): the containment sketch (containment.h)
// ids, key = XXH3-128 of the id (16 bytes: ids of any length up to kMaxIdBytes, where LMDB
// keys stop at 511 bytes), value = the document's sequence number (4 bytes, big-endian).
// links, key = link number (4 bytes, big-endian):
//   u32 a, u32 b (sequence numbers, a added first), u8 kind (MatchKind), f64 score,
//   f64 jaccard, f64 containment (Match's evidence, 0 for translations), u8 alive

#ifndef NEARDUP_STORE_RECORDS_H_
#define NEARDUP_STORE_RECORDS_H_

#include <cstdint>
#include <string>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/containment.h"
#include "neardup/minhash.h"
#include "neardup/translation.h"
#include "neardup/verdict.h"

namespace neardup::internal {

struct StoredDocument {
  std::string id;
  bool alive = true;
  uint64_t set_size = 0;
  std::vector<uint32_t> signature;  // the values' top 32 bits
  bool has_translation_signature = false;
  uint64_t translation_set_size = 0;
  std::vector<uint32_t> translation_signature;
  bool has_profile = false;
  AnchorProfile profile;
  bool has_containment = false;
  ContainmentSketch containment;
  friend bool operator==(const StoredDocument&, const StoredDocument&) = default;
};

struct StoredLink {
  uint32_t a = 0, b = 0;
  MatchKind kind = MatchKind::kNear;
  double score = 0;
  double jaccard = 0, containment = 0;
  bool alive = true;
  friend bool operator==(const StoredLink&, const StoredLink&) = default;
};

// `payload` followed by its CRC-32C (4 bytes, little-endian), as every value is stored.
std::string Sealed(std::string_view payload);
// The payload of a sealed value; kDataLoss naming `what` if the checksum does not match.
absl::StatusOr<std::string_view> Unsealed(std::string_view value, std::string_view what);

// The documents table's keys: a complete block, and a row of the incomplete last block.
std::string BlockKey(uint32_t block);
std::string RowKey(uint32_t seq);
// What a documents-table key names: a whole block, from document `first`, or the row of
// document `first` in the incomplete last block. kDataLoss for any other key (of another
// size, a block past the last sequence number, a row in a block's last place).
struct DocumentsKey {
  uint32_t first = 0;
  bool block = false;
};
absl::StatusOr<DocumentsKey> DecodeDocumentsKey(std::string_view key);
// The ids table's key of a document id.
std::string IdKey(std::string_view id);

// Documents per block of the documents table. A change rewrites the block: at 32, about 18 KB
// in near mode and 75 KB in translation mode, against 2 KB of page lost per block.
inline constexpr uint32_t kRowsPerBlock = 32;

// The rows of a block, in order; kDataLoss if it is damaged or holds more than kRowsPerBlock.
absl::StatusOr<std::vector<std::string_view>> SplitBlock(std::string_view block);
void AppendToBlock(std::string& block, std::string_view row);

// Big-endian 4-byte keys: LMDB orders keys bytewise, so these sort as numbers.
std::string SequenceKey(uint32_t n);
absl::StatusOr<uint32_t> DecodeSequenceKey(std::string_view key);

// The top 32 bits of each value of `signature`, as a row holds them, and back (the low bits 0).
std::vector<uint32_t> KeptValues(const Signature& signature);
std::vector<uint64_t> RestoredValues(std::span<const uint32_t> kept);

std::string EncodeStoredDocument(const StoredDocument& doc);
// `num_perm` is the signatures' length (from the store's parameters).
absl::StatusOr<StoredDocument> DecodeStoredDocument(std::string_view bytes, int num_perm);

std::string EncodeStoredLink(const StoredLink& link);
absl::StatusOr<StoredLink> DecodeStoredLink(std::string_view bytes);

}  // namespace neardup::internal

#endif  // NEARDUP_STORE_RECORDS_H_

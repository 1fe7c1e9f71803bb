// File: store/dedup_store.h
//
// What a stored Deduplicator writes and reads back (DESIGN.md): the documents, their ids and
// the links, in one LMDB file. The Deduplicator keeps its logic and its in-memory state.
// Each change is committed here first, in one transaction that is durable when it returns;
// only then does the Deduplicator apply the change in memory. Opening a store replays the
// documents and links in order, which rebuilds everything derived from them: both LSH
// indexes, the anchor weights and the id map.
//
// One process at a time may open a store for writing. It holds an exclusive lock on
// `path`-writer for as long as the store is open, and a second writer gets kUnavailable at
// once. Two in-memory states adding to one file would hand out the same sequence numbers.
// Readers (read_only) take no lock; LMDB gives each transaction a consistent snapshot. A
// reader that may not write LMDB's lock file (`path`-lock, or the directory to make it in)
// reads without it, holding a shared lock on `path`-writer instead: no writer can open the
// store while it reads (the writer gets kUnavailable), and it cannot open while one writes.
//
// Batches: between BeginBatch and EndBatch, each CommitAdd is a transaction nested in the
// batch's, so a failed one leaves no trace; the rows of the batch's documents are held in
// memory and written at EndBatch, each block once.

#ifndef NEARDUP_STORE_DEDUP_STORE_H_
#define NEARDUP_STORE_DEDUP_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "neardup/dedup_options.h"
#include "store/records.h"
#include "store/store_file.h"

namespace neardup::internal {

class DedupStore {
 public:
  static absl::StatusOr<std::unique_ptr<DedupStore>> Open(const std::string& path, const DedupOptions& options,
                                                          bool read_only);
  ~DedupStore();

  // Calls on_document for every document in sequence order (0, 1, 2, ...), then on_link for
  // every link in link order, all from one snapshot. kDataLoss if a row is damaged or the
  // numbering has a gap.
  absl::Status Load(absl::FunctionRef<absl::Status(uint32_t seq, StoredDocument&& doc)> on_document,
                    absl::FunctionRef<absl::Status(uint32_t index, const StoredLink& link)> on_link) const;

  // Between BeginBatch and EndBatch, CommitAdd and CommitRemove write into one transaction,
  // which EndBatch commits (one fsync for the batch); outside, each commits its own.
  absl::Status BeginBatch();
  absl::Status EndBatch();

  // One Add, committed: the document at `seq` (the next number), its id, the links it made
  // (numbered from `first_link`), and the links it retracted (by number; their rows now say
  // dead).
  absl::Status CommitAdd(uint32_t seq, const StoredDocument& doc, uint32_t first_link,
                         const std::vector<StoredLink>& new_links, const std::vector<uint32_t>& retracted);

  // One Remove, committed: `seq` is marked removed, its id freed and `dead_links` marked dead.
  absl::Status CommitRemove(uint32_t seq, const std::string& id, const std::vector<uint32_t>& dead_links);

  // What Load does not see: the ids table names exactly the live documents, each by its
  // sequence number, and every value's checksum holds. kDataLoss naming the first
  // disagreement.
  absl::Status CheckIds() const;

  // The options the store at `path` was made with (ReadStoredOptions), read as Open reads:
  // by a reader that may not write the lock file, under the shared lock on `path`-writer.
  static absl::StatusOr<DedupOptions> ReadOptions(const std::string& path);

  // Rewrites the store at `path` at its smallest (lmdb::Environment::CopyCompacted), in place
  // of the old file. It needs the store to itself: kUnavailable if any other process has it
  // open. Returns the file's bytes before and after.
  static absl::StatusOr<std::pair<uint64_t, uint64_t>> Compact(const std::string& path);

  // Bytes of the file, and of the pages in use in it.
  absl::StatusOr<uint64_t> FileSize() const;
  absl::StatusOr<uint64_t> UsedBytes() const { return file_.env->UsedBytes(); }
  const StoreFile& file() const { return file_; }
  bool read_only() const { return read_only_; }

 private:
  DedupStore(StoreFile file, int writer_lock, bool read_only, int num_perm)
      : file_(std::move(file)), writer_lock_(writer_lock), read_only_(read_only), num_perm_(num_perm) {}
  absl::Status OpenTables();
  // The batch's transaction, or a new one (set in *own) that the caller commits.
  absl::StatusOr<lmdb::Transaction*> Writer(std::optional<lmdb::Transaction>* own);
  absl::Status Finish(std::optional<lmdb::Transaction>* own);
  // Calls `visit` with every document row in sequence order, stopping at its first error;
  // kDataLoss if a block is damaged or the numbering has a gap.
  absl::Status ForEachDocument(const lmdb::Transaction& txn,
                               absl::FunctionRef<absl::Status(uint32_t seq, std::string_view row)> visit) const;
  // Rewrites the alive flag of link `index` in `txn`.
  absl::Status MarkLinkDead(lmdb::Transaction& txn, uint32_t index);
  // Writes the id, the links and the retractions of an Add.
  absl::Status WriteAddExceptRow(lmdb::Transaction& txn, uint32_t seq, const StoredDocument& doc, uint32_t first_link,
                                 const std::vector<StoredLink>& new_links, const std::vector<uint32_t>& retracted);
  // Writes `rows` (encoded, unsealed) as documents first, first + 1, ...: into the rows of the
  // last block, or, for a block they complete, as the whole block.
  absl::Status AppendRows(lmdb::Transaction& txn, uint32_t first, std::span<const std::string> rows);

  StoreFile file_;
  int writer_lock_;  // file descriptor holding the writer lock, -1 when read-only
  bool read_only_;
  int num_perm_;
  lmdb::Database documents_, ids_, links_;
  std::optional<lmdb::Transaction> batch_;
  uint32_t batch_first_ = 0;                // the sequence number of batch_rows_[0]
  std::vector<std::string> batch_rows_;  // rows added in the batch, written at EndBatch
};

}  // namespace neardup::internal

#endif  // NEARDUP_STORE_DEDUP_STORE_H_

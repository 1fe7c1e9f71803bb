// File: store/lmdb.h
//
// A thin layer over LMDB (Lightning Memory-Mapped Database) that returns absl::Status and
// closes what it opens. It is the store's only contact with LMDB: lmdb.cc is the one file
// that includes <lmdb.h>.
//
// Why LMDB for the persistent index (issue #12): one writer and many readers, in threads and
// in processes, each reader on a consistent snapshot (MVCC) without blocking the writer; a
// copy-on-write B+tree whose two meta pages make a commit atomic and a process killed at any
// moment leave the last committed state (no recovery step, no log to replay); reads from
// the page cache through mmap, so an index larger than RAM costs page faults, not a load.
// A second writing process waits on the environment's write lock, it cannot corrupt.
//
// Error mapping (LmdbStatus): a damaged file (MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INVALID,
// MDB_PANIC) is kDataLoss; a full map, reader table or disk kResourceExhausted; a missing path
// kNotFound; permissions kPermissionDenied; MDB_VERSION_MISMATCH (a file of another LMDB
// format) kFailedPrecondition; anything else kInternal with LMDB's own message.
//
// A damaged file never raises a signal. LMDB maps the file and trusts it: a page past the end
// of a truncated file is SIGBUS on first touch. So before LMDB maps a file, Open reads its two
// meta pages itself and refuses (kDataLoss) a file whose newest meta page promises more pages
// than the file holds, whose meta pages disagree (their transaction numbers must be
// consecutive, each on the page of its parity, as LMDB writes them), or that is empty, too
// short or not LMDB's. Then, before LMDB reads anything, VerifyStructure walks the tree: LMDB
// follows node offsets and sizes without checking them, and aborts the process on its own
// assertions when a page is not of the kind it expects.
//
// Fork: an environment belongs to the process that opened it (LMDB's rule). In a forked
// child, Begin is kFailedPrecondition and the destructors release nothing, so that the
// parent's locks, transactions and map are untouched.
//
// Example:
//   NEARDUP_ASSIGN_OR_RETURN(auto env, lmdb::Environment::Open("/var/lib/crawl.ndup", {}));
//   NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, env->Begin(lmdb::kWrite));
//   NEARDUP_ASSIGN_OR_RETURN(lmdb::Database ids, txn.OpenDatabase("ids", lmdb::kCreate));
//   NEARDUP_RETURN_IF_ERROR(txn.Put(ids, "doc-1", "\x01"));
//   NEARDUP_RETURN_IF_ERROR(txn.Commit());  // durable when this returns

#ifndef NEARDUP_STORE_LMDB_H_
#define NEARDUP_STORE_LMDB_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct MDB_env;
struct MDB_txn;

namespace neardup::internal::lmdb {

// The Status for LMDB return code `rc` (not 0), saying what was being done.
absl::Status LmdbStatus(int rc, std::string_view what);

enum TransactionKind { kRead, kWrite };

// Flags of a named database: created if missing, and whether a key holds several sorted
// values (duplicates), all of one size (packed 4-byte sequence numbers, for the LSH bands).
enum DatabaseFlags : unsigned {
  kExisting = 0,
  kCreate = 1u << 0,
  kDuplicates = 1u << 1,
  kFixedSizeDuplicates = 1u << 2,  // with kDuplicates
};

// A named database inside an environment; valid for the environment's life once the
// transaction that opened it has committed (LMDB's rule for database handles).
struct Database {
  unsigned handle = 0;
  unsigned flags = 0;
};

class Transaction;

// A file's identity (device, inode).
struct FileKey {
  uint64_t device = 0, inode = 0;
  friend auto operator<=>(const FileKey&, const FileKey&) = default;
};

class Environment {
 public:
  static constexpr uint64_t kMinMapSize = uint64_t{1} << 30;
  struct Options {
    // The largest the file may grow to. LMDB reserves this much address space, not disk or
    // memory; 1 TiB is far beyond a crawl (1M documents take about 0.7 to 3 GiB). Where a
    // process cannot reserve it, Open takes the largest power-of-two fraction it can, down
    // to kMinMapSize; a store that outgrows its map is kResourceExhausted.
    uint64_t map_size = uint64_t{1} << 40;
    int max_databases = 32;
    bool read_only = false;
    // Read-only without LMDB's lock file (MDB_NOLOCK): for a reader that cannot write it. Safe
    // only while no process writes the file; the caller must ensure that (DedupStore holds a
    // shared lock on the writer lock file).
    bool without_lock_file = false;
  };

  // Opens (creating unless read_only) the environment in file `path` and its lock file
  // `path`-lock. kNotFound if read_only and the file does not exist. kFailedPrecondition if
  // this process has the file open already (by any path): LMDB forbids two environments on
  // one file in a process, because closing either drops the other's POSIX locks on the lock
  // file, which other processes rely on. One open Deduplicator serves all threads.
  static absl::StatusOr<std::unique_ptr<Environment>> Open(const std::string& path, const Options& options);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  // A write transaction waits for any other writer, in this process or another.
  absl::StatusOr<Transaction> Begin(TransactionKind kind);

  // Bytes of the data file (what the store occupies on disk).
  absl::StatusOr<uint64_t> FileSize() const;
  // The pages in use (the file's pages up to the last one used, less those on LMDB's free
  // list, as of now), in bytes; the rest of the file is free space a later write reuses.
  absl::StatusOr<uint64_t> UsedBytes() const;
  // Writes a compacted copy of the environment (only the pages in use, in order; MDB_CP_COMPACT)
  // to the new file `to`, and syncs it.
  absl::Status CopyCompacted(const std::string& to) const;
  const std::string& path() const { return path_; }
  bool read_only() const { return read_only_; }
  // Walks every page the current snapshot reaches, in every database and the free list, and
  // checks what LMDB trusts without checking: page numbers, page kinds, node bounds, tree
  // depths, overflow runs, free-list records (LMDB's data format 1, the layout CheckFile
  // reads). kDataLoss naming the first bad page. After it, LMDB's reads of this snapshot stay
  // inside the file and never reach its internal assertions (which abort the process).
  absl::Status VerifyStructure() const;

  // kFailedPrecondition in a process forked from the one that opened the environment.
  absl::Status CheckProcess() const;

  // Checks the meta pages of the LMDB file at `path` against its size (the file comment);
  // kNotFound if there is no file. Open does this before mapping a file.
  static absl::Status CheckFile(const std::string& path);

 private:
  friend class Transaction;
  static absl::StatusOr<std::unique_ptr<Environment>> OpenUnverified(const std::string& path, const Options& options);
  Environment(MDB_env* env, std::string path, bool read_only, FileKey key);
  MDB_env* env_;
  std::string path_;
  bool read_only_;
  FileKey key_;  // in the process's registry of open files
  int opened_by_;  // the process id
};

// A transaction: a consistent snapshot to read (kRead), or the one writer (kWrite). Aborted
// on destruction unless committed. Not to be shared between threads while in use.
class Transaction {
 public:
  Transaction(Transaction&& other) noexcept : env_(other.env_), txn_(other.txn_), kind_(other.kind_) {
    other.txn_ = nullptr;
  }
  Transaction& operator=(Transaction&& other) noexcept;
  ~Transaction();

  // A write transaction nested in this one (LMDB's child transaction): its writes become this
  // one's when it commits, and vanish when it aborts, leaving this one as it was. This one
  // must not be used until the child ends.
  absl::StatusOr<Transaction> BeginNested();

  absl::StatusOr<Database> OpenDatabase(const char* name, unsigned flags);

  // The value of `key`, viewing the map (valid until the transaction ends or writes again);
  // nullopt if absent. With duplicates, the first value.
  absl::StatusOr<std::optional<std::string_view>> Get(Database db, std::string_view key) const;
  // Sets `key` to `value` (with duplicates: adds `value` to the key's set, if not present).
  absl::Status Put(Database db, std::string_view key, std::string_view value);
  // Removes `key` (every value of it); with `value`, only that value of a duplicate key.
  // Removing what is absent is not an error.
  absl::Status Delete(Database db, std::string_view key, std::optional<std::string_view> value = std::nullopt);

  // Calls `fn` with every (key, value) whose key starts with `prefix`, in key order, then
  // values in order; stops early when `fn` returns false.
  absl::Status ForEach(Database db, std::string_view prefix,
                       absl::FunctionRef<bool(std::string_view key, std::string_view value)> fn) const;
  // The values of one duplicate key, in order.
  absl::Status ForEachValue(Database db, std::string_view key, absl::FunctionRef<bool(std::string_view value)> fn) const;
  // Number of entries (counting each duplicate value) in `db`.
  absl::StatusOr<uint64_t> Count(Database db) const;

  // Makes the writes durable (fsync) and ends the transaction; a read transaction just ends.
  absl::Status Commit();
  void Abort();

  TransactionKind kind() const { return kind_; }

 private:
  friend class Environment;
  Transaction(const Environment* env, MDB_txn* txn, TransactionKind kind) : env_(env), txn_(txn), kind_(kind) {}
  const Environment* env_;
  MDB_txn* txn_;
  TransactionKind kind_;
};

}  // namespace neardup::internal::lmdb

#endif  // NEARDUP_STORE_LMDB_H_

// The only translation unit that includes LMDB.
#include "store/lmdb.h"

#include <lmdb.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>

#include "absl/strings/str_cat.h"
#include "internal/absl_compat.h"

namespace neardup::internal::lmdb {
namespace {

// The files this process has open as environments (Environment::Open), under its mutex, which
// is also held across each open so that two threads cannot both open one new file.
std::mutex& RegistryMutex() {
  static std::mutex* mu = new std::mutex();
  return *mu;
}
std::set<FileKey>& OpenFiles() {
  static std::set<FileKey>* files = new std::set<FileKey>();
  return *files;
}

MDB_val Val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
std::string_view View(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

}  // namespace

absl::Status LmdbStatus(int rc, std::string_view what) {
  const std::string message = absl::StrCat(ToAbsl(what), ": ", mdb_strerror(rc));
  switch (rc) {
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_PANIC:
      return absl::DataLossError(message);
    case MDB_MAP_FULL:
    case MDB_READERS_FULL:
    case MDB_TXN_FULL:
    case MDB_DBS_FULL:
      return absl::ResourceExhaustedError(message);
    case MDB_VERSION_MISMATCH:
      return absl::FailedPreconditionError(message);
    case MDB_NOTFOUND:
    case ENOENT:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(message);
    default:
      return absl::InternalError(message);
  }
}

absl::StatusOr<std::unique_ptr<Environment>> Environment::Open(const std::string& path, const Options& options) {
  std::lock_guard registry(RegistryMutex());
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (options.read_only || errno != ENOENT) return LmdbStatus(errno, absl::StrCat("opening store ", path));
  } else if (OpenFiles().contains(FileKey{st.st_dev, st.st_ino})) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the store ", path, " is open in this process already; share that Deduplicator (it is thread-safe)"));
  }
  // MDB_NOSUBDIR: one file (and its -lock file), as users expect of a path they name.
  // MDB_NOTLS: read transactions are not tied to threads, so a thread pool can use them.
  // Neither MDB_NOSYNC nor MDB_NOMETASYNC: a commit is on disk when it returns.
  unsigned flags = MDB_NOSUBDIR | MDB_NOTLS;
  if (options.read_only) flags |= MDB_RDONLY;
  // The map is address space, which a process may not have so much of (a ulimit -v, or a
  // sanitizer's fixed layout): on ENOMEM, half as much, down to kMinMapSize. LMDB never maps
  // less than the data already in the file.
  for (uint64_t map_size = options.map_size;; map_size /= 2) {
    MDB_env* env = nullptr;
    if (int rc = mdb_env_create(&env); rc != 0) return LmdbStatus(rc, "creating an LMDB environment");
    int rc = mdb_env_set_mapsize(env, map_size);
    if (rc == 0) rc = mdb_env_set_maxdbs(env, static_cast<MDB_dbi>(options.max_databases));
    if (rc == 0) rc = mdb_env_open(env, path.c_str(), flags, 0664);
    if (rc == 0) {
      FileKey key;
      if (::stat(path.c_str(), &st) == 0) key = FileKey{st.st_dev, st.st_ino};
      OpenFiles().insert(key);
      return std::unique_ptr<Environment>(new Environment(env, path, options.read_only, key));
    }
    mdb_env_close(env);
    if (rc != ENOMEM || map_size / 2 < kMinMapSize) return LmdbStatus(rc, absl::StrCat("opening store ", path));
  }
}

Environment::~Environment() {
  std::lock_guard registry(RegistryMutex());
  mdb_env_close(env_);
  OpenFiles().erase(key_);
}

absl::StatusOr<Transaction> Environment::Begin(TransactionKind kind) {
  if (kind == kWrite && read_only_) return absl::FailedPreconditionError("the store was opened read-only");
  MDB_txn* txn = nullptr;
  if (int rc = mdb_txn_begin(env_, nullptr, kind == kRead ? MDB_RDONLY : 0, &txn); rc != 0) {
    return LmdbStatus(rc, kind == kRead ? "beginning a read transaction" : "beginning a write transaction");
  }
  return Transaction(txn, kind);
}

absl::StatusOr<uint64_t> Environment::FileSize() const {
  struct stat st;
  if (::stat(path_.c_str(), &st) != 0) return LmdbStatus(errno, absl::StrCat("measuring store ", path_));
  return static_cast<uint64_t>(st.st_size);
}

Transaction& Transaction::operator=(Transaction&& other) noexcept {
  if (this != &other) {
    Abort();
    txn_ = other.txn_, kind_ = other.kind_;
    other.txn_ = nullptr;
  }
  return *this;
}

Transaction::~Transaction() { Abort(); }

void Transaction::Abort() {
  if (txn_ != nullptr) mdb_txn_abort(txn_);
  txn_ = nullptr;
}

absl::Status Transaction::Commit() {
  if (txn_ == nullptr) return absl::FailedPreconditionError("transaction already ended");
  const int rc = mdb_txn_commit(txn_);  // frees the transaction, even on failure
  txn_ = nullptr;
  return rc == 0 ? absl::OkStatus() : LmdbStatus(rc, "committing");
}

absl::StatusOr<Database> Transaction::OpenDatabase(const char* name, unsigned flags) {
  unsigned mdb_flags = 0;
  if (flags & kCreate) mdb_flags |= MDB_CREATE;
  if (flags & kDuplicates) mdb_flags |= MDB_DUPSORT;
  if (flags & kFixedSizeDuplicates) mdb_flags |= MDB_DUPSORT | MDB_DUPFIXED;
  MDB_dbi dbi = 0;
  if (int rc = mdb_dbi_open(txn_, name, mdb_flags, &dbi); rc != 0) {
    // A database that should exist and does not: the file is not a complete store.
    if (rc == MDB_NOTFOUND) return absl::DataLossError(absl::StrCat("the store has no table '", name, "'"));
    return LmdbStatus(rc, absl::StrCat("opening table '", name, "'"));
  }
  return Database{dbi, flags};
}

absl::StatusOr<std::optional<std::string_view>> Transaction::Get(Database db, std::string_view key) const {
  MDB_val k = Val(key), v;
  const int rc = mdb_get(txn_, db.handle, &k, &v);
  if (rc == MDB_NOTFOUND) return std::optional<std::string_view>();
  if (rc != 0) return LmdbStatus(rc, "reading");
  return std::optional<std::string_view>(View(v));
}

absl::Status Transaction::Put(Database db, std::string_view key, std::string_view value) {
  MDB_val k = Val(key), v = Val(value);
  const unsigned flags = (db.flags & (kDuplicates | kFixedSizeDuplicates)) ? MDB_NODUPDATA : 0;
  const int rc = mdb_put(txn_, db.handle, &k, &v, flags);
  if (rc == 0 || rc == MDB_KEYEXIST) return absl::OkStatus();
  return LmdbStatus(rc, "writing");
}

absl::Status Transaction::Delete(Database db, std::string_view key, std::optional<std::string_view> value) {
  MDB_val k = Val(key), v;
  if (value) v = Val(*value);
  const int rc = mdb_del(txn_, db.handle, &k, value ? &v : nullptr);
  if (rc == 0 || rc == MDB_NOTFOUND) return absl::OkStatus();
  return LmdbStatus(rc, "deleting");
}

namespace {

// A cursor closed on every path out.
class Cursor {
 public:
  Cursor(MDB_txn* txn, unsigned dbi) { rc_ = mdb_cursor_open(txn, dbi, &cursor_); }
  ~Cursor() {
    if (rc_ == 0) mdb_cursor_close(cursor_);
  }
  int status() const { return rc_; }
  MDB_cursor* get() { return cursor_; }

 private:
  MDB_cursor* cursor_ = nullptr;
  int rc_;
};

}  // namespace

absl::Status Transaction::ForEach(Database db, std::string_view prefix,
                                  absl::FunctionRef<bool(std::string_view, std::string_view)> fn) const {
  Cursor cursor(txn_, db.handle);
  if (cursor.status() != 0) return LmdbStatus(cursor.status(), "opening a cursor");
  MDB_val k = Val(prefix), v;
  int rc = prefix.empty() ? mdb_cursor_get(cursor.get(), &k, &v, MDB_FIRST)
                          : mdb_cursor_get(cursor.get(), &k, &v, MDB_SET_RANGE);
  for (; rc == 0; rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_NEXT)) {
    const std::string_view key = View(k);
    if (key.substr(0, prefix.size()) != prefix) return absl::OkStatus();
    if (!fn(key, View(v))) return absl::OkStatus();
  }
  return rc == MDB_NOTFOUND ? absl::OkStatus() : LmdbStatus(rc, "iterating");
}

absl::Status Transaction::ForEachValue(Database db, std::string_view key,
                                       absl::FunctionRef<bool(std::string_view)> fn) const {
  Cursor cursor(txn_, db.handle);
  if (cursor.status() != 0) return LmdbStatus(cursor.status(), "opening a cursor");
  MDB_val k = Val(key), v;
  int rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_SET_KEY);
  for (; rc == 0; rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_NEXT_DUP)) {
    if (!fn(View(v))) return absl::OkStatus();
  }
  return rc == MDB_NOTFOUND ? absl::OkStatus() : LmdbStatus(rc, "iterating");
}

absl::StatusOr<uint64_t> Transaction::Count(Database db) const {
  MDB_stat st;
  if (int rc = mdb_stat(txn_, db.handle, &st); rc != 0) return LmdbStatus(rc, "counting");
  return static_cast<uint64_t>(st.ms_entries);
}

}  // namespace neardup::internal::lmdb

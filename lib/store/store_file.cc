#include "store/store_file.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/endian.h"
#include "base/status_macros.h"
#include "neardup/version.h"
#include "store/parameters.h"
#include "store/records.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace neardup::internal {
namespace {

constexpr char kFormatVersionKey[] = "format_version";
constexpr char kParametersKey[] = "parameters";
constexpr char kCreatedByKey[] = "created_by";

std::string EncodeVersion(uint16_t version) {
  std::string out;
  AppendLe(out, version, 2);
  return out;
}

// Writes the meta table of a new store.
absl::Status Initialize(lmdb::Transaction& txn, lmdb::Database meta, const DedupOptions& options) {
  NEARDUP_RETURN_IF_ERROR(txn.Put(meta, kFormatVersionKey, EncodeVersion(kStoreFormatVersion)));
  NEARDUP_RETURN_IF_ERROR(txn.Put(meta, kParametersKey, Sealed(EncodeParameters(options))));
  NEARDUP_RETURN_IF_ERROR(txn.Put(meta, kCreatedByKey, Sealed(absl::StrCat("neardup ", kVersionString))));
  for (const char* table : kDataTables) NEARDUP_RETURN_IF_ERROR(txn.OpenDatabase(table, lmdb::kCreate).status());
  return absl::OkStatus();
}

absl::Status ErrnoStatus(std::string_view what, const std::string& path) {
  return lmdb::LmdbStatus(errno, absl::StrCat(ToAbsl(what), " ", path));
}

// Makes the store at `path` whole: in `path`.new, committed and synced, then linked to
// `path` (a hard link fails if `path` appeared meanwhile, which rename would overwrite).
absl::Status CreateStore(const std::string& path, const DedupOptions& options) {
  const std::string draft = path + ".new";
  ::unlink(draft.c_str());  // a creator killed before linking left it
  ::unlink((draft + "-lock").c_str());
  {
    NEARDUP_ASSIGN_OR_RETURN(std::unique_ptr<lmdb::Environment> env, lmdb::Environment::Open(draft, {}));
    NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, env->Begin(lmdb::kWrite));
    NEARDUP_ASSIGN_OR_RETURN(lmdb::Database meta, txn.OpenDatabase("meta", lmdb::kCreate));
    NEARDUP_RETURN_IF_ERROR(Initialize(txn, meta, options));
    NEARDUP_RETURN_IF_ERROR(txn.Commit());  // durable (LMDB syncs the commit)
  }
  if (::link(draft.c_str(), path.c_str()) != 0) {
    // EEXIST: another process made the store first; open that one. Where hard links are not
    // supported, rename (the caller holds the writer lock, so no other creator races).
    if (errno != EEXIST && ::rename(draft.c_str(), path.c_str()) != 0) return ErrnoStatus("creating store", path);
  }
  ::unlink(draft.c_str());
  ::unlink((draft + "-lock").c_str());
  // The new directory entry is durable once the directory is synced.
  const std::string::size_type slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  if (const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
    (void)::fsync(fd);
    ::close(fd);
  }
  return absl::OkStatus();
}

// Reads the format version of an existing store into *out; kUnimplemented if newer than this
// build's, kFailedPrecondition if older than it reads.
absl::Status ReadVersion(const lmdb::Transaction& txn, lmdb::Database meta, StoreFile* out) {
  NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> version, txn.Get(meta, kFormatVersionKey));
  if (!version || version->size() != 2) return absl::DataLossError("the store has no valid format version");
  out->format_version = static_cast<uint16_t>(LoadLe(reinterpret_cast<const unsigned char*>(version->data()), 2));
  if (out->format_version == 0) return absl::DataLossError("the store's format version is 0, which no neardup writes");
  if (out->format_version > kStoreFormatVersion) {
    return absl::UnimplementedError(absl::StrCat("store format version ", out->format_version,
                                                 " is not supported; this build reads ", kOldestReadableStoreFormat,
                                                 " to ", kStoreFormatVersion, " (written by a newer neardup?)"));
  }
  if (out->format_version < kOldestReadableStoreFormat) {
    return absl::FailedPreconditionError(absl::StrCat(
        "store format version ", out->format_version, " is no longer read; this build reads ",
        kOldestReadableStoreFormat, " to ", kStoreFormatVersion, ": add its documents to a new store"));
  }
  NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> created_by, txn.Get(meta, kCreatedByKey));
  if (created_by) {
    NEARDUP_ASSIGN_OR_RETURN(std::string_view text, Unsealed(*created_by, "the store's creator"));
    out->created_by = std::string(text);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string_view> ReadParameters(const lmdb::Transaction& txn, lmdb::Database meta) {
  NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> parameters, txn.Get(meta, kParametersKey));
  if (!parameters) return absl::DataLossError("the store has no parameters");
  return Unsealed(*parameters, "the store's parameters");
}

// Checks the meta table of an existing store against this build and `options`.
absl::Status Verify(const lmdb::Transaction& txn, lmdb::Database meta, const DedupOptions& options, StoreFile* out) {
  NEARDUP_RETURN_IF_ERROR(ReadVersion(txn, meta, out));
  NEARDUP_ASSIGN_OR_RETURN(std::string_view parameters, ReadParameters(txn, meta));
  return CheckSameParameters(parameters, options);
}

// The meta table of the store at `path`, opened read-only.
absl::StatusOr<lmdb::Database> OpenMeta(const std::string& path, lmdb::Transaction& txn, bool read_only) {
  absl::StatusOr<lmdb::Database> meta = txn.OpenDatabase("meta", read_only ? lmdb::kExisting : lmdb::kCreate);
  if (meta.status().code() == absl::StatusCode::kDataLoss) {
    return absl::DataLossError(absl::StrCat(path, " is not a neardup store (no meta table)"));
  }
  return meta;
}

}  // namespace

absl::StatusOr<StoreFile> OpenStoreFile(const std::string& path, const DedupOptions& options, bool read_only,
                                        bool without_lock_file) {
  struct stat st;
  if (!read_only && ::stat(path.c_str(), &st) != 0 && errno == ENOENT) {
    NEARDUP_RETURN_IF_ERROR(CreateStore(path, options));
  }
  StoreFile file;
  NEARDUP_ASSIGN_OR_RETURN(file.env, lmdb::Environment::Open(
                                         path, {.read_only = read_only, .without_lock_file = without_lock_file}));
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, file.env->Begin(read_only ? lmdb::kRead : lmdb::kWrite));
  NEARDUP_ASSIGN_OR_RETURN(file.meta, OpenMeta(path, txn, read_only));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t entries, txn.Count(file.meta));
  if (entries == 0) {
    if (read_only) return absl::DataLossError(absl::StrCat(path, " is an empty store (its creation never committed)"));
    NEARDUP_RETURN_IF_ERROR(Initialize(txn, file.meta, options));
    file.format_version = kStoreFormatVersion;
    file.created_by = absl::StrCat("neardup ", kVersionString);
  } else {
    NEARDUP_RETURN_IF_ERROR(Verify(txn, file.meta, options, &file));
  }
  // Committing also makes the table handle valid for the environment's life.
  NEARDUP_RETURN_IF_ERROR(txn.Commit());
  return file;
}

absl::StatusOr<DedupOptions> ReadStoredOptions(const std::string& path, bool without_lock_file) {
  NEARDUP_ASSIGN_OR_RETURN(std::unique_ptr<lmdb::Environment> env,
                           lmdb::Environment::Open(path, {.read_only = true, .without_lock_file = without_lock_file}));
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, env->Begin(lmdb::kRead));
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Database meta, OpenMeta(path, txn, /*read_only=*/true));
  StoreFile file;
  NEARDUP_RETURN_IF_ERROR(ReadVersion(txn, meta, &file));
  NEARDUP_ASSIGN_OR_RETURN(std::string_view parameters, ReadParameters(txn, meta));
  return ParseParameters(parameters);
}

}  // namespace neardup::internal

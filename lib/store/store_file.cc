#include "store/store_file.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "internal/absl_compat.h"
#include "internal/endian.h"
#include "internal/status_macros.h"
#include "neardup/version.h"
#include "store/parameters.h"

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
  NEARDUP_RETURN_IF_ERROR(txn.Put(meta, kParametersKey, EncodeParameters(options)));
  return txn.Put(meta, kCreatedByKey, absl::StrCat("neardup ", kVersionString));
}

// Reads the format version of an existing store into *out; kUnimplemented if newer than this
// build's, kFailedPrecondition if older than it reads.
absl::Status ReadVersion(const lmdb::Transaction& txn, lmdb::Database meta, StoreFile* out) {
  NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> version, txn.Get(meta, kFormatVersionKey));
  if (!version || version->size() != 2) return absl::DataLossError("the store has no valid format version");
  out->format_version = static_cast<uint16_t>(LoadLe(reinterpret_cast<const unsigned char*>(version->data()), 2));
  if (out->format_version == 0 || out->format_version > kStoreFormatVersion) {
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
  if (created_by) out->created_by = std::string(*created_by);
  return absl::OkStatus();
}

absl::StatusOr<std::string_view> ReadParameters(const lmdb::Transaction& txn, lmdb::Database meta) {
  NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> parameters, txn.Get(meta, kParametersKey));
  if (!parameters) return absl::DataLossError("the store has no parameters");
  return *parameters;
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

absl::StatusOr<StoreFile> OpenStoreFile(const std::string& path, const DedupOptions& options, bool read_only) {
  StoreFile file;
  NEARDUP_ASSIGN_OR_RETURN(file.env, lmdb::Environment::Open(path, {.read_only = read_only}));
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

absl::StatusOr<DedupOptions> ReadStoredOptions(const std::string& path) {
  NEARDUP_ASSIGN_OR_RETURN(std::unique_ptr<lmdb::Environment> env, lmdb::Environment::Open(path, {.read_only = true}));
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, env->Begin(lmdb::kRead));
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Database meta, OpenMeta(path, txn, /*read_only=*/true));
  StoreFile file;
  NEARDUP_RETURN_IF_ERROR(ReadVersion(txn, meta, &file));
  NEARDUP_ASSIGN_OR_RETURN(std::string_view parameters, ReadParameters(txn, meta));
  return ParseParameters(parameters);
}

}  // namespace neardup::internal

// File: store/store_file.h
//
// Opening a persistent index: the LMDB environment (store/lmdb.h) and its "meta" table,
// which says what the file is and how its contents were made:
//   format_version   2 bytes, little-endian: the layout of every table (kStoreFormatVersion)
//   parameters       the options the store was made with (store/parameters.h)
//   created_by       the neardup version that created it, for people reading `index stats`
// A store is refused, never half-read: a newer format version is kUnimplemented, an older one
// no longer read kFailedPrecondition (its documents must be added to a new store), other
// parameters kFailedPrecondition naming each difference, and a file that is not a store or
// lacks its meta table kDataLoss (a damaged LMDB file is kDataLoss too, from store/lmdb.h).

#ifndef NEARDUP_STORE_STORE_FILE_H_
#define NEARDUP_STORE_STORE_FILE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "neardup/dedup.h"
#include "store/lmdb.h"

namespace neardup::internal {

// The layout of the store's tables. Readers take every version from the oldest readable up to
// their own. History:
//   1  signature values as 8 bytes (development builds only; not read since 2)
//   2  signature values as their top 32 bits (TruncateSignature), 4 bytes each; links carry
//      their Jaccard and containment estimates
inline constexpr uint16_t kStoreFormatVersion = 2;
inline constexpr uint16_t kOldestReadableStoreFormat = 2;

struct StoreFile {
  std::unique_ptr<lmdb::Environment> env;
  lmdb::Database meta;
  uint16_t format_version = 0;
  std::string created_by;
};

// Opens the store at `path` made with `options`, creating it (unless read_only) if the file
// does not exist. Errors: see the file comment; kNotFound if read_only and there is no file.
absl::StatusOr<StoreFile> OpenStoreFile(const std::string& path, const DedupOptions& options, bool read_only);

// The options the store at `path` was made with (store/parameters.h ParseParameters), read
// without taking any lock. Errors as OpenStoreFile's, read-only.
absl::StatusOr<DedupOptions> ReadStoredOptions(const std::string& path);

}  // namespace neardup::internal

#endif  // NEARDUP_STORE_STORE_FILE_H_

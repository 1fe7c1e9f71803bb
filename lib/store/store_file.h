// File: store/store_file.h
//
// Opening a persistent index: the LMDB environment (store/lmdb.h) and its "meta" table,
// which says what the file is and how its contents were made:
//   format_version   2 bytes, little-endian: the layout of every table (kStoreFormatVersion)
//   parameters       the options the store was made with (store/parameters.h), sealed
//   created_by       the neardup version that created it, for people reading `index stats`, sealed
// A store is refused, never half-read: a newer format version is kUnimplemented, an older one
// no longer read kFailedPrecondition (its documents must be added to a new store), other
// parameters kFailedPrecondition naming each difference, and a file that is not a store or
// lacks its meta table kDataLoss (a damaged LMDB file is kDataLoss too, from store/lmdb.h).
//
// A store is created whole or not at all: it is made, with its meta table and its empty data
// tables, in `path`.new, committed, and only then linked to `path`. A process killed while
// creating leaves no `path` (the next creator removes the leftover `path`.new).

#ifndef NEARDUP_STORE_STORE_FILE_H_
#define NEARDUP_STORE_STORE_FILE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "neardup/dedup_options.h"
#include "store/lmdb.h"

namespace neardup::internal {

// The layout of the store's tables. Readers take every version from the oldest readable up to
// their own. History:
//   1  signature values as 8 bytes (development builds only; not read since 2)
//   2  signature values as their top 32 bits (TruncateSignature), 4 bytes each; links carry
//      their Jaccard and containment estimates
//   3  every value sealed with a CRC-32C; ids keyed by their XXH3-128 (any length); the last,
//      incomplete block's rows one per key (store/records.h)
//   4  documents carry their containment sketch (flag 8), and containment is judged with it:
//      a store of version 3 holds no sketches, so its documents could not be found inside
//      larger ones, and it is not read
inline constexpr uint16_t kStoreFormatVersion = 4;
inline constexpr uint16_t kOldestReadableStoreFormat = 4;

// The data tables of a store (store/records.h), made when the store is created.
inline constexpr const char* kDataTables[] = {"documents", "ids", "links"};

struct StoreFile {
  std::unique_ptr<lmdb::Environment> env;
  lmdb::Database meta;
  uint16_t format_version = 0;
  std::string created_by;
};

// Opens the store at `path` made with `options`, creating it (unless read_only) if the file
// does not exist. Errors: see the file comment; kNotFound if read_only and there is no file.
// `without_lock_file`: read-only, without LMDB's lock file (lmdb::Environment::Options).
absl::StatusOr<StoreFile> OpenStoreFile(const std::string& path, const DedupOptions& options, bool read_only,
                                        bool without_lock_file = false);

// The options the store at `path` was made with (store/parameters.h ParseParameters). Errors
// as OpenStoreFile's, read-only.
absl::StatusOr<DedupOptions> ReadStoredOptions(const std::string& path, bool without_lock_file = false);

}  // namespace neardup::internal

#endif  // NEARDUP_STORE_STORE_FILE_H_

// File: dedup/profile_table.h
//
// The Deduplicator's anchor profiles, by sequence number, encoded (store/profile_codec.h):
// about 1.2 KB a document on the perf corpus where the vectors of an AnchorProfile take 2.4.
// A profile is decoded when a translation candidate is verified, a few per query. The
// language, read for every link and candidate, is kept apart, as an index into the
// languages seen.
//
// Not thread-safe: the Deduplicator's lock guards it.

#ifndef NEARDUP_DEDUP_PROFILE_TABLE_H_
#define NEARDUP_DEDUP_PROFILE_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "neardup/translation.h"

namespace neardup::internal {

class ProfileTable {
 public:
  // Appends the profile of the next sequence number.
  void Append(const AnchorProfile& profile);
  // The same, given EncodeAnchorProfile(profile) (computed on another thread).
  void Append(const AnchorProfile& profile, std::string encoded);
  // Decodes the profile of `seq` into *out; an emptied one decodes as empty.
  absl::Status Get(uint64_t seq, AnchorProfile* out) const;
  const std::string& language(uint64_t seq) const { return languages_[language_of_[seq]]; }
  // Frees the profile of a removed document (its language stays).
  void Clear(uint64_t seq);

  size_t size() const { return encoded_.size(); }
  size_t MemoryUsage() const;

 private:
  std::vector<std::string> encoded_;     // by sequence number
  std::vector<uint32_t> language_of_;    // by sequence number: index into languages_
  std::vector<std::string> languages_;   // each once
  absl::flat_hash_map<std::string, uint32_t> language_index_;
};

}  // namespace neardup::internal

#endif  // NEARDUP_DEDUP_PROFILE_TABLE_H_

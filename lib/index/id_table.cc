#include "index/id_table.h"

#include "absl/hash/hash.h"
#include "base/absl_compat.h"
#include "index/gentle_growth.h"

namespace neardup::internal {

size_t IdTable::Hash::operator()(std::string_view id) const { return absl::Hash<absl::string_view>{}(ToAbsl(id)); }

bool IdTable::Append(std::string_view id, bool live) {
  if (live && by_id_.contains(id)) return false;
  const uint32_t seq = static_cast<uint32_t>(live_.size());
  ids_.Append(id);
  AppendGently(live_, live);
  if (live) by_id_.insert(seq);
  return true;
}

void IdTable::Remove(uint32_t seq) {
  // Erasing a removed document's id would erase the live document that took the id since.
  if (!live_[seq]) return;
  by_id_.erase(seq);
  live_[seq] = false;
}

std::optional<uint32_t> IdTable::Find(std::string_view id) const {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return *it;
}

size_t IdTable::MemoryUsage() const {
  // flat_hash_set: one control byte and one 4-byte slot a bucket.
  return ids_.MemoryUsage() + live_.capacity() / 8 + by_id_.bucket_count() * (1 + sizeof(uint32_t));
}

}  // namespace neardup::internal

// File: xlang/string_cache.h
//
// A bounded memo of string -> value for slow per-word work (ICU case mapping,
// transliteration, number parsing) whose inputs repeat. Two generations: when the current
// one is full it becomes the old one, and a hit in the old one moves back. So memory stays
// under two generations on endless streams, and words in steady use are never evicted all at
// once, as clearing a single map would do.

#ifndef NEARDUP_XLANG_STRING_CACHE_H_
#define NEARDUP_XLANG_STRING_CACHE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "base/absl_compat.h"

namespace neardup::internal {

template <typename Value>
class StringCache {
 public:
  explicit StringCache(size_t generation_size) : generation_size_(generation_size) {}

  // The value for `key`, computing it with compute(key) on a miss.
  template <typename Compute>
  const Value& Get(std::string_view key, Compute compute) {
    const absl::string_view k = ToAbsl(key);
    if (auto it = current_.find(k); it != current_.end()) return it->second;
    if (auto it = old_.find(k); it != old_.end()) {
      Value value = std::move(it->second);
      old_.erase(it);
      return Insert(key, std::move(value));
    }
    return Insert(key, compute(key));
  }

  // The value held for `key`, or nullptr: nothing computed, nothing moved.
  const Value* Find(std::string_view key) const {
    const absl::string_view k = ToAbsl(key);
    if (auto it = current_.find(k); it != current_.end()) return &it->second;
    if (auto it = old_.find(k); it != old_.end()) return &it->second;
    return nullptr;
  }

 private:
  const Value& Insert(std::string_view key, Value value) {
    if (current_.size() >= generation_size_) {
      old_ = std::move(current_);
      current_ = {};
    }
    return current_.emplace(std::string(key), std::move(value)).first->second;
  }

  size_t generation_size_;
  absl::flat_hash_map<std::string, Value> current_, old_;
};

}  // namespace neardup::internal

#endif  // NEARDUP_XLANG_STRING_CACHE_H_

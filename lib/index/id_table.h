// File: index/id_table.h
//
// Document ids by sequence number, and the live documents' sequence numbers by id. Each id is
// held once, in a ByteArena (about its length plus 12 bytes, where a std::string took 32 and,
// past 15 bytes, an allocation); the lookup set holds 4-byte sequence numbers and hashes and
// compares them through the arena. A removed document's id stays, as a tombstone: links and
// the store name documents by sequence number.
// Not synchronized: the Deduplicator's lock guards it.

#ifndef NEARDUP_INDEX_ID_TABLE_H_
#define NEARDUP_INDEX_ID_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "index/byte_arena.h"

namespace neardup::internal {

class IdTable {
 public:
  IdTable() = default;
  IdTable(const IdTable&) = delete;  // the lookup set points at the arena
  IdTable& operator=(const IdTable&) = delete;

  // Appends `id` as document number size(), live or removed. False, and nothing appended,
  // when `live` and a live document has that id already.
  bool Append(std::string_view id, bool live);
  // Marks a document removed (nothing, if it is already); its id stays readable.
  void Remove(uint32_t seq);

  std::string_view id(uint32_t seq) const { return ids_.Get(seq); }
  bool live(uint32_t seq) const { return live_[seq]; }
  // The live document with this id.
  std::optional<uint32_t> Find(std::string_view id) const;
  size_t size() const { return live_.size(); }        // documents ever appended
  size_t live_count() const { return by_id_.size(); }
  size_t MemoryUsage() const;

 private:
  struct Hash {
    using is_transparent = void;
    const ByteArena* ids;
    size_t operator()(uint32_t seq) const { return (*this)(ids->Get(seq)); }
    size_t operator()(std::string_view id) const;
  };
  struct Eq {
    using is_transparent = void;
    const ByteArena* ids;
    std::string_view Id(uint32_t seq) const { return ids->Get(seq); }
    std::string_view Id(std::string_view id) const { return id; }
    bool operator()(auto a, auto b) const { return Id(a) == Id(b); }
  };

  ByteArena ids_;
  std::vector<bool> live_;
  absl::flat_hash_set<uint32_t, Hash, Eq> by_id_{0, Hash{&ids_}, Eq{&ids_}};
};

}  // namespace neardup::internal

#endif  // NEARDUP_INDEX_ID_TABLE_H_

// Fuzz target: the store's row decoders (store/records.h, store/parameters.h) on any bytes.
// The first byte picks what the rest is: a documents block, one row of the last block, a
// link, an ids entry, the parameters, or a documents-table key; and, for rows, the
// signatures' length. Each value is tried twice: as given (its checksum stops most damage)
// and resealed (the checksum recomputed over it), so that the decoders behind it are
// reached. A decoder may refuse, never crash, and what it accepts must encode back to the
// same bytes: the writer makes one encoding of each row, and no other is read.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "store/parameters.h"
#include "store/records.h"

namespace {

using namespace neardup::internal;

void Check(bool ok) {
  if (!ok) std::abort();
}

// The signature lengths a row may be decoded with: small ones let the fuzzer build valid rows.
constexpr int kNumPerms[] = {1, 2, 3, 8, 16, 64, 128, 256};

void DecodeRow(std::string_view row, int num_perm) {
  if (auto doc = DecodeStoredDocument(row, num_perm); doc.ok()) Check(EncodeStoredDocument(*doc) == row);
}

void DecodeValue(uint8_t kind, std::string_view value) {
  const int num_perm = kNumPerms[(kind >> 4) % 8];
  if (kind % 6 == 5) {  // a documents-table key
    if (auto key = DecodeDocumentsKey(value); key.ok()) {
      Check((key->block ? BlockKey(key->first / kRowsPerBlock) : RowKey(key->first)) == value);
    }
    return;
  }
  auto payload = Unsealed(value, "the value");
  if (!payload.ok()) return;
  Check(Sealed(*payload) == value);
  switch (kind % 6) {
    case 0:
      if (auto rows = SplitBlock(*payload); rows.ok()) {
        std::string block;
        for (std::string_view row : *rows) {
          AppendToBlock(block, row);
          DecodeRow(row, num_perm);
        }
        Check(block == *payload);
      }
      break;
    case 1:
      DecodeRow(*payload, num_perm);
      break;
    case 2:
      if (auto link = DecodeStoredLink(*payload); link.ok()) Check(EncodeStoredLink(*link) == *payload);
      break;
    case 3:
      if (auto seq = DecodeSequenceKey(*payload); seq.ok()) Check(SequenceKey(*seq) == *payload);
      break;
    case 4:
      if (auto options = ParseParameters(*payload); options.ok()) Check(EncodeParameters(*options) == *payload);
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t kind = data[0];
  const std::string_view value(reinterpret_cast<const char*>(data) + 1, size - 1);
  DecodeValue(kind, value);
  if (value.size() >= 4) DecodeValue(kind, Sealed(value.substr(0, value.size() - 4)));
  return 0;
}

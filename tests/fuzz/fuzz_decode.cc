// Fuzz target: the binary format's decoders (serialize.h) on any bytes, twice: as given (the
// checksum stops most damage) and with the checksum recomputed over them, so that the bounds
// and shape checks behind it are reached. A decoder may refuse, never crash, and what it
// accepts must encode back to the same record (the format is canonical).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "text/hash.h"
#include "neardup/serialize.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

void DecodeAll(std::string_view bytes) {
  // Records of the current version are canonical; older ones re-encode as the current.
  const bool current = bytes.size() >= 6 && static_cast<uint8_t>(bytes[4]) == (neardup::kFormatVersion & 0xFF) &&
                       static_cast<uint8_t>(bytes[5]) == (neardup::kFormatVersion >> 8);
  if (!current) {
    (void)neardup::DecodeSignature(bytes);
    (void)neardup::DecodePackedSignature(bytes);
    (void)neardup::DecodeLshIndex(bytes);
    return;
  }
  if (auto s = neardup::DecodeSignature(bytes); s.ok()) Check(neardup::EncodeSignature(*s) == bytes);
  if (auto p = neardup::DecodePackedSignature(bytes); p.ok()) Check(neardup::EncodePackedSignature(*p) == bytes);
  if (auto index = neardup::DecodeLshIndex(bytes); index.ok()) {
    // Ids are written in ascending order: a decoded index re-encodes to the same bytes.
    Check(neardup::EncodeLshIndex(*index) == bytes);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  DecodeAll(bytes);
  if (size >= 8) {
    std::string resealed(bytes.substr(0, size - 8));
    const uint64_t sum = neardup::internal::Hash64(resealed, 0);
    for (int i = 0; i < 8; ++i) resealed.push_back(static_cast<char>((sum >> (8 * i)) & 0xFF));
    DecodeAll(resealed);
  }
  return 0;
}

// File: base/endian.h
//
// Little-endian loads and stores, byte by byte, so the on-disk format is the same on every
// machine whatever its byte order (never memcpy a struct or an integer into a file).

#ifndef NEARDUP_BASE_ENDIAN_H_
#define NEARDUP_BASE_ENDIAN_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace neardup::internal {

inline void AppendLe(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}
inline void AppendLe16(std::string& out, uint16_t v) { AppendLe(out, v, 2); }
inline void AppendLe32(std::string& out, uint32_t v) { AppendLe(out, v, 4); }
inline void AppendLe64(std::string& out, uint64_t v) { AppendLe(out, v, 8); }

// Unsigned LEB128: 7 bits a byte, low first, the high bit set on all but the last byte
// (ByteReader::ReadVarint reads it). Small numbers take one byte.
inline void AppendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

inline uint64_t LoadLe(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

}  // namespace neardup::internal

#endif  // NEARDUP_BASE_ENDIAN_H_

// File: base/byte_reader.h
//
// A bounds-checked reader of little-endian records: every read either succeeds or returns
// kDataLoss naming the field it wanted, so a decoder can never read past its input, even
// behind a valid checksum. Shared by the binary format (serialize.cc) and the store's tables.

#ifndef NEARDUP_BASE_BYTE_READER_H_
#define NEARDUP_BASE_BYTE_READER_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/endian.h"

namespace neardup::internal {

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  // An unsigned integer of `width` bytes (1 to 8).
  absl::StatusOr<uint64_t> Read(int width, const char* field) {
    if (remaining() < static_cast<size_t>(width)) return Truncated(field, static_cast<size_t>(width));
    const uint64_t v = LoadLe(reinterpret_cast<const unsigned char*>(bytes_.data() + pos_), width);
    pos_ += width;
    return v;
  }
  absl::StatusOr<double> ReadDouble(const char* field) {
    absl::StatusOr<uint64_t> bits = Read(8, field);
    if (!bits.ok()) return bits.status();
    return std::bit_cast<double>(*bits);
  }
  // `count` unsigned values of sizeof(T) bytes each; kDataLoss before allocating if they
  // cannot fit in what is left (a damaged count must not become a huge allocation).
  template <typename T>
  absl::StatusOr<std::vector<T>> ReadArray(uint64_t count, const char* field) {
    std::vector<T> values;
    if (absl::Status read = ReadArrayInto(count, field, &values); !read.ok()) return read;
    return values;
  }
  // The same into `*out`, reusing its memory: a decoder called for every candidate of every
  // query (the profile table) allocated afresh each time otherwise.
  template <typename T>
  absl::Status ReadArrayInto(uint64_t count, const char* field, std::vector<T>* out) {
    static_assert(std::is_unsigned_v<T> && sizeof(T) <= 8);
    if (count > remaining() / sizeof(T)) {
      return absl::DataLossError(
          absl::StrCat("record claims ", count, " ", field, " values but only ", remaining(), " bytes remain"));
    }
    out->resize(count);
    for (T& v : *out) {
      v = static_cast<T>(LoadLe(reinterpret_cast<const unsigned char*>(bytes_.data() + pos_), sizeof(T)));
      pos_ += sizeof(T);
    }
    return absl::OkStatus();
  }
  // An unsigned LEB128 varint (7 bits a byte, low first, at most 10 bytes): kDataLoss if it
  // is cut or runs past 64 bits.
  absl::StatusOr<uint64_t> ReadVarint(const char* field) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (remaining() == 0) return Truncated(field, 1);
      const uint8_t byte = static_cast<uint8_t>(bytes_[pos_++]);
      if (shift == 63 && byte > 1) break;
      v |= uint64_t{byte & 0x7Fu} << shift;
      if ((byte & 0x80) == 0) {
        // A last byte of 0 after the first is a longer encoding than any writer makes.
        if (byte == 0 && shift > 0) return absl::DataLossError(absl::StrCat("varint ", field, " is overlong"));
        return v;
      }
    }
    return absl::DataLossError(absl::StrCat("varint ", field, " runs past 64 bits"));
  }
  // `n` raw bytes, viewing the input.
  absl::StatusOr<std::string_view> ReadBytes(uint64_t n, const char* field) {
    if (remaining() < n) return Truncated(field, n);
    const std::string_view out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  absl::Status Seek(size_t pos) {
    if (pos > bytes_.size()) return absl::DataLossError(absl::StrCat("header size ", pos, " is past the end"));
    pos_ = pos;
    return absl::OkStatus();
  }
  size_t pos() const { return pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }

 private:
  absl::Status Truncated(const char* field, uint64_t width) const {
    return absl::DataLossError(absl::StrCat("truncated record: ", field, " needs ", width, " bytes at offset ", pos_,
                                            ", ", remaining(), " left"));
  }

  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace neardup::internal

#endif  // NEARDUP_BASE_BYTE_READER_H_

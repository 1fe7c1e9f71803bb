// File: cli/byte_stream.h
//
// The bytes of an input as people have it: plain, or compressed with gzip, xz or zstd,
// recognised by their first bytes (not the file name, so that `xz -dc` output, a renamed file
// and standard input all work) and decompressed as they are read: memory holds one buffer,
// never the whole file, whatever it expands to.

#ifndef NEARDUP_CLI_BYTE_STREAM_H_
#define NEARDUP_CLI_BYTE_STREAM_H_

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>

namespace neardup::cli {

enum class Compression { kNone, kGzip, kXz, kZstd };
const char* CompressionName(Compression c);  // "gzip", "xz", "zstd" (or "none")

class ByteStream {
 public:
  // Reads `file` (not owned; its first bytes are read at once to recognise the format).
  explicit ByteStream(FILE* file);
  ~ByteStream();
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  // Up to `n` bytes of the (decompressed) input into `out`; 0 at the end or on an error
  // (failed() then says which).
  size_t Read(char* out, size_t n);

  Compression compression() const { return compression_; }
  bool failed() const { return !error_.empty(); }
  // The reason, when failed(): "read error: ...", "damaged xz data: ...".
  const std::string& error() const { return error_; }

 private:
  // The raw bytes: first the ones read to recognise the format, then the file's.
  size_t ReadRaw(char* out, size_t n);
  size_t Decode(char* out, size_t n);

  FILE* file_;
  Compression compression_ = Compression::kNone;
  std::string head_;  // raw bytes read ahead, not yet given out
  size_t head_used_ = 0;
  std::string error_;
  struct Decoder;  // zlib, liblzma or libzstd state (byte_stream.cc)
  std::unique_ptr<Decoder> decoder_;
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_BYTE_STREAM_H_

// File: cli/line_reader.h
//
// Lines of a stream (decompressed as it is read: byte_stream.h), read through a fixed buffer, so that a huge line is never held whole:
// the JSON Lines reader's memory stays bounded by its line limit whatever the input holds.

#ifndef NEARDUP_CLI_LINE_READER_H_
#define NEARDUP_CLI_LINE_READER_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "byte_stream.h"

namespace neardup::cli {

class LineReader {
 public:
  // Reads `stream` (not owned) through a buffer of buffer_size bytes (at least 1).
  explicit LineReader(ByteStream* stream, size_t buffer_size = size_t{1} << 16);

  // The next line, with its newline if it has one, into *line. A line over max_length bytes
  // is consumed to its end but *line stays empty and *too_long is set. False at the end of
  // the stream (a last line without a newline is still returned).
  bool Next(uint64_t max_length, std::string* line, bool* too_long);

  // Appends the bytes read ahead and not yet returned to *out (they are not returned again).
  void TakeBuffered(std::string* out);

 private:
  ByteStream* stream_;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_LINE_READER_H_

#include "line_reader.h"

#include <algorithm>
#include <cstring>

namespace neardup::cli {

LineReader::LineReader(FILE* file, size_t buffer_size) : file_(file), buffer_(std::max<size_t>(buffer_size, 1)) {}

bool LineReader::Next(uint64_t max_length, std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  bool any = false;
  for (;;) {
    if (begin_ == end_) {
      begin_ = 0;
      end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
      if (end_ == 0) return any;
    }
    any = true;
    const char* start = buffer_.data() + begin_;
    const void* newline = std::memchr(start, '\n', end_ - begin_);
    const size_t n = newline ? static_cast<const char*>(newline) - start + 1 : end_ - begin_;
    if (!*too_long && line->size() + n > max_length) *too_long = true, line->clear();
    if (!*too_long) line->append(start, n);
    begin_ += n;
    if (newline) return true;
  }
}

}  // namespace neardup::cli

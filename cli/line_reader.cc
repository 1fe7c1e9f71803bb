#include "line_reader.h"

#include <algorithm>
#include <cstring>

namespace neardup::cli {

LineReader::LineReader(ByteStream* stream, size_t buffer_size)
    : stream_(stream), buffer_(std::max<size_t>(buffer_size, 1)) {}

bool LineReader::Next(uint64_t max_length, std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  bool any = false;
  for (;;) {
    if (begin_ == end_) {
      begin_ = 0;
      end_ = stream_->Read(buffer_.data(), buffer_.size());
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

void LineReader::TakeBuffered(std::string* out) {
  out->append(buffer_.data() + begin_, end_ - begin_);
  begin_ = end_ = 0;
}

}  // namespace neardup::cli

// Fuzz target: the CLI's readers on any bytes. Nothing may crash, and nothing may be lost
// without a word:
//  - LineReader, with a buffer of 1 to 64 bytes (so lines cross buffer ends) and a line limit
//    of 0 to 254 bytes, returns exactly the lines of a plain split on '\n', the over-long ones
//    empty and flagged;
//  - the JSON Lines reader delivers a document or reports an error naming its line for every
//    line that is not blank, once, and never for a blank one;
//  - ReadWholeFile returns the bytes of a file within the limit and refuses one past it.
// The first input byte picks the buffer size, the second the limits; the rest is the input.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "document_reader.h"
#include "line_reader.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

// A stream over the bytes (fmemopen refuses an empty buffer on some glibc versions).
FILE* OpenBytes(const std::string& bytes) {
  if (bytes.empty()) return std::fopen("/dev/null", "rb");
  return fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb");
}

// The reference: split on '\n', each line keeping its newline.
std::vector<std::string> SplitLines(const std::string& bytes) {
  std::vector<std::string> lines;
  size_t begin = 0;
  while (begin < bytes.size()) {
    const size_t newline = bytes.find('\n', begin);
    const size_t end = newline == std::string::npos ? bytes.size() : newline + 1;
    lines.push_back(bytes.substr(begin, end - begin));
    begin = end;
  }
  return lines;
}

void CheckLineReader(const std::string& bytes, size_t buffer_size, uint64_t max_length) {
  FILE* f = OpenBytes(bytes);
  Check(f != nullptr);
  neardup::cli::ByteStream stream(f);
  neardup::cli::LineReader reader(&stream, buffer_size);
  std::string line;
  bool too_long = false;
  if (stream.compression() != neardup::cli::Compression::kNone) {
    // Bytes that open like gzip, xz or zstd are decompressed: read them all (damaged data
    // ends the stream with an error, never a crash), without a plain reference to compare.
    while (reader.Next(max_length, &line, &too_long)) Check(too_long || line.size() <= max_length);
    std::fclose(f);
    return;
  }
  for (const std::string& expected : SplitLines(bytes)) {
    Check(reader.Next(max_length, &line, &too_long));
    Check(too_long == (expected.size() > max_length));
    Check(line == (too_long ? std::string() : expected));
  }
  Check(!reader.Next(max_length, &line, &too_long));
  std::fclose(f);
}

bool Blank(std::string_view line, bool first) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (first && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// The line number in a place "mem:N" or "mem:N (id X)".
uint64_t LineOf(const std::string& where) {
  Check(where.rfind("mem:", 0) == 0);
  return std::strtoull(where.c_str() + 4, nullptr, 10);
}

void CheckJsonLines(const std::string& bytes) {
  std::map<uint64_t, int> reports;  // line number -> documents and errors naming it
  neardup::cli::DocumentReader reader(
      {}, [&](neardup::cli::Document&& doc) { ++reports[LineOf(doc.where)]; },
      [&](const std::string& where, const std::string& reason) {
        Check(!reason.empty());
        ++reports[LineOf(where)];
      });
  FILE* f = OpenBytes(bytes);
  Check(f != nullptr);
  reader.ReadJsonLines("mem", f);
  std::fclose(f);
  const std::vector<std::string> lines = SplitLines(bytes);
  for (uint64_t i = 0; i < lines.size(); ++i) {
    const auto it = reports.find(i + 1);
    const int count = it == reports.end() ? 0 : it->second;
    Check(count == (Blank(lines[i], i == 0) ? 0 : 1));
  }
  Check(reports.empty() || reports.rbegin()->first <= lines.size());
}

void CheckWholeFile(const std::string& bytes, uint64_t max_bytes) {
  static const std::string path = [] {
    char name[] = "/tmp/neardup_fuzz_reader_XXXXXX";
    const int fd = mkstemp(name);
    Check(fd >= 0);
    close(fd);
    return std::string(name);
  }();
  FILE* f = std::fopen(path.c_str(), "wb");
  Check(f != nullptr);
  Check(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
  std::fclose(f);
  std::string content, error;
  const bool ok = neardup::cli::ReadWholeFile(path, &content, &error, max_bytes);
  Check(ok == (bytes.size() <= max_bytes));
  Check(ok ? content == bytes && error.empty() : content.empty() && !error.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2 || size > 8192) return 0;
  const size_t buffer_size = 1 + data[0] % 64;
  const uint64_t limit = data[1];
  const std::string bytes(reinterpret_cast<const char*>(data) + 2, size - 2);
  CheckLineReader(bytes, buffer_size, limit == 255 ? UINT64_MAX : limit);
  // Bytes that open like gzip, xz or zstd are decompressed (CheckLineReader read them): the
  // line-by-line references below are for plain bytes.
  FILE* f = OpenBytes(bytes);
  Check(f != nullptr);
  const bool compressed = neardup::cli::ByteStream(f).compression() != neardup::cli::Compression::kNone;
  std::fclose(f);
  if (compressed) return 0;
  CheckJsonLines(bytes);
  CheckWholeFile(bytes, limit);
  return 0;
}

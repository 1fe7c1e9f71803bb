#include "document_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "byte_stream.h"
#include "line_reader.h"
#include "neardup/dedup.h"
#include "neardup/jsonl.h"

namespace neardup::cli {
namespace fs = std::filesystem;

namespace {

// Why a document over --max-bytes is refused.
std::string OverLimit(uint64_t max_bytes) {
  return "larger than the limit of " + std::to_string(max_bytes) + " bytes (--max-bytes)";
}

// Appends what is left of `stream` to *out, never holding more than max_bytes + 1 bytes: one
// byte more tells that the limit is passed. False with *error set on a read or decompression
// error, or past the limit.
bool ReadRest(ByteStream& stream, std::string* out, std::string* error, uint64_t max_bytes) {
  char buffer[1 << 16];
  size_t n;
  while ((n = stream.Read(buffer, sizeof buffer)) > 0) {
    if (out->size() + n > max_bytes) {
      out->clear();
      *error = OverLimit(max_bytes);
      return false;
    }
    out->append(buffer, n);
  }
  if (stream.failed()) {
    out->clear();
    *error = stream.error();
    return false;
  }
  return true;
}

}  // namespace

bool ReadWholeFile(const std::string& path, std::string* out, std::string* error, uint64_t max_bytes) {
  FILE* f = (path == "-") ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    *error = std::strerror(errno);
    return false;
  }
  out->clear();
  ByteStream stream(f);  // decompressed when it is gzip, xz or zstd; the limit counts what it expands to
  const bool ok = ReadRest(stream, out, error, max_bytes);
  if (f != stdin) std::fclose(f);
  return ok;
}

namespace {

bool EndsWith(const std::string& s, const char* suffix) {
  const size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

}  // namespace

std::optional<uint64_t> InputSize(const std::vector<std::string>& inputs) {
  uint64_t total = 0;
  for (const std::string& input : inputs) {
    if (input == "-") return std::nullopt;
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      for (fs::recursive_directory_iterator it(input, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code file_ec;
        if (it->is_regular_file(file_ec)) total += it->file_size(file_ec);
      }
    } else {
      const uintmax_t size = fs::file_size(input, ec);
      if (!ec) total += size;  // an unreadable input is reported by the reader
    }
  }
  return total;
}

uint64_t DocumentReader::ReadAll(const std::vector<std::string>& inputs) {
  for (const std::string& input : inputs) ReadInput(input);
  return delivered_;
}

void DocumentReader::ReadInput(const std::string& input) {
  if (input == "-") {
    ReadStandardInput();
    return;
  }
  std::error_code ec;
  const fs::file_status status = fs::status(input, ec);
  if (ec) {
    on_error_(input, "cannot read: " + ec.message());
    return;
  }
  if (fs::is_directory(status)) {
    std::vector<std::string> files;
    Walk(input, &files);
    std::sort(files.begin(), files.end());  // directory order is unspecified; sort for determinism
    for (const std::string& f : files) ReadFile(f);
    return;
  }
  ReadFile(input);
}

void DocumentReader::Walk(const fs::path& dir, std::vector<std::string>* files) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  if (ec) {
    on_error_(dir.string(), "cannot walk directory: " + ec.message());
    return;
  }
  std::vector<fs::directory_entry> entries;
  for (; it != end; it.increment(ec)) {
    if (ec) {
      on_error_(dir.string(), "cannot walk directory: " + ec.message());
      break;
    }
    entries.push_back(*it);
  }
  for (const fs::directory_entry& entry : entries) {
    const std::string path = entry.path().string();
    std::error_code link_ec, target_ec;
    const fs::file_status link = entry.symlink_status(link_ec);
    const fs::file_status target = entry.status(target_ec);  // follows a symbolic link
    if (link_ec || target_ec) {
      // A broken link, a link loop ("too many levels of symbolic links"), a vanished entry.
      on_error_(path, "cannot read: " + (link_ec ? link_ec : target_ec).message());
    } else if (fs::is_directory(target)) {
      if (fs::is_symlink(link)) {
        on_error_(path, "symbolic link to a directory: not followed (name the directory to read it)");
      } else {
        Walk(entry.path(), files);
      }
    } else if (fs::is_regular_file(target)) {
      files->push_back(path);
    } else {
      on_error_(path, "not a regular file (a FIFO, socket or device): skipped");
    }
  }
}

void DocumentReader::ReadStandardInput() {
  ByteStream stream(options_.stdin_file != nullptr ? options_.stdin_file : stdin);
  LineReader lines(&stream);
  const auto report_failure = [&] {
    if (stream.failed()) on_error_("-", "cannot read the rest: " + stream.error());
  };
  if (options_.stdin_format == StdinFormat::kJsonLines) {
    ReadJsonLines("-", lines);
    report_failure();
    return;
  }
  // One document, unless its first line is a JSON Lines document: then the stream is JSON
  // Lines (`xz -dc docs.jsonl.xz | neardup dedup -` must not be one document of 300 MB). Only
  // the first line is held to decide.
  const uint64_t max_line = MaxJsonLine();
  std::string first;
  bool too_long = false;
  const bool any = lines.Next(max_line, &first, &too_long);
  if (any && !too_long) {
    std::string_view line(first);
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (JsonlParser().Parse(line, /*first_line=*/true).kind == JsonlLine::kDocument) {
      ReadJsonLines("-", lines, &first);
      report_failure();
      return;
    }
  }
  const std::string over_limit = OverLimit(options_.max_bytes);
  std::string content = std::move(first), error;
  if (too_long || content.size() > options_.max_bytes) {
    error = over_limit;  // a first line longer than the limit: the document is over it already
  } else {
    lines.TakeBuffered(&content);  // read ahead with the first line
    if (content.size() > options_.max_bytes) {
      error = over_limit;
    } else {
      ReadRest(stream, &content, &error, options_.max_bytes);
    }
  }
  if (error.empty() && stream.failed()) error = stream.error();
  if (!error.empty()) {
    on_error_("-", "cannot read standard input: " + error);
    return;
  }
  bytes_read_ += content.size();
  Deliver(Document{"-", std::move(content), "", "-", 0, ""});
}

void DocumentReader::ReadFile(const std::string& path) {
  // JSON Lines by name, compressed or not (the format is recognised by the bytes).
  if (EndsWith(path, ".jsonl") || EndsWith(path, ".jsonl.gz") || EndsWith(path, ".jsonl.xz") ||
      EndsWith(path, ".jsonl.zst")) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
      on_error_(path, std::string("cannot read: ") + std::strerror(errno));
      return;
    }
    ReadJsonLines(path, f);
    std::fclose(f);
    return;
  }
  std::string content, error;
  std::error_code size_error;
  const uintmax_t stored = fs::file_size(path, size_error);
  if (!size_error) stored_done_ += stored;
  if (!ReadWholeFile(path, &content, &error, options_.max_bytes)) {
    on_error_(path, "cannot read: " + error);
    return;
  }
  bytes_read_ += content.size();
  Deliver(Document{path, std::move(content), "", path, 0, ""});
}

void DocumentReader::ReadJsonLines(const std::string& where, FILE* file) {
  ByteStream stream(file);  // decompressed when it is gzip, xz or zstd
  LineReader lines(&stream);
  reading_ = file;
  ReadJsonLines(where, lines);
  reading_ = nullptr;
  const long at = std::ftell(file);
  if (at > 0) stored_done_ += static_cast<uint64_t>(at);
  if (stream.failed()) on_error_(where, "cannot read the rest: " + stream.error());
}

uint64_t DocumentReader::MaxJsonLine() const {
  // A line holds a document's text escaped: at most 6 bytes of JSON a byte of text (\u0001),
  // plus the other fields. A longer line is skipped without being held in memory.
  return 6 * options_.max_bytes + (uint64_t{1} << 20);
}

void DocumentReader::ReadJsonLines(const std::string& where, LineReader& lines, const std::string* first_line) {
  // One line at a time, so memory holds one document, not the corpus; each line read by the
  // library's rule (neardup/jsonl.h), the one neardup.dask follows.
  JsonlParser parser;
  const uint64_t max_line = MaxJsonLine();
  std::string line_storage;
  bool too_long = false;
  for (uint64_t line_number = 1;; ++line_number) {
    if (line_number == 1 && first_line != nullptr) {
      line_storage = *first_line;  // read already, to recognise the format
    } else if (!lines.Next(max_line, &line_storage, &too_long)) {
      break;
    }
    bytes_read_ += line_storage.size();
    const std::string place = where + ":" + std::to_string(line_number);
    if (too_long) {
      on_error_(place, "line longer than " + std::to_string(max_line) + " bytes: its document is over --max-bytes");
      continue;
    }
    std::string_view line(line_storage);
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    JsonlLine parsed = parser.Parse(line, /*first_line=*/line_number == 1);
    if (parsed.kind == JsonlLine::kBlank) continue;
    if (parsed.kind == JsonlLine::kError) {
      const std::string& id = parsed.document.id;
      on_error_(id.empty() ? place : place + " (id " + IdForMessage(id) + ")", parsed.error);
      continue;
    }
    Document doc{std::move(parsed.document.id), std::move(parsed.document.text), std::move(parsed.document.lang),
                 place, 0, ""};
    if (options_.keep_lines) {
      constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
      if (line_number == 1 && line.substr(0, kByteOrderMark.size()) == kByteOrderMark) line.remove_prefix(kByteOrderMark.size());
      doc.line = std::string(line);
    }
    Deliver(std::move(doc));
  }
}

void DocumentReader::Deliver(Document&& doc) {
  doc.number = delivered_++;
  if (options_.position != nullptr) {
    const long at = reading_ != nullptr ? std::ftell(reading_) : 0;
    options_.position->store(stored_done_ + static_cast<uint64_t>(std::max(0L, at)), std::memory_order_relaxed);
  }
  on_document_(std::move(doc));
}

}  // namespace neardup::cli

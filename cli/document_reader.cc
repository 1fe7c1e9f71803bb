#include "document_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "line_reader.h"
#include "neardup/dedup.h"
#include "neardup/jsonl.h"

namespace neardup::cli {
namespace fs = std::filesystem;

bool ReadWholeFile(const std::string& path, std::string* out, std::string* error, uint64_t max_bytes) {
  FILE* f = (path == "-") ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    *error = std::strerror(errno);
    return false;
  }
  out->clear();
  // Never more than max_bytes + 1 in memory: one byte more tells that the limit is passed.
  char buffer[1 << 16];
  size_t n;
  bool too_large = false;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
    if (out->size() + n > max_bytes) {
      too_large = true;
      break;
    }
    out->append(buffer, n);
  }
  const bool failed = !too_large && std::ferror(f) != 0;
  if (failed) *error = std::strerror(errno);
  if (too_large) *error = "larger than the limit of " + std::to_string(max_bytes) + " bytes (--max-bytes)";
  if (f != stdin) std::fclose(f);
  if (too_large) out->clear();
  return !failed && !too_large;
}

namespace {

bool EndsWith(const std::string& s, const char* suffix) {
  const size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

}  // namespace

uint64_t DocumentReader::ReadAll(const std::vector<std::string>& inputs) {
  for (const std::string& input : inputs) ReadInput(input);
  return delivered_;
}

void DocumentReader::ReadInput(const std::string& input) {
  if (input == "-") {
    if (options_.stdin_format == StdinFormat::kJsonLines) {
      ReadJsonLines("-", stdin);
      return;
    }
    std::string content, error;
    if (!ReadWholeFile("-", &content, &error, options_.max_bytes)) {
      on_error_("-", "cannot read standard input: " + error);
      return;
    }
    bytes_read_ += content.size();
    Deliver(Document{"-", std::move(content), "", "-"});
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

void DocumentReader::ReadFile(const std::string& path) {
  if (EndsWith(path, ".jsonl")) {
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
  if (!ReadWholeFile(path, &content, &error, options_.max_bytes)) {
    on_error_(path, "cannot read: " + error);
    return;
  }
  bytes_read_ += content.size();
  Deliver(Document{path, std::move(content), "", path});
}

void DocumentReader::ReadJsonLines(const std::string& where, FILE* file) {
  // One line at a time, so memory holds one document, not the corpus; each line read by the
  // library's rule (neardup/jsonl.h), the one neardup.dask follows.
  JsonlParser parser;
  // A line holds a document's text escaped: at most 6 bytes of JSON a byte of text (\u0001),
  // plus the other fields. A longer line is skipped without being held in memory.
  const uint64_t max_line = 6 * options_.max_bytes + (uint64_t{1} << 20);
  std::string line_storage;
  bool too_long = false;
  LineReader lines(file);
  for (uint64_t line_number = 1; lines.Next(max_line, &line_storage, &too_long); ++line_number) {
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
    Deliver(Document{std::move(parsed.document.id), std::move(parsed.document.text), std::move(parsed.document.lang),
                     place});
  }
  if (std::ferror(file)) on_error_(where, std::string("read error: ") + std::strerror(errno));
}

void DocumentReader::Deliver(Document&& doc) {
  ++delivered_;
  on_document_(std::move(doc));
}

}  // namespace neardup::cli

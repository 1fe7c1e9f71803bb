// File: cli/document_reader.h
//
// Turns the CLI's INPUT arguments into documents: a file is one document (id = its path as
// given), a directory is walked recursively in sorted order, `-` is standard input (JSON Lines
// when its first line is a JSON Lines document, or with --stdin-jsonl; else one document), and
// a file ending in .jsonl (or .jsonl.gz, .jsonl.xz, .jsonl.zst) holds one {"id": ..., "text":
// ..., "lang": ...} object per line (neardup/jsonl.h). Input compressed with gzip, xz or zstd
// is recognised by its first bytes and decompressed as it is read (byte_stream.h), files and
// standard input alike; --max-bytes counts the decompressed bytes. Each problem (unreadable file or directory,
// broken or looping symbolic link, FIFO or device in a walked directory, symbolic link to a
// directory, which is not followed; broken JSON line, missing field) is reported through the
// error callback with the place it concerns, and reading goes on: nothing is skipped silently.

#ifndef NEARDUP_CLI_DOCUMENT_READER_H_
#define NEARDUP_CLI_DOCUMENT_READER_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace neardup::cli {

class LineReader;

struct Document {
  std::string id;
  std::string text;
  std::string lang;   // empty when unknown
  std::string where;  // where it was read, for messages: the path, or file:line for JSON Lines
  uint64_t number = 0;  // its place among the documents delivered, from 0
  std::string line;     // ReaderOptions::keep_lines, from JSON Lines: the line as read (no newline or byte-order mark)
};

enum class StdinFormat { kText, kJsonLines };

struct ReaderOptions {
  StdinFormat stdin_format = StdinFormat::kText;
  // A larger file is refused without being read whole; a JSON line longer than 6 times this
  // (and 1 MiB) is skipped without being held. The Fingerprinter checks the text itself.
  uint64_t max_bytes = uint64_t{64} << 20;
  // Where "-" is read from: standard input, or a copy of it (dedup --keep reads its input twice).
  FILE* stdin_file = nullptr;
  // Whether a JSON Lines document keeps its line as read (Document::line).
  bool keep_lines = false;
  // Where the reader says how far it has read, in the inputs' bytes as stored (compressed
  // bytes of a compressed file): updated as each document is delivered, read by the progress
  // line (from another thread: atomic).
  std::atomic<uint64_t>* position = nullptr;
};

// The bytes the inputs hold as stored (a directory: its regular files, walked), or nullopt
// when one is standard input or cannot be measured: the progress line's 100%.
std::optional<uint64_t> InputSize(const std::vector<std::string>& inputs);

class DocumentReader {
 public:
  using DocumentFn = std::function<void(Document&&)>;
  using ErrorFn = std::function<void(const std::string& where, const std::string& reason)>;

  DocumentReader(ReaderOptions options, DocumentFn on_document, ErrorFn on_error)
      : options_(options), on_document_(std::move(on_document)), on_error_(std::move(on_error)) {}

  // Reads every input in order. Returns the number of documents delivered.
  uint64_t ReadAll(const std::vector<std::string>& inputs);

  // Reads JSON Lines from an open stream (not closed; decompressed when it is gzip, xz or
  // zstd); `where` names it in places (where:line).
  void ReadJsonLines(const std::string& where, FILE* file);

  uint64_t bytes_read() const { return bytes_read_; }

 private:
  void ReadInput(const std::string& input);
  // "-": JSON Lines with --stdin-jsonl, or when its first line is a JSON Lines document; else
  // one document.
  void ReadStandardInput();
  // The lines of `lines`, as JSON Lines; `first_line`, when given, was read from it already.
  void ReadJsonLines(const std::string& where, LineReader& lines, const std::string* first_line = nullptr);
  // The longest JSON line a document within max_bytes can take.
  uint64_t MaxJsonLine() const;
  // Appends the regular files below `dir` to *files; reports what it cannot read or skips.
  void Walk(const std::filesystem::path& dir, std::vector<std::string>* files);
  void ReadFile(const std::string& path);
  void Deliver(Document&& doc);

  ReaderOptions options_;
  DocumentFn on_document_;
  ErrorFn on_error_;
  uint64_t delivered_ = 0;
  uint64_t bytes_read_ = 0;
  // For the progress line: the stored bytes of the inputs finished, and the file being read
  // as JSON Lines (its position counts too).
  uint64_t stored_done_ = 0;
  FILE* reading_ = nullptr;
};

// Reads a whole file ("-" = standard input) into *out; false with *error set on failure,
// including a file over max_bytes (never held whole: reading stops past the limit).
bool ReadWholeFile(const std::string& path, std::string* out, std::string* error,
                   uint64_t max_bytes = uint64_t{64} << 20);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_DOCUMENT_READER_H_

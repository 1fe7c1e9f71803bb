// File: jsonl.h
//
// Documents as JSON Lines: one {"id": ..., "text": ..., "lang": ...} object a line. The one
// reading rule of `neardup` (cli/document_reader.h) and neardup.dask (through the binding), so
// that a file gives the same documents, and the same reasons for the lines it refuses,
// whichever reads it.
//
// The rule: a blank line (spaces, tabs, a carriage return) is skipped; a UTF-8 byte-order mark
// before a file's first line is skipped; anything else must be a JSON object (valid UTF-8,
// checked whole by simdjson) with "id" (a string, or an integer from -2^63 to 2^64-1, taken as
// its decimal text) and "text" (a string), and an optional "lang" (a string or null; "" or
// null: detect it). Other keys are ignored; "id", "text" or "lang" given twice is refused,
// since other tools would read one or the other.
//
// Example:
//   neardup::JsonlParser parser;
//   neardup::JsonlLine line = parser.Parse(R"({"id": 7, "text": "Le président ..."})", true);
//   // line.kind == kDocument, line.document.id == "7"

#ifndef NEARDUP_JSONL_H_
#define NEARDUP_JSONL_H_

#include <memory>
#include <string>
#include <string_view>

namespace neardup {

struct JsonlDocument {
  std::string id;
  std::string text;
  std::string lang;  // "" when not given
};

struct JsonlLine {
  enum Kind { kBlank, kDocument, kError };
  Kind kind = kBlank;
  JsonlDocument document;  // kDocument; with kError, document.id when the id could be read
  std::string error;       // kError: why the line is not a document ("missing \"text\"")
};

// Reuses its buffers from line to line; one per thread.
class JsonlParser {
 public:
  JsonlParser();
  ~JsonlParser();
  JsonlParser(JsonlParser&&) noexcept;
  JsonlParser& operator=(JsonlParser&&) noexcept;

  // One line, without its newline; `first_line` for a file's first (a byte-order mark before
  // it is skipped).
  JsonlLine Parse(std::string_view line, bool first_line);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace neardup

#endif  // NEARDUP_JSONL_H_

// File: cli/kept_documents.h
//
// `neardup dedup --keep`: the input again, without the documents to drop. The inputs are read
// a second time (the first run decided what to drop, which a later document can change: a
// longer copy replaces a kept one), and standard input, which cannot be read twice, is first
// copied to a temporary file.

#ifndef NEARDUP_CLI_KEPT_DOCUMENTS_H_
#define NEARDUP_CLI_KEPT_DOCUMENTS_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "document_reader.h"
#include "neardup/dedup.h"

namespace neardup::cli {

// Writes to stdout, in input order, each document the first reading added (`added`, by
// Document::number) that `drops` does not name: a JSON Lines document as its line was read
// (its other keys kept), a file's as {"id", "text"} (DocumentLine). What the first reading
// refused was reported then, and is not written. Returns the documents written.
uint64_t WriteKeptDocuments(const std::vector<std::string>& inputs, ReaderOptions options,
                            const std::vector<char>& added, const std::vector<Duplicate>& drops);

// A copy of standard input in a temporary file (deleted when closed), rewound; nullptr with
// *error set if it cannot be made or standard input cannot be read.
struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
std::unique_ptr<FILE, FileCloser> SpoolStandardInput(std::string* error);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_KEPT_DOCUMENTS_H_

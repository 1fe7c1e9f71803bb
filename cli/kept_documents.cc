#include "kept_documents.h"

#include <cerrno>
#include <cstring>

#include "absl/container/flat_hash_set.h"
#include "neardup/report.h"

namespace neardup::cli {

uint64_t WriteKeptDocuments(const std::vector<std::string>& inputs, ReaderOptions options,
                            const std::vector<char>& added, const std::vector<Duplicate>& drops) {
  absl::flat_hash_set<std::string> dropped;
  for (const Duplicate& d : drops) dropped.insert(d.id);
  options.keep_lines = true;
  uint64_t written = 0;
  DocumentReader reader(
      options,
      [&](Document&& doc) {
        if (doc.number >= added.size() || !added[doc.number] || dropped.contains(doc.id)) return;
        const std::string line = doc.line.empty() ? DocumentLine(doc.id, doc.text, doc.lang) : doc.line + "\n";
        std::fwrite(line.data(), 1, line.size(), stdout);
        ++written;
      },
      [](const std::string&, const std::string&) {});  // reported by the first reading
  reader.ReadAll(inputs);
  return written;
}

std::unique_ptr<FILE, FileCloser> SpoolStandardInput(std::string* error) {
  std::unique_ptr<FILE, FileCloser> spool(std::tmpfile());
  if (spool == nullptr) {
    *error = std::string("cannot make a temporary file for standard input: ") + std::strerror(errno);
    return nullptr;
  }
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) {
    if (std::fwrite(buffer, 1, n, spool.get()) != n) {
      *error = std::string("cannot copy standard input to a temporary file: ") + std::strerror(errno);
      return nullptr;
    }
  }
  if (std::ferror(stdin)) {
    *error = std::string("cannot read standard input: ") + std::strerror(errno);
    return nullptr;
  }
  if (std::fflush(spool.get()) != 0) {
    *error = std::string("cannot copy standard input to a temporary file: ") + std::strerror(errno);
    return nullptr;
  }
  std::rewind(spool.get());
  return spool;
}

}  // namespace neardup::cli

// File: cli/compared_files.h
//
// Two documents read from files (or '-') and judged by the library's one recipe (Compare), for
// `neardup compare` and `neardup align`.

#ifndef NEARDUP_CLI_COMPARED_FILES_H_
#define NEARDUP_CLI_COMPARED_FILES_H_

#include "command_line.h"
#include "commands.h"
#include "neardup/compare.h"

namespace neardup::cli {

// Reads pair.a and pair.b, and compares them with the options of `pipeline` (in *options).
// An exit code other than kExitOk means an error was reported, naming the file it concerns.
int CompareFiles(const PipelineFlags& pipeline, const DocumentPairFlags& pair, DedupOptions* options,
                 Comparison* comparison);

// A command on two documents (compare, align): A and B with their languages, --format text or
// json, the pipeline's flags; it runs CompareFiles, then Print.
class PairCommand : public Command {
 public:
  PairCommand(const char* name, const char* description, const char* format_help)
      : name_(name), description_(description), format_help_(format_help) {}
  CLI::App* Register(CLI::App* app) final;
  int Run() final;

 protected:
  // The command's own flags.
  virtual void AddFlags(CLI::App*) {}
  // Prints the comparison as format() says; returns the exit code.
  virtual int Print(const Comparison& comparison, const DedupOptions& options) = 0;
  const DocumentPairFlags& pair() const { return pair_; }
  const std::string& format() const { return format_; }

 private:
  const char* name_;
  const char* description_;
  const char* format_help_;
  DocumentPairFlags pair_;
  std::string format_ = "text";
  PipelineFlags pipeline_;
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_COMPARED_FILES_H_

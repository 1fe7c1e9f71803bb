// File: cli/command_line.h
//
// What every command of `neardup` shares: the exit codes, how errors are reported, and the
// options that shape fingerprints and verdicts (PipelineFlags). The options' names, help,
// defaults and parsing are the library's (NamedOptions in neardup/dedup_options.h): a flag is
// a named option with dashes (--num-perm is num_perm), and a switch whose default is on is
// turned off by --no-NAME (--no-translations).

#ifndef NEARDUP_CLI_COMMAND_LINE_H_
#define NEARDUP_CLI_COMMAND_LINE_H_

#include <CLI/CLI.hpp>
#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "neardup/dedup.h"
#include "neardup/dedup_options.h"
#include "neardup/report.h"

namespace neardup::cli {

// Exit codes (README, "Command line").
inline constexpr int kExitOk = 0;
inline constexpr int kExitInputError = 1;  // some input could not be read or used; the rest was
inline constexpr int kExitUsage = 2;       // bad option or value

// "neardup: WHERE: REASON" on stderr.
void ReportError(const std::string& where, const std::string& reason);
// A library error, with its status code named (DATA_LOSS, UNAVAILABLE, ...) for scripts.
void ReportStatus(const std::string& where, const absl::Status& status);

// Options shared by the commands that fingerprint text, as the user wrote them.
class PipelineFlags {
 public:
  // Adds a flag for every named option (and --max-bytes) to `command`.
  void AddTo(CLI::App* command);
  // Whether an option other than --max-bytes (a limit of one run, not of the answers) was given.
  bool AnswersOptionGiven() const;
  // The library options they make; on a bad value, the library's message (the one Python and
  // neardup.dask show) is reported as a usage error and nullopt returned.
  std::optional<DedupOptions> ToOptions() const;
  // ToOptions, then a Deduplicator made with them (nullopt after a usage error).
  std::optional<Deduplicator> MakeDeduplicator(DedupOptions* options) const;

 private:
  std::map<std::string, std::string> values_;   // by option name: text given, or the default
  std::map<std::string, bool> switches_;        // by option name: the flag was given
  std::map<std::string, CLI::Option*> flags_;  // by option name
};

// "jsonl" or "tsv", as --format takes them.
ReportFormat ParseReportFormat(const std::string& format);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_COMMAND_LINE_H_

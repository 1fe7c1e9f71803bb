// `neardup dedup [options] INPUT...`: the near, contained and translation pairs among the
// inputs, printed as they are found (translations at the end), or clusters.

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "command_line.h"
#include "commands.h"
#include "feed.h"
#include "kept_documents.h"

namespace neardup::cli {
namespace {

// Documents a batch adds on several threads: AddBatch prepares runs of 64 at once, and each
// document's pairs are printed when its batch is added.
constexpr size_t kThreadedBatch = 64;

class DedupCommand : public Command {
 public:
  CLI::App* Register(CLI::App* app) override {
    CLI::App* dedup = app->add_subcommand("dedup", "Report near-duplicate pairs (or clusters) among the inputs");
    dedup->add_option("INPUT", flags_.inputs,
                      "Files (one document each), directories (walked recursively, sorted), '-' for standard "
                      "input, or *.jsonl files with one {\"id\",\"text\",\"lang\"} object per line; gzip, xz "
                      "and zstd are read decompressed")
        ->required();
    dedup->add_option("--format", flags_.format, "Output: jsonl or tsv (id_a, id_b, score, kind)")
        ->capture_default_str()->check(CLI::IsMember({"jsonl", "tsv"}));
    dedup->add_flag("--clusters", flags_.clusters,
                    "Print clusters (canonical member first, with each member's hops and direct score to it) "
                    "instead of pairs");
    dedup->add_flag("--stdin-jsonl", flags_.stdin_jsonl,
                    "Read standard input ('-') as JSON Lines (recognised without it when its first line is a "
                    "JSON Lines document)");
    dedup->add_flag("-q,--quiet", flags_.quiet, "No progress line on stderr");
    dedup->add_option("--threads", flags_.threads, "Threads computing fingerprints (output is the same for any)")
        ->capture_default_str()->check(CLI::Range(1, 256));
    dedup->add_flag("--stats", flags_.stats, "Print throughput and index memory per document on stderr");
    dedup->add_flag("--explain", flags_.explain,
                    "JSON Lines output: add each pair's verdict and evidence (as `compare --format json` gives)");
    dedup->add_option("--keep", flags_.keep,
                      "Print the input without its copies instead of pairs: of each group of near or contained "
                      "copies in one language, keep the 'longest' (most distinct shingles: the original of a "
                      "trimmed copy; the library's default) or the 'first' added. JSON Lines documents are "
                      "written as read, a file as {\"id\",\"text\"}; translations are never dropped")
        ->check(CLI::IsMember({"longest", "first"}));
    dedup->add_flag("--dropped", flags_.dropped,
                    "With --keep: print the dropped documents instead, each with the kept one it copies (id, kept, "
                    "score, kind, smaller), in --format");
    pipeline_.AddTo(dedup);
    return dedup;
  }

  int Run() override {
    DedupOptions options;
    std::optional<Deduplicator> dedup = pipeline_.MakeDeduplicator(&options);
    if (!dedup) return kExitUsage;
    const ReportFormat format = ParseReportFormat(flags_.format);
    const auto started = std::chrono::steady_clock::now();
    if (flags_.dropped && flags_.keep.empty()) {
      ReportError("usage", "--dropped needs --keep");
      return kExitUsage;
    }
    if (!flags_.keep.empty() && (flags_.clusters || flags_.explain)) {
      ReportError("usage", "--keep prints documents, not pairs: it does not go with --clusters or --explain");
      return kExitUsage;
    }
    // The kept documents are read twice; standard input is read once, into a temporary file.
    std::unique_ptr<FILE, FileCloser> spool;
    if (!flags_.keep.empty() && !flags_.dropped &&
        std::find(flags_.inputs.begin(), flags_.inputs.end(), "-") != flags_.inputs.end()) {
      std::string error;
      spool = SpoolStandardInput(&error);
      if (spool == nullptr) {
        ReportError("-", error);
        return kExitInputError;
      }
      flags_.stdin_file = spool.get();
    }
    Explanations explanations;
    // Adding on several threads (AddThreads), documents are added in batches whose matches
    // are found on every thread (Deduplicator::AddBatch). --explain asks for each verdict
    // right after its document's Add, so it adds one at a time.
    const size_t batch = AddThreads(flags_) > 1 && !flags_.explain ? kThreadedBatch : 1;
    const FeedResult fed = FeedDocuments(*dedup, options, flags_, Feed::kAdd, &explanations, batch);
    if (!flags_.keep.empty()) {
      const std::vector<Duplicate> drops = dedup->Duplicates(*ParseKeepPolicy(flags_.keep));
      if (flags_.dropped) {
        for (const Duplicate& d : drops) {
          const std::string line = DuplicateLine(format, d);
          std::fwrite(line.data(), 1, line.size(), stdout);
        }
      } else {
        if (spool != nullptr) std::rewind(spool.get());
        WriteKeptDocuments(flags_.inputs, ReaderOptionsFor(options, flags_), fed.added, drops);
      }
    } else if (flags_.clusters) {
      // Translations may have been retracted by a better one for the same document and
      // language: printed now that the run is over.
      PrintClusters(*dedup, format);
    } else {
      PrintLinks(*dedup, format, /*translations_only=*/true, explanations);
    }
    std::fflush(stdout);
    if (flags_.stats) PrintStats(*dedup, fed, std::chrono::steady_clock::now() - started);
    return fed.had_errors ? kExitInputError : kExitOk;
  }

 private:
  void PrintStats(const Deduplicator& dedup, const FeedResult& fed, std::chrono::steady_clock::duration took) const {
    const double seconds = std::chrono::duration<double>(took).count();
    const double megabytes = static_cast<double>(fed.bytes) / 1e6;
    const size_t memory = dedup.MemoryUsage();
    std::fprintf(stderr,
                 "neardup: %llu documents, %.1f MB in %.2f s (%.1f MB/s, %d threads); index %.1f MB, %.0f bytes per "
                 "document\n",
                 static_cast<unsigned long long>(fed.documents), megabytes, seconds,
                 megabytes / std::max(seconds, 1e-9), flags_.threads, static_cast<double>(memory) / 1e6,
                 static_cast<double>(memory) / static_cast<double>(std::max<size_t>(1, dedup.size())));
  }

  PipelineFlags pipeline_;
  RunFlags flags_;
};

}  // namespace

std::unique_ptr<Command> MakeDedupCommand() { return std::make_unique<DedupCommand>(); }

}  // namespace neardup::cli

// `neardup index ACTION STORE [INPUT | ID]...`: a collection kept in a store file
// (Deduplicator::Open): add, query, pairs, remove, stats, check, compact.

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "command_line.h"
#include "commands.h"
#include "feed.h"

namespace neardup::cli {
namespace {

// `neardup index add` commits this many documents at once (Deduplicator::AddBatch): one fsync
// per 1,000 documents instead of one per document, which ran the perf corpus at a tenth of
// dedup's speed. A killed run loses at most the batch whose matches it had not printed.
constexpr size_t kIndexBatch = 1000;

void PrintJson(const nlohmann::ordered_json& json) {
  std::printf("%s\n", json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
}

class IndexCommand : public Command {
 public:
  CLI::App* Register(CLI::App* app) override {
    CLI::App* index = app->add_subcommand(
        "index",
        "A persistent index (LMDB): add documents and print their matches, query without adding, list pairs, "
        "remove, stats, check, compact");
    index->add_option("ACTION", action_, "add, query, pairs, remove, stats, check or compact")
        ->required()->check(CLI::IsMember({"add", "query", "pairs", "remove", "stats", "check", "compact"}));
    index->add_option("STORE", store_, "The store's file (created by add with the options given)")->required();
    index->add_option("ARGS", arguments_, "Inputs (add, query) as for dedup, or document ids (remove)");
    index->add_option("--format", run_.format, "Output: jsonl or tsv (id_a, id_b, score, kind)")
        ->capture_default_str()->check(CLI::IsMember({"jsonl", "tsv"}));
    index->add_flag("--clusters", run_.clusters, "pairs: print clusters instead");
    index->add_option("--batch", batch_,
                      "add: documents per commit (each commit is one fsync; a batch commits whole or not at all)")
        ->capture_default_str()->check(CLI::Range(size_t{1}, size_t{1} << 20));
    index->add_flag("--stdin-jsonl", run_.stdin_jsonl, "Read standard input ('-') as JSON Lines");
    index->add_flag("-q,--quiet", run_.quiet, "No progress line on stderr");
    index->add_option("--threads", run_.threads, "Threads computing fingerprints")
        ->capture_default_str()->check(CLI::Range(1, 256));
    pipeline_.AddTo(index);
    return index;
  }

  int Run() override {
    const bool takes_inputs = action_ == "add" || action_ == "query" || action_ == "remove";
    if (takes_inputs != !arguments_.empty()) {
      ReportError("usage", "index " + action_ + (takes_inputs ? " needs inputs after the store" : " takes only the store"));
      return kExitUsage;
    }
    if (action_ == "compact") return Compact();
    std::optional<Deduplicator> dedup;
    DedupOptions options;
    if (const int code = Open(&dedup, &options); code != kExitOk) return code;
    const ReportFormat format = ParseReportFormat(run_.format);
    bool had_errors = false;
    if (action_ == "add" || action_ == "query") {
      run_.inputs = arguments_;
      had_errors = FeedDocuments(*dedup, options, run_, action_ == "add" ? Feed::kAdd : Feed::kQuery,
                                 /*explanations=*/nullptr, batch_)
                       .had_errors;
    } else if (action_ == "pairs") {
      if (run_.clusters) {
        PrintClusters(*dedup, format);
      } else {
        PrintLinks(*dedup, format, /*translations_only=*/false, {});
      }
    } else if (action_ == "remove") {
      for (const std::string& id : arguments_) {
        if (absl::Status removed = dedup->Remove(id); !removed.ok()) {
          had_errors = true;
          ReportError(id, std::string(removed.message()));
        }
      }
    } else if (action_ == "stats") {
      if (const int code = Stats(*dedup); code != kExitOk) return code;
    } else if (action_ == "check") {
      // Opening replayed every document and link; this checks the id table against them.
      if (absl::Status checked = dedup->CheckStore(); !checked.ok()) {
        ReportStatus(store_, checked);
        return kExitInputError;
      }
      std::printf("%s: ok, %zu documents\n", store_.c_str(), dedup->size());
    }
    std::fflush(stdout);
    return had_errors ? kExitInputError : kExitOk;
  }

 private:
  // Opens the store for the action: one that exists with its own options (those given on the
  // command line must agree: exit 2 naming the differences), a new one (add only) with the
  // given options. Returns an exit code other than kExitOk after reporting an error.
  int Open(std::optional<Deduplicator>* out, DedupOptions* options) const {
    std::optional<DedupOptions> given = pipeline_.ToOptions();
    if (!given) return kExitUsage;
    *options = *given;
    const bool writes = action_ == "add" || action_ == "remove";
    std::error_code ec;
    const bool exists = std::filesystem::exists(store_, ec);
    // The options that shape the answers, if given, must be the store's; --max-bytes is a
    // limit of this run only.
    if (exists && !pipeline_.AnswersOptionGiven()) {
      absl::StatusOr<DedupOptions> stored = Deduplicator::StoredOptions(store_);
      if (!stored.ok()) {
        ReportStatus(store_, stored.status());
        return stored.status().code() == absl::StatusCode::kFailedPrecondition ? kExitUsage : kExitInputError;
      }
      stored->fingerprint.normalize.max_bytes = options->fingerprint.normalize.max_bytes;
      *options = *stored;
    }
    if (!exists && action_ != "add") {
      ReportError(store_, "no such store (`neardup index add` creates one)");
      return kExitInputError;
    }
    absl::StatusOr<Deduplicator> dedup = Deduplicator::Open(store_, *options, {.read_only = !writes});
    if (!dedup.ok()) {
      ReportStatus(store_, dedup.status());
      return dedup.status().code() == absl::StatusCode::kFailedPrecondition ? kExitUsage : kExitInputError;
    }
    out->emplace(*std::move(dedup));
    return kExitOk;
  }

  int Compact() const {
    absl::StatusOr<std::pair<uint64_t, uint64_t>> sizes = Deduplicator::CompactStore(store_);
    if (!sizes.ok()) {
      ReportStatus(store_, sizes.status());
      return kExitInputError;
    }
    PrintJson({{"store", store_}, {"bytes_before", sizes->first}, {"bytes_after", sizes->second}});
    return kExitOk;
  }

  int Stats(const Deduplicator& dedup) const {
    absl::StatusOr<Deduplicator::StoreStats> stats = dedup.GetStoreStats();
    if (!stats.ok()) {
      ReportStatus(store_, stats.status());
      return kExitInputError;
    }
    nlohmann::ordered_json parameters = nlohmann::ordered_json::object();
    for (const auto& [name, value] : stats->parameters) parameters[name] = value;
    PrintJson({{"store", store_},
               {"documents", stats->documents},
               {"live_documents", stats->live_documents},
               {"links", stats->links},
               {"live_links", stats->live_links},
               {"bytes_on_disk", stats->file_bytes},
               {"bytes_used", stats->used_bytes},
               {"bytes_per_document",
                std::llround(static_cast<double>(stats->file_bytes) /
                             static_cast<double>(std::max<uint64_t>(1, stats->documents)))},
               {"memory_bytes", dedup.MemoryUsage()},
               {"format_version", stats->format_version},
               {"created_by", stats->created_by},
               {"parameters", parameters}});
    return kExitOk;
  }

  std::string action_;  // add, query, pairs, remove, stats, check, compact
  std::string store_;
  std::vector<std::string> arguments_;  // inputs, or ids for remove
  size_t batch_ = kIndexBatch;          // documents per commit (add)
  PipelineFlags pipeline_;
  RunFlags run_;
};

}  // namespace

std::unique_ptr<Command> MakeIndexCommand() { return std::make_unique<IndexCommand>(); }

}  // namespace neardup::cli

// File: cli/feed.h
//
// Feeding a Deduplicator from the command's inputs (dedup, index add, index query), and
// printing its links and clusters as the run ends.

#ifndef NEARDUP_CLI_FEED_H_
#define NEARDUP_CLI_FEED_H_

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "document_reader.h"
#include "neardup/dedup.h"
#include "neardup/report.h"

namespace neardup::cli {

// The threads a run adds documents on (Deduplicator::AddBatch prepares each batch's matches on
// them): flags.threads from kMinThreadsToShareAdds on, else 1. Fingerprinting keeps two cores
// busy already (perf corpus, 2 threads: 31 s of CPU in 17 s), and the prepared path costs
// about 15% more CPU in the index stage: on the 2-core VM it made the default run 1 to 15%
// slower. With cores to spare, its serial part is a quarter of the index stage's work (Add's
// instructions, callgrind), and the index stage is what bounds the run from 3 cores on.
inline constexpr int kMinThreadsToShareAdds = 4;

// How a run reads its inputs and prints what it finds (dedup's flags; index add and query
// take the same).
struct RunFlags {
  std::vector<std::string> inputs;
  std::string format = "jsonl";
  bool clusters = false;
  bool quiet = false;
  bool stdin_jsonl = false;
  bool stats = false;
  bool explain = false;
  std::string keep;      // dedup --keep: the policy ("" without)
  bool dropped = false;  // dedup --dropped
  FILE* stdin_file = nullptr;  // where "-" is read from (ReaderOptions::stdin_file)
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
};

// What a run does with each document it reads.
enum class Feed {
  kAdd,    // add it, printing its matches (dedup, index add)
  kQuery,  // only look it up (index query)
};

// Verdicts of translation pairs (dedup --explain), kept until the pair is printed.
using Explanations = std::map<std::pair<std::string, std::string>, Verdict>;

// What FeedDocuments read.
struct FeedResult {
  bool had_errors = false;  // an input error was reported
  uint64_t documents = 0;
  uint64_t bytes = 0;
  // With flags.keep, by Document::number: whether the document was added.
  std::vector<char> added;
};

// How the inputs are read, for the Deduplicator's options and the run's flags.
ReaderOptions ReaderOptionsFor(const DedupOptions& options, const RunFlags& flags);

int AddThreads(const RunFlags& flags);

// Reads the inputs, fingerprints them on flags.threads threads, and feeds them to `dedup` in
// input order, printing each document's matches as they are found: near and contained copies
// always, translations too unless `explanations` is given (dedup holds them until the end,
// when retractions are known, and keeps their verdicts there). With batch_size > 1, documents
// are added batch_size at a time (Deduplicator::AddBatch: one commit of a store each).
FeedResult FeedDocuments(Deduplicator& dedup, const DedupOptions& options, const RunFlags& flags, Feed feed,
                         Explanations* explanations, size_t batch_size = 1);

// The live links of `dedup` in the order they were made, as dedup prints them: near and
// contained pairs first (unless translations_only), then translations.
void PrintLinks(const Deduplicator& dedup, ReportFormat format, bool translations_only,
                const Explanations& explanations);

// Every cluster of `dedup`, numbered from 1.
void PrintClusters(const Deduplicator& dedup, ReportFormat format);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_FEED_H_

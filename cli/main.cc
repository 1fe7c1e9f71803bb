// The `neardup` command. See README.md ("Command line") for usage and exit codes.
//
//   neardup dedup [options] INPUT...      near, contained and translation pairs (or clusters)
//   neardup compare [options] A B         the verdict on two documents, with its evidence
//   neardup align [options] A B           the paragraphs of a document and its translation, side by side
//   neardup anchors [options] FILE        the language-independent anchors of a document
//   neardup index ACTION STORE [INPUT...] a collection kept in a store file (add, query, pairs,
//                                         remove, stats, check, compact)
//
// Exit codes: 0 success; 1 some input could not be read or used (each named on stderr with the
// reason; the rest was processed); 2 usage error (bad option or value).

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <thread>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "document_reader.h"
#include "fingerprint_pool.h"
#include "neardup/neardup.h"
#include "output.h"

namespace neardup::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitInputError = 1;
constexpr int kExitUsage = 2;

// Parses decimal digits only (no sign, no spaces) into a value at most `max`.
bool ParseUnsigned(const std::string& text, uint64_t max, uint64_t* value) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size() && *value <= max;
}

// Options shared by the commands that fingerprint text.
struct PipelineFlags {
  double threshold = 0.8;
  double containment_threshold = VerdictOptions().containment_threshold;
  double translation_threshold = TranslationOptions().threshold;
  bool no_translations = false;
  int num_perm = 128;
  std::string shingle = "word:5";
  std::string seed = std::to_string(kDefaultSeed);  // parsed strictly in ToOptions
  bool strip_diacritics = false;
  bool replace_invalid = false;
  std::string max_bytes = std::to_string(kDefaultMaxDocumentBytes);

  void AddTo(CLI::App* app) {
    // The ranges of the numbers are checked by the library (ValidateDedupOptions, in ToOptions),
    // so that a value is refused with the message Python and neardup.dask give, NaN and
    // infinities included (CLI::Range let NaN through, and worded the others its own way).
    app->add_option("--threshold", threshold, "Estimated Jaccard at or above which two documents are duplicates")
        ->capture_default_str();
    app->add_option("--containment-threshold", containment_threshold,
                    "Estimated share of the smaller document inside the larger at or above which it is a "
                    "contained (trimmed) copy; 0 = off")
        ->capture_default_str();
    app->add_option("--translation-threshold", translation_threshold,
                    "Score at or above which documents in different languages are translations")
        ->capture_default_str();
    app->add_flag("--no-translations", no_translations, "Only near duplicates: skip anchors and translations");
    app->add_option("--num-perm", num_perm, "MinHash signature length k")->capture_default_str();
    app->add_option("--shingle", shingle, "Shingles: N or word:N (N words) or char:N (N characters)")
        ->capture_default_str();
    app->add_option("--seed", seed, "Hash seed; only signatures with the same seed compare")->capture_default_str();
    app->add_flag("--strip-diacritics", strip_diacritics, "Compare without accents (é = e)");
    app->add_flag("--replace-invalid", replace_invalid,
                  "Replace invalid UTF-8 with U+FFFD instead of rejecting the document");
    app->add_option("--max-bytes", max_bytes, "Largest document accepted, in bytes (1 to 2^40)")->capture_default_str();
  }

  // Builds the library options; a usage error message on failure: the library's
  // (ValidateDedupOptions, InvalidOptionValue), as Python and neardup.dask show it.
  bool ToOptions(DedupOptions* out, std::string* error) const {
    uint64_t seed_value = 0, max_bytes_value = 0;
    if (!ParseUnsigned(seed, UINT64_MAX, &seed_value)) {
      *error = std::string(InvalidOptionValue("seed", seed).message());
      return false;
    }
    if (!ParseUnsigned(max_bytes, UINT64_MAX, &max_bytes_value)) {
      *error = std::string(InvalidOptionValue("max_bytes", max_bytes).message());
      return false;
    }
    ShingleOptions sh;
    std::string size = shingle;
    if (shingle.rfind("word:", 0) == 0) {
      size = shingle.substr(5);
    } else if (shingle.rfind("char:", 0) == 0) {
      sh.kind = ShingleKind::kCharacter;
      size = shingle.substr(5);
    }
    uint64_t size_value = 0;
    if (size.empty() || size.find_first_not_of("0123456789") != std::string::npos) {
      *error = "--shingle: expected N, word:N or char:N, got '" + shingle + "'";
      return false;
    }
    if (!ParseUnsigned(size, kMaxShingleSize, &size_value)) {  // digits, but too many: out of range
      *error = std::string(InvalidOptionValue("shingle size", size).message());
      return false;
    }
    sh.size = static_cast<int>(size_value);
    out->fingerprint.shingle = sh;
    out->fingerprint.minhash.num_perm = num_perm;
    out->fingerprint.minhash.seed = seed_value;
    out->fingerprint.normalize.strip_diacritics = strip_diacritics;
    out->fingerprint.normalize.invalid_utf8 = replace_invalid ? InvalidUtf8::kReplace : InvalidUtf8::kReject;
    out->fingerprint.normalize.max_bytes = max_bytes_value;
    out->lsh.threshold = threshold;
    out->containment_threshold = containment_threshold;
    out->translation.threshold = translation_threshold;
    out->fingerprint.anchors = !no_translations;
    if (const absl::Status valid = ValidateDedupOptions(*out); !valid.ok()) {
      *error = std::string(valid.message());
      return false;
    }
    return true;
  }
};

void ReportError(const std::string& where, const std::string& reason) {
  std::fprintf(stderr, "neardup: %s: %s\n", where.c_str(), reason.c_str());
}

// A store's error, with its status code named (DATA_LOSS, UNAVAILABLE, ...) for scripts.
void ReportStatus(const std::string& where, const absl::Status& status) {
  ReportError(where, std::string(status.message()) + " [" + absl::StatusCodeToString(status.code()) + "]");
}

// A one-line progress report on stderr, only when it is a terminal.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO)) {}
  void Update(uint64_t documents, uint64_t bytes) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    std::fprintf(stderr, "\rneardup: %llu documents, %.1f MB", static_cast<unsigned long long>(documents),
                 static_cast<double>(bytes) / 1e6);
    shown_ = true;
  }
  void Done() {
    if (shown_) std::fprintf(stderr, "\r\033[K");
  }
  ~Progress() { Done(); }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// One pair as a TSV or JSON line; JSON adds the Jaccard and containment estimates of near and
// contained pairs, and `explanation` (a VerdictJson object) when not empty.
void PrintPair(Format format, const std::string& a, const std::string& b, const Match& m,
               const std::string& explanation = "") {
  if (format == Format::kTsv) {
    std::printf("%s\t%s\t%s\t%s\n", TsvField(a).c_str(), TsvField(b).c_str(), FormatScore(m.score).c_str(),
                MatchKindName(m.kind));
    return;
  }
  const std::string extra = m.kind == MatchKind::kTranslation ? ""
                            : ",\"jaccard\":" + FormatScore(m.jaccard) + ",\"containment\":" + FormatScore(m.containment);
  const std::string verdict = explanation.empty() ? "" : ",\"verdict\":" + explanation;
  std::printf("{\"id_a\":%s,\"id_b\":%s,\"score\":%s,\"kind\":\"%s\"%s%s}\n", JsonQuote(a).c_str(),
              JsonQuote(b).c_str(), FormatScore(m.score).c_str(), MatchKindName(m.kind), extra.c_str(), verdict.c_str());
}

struct DedupFlags {
  std::vector<std::string> inputs;
  std::string format = "jsonl";
  bool clusters = false;
  bool quiet = false;
  bool stdin_jsonl = false;
  bool stats = false;
  bool explain = false;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
};

// The Deduplicator the flags describe (and its options in *options); reports a usage error
// and returns nullopt if they are bad.
std::optional<Deduplicator> MakeDeduplicator(const PipelineFlags& pipeline, DedupOptions* options) {
  std::string error;
  if (!pipeline.ToOptions(options, &error)) {
    ReportError("usage", error);
    return std::nullopt;
  }
  absl::StatusOr<Deduplicator> dedup = Deduplicator::Create(*options);
  if (!dedup.ok()) {
    ReportError("usage", std::string(dedup.status().message()));
    return std::nullopt;
  }
  return *std::move(dedup);
}

// What a run does with each document it reads.
enum class Feed {
  kAdd,    // add it, printing its matches (dedup, index add)
  kQuery,  // only look it up (index query)
};

// Explanations of translation pairs (dedup --explain), kept until the pair is printed.
using Explanations = std::map<std::pair<std::string, std::string>, std::string>;

// Reads the inputs, fingerprints them on flags.threads threads, and feeds them to `dedup` in
// input order, printing each document's matches as they are found: near and contained
// copies always, translations too unless `explanations` is given (dedup holds them until the
// end, when retractions are known, and keeps their explanations there). Returns whether an
// input error was reported; *documents and *bytes count what was read.
bool FeedDocuments(Deduplicator& dedup, const DedupOptions& options, const DedupFlags& flags, Feed feed,
                   Explanations* explanations, uint64_t* documents, uint64_t* bytes, size_t batch_size = 1) {
  const Format format = flags.format == "tsv" ? Format::kTsv : Format::kJsonLines;
  bool had_errors = false;
  const auto on_error = [&](const std::string& where, const std::string& reason) {
    had_errors = true;
    ReportError(where, reason);
  };
  Progress progress(!flags.quiet);
  ReaderOptions reader_options;
  reader_options.max_bytes = options.fingerprint.normalize.max_bytes;
  reader_options.stdin_format = flags.stdin_jsonl ? StdinFormat::kJsonLines : StdinFormat::kText;
  // Problems with a document are named where it was read (file:line) and by its id.
  const auto where_of = [](const Document& doc) {
    return doc.where.empty() || doc.where == doc.id ? IdForMessage(doc.id) : doc.where + " (id " + IdForMessage(doc.id) + ")";
  };
  // Prints what was found for one document, or names why it was not used.
  const auto report = [&](const PoolItem& item, const absl::StatusOr<std::vector<Match>>& matches) {
    if (!matches.ok()) {
      on_error(where_of(item.doc), matches.status().code() == absl::StatusCode::kAlreadyExists
                                       ? "duplicate document id; this copy was skipped"
                                       : std::string(matches.status().message()));
      return;
    }
    if (flags.clusters) return;
    for (const Match& m : *matches) {
      std::string explanation;
      if (flags.explain && feed == Feed::kAdd) {
        // The verdict Add acted on: the same function, the same collection state.
        absl::StatusOr<Verdict> v = dedup.Explain(*item.fingerprint, m.id);
        explanation = v.ok() ? VerdictJson(*v, {}, {}) : "null";
      }
      if (m.kind != MatchKind::kTranslation || explanations == nullptr) {
        PrintPair(format, m.id, item.doc.id, m, explanation);
      } else if (flags.explain) {
        (*explanations)[{m.id, item.doc.id}] = std::move(explanation);
      }
    }
  };
  // Documents waiting for the next AddBatch (a store commits a batch at once: one fsync).
  std::vector<PoolItem> pending;
  // Set when a store refuses further changes (a batch's commit failed, e.g. on a full disk):
  // the batch's documents are named, the later ones counted and named once at the end.
  absl::Status refused;
  uint64_t not_added = 0;
  const auto flush = [&] {
    if (!refused.ok()) {
      not_added += pending.size();
      pending.clear();
      return;
    }
    std::vector<std::string> ids;
    std::vector<Fingerprint> fingerprints;
    std::vector<const PoolItem*> added;
    for (const PoolItem& item : pending) {
      if (!item.fingerprint.ok()) {
        report(item, item.fingerprint.status());
      } else {
        ids.push_back(item.doc.id), fingerprints.push_back(*item.fingerprint), added.push_back(&item);
      }
    }
    const auto results = dedup.AddBatch(ids, fingerprints);
    for (size_t i = 0; i < added.size(); ++i) {
      report(*added[i], results[i]);
      if (results[i].status().code() == absl::StatusCode::kAborted) refused = results[i].status();
    }
    pending.clear();
  };
  // Fingerprints are computed on `threads` threads; adding to the index, and so the output,
  // follows the input order exactly.
  FingerprintPool pool(dedup.fingerprinter(), flags.threads, [&](PoolItem& item) {
    if (item.is_input_error) {
      on_error(item.where, item.reason);
      return;
    }
    ++*documents;
    *bytes += item.doc.text.size();
    progress.Update(*documents, *bytes);
    if (feed == Feed::kAdd && batch_size > 1) {
      pending.push_back(std::move(item));
      if (pending.size() >= batch_size) flush();
      return;
    }
    if (feed == Feed::kAdd && dedup.Contains(item.doc.id)) {
      on_error(where_of(item.doc), "duplicate document id; this copy was skipped");
      return;
    }
    report(item, !item.fingerprint.ok() ? item.fingerprint.status()
                 : feed == Feed::kAdd   ? dedup.Add(item.doc.id, *item.fingerprint)
                                        : dedup.Query(*item.fingerprint));
  });
  DocumentReader reader(
      reader_options, [&](Document&& doc) { pool.Push(PoolItem{false, "", "", std::move(doc), absl::UnknownError("")}); },
      [&](const std::string& where, const std::string& reason) { pool.Push(PoolItem{true, where, reason, {}, absl::UnknownError("")}); });
  reader.ReadAll(flags.inputs);
  pool.Finish();
  if (!pending.empty()) flush();
  progress.Done();
  if (not_added > 0) {
    on_error("the store", std::to_string(not_added) + " later documents were not added: " + std::string(refused.message()));
  }
  return had_errors;
}

// The live links of `dedup` in the order they were made, as dedup prints them: near and
// contained pairs first (unless translations_only), then translations.
void PrintLinks(const Deduplicator& dedup, Format format, bool translations_only, const Explanations& explanations) {
  const std::vector<Pair> pairs = dedup.Pairs();
  for (const bool translations : {false, true}) {
    if (!translations && translations_only) continue;
    for (const Pair& p : pairs) {
      if ((p.kind == MatchKind::kTranslation) != translations) continue;
      const auto explanation = explanations.find({p.id_a, p.id_b});
      PrintPair(format, p.id_a, p.id_b, Match{p.id_b, p.kind, p.score, p.jaccard, p.containment},
                explanation == explanations.end() ? "" : explanation->second);
    }
  }
}

// A cluster's members, canonical first, each with its hops to the canonical and the score of
// its direct link to it (0 without one): TSV "cluster, member, hops, score" lines, or one JSON
// object with parallel arrays.
void PrintClusters(const Deduplicator& dedup, Format format) {
  int number = 0;
  for (const Cluster& c : dedup.Clusters()) {
    ++number;
    if (format == Format::kTsv) {
      for (size_t i = 0; i < c.members.size(); ++i) {
        std::printf("%d\t%s\t%u\t%s\n", number, TsvField(c.members[i]).c_str(), c.hops[i], FormatScore(c.scores[i]).c_str());
      }
      continue;
    }
    std::string members, hops, scores;
    for (size_t i = 0; i < c.members.size(); ++i) {
      if (i > 0) members += ',', hops += ',', scores += ',';
      members += JsonQuote(c.members[i]);
      hops += std::to_string(c.hops[i]);
      scores += FormatScore(c.scores[i]);
    }
    std::printf("{\"cluster\":%d,\"canonical\":%s,\"members\":[%s],\"hops\":[%s],\"scores\":[%s]}\n", number,
                JsonQuote(c.canonical).c_str(), members.c_str(), hops.c_str(), scores.c_str());
  }
}

int RunDedup(const PipelineFlags& pipeline, const DedupFlags& flags) {
  DedupOptions options;
  std::optional<Deduplicator> dedup = MakeDeduplicator(pipeline, &options);
  if (!dedup) return kExitUsage;
  const Format format = flags.format == "tsv" ? Format::kTsv : Format::kJsonLines;
  const auto started = std::chrono::steady_clock::now();
  uint64_t documents = 0, bytes = 0;
  Explanations explanations;
  const bool had_errors = FeedDocuments(*dedup, options, flags, Feed::kAdd, &explanations, &documents, &bytes);
  // Translations may have been retracted by a better one for the same document and language:
  // printed now that the run is over.
  if (flags.clusters) {
    PrintClusters(*dedup, format);
  } else {
    PrintLinks(*dedup, format, /*translations_only=*/true, explanations);
  }
  std::fflush(stdout);
  if (flags.stats) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const size_t memory = dedup->MemoryUsage();
    std::fprintf(stderr,
                 "neardup: %llu documents, %.1f MB in %.2f s (%.1f MB/s, %d threads); index %.1f MB, %.0f bytes per "
                 "document\n",
                 static_cast<unsigned long long>(documents), static_cast<double>(bytes) / 1e6, seconds,
                 static_cast<double>(bytes) / 1e6 / std::max(seconds, 1e-9), flags.threads,
                 static_cast<double>(memory) / 1e6,
                 static_cast<double>(memory) / static_cast<double>(std::max<size_t>(1, dedup->size())));
  }
  return had_errors ? kExitInputError : kExitOk;
}

// `neardup index add` commits this many documents at once (Deduplicator::AddBatch): one fsync
// per 1,000 documents instead of one per document, which ran the perf corpus at a tenth of
// dedup's speed. A killed run loses at most the batch whose matches it had not printed.
constexpr size_t kIndexBatch = 1000;

// `neardup index ACTION STORE [INPUT | ID]...`: a persistent index (Deduplicator::Open).
struct IndexFlags {
  std::string action;  // add, query, pairs, remove, stats, check
  std::string store;
  std::vector<std::string> arguments;  // inputs, or ids for remove
  size_t batch = kIndexBatch;  // documents per commit (add)
  bool options_given = false;  // a pipeline option was on the command line
  DedupFlags run;
};

// Opens the store for `flags.action`: one that exists with its own options (those given on
// the command line must agree: exit 2 naming the differences), a new one (add only) with
// the given options. Returns an exit code other than kExitOk after reporting an error.
int OpenIndex(const PipelineFlags& pipeline, const IndexFlags& flags, std::optional<Deduplicator>* out,
              DedupOptions* options) {
  std::string error;
  if (!pipeline.ToOptions(options, &error)) {
    ReportError("usage", error);
    return kExitUsage;
  }
  const bool writes = flags.action == "add" || flags.action == "remove";
  std::error_code ec;
  const bool exists = std::filesystem::exists(flags.store, ec);
  if (exists && !flags.options_given) {
    absl::StatusOr<DedupOptions> stored = Deduplicator::StoredOptions(flags.store);
    if (!stored.ok()) {
      ReportStatus(flags.store, stored.status());
      return stored.status().code() == absl::StatusCode::kFailedPrecondition ? kExitUsage : kExitInputError;
    }
    stored->fingerprint.normalize.max_bytes = options->fingerprint.normalize.max_bytes;  // a limit of this run
    *options = *stored;
  }
  if (!exists && flags.action != "add") {
    ReportError(flags.store, "no such store (`neardup index add` creates one)");
    return kExitInputError;
  }
  absl::StatusOr<Deduplicator> dedup = Deduplicator::Open(flags.store, *options, {.read_only = !writes});
  if (!dedup.ok()) {
    ReportStatus(flags.store, dedup.status());
    return dedup.status().code() == absl::StatusCode::kFailedPrecondition ? kExitUsage : kExitInputError;
  }
  out->emplace(*std::move(dedup));
  return kExitOk;
}

int RunIndex(const PipelineFlags& pipeline, IndexFlags flags) {
  const bool takes_inputs = flags.action == "add" || flags.action == "query" || flags.action == "remove";
  if (takes_inputs != !flags.arguments.empty()) {
    ReportError("usage", "index " + flags.action + (takes_inputs ? " needs inputs after the store" : " takes only the store"));
    return kExitUsage;
  }
  if (flags.action == "compact") {
    absl::StatusOr<std::pair<uint64_t, uint64_t>> sizes = Deduplicator::CompactStore(flags.store);
    if (!sizes.ok()) {
      ReportStatus(flags.store, sizes.status());
      return kExitInputError;
    }
    std::printf("{\"store\":%s,\"bytes_before\":%llu,\"bytes_after\":%llu}\n", JsonQuote(flags.store).c_str(),
                (unsigned long long)sizes->first, (unsigned long long)sizes->second);
    return kExitOk;
  }
  std::optional<Deduplicator> dedup;
  DedupOptions options;
  if (const int code = OpenIndex(pipeline, flags, &dedup, &options); code != kExitOk) return code;
  const Format format = flags.run.format == "tsv" ? Format::kTsv : Format::kJsonLines;
  uint64_t documents = 0, bytes = 0;
  bool had_errors = false;
  if (flags.action == "add" || flags.action == "query") {
    flags.run.inputs = flags.arguments;
    had_errors = FeedDocuments(*dedup, options, flags.run, flags.action == "add" ? Feed::kAdd : Feed::kQuery,
                               /*explanations=*/nullptr, &documents, &bytes, flags.batch);
  } else if (flags.action == "pairs") {
    if (flags.run.clusters) {
      PrintClusters(*dedup, format);
    } else {
      PrintLinks(*dedup, format, /*translations_only=*/false, {});
    }
  } else if (flags.action == "remove") {
    for (const std::string& id : flags.arguments) {
      if (absl::Status removed = dedup->Remove(id); !removed.ok()) {
        had_errors = true;
        ReportError(id, std::string(removed.message()));
      }
    }
  } else if (flags.action == "stats") {
    absl::StatusOr<Deduplicator::StoreStats> stats = dedup->GetStoreStats();
    if (!stats.ok()) {
      ReportStatus(flags.store, stats.status());
      return kExitInputError;
    }
    std::string parameters;
    for (const auto& [name, value] : stats->parameters) {
      if (!parameters.empty()) parameters += ',';
      parameters.append(JsonQuote(name)).append(":").append(JsonQuote(value));
    }
    std::printf("{\"store\":%s,\"documents\":%llu,\"live_documents\":%llu,\"links\":%llu,\"live_links\":%llu,"
                "\"bytes_on_disk\":%llu,\"bytes_used\":%llu,\"bytes_per_document\":%.0f,\"memory_bytes\":%llu,\"format_version\":%d,"
                "\"created_by\":%s,\"parameters\":{%s}}\n",
                JsonQuote(flags.store).c_str(), (unsigned long long)stats->documents,
                (unsigned long long)stats->live_documents, (unsigned long long)stats->links,
                (unsigned long long)stats->live_links, (unsigned long long)stats->file_bytes,
                (unsigned long long)stats->used_bytes, static_cast<double>(stats->file_bytes) / static_cast<double>(std::max<uint64_t>(1, stats->documents)),
                (unsigned long long)dedup->MemoryUsage(), stats->format_version, JsonQuote(stats->created_by).c_str(), parameters.c_str());
  } else if (flags.action == "check") {
    // Opening replayed every document and link; this checks the id table against them.
    if (absl::Status checked = dedup->CheckStore(); !checked.ok()) {
      ReportStatus(flags.store, checked);
      return kExitInputError;
    }
    std::printf("%s: ok, %zu documents\n", flags.store.c_str(), dedup->size());
  }
  std::fflush(stdout);
  return had_errors ? kExitInputError : kExitOk;
}

std::string JoinStrings(const std::vector<std::string>& parts, const char* separator);

struct CompareFlags {
  std::string a, b, lang_a, lang_b;
  std::string format = "text";
};

// One document of a pair that compare or align explains.
struct Side {
  std::string path, lang, text;
  Fingerprint fp;
  std::vector<uint64_t> set;
  std::vector<std::string> anchor_keys;  // by anchor index, as the profile holds them
};

// Reads and fingerprints two documents, then judges them as `neardup dedup A B` would: the
// same Deduplicator, fed A, explains B against it (Deduplicator::Explain, the function Add
// acts on). An exit code other than kExitOk means an error was reported.
int JudgeFiles(const PipelineFlags& pipeline, const std::string& a, const std::string& b, const std::string& lang_a,
               const std::string& lang_b, Side (&sides)[2], Verdict* verdict) {
  DedupOptions options;
  std::optional<Deduplicator> dedup = MakeDeduplicator(pipeline, &options);
  if (!dedup) return kExitUsage;
  sides[0] = Side{a, lang_a, {}, {}, {}, {}};
  sides[1] = Side{b, lang_b, {}, {}, {}, {}};
  std::string error;
  for (Side& side : sides) {
    if (!ReadWholeFile(side.path, &side.text, &error, options.fingerprint.normalize.max_bytes)) {
      ReportError(side.path, "cannot read: " + error);
      return kExitInputError;
    }
    absl::StatusOr<Fingerprint> fp = dedup->fingerprinter().Compute(side.text, side.lang);
    absl::StatusOr<std::vector<uint64_t>> set = dedup->fingerprinter().ShingleSet(side.text);
    if (!fp.ok() || !set.ok()) {
      ReportError(side.path, std::string((fp.ok() ? set.status() : fp.status()).message()));
      return kExitInputError;
    }
    if (fp->signature.set_size() == 0) {
      ReportError(side.path, "no words to compare");
      return kExitInputError;
    }
    side.fp = *std::move(fp);
    side.set = *std::move(set);
    // From here on, the text as the pipeline read it: repaired when bad bytes are replaced. The
    // anchors the profile was made from come from it, and align shows and aligns it.
    if (pipeline.replace_invalid) side.text = ReplaceInvalidUtf8(side.text);
    if (auto anchors = ExtractAnchors(side.text, {.language = side.fp.language}); anchors.ok()) {
      for (const Anchor& anchor : *anchors) side.anchor_keys.push_back(anchor.key);
    }
  }
  if (absl::Status added = dedup->Add("a", sides[0].fp).status(); !added.ok()) {
    ReportError(a, std::string(added.message()));
    return kExitInputError;
  }
  absl::StatusOr<Verdict> judged = dedup->Explain(sides[1].fp, "a");
  if (!judged.ok()) {
    ReportError(b, std::string(judged.status().message()));
    return kExitInputError;
  }
  *verdict = *std::move(judged);
  return kExitOk;
}

int RunCompare(const PipelineFlags& pipeline, const CompareFlags& flags) {
  Side sides[2];
  Verdict v;
  if (const int code = JudgeFiles(pipeline, flags.a, flags.b, flags.lang_a, flags.lang_b, sides, &v); code != kExitOk) {
    return code;
  }
  const Fingerprint &fa = sides[0].fp, &fb = sides[1].fp;
  const double exact = ExactJaccard(sides[0].set, sides[1].set);
  // Exact containment of the smaller set: |A∩B| = J(|A|+|B|)/(1+J).
  const double exact_containment = ContainmentFromJaccard(
      exact, std::min(sides[0].set.size(), sides[1].set.size()), std::max(sides[0].set.size(), sides[1].set.size()));
  if (flags.format == "json") {
    const auto side_json = [](const Side& side) {
      return "{\"id\":" + JsonQuote(side.path) + ",\"lang\":" + JsonQuote(side.fp.language) +
             ",\"bytes\":" + std::to_string(side.fp.num_bytes) + ",\"tokens\":" + std::to_string(side.fp.num_tokens) +
             ",\"shingles\":" + std::to_string(side.set.size()) +
             ",\"anchors\":" + std::to_string(side.anchor_keys.size()) + "}";
    };
    std::printf("{\"a\":%s,\"b\":%s,\"exact_jaccard\":%s,\"exact_containment\":%s,\"threshold\":%s,\"containment_threshold\":%s,"
                "\"translation_threshold\":%s,\"verdict\":%s}\n",
                side_json(sides[0]).c_str(), side_json(sides[1]).c_str(), FormatScore(exact).c_str(),
                FormatScore(exact_containment).c_str(),
                FormatScore(pipeline.threshold).c_str(), FormatScore(pipeline.containment_threshold).c_str(),
                FormatScore(pipeline.translation_threshold).c_str(),
                VerdictJson(v, sides[0].anchor_keys, sides[1].anchor_keys).c_str());
    return kExitOk;
  }
  for (int i = 0; i < 2; ++i) {
    const Side& side = sides[i];
    std::printf("%c: %s  (%s; %llu bytes, %llu words, %llu distinct shingles, %zu anchors)\n", 'a' + i,
                side.path.c_str(), side.fp.language.empty() ? "language unknown" : side.fp.language.c_str(),
                (unsigned long long)side.fp.num_bytes, (unsigned long long)side.fp.num_tokens,
                (unsigned long long)side.set.size(), side.anchor_keys.size());
  }
  std::printf("estimated Jaccard   %s  (MinHash, k=%d; standard error %.4f)\n", FormatScore(v.text.jaccard).c_str(),
              pipeline.num_perm, std::sqrt(exact * (1 - exact) / pipeline.num_perm));
  std::printf("exact Jaccard       %s\n", FormatScore(exact).c_str());
  std::printf("exact containment   %s\n", FormatScore(exact_containment).c_str());
  if (v.text.by_filter) {
    // The smaller side's own slots, a sample of its shingles, looked up in the larger's filter.
    std::printf("containment         %s of %s's shingles are in %s (%d of %d sampled shingles found in %s's "
                "shingle filter, less its false hits; error ±%.3f at the threshold, ±%.3f allowed)\n",
                FormatScore(v.text.containment).c_str(), v.text.a_is_smaller ? "a" : "b", v.text.a_is_smaller ? "b" : "a",
                v.text.containment_found, v.text.containment_slots, v.text.a_is_smaller ? "b" : "a",
                v.text.containment_error, kContainmentZone);
  } else {
    std::printf("containment         %s of %s's shingles are in %s (estimated on %d MinHash slots; %d needed)\n",
                FormatScore(v.text.containment).c_str(), v.text.a_is_smaller ? "a" : "b", v.text.a_is_smaller ? "b" : "a",
                v.text.containment_slots, kMinContainmentSlots);
  }
  const auto keys = [](const std::vector<std::string>& all, const std::vector<uint32_t>& indexes) {
    std::vector<std::string> out;
    for (uint32_t i : indexes) out.push_back(i < all.size() ? all[i] : "?");
    return out.empty() ? std::string("none") : JoinStrings(out, " ");
  };
  if (v.cross_language) {
    const TranslationEvidence& e = v.translation;
    std::vector<uint32_t> chain;
    for (const auto& [i, j] : e.chain) chain.push_back(i);
    std::printf("translation score   %s (threshold %s)%s\n", FormatScore(e.score).c_str(),
                FormatScore(pipeline.translation_threshold).c_str(),
                e.decided ? "" : "  undecided: too little evidence to judge");
    std::printf("  anchors           %s%s: coverage a %s, b %s, matched weight %.3f (two documents alone: kind "
                "priors, no rarity)\n",
                FormatScore(e.anchor_score).c_str(), e.anchors_decide ? "" : " (too few to decide)",
                FormatScore(e.coverage_a).c_str(), FormatScore(e.coverage_b).c_str(), e.matched_weight);
    std::printf("  layout            %s of paragraphs agree in length (%zu and %zu paragraphs)\n",
                FormatScore(e.layout).c_str(), fa.anchors.paragraph_lengths.size(), fb.anchors.paragraph_lengths.size());
    std::printf("  length ratio      %.3f\n", e.length_ratio);
    std::printf("  matched in order  %zu: %s\n", chain.size(), keys(sides[0].anchor_keys, chain).c_str());
    std::printf("  numbers only in a %s\n", keys(sides[0].anchor_keys, e.conflicts_a).c_str());
    std::printf("  numbers only in b %s\n", keys(sides[1].anchor_keys, e.conflicts_b).c_str());
  }
  const std::string kind = VerdictKind(v);
  std::printf("verdict             %s (thresholds: near %s, contained %s, translation %s)\n",
              kind.empty() ? "not a duplicate" : kind.c_str(), FormatScore(pipeline.threshold).c_str(),
              FormatScore(pipeline.containment_threshold).c_str(), FormatScore(pipeline.translation_threshold).c_str());
  if (v.linked && !v.found) {
    std::printf("                    but the index does not propose this pair (LSH finds a pair with a probability):\n"
                "                    `neardup dedup` does not report it\n");
  }
  return kExitOk;
}

// Splits UTF-8 `text` into lines of at most `width` code points, at spaces where possible.
std::vector<std::string> Wrap(std::string_view text, size_t width) {
  std::vector<std::string> lines;
  std::string line;
  size_t line_chars = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view word = text.substr(i, j - i);
    size_t chars = 0;
    for (char c : word) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (line_chars > 0 && line_chars + 1 + chars > width) {
      lines.push_back(line);
      line.clear();
      line_chars = 0;
    }
    while (chars > width) {  // a word longer than the column: cut it at a character boundary
      size_t cut = 0, n = 0;
      while (cut < word.size() && n < width) {
        ++cut;
        while (cut < word.size() && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) ++cut;
        ++n;
      }
      lines.emplace_back(word.substr(0, cut));
      word.remove_prefix(cut);
      chars -= n;
    }
    if (line_chars > 0) line.push_back(' '), ++line_chars;
    line.append(word);
    line_chars += chars;
    i = j + 1;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

std::string PadTo(const std::string& s, size_t width) {
  size_t chars = 0;
  for (char c : s) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return chars >= width ? s : s + std::string(width - chars, ' ');
}

std::string JoinStrings(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

struct AlignFlags {
  std::string a, b, lang_a, lang_b;
  std::string format = "text";
  size_t width = 160;
};

int RunAlign(const PipelineFlags& pipeline, const AlignFlags& flags) {
  Side sides[2];
  Verdict verdict;
  if (const int code = JudgeFiles(pipeline, flags.a, flags.b, flags.lang_a, flags.lang_b, sides, &verdict);
      code != kExitOk) {
    return code;
  }
  const std::string &text_a = sides[0].text, &text_b = sides[1].text;
  const std::string &lang_a = sides[0].fp.language, &lang_b = sides[1].fp.language;
  absl::StatusOr<Alignment> alignment = AlignParagraphs(text_a, lang_a, text_b, lang_b);
  if (!alignment.ok()) {
    ReportError(flags.a + " / " + flags.b, std::string(alignment.status().message()));
    return kExitInputError;
  }
  const auto paragraph = [](const std::string& text, const Paragraph& p) {
    return std::string_view(text).substr(p.begin, p.end - p.begin);
  };
  const auto numbers = [](const std::vector<uint32_t>& v) {
    std::string s;
    for (uint32_t i : v) s += (s.empty() ? "" : "+") + std::to_string(i + 1);
    return s.empty() ? std::string("-") : s;
  };
  if (flags.format == "json") {
    std::printf("{\"a\":%s,\"b\":%s,\"lang_a\":%s,\"lang_b\":%s,\"verdict\":%s,\"pairs\":[",
                JsonQuote(flags.a).c_str(), JsonQuote(flags.b).c_str(), JsonQuote(lang_a).c_str(),
                JsonQuote(lang_b).c_str(), VerdictJson(verdict, sides[0].anchor_keys, sides[1].anchor_keys).c_str());
    bool first = true;
    for (const AlignedPair& p : alignment->pairs) {
      std::vector<std::string> ia, ib, ta, tb, anchors;
      for (uint32_t i : p.a) ia.push_back(std::to_string(i + 1)), ta.push_back(JsonQuote(paragraph(text_a, alignment->paragraphs_a[i])));
      for (uint32_t j : p.b) ib.push_back(std::to_string(j + 1)), tb.push_back(JsonQuote(paragraph(text_b, alignment->paragraphs_b[j])));
      for (const std::string& k : p.shared_anchors) anchors.push_back(JsonQuote(k));
      std::printf("%s{\"a\":[%s],\"b\":[%s],\"shared_anchors\":[%s],\"text_a\":[%s],\"text_b\":[%s]}", first ? "" : ",",
                  JoinStrings(ia, ",").c_str(), JoinStrings(ib, ",").c_str(), JoinStrings(anchors, ",").c_str(),
                  JoinStrings(ta, ",").c_str(), JoinStrings(tb, ",").c_str());
      first = false;
    }
    std::printf("]}\n");
    return kExitOk;
  }
  const size_t column = std::max<size_t>(20, (flags.width - 3) / 2);
  std::printf("%s (%s) | %s (%s): %zu and %zu paragraphs, %zu aligned steps\n", flags.a.c_str(),
              lang_a.empty() ? "?" : lang_a.c_str(), flags.b.c_str(), lang_b.empty() ? "?" : lang_b.c_str(),
              alignment->paragraphs_a.size(), alignment->paragraphs_b.size(), alignment->pairs.size());
  const std::string kind = VerdictKind(verdict);
  std::printf("verdict: %s (score %s; `neardup compare` explains it)\n", kind.empty() ? "not a duplicate" : kind.c_str(),
              FormatScore(verdict.score).c_str());
  for (const AlignedPair& p : alignment->pairs) {
    std::printf("\n[a %s | b %s]  shared anchors: %s\n", numbers(p.a).c_str(), numbers(p.b).c_str(),
                p.shared_anchors.empty() ? "none" : JoinStrings(p.shared_anchors, ", ").c_str());
    std::string left, right;
    for (uint32_t i : p.a) left += (left.empty() ? "" : " ") + std::string(paragraph(text_a, alignment->paragraphs_a[i]));
    for (uint32_t j : p.b) right += (right.empty() ? "" : " ") + std::string(paragraph(text_b, alignment->paragraphs_b[j]));
    const std::vector<std::string> l = Wrap(left, column), r = Wrap(right, column);
    for (size_t k = 0; k < std::max(l.size(), r.size()); ++k) {
      std::printf("%s | %s\n", PadTo(k < l.size() ? l[k] : "", column).c_str(), k < r.size() ? r[k].c_str() : "");
    }
  }
  return kExitOk;
}

struct AnchorsFlags {
  std::string input;
  std::string lang;
  std::string format = "text";
};

int RunAnchors(const AnchorsFlags& flags) {
  std::string text, error;
  if (!ReadWholeFile(flags.input, &text, &error)) {
    ReportError(flags.input, "cannot read: " + error);
    return kExitInputError;
  }
  const std::string lang = flags.lang.empty() ? DetectLanguage(text) : NormalizeLanguageTag(flags.lang);
  absl::StatusOr<std::vector<Anchor>> anchors = ExtractAnchors(text, {.language = lang});
  if (!anchors.ok()) {
    ReportError(flags.input, std::string(anchors.status().message()));
    return kExitInputError;
  }
  for (const Anchor& a : *anchors) {
    const std::string_view source = std::string_view(text).substr(a.begin, a.end - a.begin);
    if (flags.format == "json") {
      std::printf("{\"kind\":\"%s\",\"key\":%s,\"begin\":%u,\"end\":%u,\"text\":%s}\n", AnchorKindName(a.kind),
                  JsonQuote(a.key).c_str(), a.begin, a.end, JsonQuote(source).c_str());
    } else {
      std::printf("%-10s %-28s %.*s\n", AnchorKindName(a.kind), a.key.c_str(), static_cast<int>(source.size()), source.data());
    }
  }
  std::fprintf(stderr, "neardup: %s: %zu anchors, language %s\n", flags.input.c_str(), anchors->size(),
               lang.empty() ? "unknown" : lang.c_str());
  return kExitOk;
}

}  // namespace
}  // namespace neardup::cli

int main(int argc, char** argv) {
  using namespace neardup::cli;
  CLI::App app{"neardup: find near-duplicate texts.\n\nExit codes: 0 ok; 1 some input could not be read or used "
               "(named on stderr; the rest was processed); 2 usage error."};
  app.set_version_flag("--version", std::string("neardup ") + neardup::kVersionString);
  app.require_subcommand(1);

  PipelineFlags dedup_pipeline, compare_pipeline, align_pipeline;
  DedupFlags dedup_flags;
  CLI::App* dedup = app.add_subcommand("dedup", "Report near-duplicate pairs (or clusters) among the inputs");
  dedup->add_option("INPUT", dedup_flags.inputs,
                    "Files (one document each), directories (walked recursively, sorted), '-' for standard "
                    "input, or *.jsonl files with one {\"id\",\"text\",\"lang\"} object per line")
      ->required();
  dedup->add_option("--format", dedup_flags.format, "Output: jsonl or tsv (id_a, id_b, score, kind)")
      ->capture_default_str()->check(CLI::IsMember({"jsonl", "tsv"}));
  dedup->add_flag("--clusters", dedup_flags.clusters, "Print clusters (canonical member first, with each member's hops and direct score to it) instead of pairs");
  dedup->add_flag("--stdin-jsonl", dedup_flags.stdin_jsonl, "Read standard input ('-') as JSON Lines");
  dedup->add_flag("-q,--quiet", dedup_flags.quiet, "No progress line on stderr");
  dedup->add_option("--threads", dedup_flags.threads, "Threads computing fingerprints (output is the same for any)")
      ->capture_default_str()->check(CLI::Range(1, 256));
  dedup->add_flag("--stats", dedup_flags.stats, "Print throughput and index memory per document on stderr");
  dedup->add_flag("--explain", dedup_flags.explain,
                  "JSON Lines output: add each pair's verdict and evidence (as `compare --format json` gives)");
  dedup_pipeline.AddTo(dedup);

  // A language option takes what the library takes (ParseLanguageTag): a bad one is a usage error.
  const CLI::Validator language_tag(
      [](std::string& tag) {
        const absl::StatusOr<std::string> parsed = neardup::ParseLanguageTag(tag);
        return parsed.ok() ? std::string() : std::string(parsed.status().message());
      },
      "LANG");
  // The two documents (and their languages) that compare and align take.
  const auto add_pair = [&language_tag](CLI::App* command, std::string* a, std::string* b, std::string* lang_a, std::string* lang_b) {
    command->add_option("A", *a, "First document (file or '-')")->required();
    command->add_option("B", *b, "Second document (file or '-')")->required();
    command->add_option("--lang-a", *lang_a, "Language of A (ISO 639-1); detected when omitted")->check(language_tag);
    command->add_option("--lang-b", *lang_b, "Language of B (ISO 639-1); detected when omitted")->check(language_tag);
  };
  CompareFlags compare_flags;
  CLI::App* compare = app.add_subcommand("compare", "Explain the similarity of two documents");
  add_pair(compare, &compare_flags.a, &compare_flags.b, &compare_flags.lang_a, &compare_flags.lang_b);
  compare->add_option("--format", compare_flags.format, "Output: text or json")->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  compare_pipeline.AddTo(compare);

  AlignFlags align_flags;
  CLI::App* align = app.add_subcommand("align", "Align the paragraphs of a document and its translation");
  add_pair(align, &align_flags.a, &align_flags.b, &align_flags.lang_a, &align_flags.lang_b);
  align->add_option("--format", align_flags.format, "Output: text (side by side) or json")->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  align->add_option("--width", align_flags.width, "Width of the side-by-side text output")->capture_default_str()
      ->check(CLI::Range(40, 1000));
  align_pipeline.AddTo(align);

  AnchorsFlags anchors_flags;
  CLI::App* anchors = app.add_subcommand("anchors", "List the language-independent anchors of a document");
  anchors->add_option("INPUT", anchors_flags.input, "The document (file or '-')")->required();
  anchors->add_option("--lang", anchors_flags.lang, "Its language (ISO 639-1); detected when omitted")
      ->check(language_tag);
  anchors->add_option("--format", anchors_flags.format, "Output: text or json")->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));

  PipelineFlags index_pipeline;
  IndexFlags index_flags;
  CLI::App* index = app.add_subcommand(
      "index",
      "A persistent index (LMDB): add documents and print their matches, query without adding, list pairs, "
      "remove, stats, check, compact");
  index->add_option("ACTION", index_flags.action, "add, query, pairs, remove, stats, check or compact")
      ->required()->check(CLI::IsMember({"add", "query", "pairs", "remove", "stats", "check", "compact"}));
  index->add_option("STORE", index_flags.store, "The store's file (created by add with the options given)")->required();
  index->add_option("ARGS", index_flags.arguments, "Inputs (add, query) as for dedup, or document ids (remove)");
  index->add_option("--format", index_flags.run.format, "Output: jsonl or tsv (id_a, id_b, score, kind)")
      ->capture_default_str()->check(CLI::IsMember({"jsonl", "tsv"}));
  index->add_flag("--clusters", index_flags.run.clusters, "pairs: print clusters instead");
  index->add_option("--batch", index_flags.batch,
                    "add: documents per commit (each commit is one fsync; a batch commits whole or not at all)")
      ->capture_default_str()->check(CLI::Range(size_t{1}, size_t{1} << 20));
  index->add_flag("--stdin-jsonl", index_flags.run.stdin_jsonl, "Read standard input ('-') as JSON Lines");
  index->add_flag("-q,--quiet", index_flags.run.quiet, "No progress line on stderr");
  index->add_option("--threads", index_flags.run.threads, "Threads computing fingerprints")
      ->capture_default_str()->check(CLI::Range(1, 256));
  const size_t options_before_pipeline = index->get_options().size();
  index_pipeline.AddTo(index);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  if (dedup->parsed()) return RunDedup(dedup_pipeline, dedup_flags);
  if (compare->parsed()) return RunCompare(compare_pipeline, compare_flags);
  if (anchors->parsed()) return RunAnchors(anchors_flags);
  if (align->parsed()) return RunAlign(align_pipeline, align_flags);
  if (index->parsed()) {
    // The options that shape the answers, if given, must be the store's; --max-bytes is a
    // limit of this run only.
    const std::vector<CLI::Option*> all = index->get_options();
    for (size_t i = options_before_pipeline; i < all.size(); ++i) {
      if (all[i]->count() > 0 && all[i]->get_name() != "--max-bytes") index_flags.options_given = true;
    }
    return RunIndex(index_pipeline, index_flags);
  }
  return kExitUsage;
}

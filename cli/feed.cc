#include "feed.h"

#include <cstdio>

#include "command_line.h"
#include "document_reader.h"
#include "fingerprint_pool.h"
#include "progress.h"

namespace neardup::cli {
namespace {

void Print(const std::string& lines) { std::fwrite(lines.data(), 1, lines.size(), stdout); }

}  // namespace

ReaderOptions ReaderOptionsFor(const DedupOptions& options, const RunFlags& flags) {
  ReaderOptions reader_options;
  reader_options.max_bytes = options.fingerprint.normalize.max_bytes;
  reader_options.stdin_format = flags.stdin_jsonl ? StdinFormat::kJsonLines : StdinFormat::kText;
  reader_options.stdin_file = flags.stdin_file;
  return reader_options;
}

int AddThreads(const RunFlags& flags) { return flags.threads >= kMinThreadsToShareAdds ? flags.threads : 1; }

FeedResult FeedDocuments(Deduplicator& dedup, const DedupOptions& options, const RunFlags& flags, Feed feed,
                         Explanations* explanations, size_t batch_size) {
  const ReportFormat format = ParseReportFormat(flags.format);
  FeedResult result;
  const auto on_error = [&](const std::string& where, const std::string& reason) {
    result.had_errors = true;
    ReportError(where, reason);
  };
  Progress progress(!flags.quiet, flags.quiet ? std::nullopt : InputSize(flags.inputs));
  std::atomic<uint64_t> position{0};  // how far the reader is, in the inputs' stored bytes
  ReaderOptions reader_options = ReaderOptionsFor(options, flags);
  reader_options.position = &position;
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
    if (!flags.keep.empty()) {
      if (result.added.size() <= item.doc.number) result.added.resize(item.doc.number + 1, 0);
      result.added[item.doc.number] = 1;
      return;
    }
    if (flags.clusters) return;
    for (const Match& m : *matches) {
      const Pair pair{m.id, item.doc.id, m.kind, m.score, m.jaccard, m.containment, m.id_is_smaller};
      std::optional<Verdict> verdict;
      if (flags.explain && feed == Feed::kAdd) {
        // The verdict Add acted on: the same function, the same collection state.
        absl::StatusOr<Verdict> v = dedup.Explain(*item.fingerprint, m.id);
        if (v.ok()) verdict = *std::move(v);
      }
      if (m.kind != MatchKind::kTranslation || explanations == nullptr) {
        Print(PairLine(format, pair, verdict ? &*verdict : nullptr));
      } else if (verdict) {
        (*explanations)[{m.id, item.doc.id}] = *std::move(verdict);
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
      for (const PoolItem& item : pending) {
        if (item.is_input_error) {
          on_error(item.where, item.reason);
        } else {
          ++not_added;
        }
      }
      pending.clear();
      return;
    }
    std::vector<std::string> ids;
    std::vector<Fingerprint> fingerprints;
    for (PoolItem& item : pending) {
      if (item.is_input_error || !item.fingerprint.ok()) continue;
      ids.push_back(item.doc.id);
      // --explain reads the fingerprint again once the batch is added.
      fingerprints.push_back(flags.explain ? *item.fingerprint : *std::move(item.fingerprint));
    }
    const auto results = dedup.AddBatch(ids, fingerprints, AddThreads(flags));
    // Reported in input order, as one Add at a time reports them.
    size_t next = 0;
    for (const PoolItem& item : pending) {
      if (item.is_input_error) {
        on_error(item.where, item.reason);
        continue;
      }
      if (!item.fingerprint.ok()) {
        report(item, item.fingerprint.status());
        continue;
      }
      report(item, results[next]);
      if (results[next].status().code() == absl::StatusCode::kAborted) refused = results[next].status();
      ++next;
    }
    pending.clear();
  };
  // Fingerprints are computed on `threads` threads; adding to the index, and so the output,
  // follows the input order exactly.
  FingerprintPool pool(dedup.fingerprinter(), flags.threads, [&](PoolItem& item) {
    const bool batched = feed == Feed::kAdd && batch_size > 1;
    if (!item.is_input_error) {
      ++result.documents;
      result.bytes += item.doc.text.size();
      progress.Update(result.documents, result.bytes, position.load(std::memory_order_relaxed));
    }
    if (batched) {  // input errors too: everything is reported in input order
      pending.push_back(std::move(item));
      if (pending.size() >= batch_size) flush();
      return;
    }
    if (item.is_input_error) {
      on_error(item.where, item.reason);
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
  return result;
}

void PrintLinks(const Deduplicator& dedup, ReportFormat format, bool translations_only,
                const Explanations& explanations) {
  const std::vector<Pair> pairs = dedup.Pairs();
  for (const bool translations : {false, true}) {
    if (!translations && translations_only) continue;
    for (const Pair& p : pairs) {
      if ((p.kind == MatchKind::kTranslation) != translations) continue;
      const auto explanation = explanations.find({p.id_a, p.id_b});
      Print(PairLine(format, p, explanation == explanations.end() ? nullptr : &explanation->second));
    }
  }
}

void PrintClusters(const Deduplicator& dedup, ReportFormat format) {
  int number = 0;
  for (const Cluster& c : dedup.Clusters()) Print(ClusterLines(format, ++number, c));
}

}  // namespace neardup::cli

// File: report.h
//
// How neardup writes its results: the lines of `neardup dedup` and `neardup index` (pairs and
// clusters, as JSON Lines or TSV) and the JSON of a verdict, a comparison, an alignment and an
// anchor. The command, the Python binding and neardup.dask all write through these, so a line
// means the same wherever it comes from.
//
// JSON is written by nlohmann/json: keys in the order below, non-ASCII text as UTF-8, bytes that
// are not UTF-8 (a file name can hold them) as U+FFFD. Scores and other fractions are rounded
// to four decimals and written as the shortest number that reads back as that value ("0.8",
// "0.8125", "1.0"). TSV fields never hold a raw tab, newline or NUL: they are written as \t, \n,
// \r, \\ and \0 (PostgreSQL's text format does the same), and scores with four decimals
// ("0.8000").

#ifndef NEARDUP_REPORT_H_
#define NEARDUP_REPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "neardup/align.h"
#include "neardup/anchor.h"
#include "neardup/compare.h"
#include "neardup/dedup.h"
#include "neardup/dedup_options.h"
#include "neardup/verdict.h"

namespace neardup {

enum class ReportFormat { kJsonLines, kTsv };

// One pair, ending in a newline. TSV: id_a, id_b, score, kind, smaller ("a" or "b": which
// document of a contained pair is inside the other; empty for the other kinds). JSON: id_a,
// id_b, score, kind, for near and contained pairs jaccard and containment, for contained
// pairs smaller; with `verdict`, also the verdict and its evidence (VerdictJson, without
// anchor keys).
std::string PairLine(ReportFormat format, const Pair& pair, const Verdict* verdict = nullptr);

// A document as one JSON line ({"id", "text"}, and "lang" unless empty), as neardup/jsonl.h
// reads it back, ending in a newline.
std::string DocumentLine(std::string_view id, std::string_view text, std::string_view lang = "");

// A document to drop (Deduplicator::Duplicates), ending in a newline. TSV: id, kept, score,
// kind, smaller ("id" or "kept": which of a contained pair is inside the other; empty for
// near). JSON: id, kept, score, kind, and smaller for contained pairs.
std::string DuplicateLine(ReportFormat format, const Duplicate& duplicate);

// A cluster (numbered from 1 in Clusters() order): TSV, one "number, member, hops, score" line
// per member; JSON, one object with the canonical member and parallel arrays.
std::string ClusterLines(ReportFormat format, int number, const Cluster& cluster);

// A verdict as one JSON object (no newline): the decision ("kind": near, contained,
// translation, "undecided" or null), the text evidence, and the translation evidence, with the
// anchor keys of its chain and conflicts when `keys_a`/`keys_b` give them (the canonical key of
// each anchor, by index; empty: counts only).
std::string VerdictJson(const Verdict& verdict, const std::vector<std::string>& keys_a = {},
                        const std::vector<std::string>& keys_b = {});

// The verdict's kind as printed: "near", "contained", "translation", "undecided", or "" (not linked).
std::string VerdictKind(const Verdict& verdict);

// `neardup compare --format json`: both documents, the exact Jaccard and containment, the
// thresholds of `options`, and the verdict with its anchor keys. `id_a` and `id_b` name them.
std::string ComparisonJson(const Comparison& comparison, const DedupOptions& options, std::string_view id_a,
                           std::string_view id_b);

// `neardup align --format json`: the comparison's verdict and the aligned paragraphs, their
// numbers from 1 and their text.
std::string AlignmentJson(const Comparison& comparison, const Alignment& alignment, std::string_view id_a,
                          std::string_view id_b);

// `neardup anchors --format json`: one anchor of `text`, with the text it was read from.
std::string AnchorJson(const Anchor& anchor, std::string_view text);

// A similarity in [0, 1] with four decimals, locale-independent ("0.8000"), as TSV and text
// output print it.
std::string FormatScore(double score);
// A non-negative number with four decimals, locale-independent.
std::string FormatDecimal(double value);

}  // namespace neardup

#endif  // NEARDUP_REPORT_H_

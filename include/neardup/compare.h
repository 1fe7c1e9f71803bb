// File: compare.h
//
// Two documents judged as `neardup dedup` would judge them, with all the evidence: the one
// recipe behind `neardup compare`, `neardup align` and Python's neardup.compare. A Deduplicator
// with the given options is fed `a`, then explains `b` against it (Deduplicator::Explain, the
// function Add acts on), so the verdict is the one a run would reach; the exact Jaccard and
// containment of the two shingle sets are added for reference.
//
// Example:
//   absl::StatusOr<neardup::Comparison> c = neardup::Compare(text_a, text_b);
//   if (c.ok()) std::cout << neardup::VerdictKind(c->verdict) << " " << c->exact_jaccard << "\n";

#ifndef NEARDUP_COMPARE_H_
#define NEARDUP_COMPARE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/dedup_options.h"
#include "neardup/fingerprint.h"
#include "neardup/verdict.h"

namespace neardup {

// A document to compare: its text, and its language (ISO 639-1), or "" to detect it.
struct CompareInput {
  // Not owned: the text must outlive the call (a temporary string lives until it returns).
  CompareInput(std::string_view text, std::string_view lang = "") : text(text), lang(lang) {}
  CompareInput(const std::string& text, std::string_view lang = "") : text(text), lang(lang) {}
  CompareInput(const char* text, std::string_view lang = "") : text(text), lang(lang) {}
  std::string_view text;
  std::string_view lang;
};

// One side of a comparison.
struct ComparedDocument {
  std::string text;  // as the pipeline read it: with invalid UTF-8 replaced when options say so
  Fingerprint fingerprint;
  uint64_t shingles = 0;                 // distinct shingles
  std::vector<std::string> anchor_keys;  // by anchor index, as its profile holds them
};

struct Comparison {
  ComparedDocument a, b;
  double exact_jaccard = 0;
  double exact_containment = 0;  // |A∩B| / min(|A|, |B|) of the shingle sets
  Verdict verdict;
};

// Which side an error of Compare concerns: its message begins with "a: " or "b: " when it is
// one document's (unreadable text, no words), and with neither for bad options.
absl::StatusOr<Comparison> Compare(const CompareInput& a, const CompareInput& b, const DedupOptions& options = {});

}  // namespace neardup

#endif  // NEARDUP_COMPARE_H_

// File: tests/reference/wire_copy.h
//
// Generates wire copy: seeded edits of a real article the way syndication changes it: a new
// headline, a byline, trimmed final paragraphs, 1-5% of words replaced, deleted or inserted,
// two paragraphs swapped. Deterministic for a given seed.

#ifndef NEARDUP_TESTS_REFERENCE_WIRE_COPY_H_
#define NEARDUP_TESTS_REFERENCE_WIRE_COPY_H_

#include <string>
#include <vector>

#include "reference.h"

namespace neardup::reference {

inline std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

inline std::vector<std::string> SplitWords(const std::string& line) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < line.size()) {
    size_t end = line.find(' ', start);
    if (end == std::string::npos) end = line.size();
    if (end > start) words.push_back(line.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

struct WireCopyEdits {
  bool headline = false;
  bool byline = false;
  int trim_paragraphs = 0;   // dropped from the end (never all)
  double word_edit_rate = 0;  // share of words replaced, deleted or duplicated
  bool swap_paragraphs = false;
};

inline WireCopyEdits RandomEdits(Rng& rng) {
  WireCopyEdits e;
  e.headline = rng.Below(2) == 0;
  e.byline = rng.Below(2) == 0;
  e.trim_paragraphs = rng.Below(3) == 0 ? 1 : 0;
  // Up to 5% of words, most copies lightly edited (a squared uniform): each edited word changes
  // up to five 5-shingles, so 1% edits already bring Jaccard down to about 0.9.
  const double u = rng.Unit();
  e.word_edit_rate = 0.05 * u * u;
  e.swap_paragraphs = rng.Below(4) == 0;
  return e;
}

inline std::string MakeWireCopy(const std::string& original, const WireCopyEdits& e, Rng& rng) {
  static const char* kFiller[] = {"today", "reportedly", "officials", "meanwhile", "according",
                                  "sources", "update", "agency", "statement", "analysts"};
  std::vector<std::string> paras = SplitLines(original);
  if (e.headline && !paras.empty()) paras[0] = "BREAKING " + std::string(kFiller[rng.Below(10)]) + " story update";
  for (int i = 0; i < e.trim_paragraphs && paras.size() > 3; ++i) paras.pop_back();
  if (e.swap_paragraphs && paras.size() > 3) {
    const size_t a = 1 + rng.Below(paras.size() - 1), b = 1 + rng.Below(paras.size() - 1);
    std::swap(paras[a], paras[b]);
  }
  std::string out;
  if (e.byline) out += "By " + std::string(kFiller[rng.Below(10)]) + " staff, wire service\n";
  for (const std::string& p : paras) {
    std::string line;
    for (const std::string& w : SplitWords(p)) {
      if (rng.Unit() < e.word_edit_rate) {
        switch (rng.Below(3)) {
          case 0: line += std::string(kFiller[rng.Below(10)]) + " "; break;  // replace
          case 1: break;                                                     // delete
          default: line += w + " " + kFiller[rng.Below(10)] + " ";           // insert
        }
      } else {
        line += w + " ";
      }
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace neardup::reference

#endif  // NEARDUP_TESTS_REFERENCE_WIRE_COPY_H_

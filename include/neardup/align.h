// File: align.h
//
// Paragraph alignment of a document and its translation, for showing an editor what
// corresponds to what. Paragraphs are non-blank lines. The alignment is the dynamic program of
// Gale and Church (1993): each step pairs 1-1, 1-2, 2-1 paragraphs, or leaves one out (1-0,
// 0-1), at a cost from how well the lengths fit (the lengths of translated text are
// proportional, with a variance that grows with length) and the step's prior probability;
// each anchor the two sides share lowers the cost, so names and numbers pull the right
// paragraphs together.
//
// Example:
//   auto alignment = neardup::AlignParagraphs(french, "fr", italian, "it");
//   for (const neardup::AlignedPair& p : alignment->pairs) { ... p.a, p.b, p.shared_anchors ... }

#ifndef NEARDUP_ALIGN_H_
#define NEARDUP_ALIGN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace neardup {

// A paragraph: the bytes [begin, end) of its text, without the line break.
struct Paragraph {
  uint32_t begin = 0;
  uint32_t end = 0;
};

// One step of the alignment: paragraphs of a and of b (0, 1 or 2 each, consecutive).
struct AlignedPair {
  std::vector<uint32_t> a;  // indexes into Alignment::paragraphs_a
  std::vector<uint32_t> b;
  double cost = 0;                          // -log probability of the step, after anchor bonuses
  std::vector<std::string> shared_anchors;  // canonical keys found on both sides, in a's order
};

struct Alignment {
  std::vector<Paragraph> paragraphs_a;
  std::vector<Paragraph> paragraphs_b;
  std::vector<AlignedPair> pairs;  // in document order; every paragraph appears exactly once
};

// The non-blank lines of `text`, trimmed of surrounding spaces.
std::vector<Paragraph> SplitParagraphs(std::string_view text);

// Aligns the paragraphs of `a` (in `language_a`, ISO 639-1 or "") with those of `b`.
// Errors: invalid UTF-8 in either text. O(|a|·|b|) in paragraphs.
absl::StatusOr<Alignment> AlignParagraphs(std::string_view a, std::string_view language_a, std::string_view b,
                                          std::string_view language_b);

}  // namespace neardup

#endif  // NEARDUP_ALIGN_H_

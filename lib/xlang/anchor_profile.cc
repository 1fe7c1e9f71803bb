// Anchor profiles (translation.h): a document's anchors as hashed keys, its paragraph lengths,
// and the text hashes of its closing paragraphs, made once per document.

#include <algorithm>
#include <string>
#include <vector>

#include "base/status_macros.h"
#include "neardup/align.h"
#include "neardup/translation.h"
#include "neardup/utf8.h"
#include "text/hash.h"
#include "xlang/anchors_of_valid_text.h"
#include "xlang/length_model.h"

namespace neardup {
namespace {

// How many closing paragraphs a profile keeps the text hash of: a translated man page's
// translator-credits section is 4 paragraphs, a wire footer one or two. Stores hold profiles
// with these hashes, so a change is a format change.
constexpr size_t kTailParagraphs = 8;

// Paragraph hashes share the document-frequency table with anchor keys: another seed keeps
// the two apart.
uint64_t HashParagraph(std::string_view text) { return internal::Hash64(text, 0x7061726167726170ULL /* "paragrap" */); }

// The length in code points of each paragraph (align.h's SplitParagraphs: non-blank lines),
// and, for the last kTailParagraphs, the hash of their text and the index of their first anchor
// (`anchors` are in text order).
void AddParagraphs(std::string_view text, const std::vector<Anchor>& anchors, AnchorProfile* p) {
  const std::vector<Paragraph> paragraphs = SplitParagraphs(text);
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    const std::string_view body = text.substr(paragraphs[i].begin, paragraphs[i].end - paragraphs[i].begin);
    p->paragraph_lengths.push_back(static_cast<uint32_t>(internal::LengthInLatinLetters(body)));
    if (i + kTailParagraphs >= paragraphs.size()) {
      p->tail_keys.push_back(HashParagraph(body));
      const auto first = std::lower_bound(anchors.begin(), anchors.end(), paragraphs[i].begin,
                                          [](const Anchor& a, uint32_t begin) { return a.begin < begin; });
      p->tail_anchor_begin.push_back(static_cast<uint32_t>(first - anchors.begin()));
    }
  }
}

}  // namespace

uint64_t HashAnchorKey(std::string_view key) { return internal::Hash64(key, 0x616e63686f72ULL /* "anchor" */); }

absl::StatusOr<AnchorProfile> MakeAnchorProfile(std::string_view text, std::string_view language) {
  NEARDUP_RETURN_IF_ERROR(ValidateUtf8(text));
  return internal::AnchorProfileOfValidUtf8(text, language);
}

namespace internal {

AnchorProfile AnchorProfileOfValidUtf8(std::string_view text, std::string_view language) {
  const std::vector<Anchor> anchors = ExtractAnchorsOfValidUtf8(text, language);
  AnchorProfile p;
  p.language = std::string(language);
  p.num_chars = internal::LengthInLatinLetters(text);
  AddParagraphs(text, anchors, &p);
  size_t hard = 0, names = 0;
  for (size_t i = 0; i < anchors.size(); ++i) {
    const bool name = anchors[i].kind == AnchorKind::kName;
    if (name ? names == kMaxProfileNames : hard == kMaxProfileAnchors) break;
    ++(name ? names : hard);
    p.keys.push_back(HashAnchorKey(anchors[i].key));
    p.kinds.push_back(anchors[i].kind);
    p.values.push_back(anchors[i].kind == AnchorKind::kNumber ? anchors[i].value : 0.0);
  }
  return p;
}

}  // namespace internal

}  // namespace neardup

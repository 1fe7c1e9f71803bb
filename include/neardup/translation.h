// File: translation.h
//
// Deciding whether two documents in different languages are translations of each other, with
// no dictionary and no machine translation, from what a translation keeps:
//
//   * its anchors (see anchor.h), in the same order: the longest non-crossing chain of equal
//     anchors (a weighted longest common subsequence), and the share of each side's anchor
//     weight it covers. An anchor weighs more the rarer it is in the collection ("7 milliards"
//     and "Jensen Huang" say a lot, "Google" in a story about TPUs little). Names matched
//     count; unmatched names do not count against (they may be translated: Chine/Cina; German
//     capitalizes every noun). Specific numbers found on one side only count against twice.
//   * its layout: the same paragraphs (lines) in the same order, each as long as its
//     counterpart up to the language's overall length ratio (Gale and Church 1993 observed that
//     lengths of translated paragraphs are proportional). The layout agreement is the share of
//     paragraphs whose length ratio is within [2/3, 3/2] of the documents' ratio.
//
// The score in [0, 1] blends the anchor score (the harmonic mean of the two sides' weighted
// coverage) and the layout agreement when the documents have enough anchors other than names
// to judge: the more anchor weight the smaller side has, the more the anchors count (half and
// half at 10). It is the layout agreement times 0.9 when they do not, faded out for length
// ratios past 1.5, with two tie-breaks of 0.01 (a closer layout, anchors shared). Pairs with neither enough anchors nor kMinLayoutParagraphs paragraphs are
// "undecided", never guessed. The weights and threshold were tuned on real translated
// documentation in en, fr, it, de and es (bench/eval_xlang.py).
//
// Example:
//   neardup::AnchorProfile fr = *neardup::MakeAnchorProfile(text_fr, "fr");
//   neardup::AnchorProfile it = *neardup::MakeAnchorProfile(text_it, "it");
//   neardup::TranslationEvidence e = neardup::CompareAnchors(fr, it, neardup::AnchorWeights());
//   if (e.decided && e.score >= neardup::TranslationOptions().threshold) { ... }

#ifndef NEARDUP_TRANSLATION_H_
#define NEARDUP_TRANSLATION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/anchor.h"

namespace neardup {
namespace internal {
class BatchKeyCounts;
}  // namespace internal

// What the cross-language matcher keeps of a document: its language, its anchors' hashed keys
// and kinds in text order, and its layout.
struct AnchorProfile {
  std::string language;          // ISO 639-1, "" if unknown
  std::vector<uint64_t> keys;    // 64-bit hash of each anchor's key
  std::vector<AnchorKind> kinds;
  std::vector<double> values;    // the number, for kNumber anchors (0 otherwise)
  uint64_t num_chars = 0;        // length in Latin letters (a Han character 3.7, a kana 1.4...)
  std::vector<uint32_t> paragraph_lengths;  // of each non-blank line, trimmed, the same way
  // Hashes of the last 8 paragraphs' text (in order), to recognize a closing block that many
  // documents of the collection share (see AnchorWeights::BoilerplateTail).
  std::vector<uint64_t> tail_keys;
  std::vector<uint32_t> tail_anchor_begin;  // per tail paragraph: index of its first anchor
  friend bool operator==(const AnchorProfile&, const AnchorProfile&) = default;
};

// Fewer paragraphs than this on either side: the layout says nothing.
inline constexpr size_t kMinLayoutParagraphs = 3;

// The longest documents keep their anchors up to the kMaxProfileAnchors-th one other than a
// name, and kMaxProfileNames names: the chain is quadratic. Names do not count toward the
// first cap, or German pages, where every noun is capitalized, would stop at a quarter of
// their text while their counterparts went on (16 of 179 weak true pairs of xlang-dev).
inline constexpr size_t kMaxProfileAnchors = 1000;
inline constexpr size_t kMaxProfileNames = 2000;

// The profile of UTF-8 `text` in `language` ("" = unknown; pass DetectLanguage(text) if you
// do not know it). Errors: invalid UTF-8.
absl::StatusOr<AnchorProfile> MakeAnchorProfile(std::string_view text, std::string_view language);

// Anchor weights from document frequencies in a collection: weight = kind prior × idf, with
// idf = ln((N + 1) / (df + 0.5)) once the collection has kMinDocumentsForIdf documents (before
// that every key weighs its kind prior). Not synchronized; Deduplicator guards its own.
class AnchorWeights {
 public:
  AnchorWeights();
  AnchorWeights(AnchorWeights&&) noexcept;
  AnchorWeights& operator=(AnchorWeights&&) noexcept;
  ~AnchorWeights();

  static constexpr uint64_t kMinDocumentsForIdf = 20;

  // Counts each distinct key of `profile` once (CountedKeys).
  void AddDocument(const AnchorProfile& profile);
  void RemoveDocument(const AnchorProfile& profile);

  // For an engine that counts document frequencies itself (neardup.dask counts them on its
  // workers, as of each document's time): the keys AddDocument counts for `profile`, each
  // once, in increasing order (its anchor keys and its tail paragraphs' keys); and weights
  // over `num_documents` documents in which keys[i] occurs in document_frequency[i] (a key not
  // given occurs in none; the spans have one size). Given the counts of the keys a verdict
  // reads (those of its two profiles), the verdict is the one the whole table gives.
  static std::vector<uint64_t> CountedKeys(const AnchorProfile& profile);
  static AnchorWeights FromDocumentFrequencies(uint64_t num_documents, std::span<const uint64_t> keys,
                                               std::span<const uint32_t> document_frequency);

  // The weight of one anchor occurrence.
  double Weight(uint64_t key, AnchorKind kind, double value) const;

  // How many closing paragraphs of `profile` are boilerplate of the collection (they are left
  // out of the comparison, with their anchors): the longest run of its last paragraphs that
  // opens with a boilerplate paragraph (in at least 20 documents and 0.5% of them) and is at
  // least 2/3 boilerplate. 20 documents is more than the
  // copies of one story a wire carries (13 copies of a story made its closing paragraphs
  // "boilerplate" at 3), and fewer than the pages of one language a translation team credits
  // (69 to 300 in xlang-dev). Translated man pages close with a translator-credits section (a heading and
  // two standard sentences around the translators' names) that the original lacks; wire
  // copy closes with an agency footer. Left in, such a block skews the length ratio and the
  // layout of a true translation (xlang-dev: 138 of 159 true pairs scored under the
  // threshold because of it).
  size_t BoilerplateTail(const AnchorProfile& profile) const;
  // What of `profile` its boilerplate tail leaves: the first `paragraphs` paragraphs (for the
  // layout and lengths), and every anchor but those of the tail's boilerplate paragraphs
  // (`dropped`, ranges of anchor indexes; a SEE ALSO line or translator names inside the run
  // keep theirs).
  struct Kept {
    size_t paragraphs = 0;
    std::vector<std::pair<uint32_t, uint32_t>> dropped;
    bool Keeps(size_t anchor) const {
      for (const auto& [begin, end] : dropped) {
        if (anchor >= begin && anchor < end) return false;
      }
      return true;
    }
  };
  Kept WithoutBoilerplateTail(const AnchorProfile& profile) const;
  // Weight() of each anchor of `profile` that `kept` keeps, 0 for the others, into `out`
  // (as many as the profile has anchors): the same values, with the lookups overlapped (in the
  // index stage of the perf corpus, weighing went from 18% of the time to 4%).
  void Weights(const AnchorProfile& profile, const Kept& kept, std::span<double> out) const;
  uint64_t num_documents() const { return num_documents_; }

 private:
  // A Deduplicator verifying a batch on several threads reads, for each document of the batch,
  // the collection as it will stand when that document is added: a read-only view of these
  // weights plus the batch's earlier documents (internal::BatchKeyCounts::AsOf).
  friend class internal::BatchKeyCounts;

  // The inverse document frequency of a key in `document_frequency` documents, and its share
  // of a kind's prior weight.
  double Idf(uint32_t document_frequency) const;
  static double Rarity(double idf);
  // A read-only view of `base` plus the documents of `batch` at the positions of
  // `batch_documents` (bits).
  static AnchorWeights View(const AnchorWeights& base, const internal::BatchKeyCounts& batch, uint64_t batch_documents);
  // The number of documents holding `key`: the table's, plus a view's batch documents.
  uint32_t Frequency(uint64_t key) const;
  void Prefetch(uint64_t key) const;

  uint64_t num_documents_ = 0;
  struct Table;  // key -> document frequency (xlang/frequency_table.h, kept out of this header)
  std::unique_ptr<Table> document_frequency_;  // null in a view
  const Table* table_;                         // the one read: this one's, or a view's base's
  const internal::BatchKeyCounts* batch_ = nullptr;  // a view's batch
  uint64_t batch_documents_ = 0;                     // a view's batch documents counted: positions as bits
};

// Options of the translation decision.
//
//   option             default  meaning
//   threshold          0.65     score at or above which a decided pair is a translation.
//                               From 0.5 to 0.65: 1.4% of the true pairs of the xlang-dev ∪
//                               wire-dev run, and 4 of the 5 false links of wire-dev alone
//                               (pages of one family whose shared anchors are the codes of
//                               their tables)
//   min_anchors        4        fewer anchors other than names on either side: the anchors
//                               alone cannot decide
//   min_weight         2.0      the same for their total weight
//   max_length_ratio   2.5      length ratio (in Latin letters) beyond which the score fades out
struct TranslationOptions {
  double threshold = 0.65;
  int min_anchors = 4;
  double min_weight = 2.0;
  double max_length_ratio = 2.5;
};

// The evidence for (or against) a translation, for explanations.
struct TranslationEvidence {
  double score = 0;               // in [0, 1]
  bool decided = false;           // false: too few anchors and paragraphs to say
  bool anchors_decide = false;    // enough anchors other than names on both sides
  bool anchor_rich_a = false;     // enough anchors other than names on a's side (min_anchors, min_weight)
  bool anchor_rich_b = false;
  double anchor_score = 0;        // harmonic mean of the two coverages
  double layout = 0;              // layout agreement, 0 when either side has too few paragraphs
  double layout_chance = 0;       // the agreement with one side shifted by a paragraph: what
                                  // paragraphs of alike lengths reach by chance
  double coverage_a = 0;          // matched weight / a's anchor weight
  double coverage_b = 0;
  double matched_weight = 0;
  double length_ratio = 1;        // longer / shorter, in columns (a Han, kana or Hangul character
                                  // counts 2, as East Asian Width gives it; boilerplate tails left out)
  uint32_t hard_anchors_a = 0;    // anchors other than names, boilerplate tails left out
  uint32_t hard_anchors_b = 0;
  bool shares_anchor = false;     // some anchor key (names included) is on both sides
  uint32_t paragraphs_a = 0;      // paragraphs compared for the layout (boilerplate tails left out)
  uint32_t paragraphs_b = 0;
  std::vector<std::pair<uint32_t, uint32_t>> chain;  // matched anchor indexes (a, b), in order
  std::vector<uint32_t> conflicts_a;  // indexes of specific numbers of a that b lacks
  std::vector<uint32_t> conflicts_b;
};

// Scores a pair. O(|a|·|b|) in the anchors whose keys both sides share.
TranslationEvidence CompareAnchors(const AnchorProfile& a, const AnchorProfile& b, const AnchorWeights& weights,
                                   const TranslationOptions& options = {});

// The 64-bit hash under which an anchor key is stored in profiles.
uint64_t HashAnchorKey(std::string_view key);

}  // namespace neardup

#endif  // NEARDUP_TRANSLATION_H_

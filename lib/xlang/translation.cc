#include "neardup/translation.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "absl/container/flat_hash_map.h"
#include "xlang/anchor_chain.h"
#include "xlang/anchor_query.h"
#include "xlang/anchors_of_valid_text.h"
#include "xlang/frequency_table.h"
#include "text/hash.h"
#include "xlang/length_model.h"
#include "neardup/align.h"
#include "neardup/utf8.h"
#include "base/status_macros.h"

namespace neardup {
namespace {

uint64_t HashParagraph(std::string_view text);

// How much an anchor kind says about identity before rarity is considered.
double KindPrior(AnchorKind kind, double value) {
  switch (kind) {
    case AnchorKind::kNumber:
      if (value >= 1900 && value <= 2100 && value == std::floor(value)) return 0.6;  // years repeat across stories
      if (std::fabs(value) <= 10) return 0.3;                                       // small counts: "deux", "2"
      return 1.0;
    case AnchorKind::kMonth:
      return 0.4;
    case AnchorKind::kName:
      return 0.7;
    default:
      return 1.0;
  }
}

// Names may be translated (Chine/Cina, Tensor Processing Unit; every German noun is
// capitalized): unmatched, they do not count against.
double UnmatchedFactor(AnchorKind kind) { return kind == AnchorKind::kName ? 0.0 : 1.0; }

// The share of paragraphs whose lengths agree, index by index, once the overall ratio of the
// two texts is factored out. 0 when either side has fewer than kMinLayoutParagraphs.
struct Layout {
  double agreement = 0;  // share of paragraphs whose lengths agree
  double chance = 0;     // the same with one side shifted by a paragraph (the better shift)
  double deviation = 0;  // mean |log| of the compared paragraphs' length ratios, overall ratio factored out
};

// Whether paragraphs of lengths x (in a) and y (in b) agree once the overall ratio is factored
// out; +10 characters of slack: short headings vary more in relative terms.
bool LengthsAgree(uint32_t x, uint32_t y, double ratio) {
  const double r = (y + 10.0) / (x + 10.0) / ratio;
  return r >= 2.0 / 3.0 && r <= 1.5;
}

Layout CompareLayout(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  Layout out;
  if (a.size() < kMinLayoutParagraphs || b.size() < kMinLayoutParagraphs) return out;
  double total_a = 0, total_b = 0;
  for (uint32_t x : a) total_a += x;
  for (uint32_t y : b) total_b += y;
  const double ratio = total_b / std::max(1.0, total_a);
  const size_t n = std::min(a.size(), b.size());
  const double longer = static_cast<double>(std::max(a.size(), b.size()));
  size_t agree = 0, ahead = 0, behind = 0;
  for (size_t i = 0; i < n; ++i) {
    agree += LengthsAgree(a[i], b[i], ratio);
    out.deviation += std::fabs(std::log((b[i] + 10.0) / (a[i] + 10.0) / ratio));
  }
  for (size_t i = 0; i + 1 < a.size() && i + 1 < b.size(); ++i) {
    ahead += LengthsAgree(a[i], b[i + 1], ratio);
    behind += LengthsAgree(a[i + 1], b[i], ratio);
  }
  out.agreement = static_cast<double>(agree) / longer;
  out.chance = static_cast<double>(std::max(ahead, behind)) / longer;
  out.deviation /= static_cast<double>(n);
  return out;
}

// Agreement saturates: a page of a template family often agrees on every paragraph with its
// translation and with its siblings' translations alike (score 0.9 for all). The score loses
// up to this much for a mean length deviation of 1 (a factor e), so that the closest layout
// wins such a tie; true translations deviate by 0.1 (median on xlang-dev).
constexpr double kLayoutTieBreak = 0.01;

// Short pages of one manual often share one layout (four paragraphs of alike lengths), so a
// page agrees on layout alone with its translation and with its siblings' translations, and
// the one translation per language went to whichever scored a hair higher. When layout
// judges alone and both pages have anchors other than names, the score gains up to this much
// as their anchors agree in order: the true translation takes the slot, or keeps it. Fitted
// on xlang-wild-dev, where 16 true links had lost the slot to siblings whose anchors agreed
// at 0.13 to 0.77 against 1.0 (false links 7 -> 1, true +12); checked on xlang-dev (false
// links 10 -> 7, true +9). Of the size of kLayoutTieBreak: it reorders near ties and moves
// few verdicts across the threshold. (Taking it off pages whose anchors disagree, instead,
// let pages without anchors win: xlang-dev's hard negatives reported went 3 -> 6.)
constexpr double kAnchorTieBreak = 0.01;

// The anchor weight (of the side with less, names left out) at which anchors and layout count
// equally in the score; a page with hundreds of anchors is judged by them. Without this, two
// character-set tables (koi8-r and iso_8859-15 man pages: 194 shared code-point anchors in
// order, coverage 0.26) were linked on their identical table layout.
constexpr double kAnchorWeightForHalf = 10.0;

// How many closing paragraphs a profile keeps the text hash of: a translated man page's
// translator-credits section is 4 paragraphs, a wire footer one or two. Stores hold profiles
// with these hashes, so a change is a format change.
constexpr size_t kTailParagraphs = 8;

// A paragraph is boilerplate of the collection when at least this many documents, and this
// share of them, hold it (AnchorWeights::BoilerplateTail says why 20).
constexpr uint64_t kBoilerplateMinDocuments = 20;
constexpr double kBoilerplateShare = 0.005;

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

// A profile without its boilerplate tail (AnchorWeights::WithoutBoilerplateTail).
struct Trimmed {
  std::span<const uint32_t> layout;  // paragraph lengths
  uint64_t chars = 0;
  AnchorWeights::Kept kept;
};

Trimmed TrimTail(const AnchorProfile& p, const AnchorWeights& weights) {
  Trimmed t;
  t.kept = weights.WithoutBoilerplateTail(p);
  t.layout = std::span<const uint32_t>(p.paragraph_lengths.data(), t.kept.paragraphs);
  t.chars = p.num_chars;
  for (size_t i = t.layout.size(); i < p.paragraph_lengths.size(); ++i) t.chars -= std::min<uint64_t>(t.chars, p.paragraph_lengths[i]);
  return t;
}

// A number that identifies a fact: not a year, not a small count.
bool SpecificNumber(AnchorKind kind, double value) {
  return kind == AnchorKind::kNumber && std::fabs(value) > 10 && !(value >= 1900 && value <= 2100);
}

}  // namespace

uint64_t HashAnchorKey(std::string_view key) { return internal::Hash64(key, 0x616e63686f72ULL /* "anchor" */); }

namespace {
// Paragraph hashes share the document-frequency table with anchor keys: another seed keeps
// the two apart.
uint64_t HashParagraph(std::string_view text) { return internal::Hash64(text, 0x7061726167726170ULL /* "paragrap" */); }
}  // namespace

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

struct AnchorWeights::Table {
  internal::FrequencyTable df;
};

AnchorWeights::AnchorWeights() : document_frequency_(std::make_unique<Table>()) {}
AnchorWeights::AnchorWeights(AnchorWeights&&) noexcept = default;
AnchorWeights& AnchorWeights::operator=(AnchorWeights&&) noexcept = default;
AnchorWeights::~AnchorWeights() = default;

void AnchorWeights::AddDocument(const AnchorProfile& profile) {
  ++num_documents_;
  for (uint64_t k : CountedKeys(profile)) document_frequency_->df.Increment(k);
}

void AnchorWeights::RemoveDocument(const AnchorProfile& profile) {
  if (num_documents_ > 0) --num_documents_;
  for (uint64_t k : CountedKeys(profile)) document_frequency_->df.Decrement(k);
}

double AnchorWeights::Weight(uint64_t key, AnchorKind kind, double value) const {
  const double prior = KindPrior(kind, value);
  if (num_documents_ < kMinDocumentsForIdf) return prior;
  return prior * Rarity(Idf(document_frequency_->df.Find(key)));
}

double AnchorWeights::Idf(uint32_t document_frequency) const {
  return std::log((num_documents_ + 1.0) / (document_frequency + 0.5));
}

double AnchorWeights::Rarity(double idf) {
  // Normalized so that a key in one document of a thousand weighs about its prior.
  return std::clamp(idf / std::log(1000.0), 0.05, 2.0);
}

void AnchorWeights::Weights(const AnchorProfile& profile, const Kept& kept, std::span<double> out) const {
  const size_t n = std::min(out.size(), profile.keys.size());
  const bool idf = num_documents_ >= kMinDocumentsForIdf;
  // Each lookup is a cache miss: start them all before reading any.
  if (idf) {
    for (size_t i = 0; i < n; ++i) document_frequency_->df.Prefetch(profile.keys[i]);
  }
  // Rarity(Idf(df)) for the frequencies most keys have, kept by each thread for the current
  // collection size: a query compares with up to 16 candidates, and the logarithms were a
  // tenth of the comparisons' time. The same expression as Weight's, so the same bits.
  constexpr uint32_t kCachedFrequencies = 4096;
  thread_local std::vector<double> rarity(kCachedFrequencies);
  thread_local std::vector<uint64_t> rarity_for(kCachedFrequencies, 0);  // num_documents_ + 1 when rarity[df] is set
  for (size_t i = 0; i < n; ++i) {
    if (!kept.Keeps(i)) {
      out[i] = 0;
      continue;
    }
    const double prior = KindPrior(profile.kinds[i], profile.values[i]);
    if (!idf) {
      out[i] = prior;
      continue;
    }
    const uint32_t df = document_frequency_->df.Find(profile.keys[i]);
    if (df >= kCachedFrequencies) {
      out[i] = prior * Rarity(Idf(df));
      continue;
    }
    if (rarity_for[df] != num_documents_ + 1) rarity[df] = Rarity(Idf(df)), rarity_for[df] = num_documents_ + 1;
    out[i] = prior * rarity[df];
  }
}

size_t AnchorWeights::BoilerplateTail(const AnchorProfile& profile) const {
  const double needed = std::max<double>(kBoilerplateMinDocuments, kBoilerplateShare * num_documents_);
  if (num_documents_ < kMinDocumentsForIdf) return 0;
  const auto boilerplate = [&](uint64_t key) { return document_frequency_->df.Find(key) >= needed; };
  size_t tail = 0, common = 0;
  const size_t n = profile.tail_keys.size();
  for (size_t length = 1; length <= n; ++length) {
    const bool is_common = boilerplate(profile.tail_keys[n - length]);
    common += is_common;
    if (is_common && 3 * common >= 2 * length) tail = length;
  }
  // Never the whole document: a page that is all boilerplate is compared as it is.
  return tail < profile.paragraph_lengths.size() ? tail : 0;
}

AnchorWeights::Kept AnchorWeights::WithoutBoilerplateTail(const AnchorProfile& profile) const {
  const size_t tail = BoilerplateTail(profile);
  Kept kept;
  kept.paragraphs = profile.paragraph_lengths.size() - tail;
  const size_t n = profile.tail_keys.size();
  if (tail == 0 || tail > n || profile.tail_anchor_begin.size() != n) return kept;
  const double needed = std::max<double>(kBoilerplateMinDocuments, kBoilerplateShare * num_documents_);
  for (size_t j = n - tail; j < n; ++j) {
    if (document_frequency_->df.Find(profile.tail_keys[j]) < needed) continue;  // content inside the run
    const uint32_t end = j + 1 < n ? profile.tail_anchor_begin[j + 1] : static_cast<uint32_t>(profile.keys.size());
    kept.dropped.emplace_back(profile.tail_anchor_begin[j], end);
  }
  return kept;
}

TranslationEvidence CompareAnchors(const AnchorProfile& a, const AnchorProfile& b, const AnchorWeights& weights,
                                   const TranslationOptions& options) {
  return internal::AnchorQuery(b, weights, options).CompareWith(a);
}

std::vector<uint64_t> AnchorWeights::CountedKeys(const AnchorProfile& profile) {
  std::vector<uint64_t> keys(profile.keys.begin(), profile.keys.end());
  keys.insert(keys.end(), profile.tail_keys.begin(), profile.tail_keys.end());
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

AnchorWeights AnchorWeights::FromDocumentFrequencies(uint64_t num_documents, std::span<const uint64_t> keys,
                                                     std::span<const uint32_t> document_frequency) {
  AnchorWeights weights;
  weights.num_documents_ = num_documents;
  for (size_t i = 0; i < keys.size() && i < document_frequency.size(); ++i) {
    weights.document_frequency_->df.Set(keys[i], document_frequency[i]);
  }
  return weights;
}

namespace internal {

AnchorQuery::AnchorQuery(const AnchorProfile& b, const AnchorWeights& weights, const TranslationOptions& options)
    : b_(b), weights_(weights), options_(options) {
  const Trimmed trimmed = TrimTail(b, weights);
  layout_b_ = trimmed.layout;
  chars_b_ = trimmed.chars;
  m_ = b.keys.size();
  wb_.assign(m_, 0.0);
  weights.Weights(b, trimmed.kept, wb_);
  id_b_.resize(m_);
  kept_b_.assign(m_, 1);
  id_of_.reserve(m_);
  for (size_t j = 0; j < m_; ++j) {
    if (!trimmed.kept.Keeps(j)) kept_b_[j] = 0;
    // A dropped anchor gets an id of its own that no key maps to: it is never matched.
    id_b_[j] = kept_b_[j] ? id_of_.try_emplace(b.keys[j], num_ids_).first->second : num_ids_;
    if (id_b_[j] == num_ids_) ++num_ids_;
    if (kept_b_[j] && b.kinds[j] != AnchorKind::kName) hard_b_ += wb_[j], ++hard_count_b_;
  }
}

namespace {

// CompareWith's working memory, kept by each thread between calls: a run makes a comparison
// for each of up to 16 candidates of every document, and allocating these each time was a
// tenth of the comparisons' time.
struct CompareScratch {
  std::vector<uint8_t> kept_a, in_a, matched_a, matched_b;
  std::vector<double> wa, wk;
  std::vector<uint32_t> id_a, ia, jb, ka, kb;
  std::vector<std::pair<uint32_t, uint32_t>> chain;
};

}  // namespace

TranslationEvidence AnchorQuery::CompareWith(const AnchorProfile& a, CompareDetail detail) const {
  const AnchorProfile& b = b_;
  thread_local CompareScratch scratch;
  // Closing boilerplate (translator credits, footers) is left out: lengths, layout, anchors.
  const Trimmed trimmed_a = TrimTail(a, weights_);
  const size_t n = a.keys.size(), m = m_;
  std::vector<uint8_t>& kept_a = scratch.kept_a;
  kept_a.assign(n, 1);
  for (size_t i = 0; i < n; ++i) kept_a[i] = trimmed_a.kept.Keeps(i);
  TranslationEvidence e;
  // Only anchors other than names decide whether the anchors can judge.
  std::vector<double>& wa = scratch.wa;
  wa.assign(n, 0.0);
  weights_.Weights(a, trimmed_a.kept, wa);
  double hard_a = 0;
  size_t hard_count_a = 0;
  for (size_t i = 0; i < n; ++i) {
    if (kept_a[i] && a.kinds[i] != AnchorKind::kName) hard_a += wa[i], ++hard_count_a;
  }
  const std::span<const uint32_t> layout_a = trimmed_a.layout;
  // Lengths are in Latin letters (internal::LengthInLatinLetters), not code points: a Chinese
  // translation has about a quarter of the code points of its English original.
  const double letters_a = static_cast<double>(trimmed_a.chars), letters_b = static_cast<double>(chars_b_);
  e.length_ratio = std::max(letters_a, letters_b) / std::max(1.0, std::min(letters_a, letters_b));
  e.hard_anchors_a = static_cast<uint32_t>(hard_count_a);
  e.hard_anchors_b = static_cast<uint32_t>(hard_count_b_);
  e.paragraphs_a = static_cast<uint32_t>(layout_a.size());
  e.paragraphs_b = static_cast<uint32_t>(layout_b_.size());
  e.anchor_rich_a = hard_count_a >= static_cast<size_t>(options_.min_anchors) && hard_a >= options_.min_weight;
  e.anchor_rich_b = hard_count_b_ >= static_cast<size_t>(options_.min_anchors) && hard_b_ >= options_.min_weight;
  e.anchors_decide = e.anchor_rich_a && e.anchor_rich_b;
  const Layout layout = CompareLayout(layout_a, layout_b_);
  e.layout = layout.agreement;
  e.layout_chance = layout.chance;
  const bool layout_decides = layout_a.size() >= kMinLayoutParagraphs && layout_b_.size() >= kMinLayoutParagraphs;
  e.decided = e.anchors_decide || layout_decides;

  // Without anchors to decide, the verdict is the layout's, and a caller that wants only the
  // verdict is spared the chain (most candidates of a run: the anchors' work was half of a
  // comparison).
  if (detail == CompareDetail::kVerdict && !e.anchors_decide) {
    // The verdict still asks whether any anchor is shared (verdict.cc: a short layout without
    // one is not support when both sides have anchors); the chain is not needed for that.
    for (size_t i = 0; i < n && !e.shares_anchor; ++i) e.shares_anchor = kept_a[i] && id_of_.contains(a.keys[i]);
  }
  // Layout judges alone, and both pages have anchors other than names: how well they agree
  // breaks ties between pages of one layout (below), so the chain is needed when any is shared.
  const bool layout_with_anchors = !e.anchors_decide && layout_decides && hard_count_a > 0 && hard_count_b_ > 0;
  if (detail == CompareDetail::kEvidence || e.anchors_decide || (layout_with_anchors && e.shares_anchor)) {
    // The heaviest chain (weighted longest common subsequence, anchor_chain.h) over the anchors
    // whose key occurs on both sides (the others can never be matched, and dropping them keeps
    // unrelated candidates cheap). Keys are compared as b's dense ids.
    constexpr uint32_t kAbsent = UINT32_MAX;
    std::vector<uint32_t>& id_a = scratch.id_a;
    id_a.assign(n, kAbsent);
    std::vector<uint8_t>& in_a = scratch.in_a;  // b's key ids that a has too
    in_a.assign(num_ids_, 0);
    std::vector<uint32_t>&ia = scratch.ia, &jb = scratch.jb;  // positions of the shared-key anchors
    std::vector<uint32_t>&ka = scratch.ka, &kb = scratch.kb;  // their ids
    ia.clear(), jb.clear(), ka.clear(), kb.clear();
    for (size_t i = 0; i < n; ++i) {
      if (!kept_a[i]) continue;
      if (const auto it = id_of_.find(a.keys[i]); it != id_of_.end()) {
        id_a[i] = it->second;
        in_a[it->second] = 1;
        ia.push_back(static_cast<uint32_t>(i));
        ka.push_back(it->second);
      }
    }
    e.shares_anchor = !ia.empty();
    for (size_t j = 0; j < m; ++j) {
      if (in_a[id_b_[j]]) jb.push_back(static_cast<uint32_t>(j)), kb.push_back(id_b_[j]);
    }
    // The row weights: a's, of the shared-key anchors.
    std::vector<double>& wk = scratch.wk;
    wk.resize(ia.size());
    for (size_t k = 0; k < ia.size(); ++k) wk[k] = wa[ia[k]];
    std::vector<std::pair<uint32_t, uint32_t>>& chain = scratch.chain;  // last match first
    HeaviestChain(ChainProblem{ka, wk, kb, num_ids_}, &chain);
    std::vector<uint8_t>&matched_a = scratch.matched_a, &matched_b = scratch.matched_b;
    matched_a.assign(n, 0), matched_b.assign(m, 0);
    for (const auto& [row, column] : chain) {
      e.chain.emplace_back(ia[row], jb[column]);
      matched_a[ia[row]] = matched_b[jb[column]] = 1;
      e.matched_weight += wa[ia[row]];
    }
    std::reverse(e.chain.begin(), e.chain.end());

    // Denominators: matched weight, plus unmatched weight (names discounted), plus specific
    // numbers absent from the other side counted a second time.
    double denom_a = 0, denom_b = 0;
    for (size_t i = 0; i < n; ++i) {
      denom_a += matched_a[i] ? wa[i] : wa[i] * UnmatchedFactor(a.kinds[i]);
      if (kept_a[i] && SpecificNumber(a.kinds[i], a.values[i]) && id_a[i] == kAbsent) {
        denom_a += wa[i];
        e.conflicts_a.push_back(static_cast<uint32_t>(i));
      }
    }
    for (size_t j = 0; j < m; ++j) {
      denom_b += matched_b[j] ? wb_[j] : wb_[j] * UnmatchedFactor(b.kinds[j]);
      if (kept_b_[j] && SpecificNumber(b.kinds[j], b.values[j]) && !in_a[id_b_[j]]) {
        denom_b += wb_[j];
        e.conflicts_b.push_back(static_cast<uint32_t>(j));
      }
    }
    e.coverage_a = denom_a > 0 ? e.matched_weight / denom_a : 0;
    e.coverage_b = denom_b > 0 ? e.matched_weight / denom_b : 0;
    e.anchor_score = e.coverage_a + e.coverage_b > 0
                         ? 2 * e.coverage_a * e.coverage_b / (e.coverage_a + e.coverage_b)
                         : 0.0;
  }
  // Translations between these languages stay within a factor ~1.5 in length; fade out beyond
  // max_length_ratio.
  double length_factor = 1.0;
  if (e.length_ratio > 1.5) {
    length_factor = std::clamp(1.0 - (e.length_ratio - 1.5) / (options_.max_length_ratio - 1.5), 0.0, 1.0);
  }
  double combined;
  if (e.anchors_decide && layout_decides) {
    // The more anchor weight there is to judge by, the more the anchors decide: layout
    // supports a verdict, it does not make one. Half and half at kAnchorWeightForHalf.
    const double share = std::min(hard_a, hard_b_) / (std::min(hard_a, hard_b_) + kAnchorWeightForHalf);
    combined = share * e.anchor_score + (1 - share) * e.layout;
  } else if (e.anchors_decide) {
    combined = e.anchor_score;
  } else {
    combined = 0.9 * e.layout;  // without anchors to confirm it, layout alone is trusted less
  }
  const double anchor_support = layout_with_anchors ? e.anchor_score : 0.0;  // 0 when none is shared
  e.score = std::clamp(combined * length_factor - kLayoutTieBreak * std::min(1.0, layout.deviation) +
                           kAnchorTieBreak * anchor_support,
                       0.0, 1.0);
  return e;
}

}  // namespace internal

}  // namespace neardup

// File: dedup/deduplicator_impl.h
//
// The Deduplicator's state behind its one lock, and the steps of Add on it. Its parts are in
// one file each: dedup.cc (the public calls: locking, batches, removal, reading), add.cc (a
// document made durable, then visible), matches.cc (the candidates and verdicts of a new
// document) and store_replay.cc (the state rebuilt from a store).

#ifndef NEARDUP_DEDUP_DEDUPLICATOR_IMPL_H_
#define NEARDUP_DEDUP_DEDUPLICATOR_IMPL_H_

#include <algorithm>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "dedup/profile_table.h"
#include "index/byte_arena.h"
#include "index/id_table.h"
#include "index/index_options.h"
#include "index/link_graph.h"
#include "index/posting_table.h"
#include "neardup/dedup.h"
#include "store/dedup_store.h"

namespace neardup {
namespace internal {
class AnchorQuery;
}  // namespace internal

struct PreparedDocument;  // below

// A new document's profile without its closing boilerplate as the collection knows it, and
// its translation signature (Deduplicator::Impl::TranslationSideLocked).
struct DocumentTranslationSide {
  AnchorWeights::Kept kept;
  Signature signature;
};

struct Deduplicator::Impl {
  Impl(const DedupOptions& o, Fingerprinter f, LshIndex i, LshIndex a)
      : options(o),
        verdict(VerdictOptionsOf(o)),
        fingerprinter(std::move(f)),
        index(std::move(i)),
        translation_index(std::move(a)) {}

  DedupOptions options;
  VerdictOptions verdict;
  Fingerprinter fingerprinter;
  LshIndex index;         // text signatures, keyed by insertion sequence number
  LshIndex translation_index;  // translation signatures (anchors and layout), same keys
  AnchorWeights weights;       // document frequencies of anchor keys
  mutable std::shared_mutex mu;
  // Where the state is kept durably (store/dedup_store.h); null for a Deduplicator in memory.
  std::unique_ptr<internal::DedupStore> store;
  internal::IdTable ids;  // by sequence number, and the live ones by id
  // By sequence number (emptied on removal); empty unless translations are on.
  internal::ProfileTable profiles;
  // Empty unless UsesSketches(): the containment sketches, as their filters and sample sizes
  // by sequence number (a filter emptied on removal) and their sample keys' holders.
  internal::ByteArena filters;
  std::vector<uint32_t> sample_sizes;
  internal::PostingTable postings;
  internal::LinkGraph links;

  // Documents' languages for the link graph's rules (a temporary: internal::LanguageOf refers
  // to it for the call it is passed to).
  struct LanguageLookup {
    const internal::ProfileTable* profiles;
    std::string_view operator()(uint64_t seq) const { return profiles->language(seq); }
  };
  LanguageLookup Languages() const { return {&profiles}; }
  // A live document's language as the keep rule reads it: "" for all without translations
  // (languages are not read then).
  std::string_view LanguageOrNone(uint64_t seq) const {
    return TranslationsEnabled() ? std::string_view(profiles.language(seq)) : std::string_view();
  }
  // A live document's distinct shingles (its text signature's set size).
  uint64_t SetSize(uint64_t seq) const {
    const absl::StatusOr<Signature> s = index.Get(seq);
    return s.ok() ? s->set_size() : 0;
  }

  void AddLink(uint64_t a, uint64_t b, const Match& m) {
    links.Add(internal::Link{m.score, m.jaccard, m.containment, static_cast<uint32_t>(a), static_cast<uint32_t>(b), m.kind, true});
  }

  bool TranslationsEnabled() const { return options.fingerprint.anchors; }
  bool UsesSketches() const { return internal::UsesContainmentSketches(options); }

  absl::Status CheckWritable() const {
    if (store && store->read_only()) return absl::FailedPreconditionError("the store was opened read-only");
    return broken;
  }
  // Set when a batch's commit failed: memory is ahead of the store, so no more changes.
  absl::Status broken;

  MinHashAlgorithm algorithm() const { return options.fingerprint.minhash.algorithm; }

  // Defined in add.cc (CommitAdd, AddLocked, AppendSketch), store_replay.cc (Load) and
  // matches.cc (TranslationSideLocked, MatchesLocked).

  // Commits an Add to the store: the document (its signatures as indexed, its profile), the
  // links it makes and the links it retracts.
  absl::Status CommitAdd(uint64_t seq, std::string_view id, const Fingerprint& fp,
                         const Signature* translation_signature, const std::vector<uint64_t>& linked,
                         const std::vector<Match>& matches, const std::vector<uint32_t>& retracted);

  // Add, with mu held exclusively; `prepared`, when given, is what AddBatch's first phase found
  // for this document, the collection being as it was then plus the batch's earlier documents.
  absl::StatusOr<std::vector<Match>> AddLocked(std::string_view id, const Fingerprint& fp,
                                               PreparedDocument* prepared = nullptr);

  // AddBatch over `n` documents: document i has id `id(i)` and fingerprint `fingerprint(i)`
  // (or the error computing it, which becomes its result). Takes mu. With threads > 1, each
  // run of up to internal::BatchKeyCounts::kMaxDocuments documents is first prepared on
  // `threads` threads (PrepareRun), then added in order: the same results.
  std::vector<absl::StatusOr<std::vector<Match>>> AddBatch(
      size_t n, absl::FunctionRef<std::string_view(size_t)> id,
      absl::FunctionRef<absl::StatusOr<const Fingerprint*>(size_t)> fingerprint, int threads = 1);

  // AddBatch's first phase over its documents [start, end) (batch_prepare.cc), on `threads`
  // threads, with mu held and the collection unchanged while it runs: for each document that
  // Add's checks are expected to take, its text matches against the collection; with
  // translations, its translation side as of its time, its query and the verdicts on its
  // candidates.
  std::vector<PreparedDocument> PrepareRun(size_t start, size_t end, absl::FunctionRef<std::string_view(size_t)> id,
                                           absl::FunctionRef<absl::StatusOr<const Fingerprint*>(size_t)> fingerprint,
                                           int threads) const;

  void AppendSketch(uint64_t seq, const ContainmentSketch& sketch);

  // Rebuilds the state from the store: every document and link in order, as Add and Remove
  // left them (the indexes, the anchor weights and the id map are derived from them).
  absl::Status Load();

  // `fp`'s profile without its closing boilerplate as the collection now knows it (a
  // translator-credits section, a footer), and the translation signature to index and query it
  // with: of what is left, when there is a tail. Found once per document, it serves both the
  // signature and the comparisons with its candidates. Caller holds mu.
  using TranslationSide = DocumentTranslationSide;
  TranslationSide TranslationSideLocked(const Fingerprint& fp) const { return TranslationSideOf(fp, weights); }
  // The same, as of `as_of` (the collection's weights, or a batch's view of them).
  TranslationSide TranslationSideOf(const Fingerprint& fp, const AnchorWeights& as_of) const;

  // The verdict on a new document (`query`, made with the weights as of its time) and the
  // stored document `c`: the one Add acts on. Caller holds mu.
  absl::StatusOr<Verdict> VerifyTranslation(const internal::AnchorQuery& query, uint64_t c) const;

  // Caller holds mu (shared or exclusive). `side` as TranslationSideLocked gives it;
  // `prepared` as AddLocked takes it.
  absl::StatusOr<std::vector<Match>> MatchesLocked(const Fingerprint& fp, const TranslationSide& side,
                                                   std::vector<uint64_t>* seqs,
                                                   PreparedDocument* prepared = nullptr) const;
  // The text index's (and the postings') part of MatchesLocked: (sequence number, match), in
  // Add's order.
  absl::StatusOr<std::vector<std::pair<uint64_t, Match>>> TextMatchesLocked(const Fingerprint& fp) const;
};

// What AddBatch's first phase found for one document of a batch, on any thread, against the
// collection as the batch found it and the batch's own anchor counts (batch_prepare.cc): Add
// reads it instead of computing it again where it is what Add would compute.
struct PreparedDocument {
  bool counted = false;  // expected to be added: counted in the batch's anchor weights
  std::string encoded_profile;  // EncodeAnchorProfile of its profile, for the profile table
  bool has_side = false;
  DocumentTranslationSide side;  // as of its time
  // Its text matches against the collection, and whether they are still its matches when it
  // is added (RunFilings::Check).
  std::vector<std::pair<uint64_t, Match>> text;
  bool text_current = false;
  // The translation index's answer to its query, and whether it is still the answer.
  std::vector<Candidate> ranked;
  bool ranked_current = false;
  std::vector<std::pair<uint64_t, Verdict>> verdicts;  // on the candidates verified
  // Where its Add files it: the buckets of the text index and of the translation index (band
  // << 32 | key; none for an index it is not filed in), and its sample keys.
  std::vector<uint64_t> text_buckets, translation_buckets;

  const Verdict* VerdictOn(uint64_t seq) const {
    for (const auto& [s, v] : verdicts) {
      if (s == seq) return &v;
    }
    return nullptr;
  }
};

// A set of 64-bit keys (bucket keys, sample keys) for one run of AddBatch: a few thousand,
// looked up hundreds of times a document. Open addressing over the keys' own bits (hashes);
// absl's flat_hash_set made the run's bookkeeping 2% of the index stage. A key equal to
// kEmpty is held as its neighbour, so it may be found where it is not: then Add only
// computes again what was prepared.
class RunKeySet {
 public:
  void Insert(uint64_t key) {
    if (2 * (used_ + 1) > cells_.size()) Grow();
    size_t i = Home(key);
    for (; cells_[i] != kEmpty; i = (i + 1) & (cells_.size() - 1)) {
      if (cells_[i] == Stored(key)) return;
    }
    cells_[i] = Stored(key);
    ++used_;
  }
  bool Contains(uint64_t key) const {
    for (size_t i = Home(key); cells_[i] != kEmpty; i = (i + 1) & (cells_.size() - 1)) {
      if (cells_[i] == Stored(key)) return true;
    }
    return false;
  }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  static uint64_t Stored(uint64_t key) { return key == kEmpty ? kEmpty - 1 : key; }
  size_t Home(uint64_t key) const { return static_cast<size_t>((key * 0x9e3779b97f4a7c15ULL) >> 40) & (cells_.size() - 1); }
  void Grow() {
    std::vector<uint64_t> old = std::move(cells_);
    cells_.assign(std::max<size_t>(1024, 2 * old.size()), kEmpty);
    used_ = 0;
    for (uint64_t key : old) {
      if (key != kEmpty) Insert(key);
    }
  }
  std::vector<uint64_t> cells_ = std::vector<uint64_t>(1024, kEmpty);
  size_t used_ = 0;
};

// Where the documents a run has added so far were filed. A prepared answer is current only
// when its query reads none of it: then the buckets and postings it read are the ones Add
// reads.
class RunFilings {
 public:
  // Marks `doc`'s prepared answers stale where an earlier document of the run was filed in
  // what its queries read.
  void Check(PreparedDocument& doc, const Fingerprint& fp) const {
    const auto any_in = [](const auto& keys, const RunKeySet& set) {
      for (uint64_t key : keys) {
        if (set.Contains(key)) return true;
      }
      return false;
    };
    doc.ranked_current = doc.ranked_current && !any_in(doc.translation_buckets, translation_buckets_);
    doc.text_current = doc.text_current && !any_in(doc.text_buckets, text_buckets_) &&
                       !any_in(fp.containment.sample, sample_keys_);
  }
  // Records where `doc`, now added, was filed.
  void File(const PreparedDocument& doc, const Fingerprint& fp) {
    for (uint64_t key : doc.translation_buckets) translation_buckets_.Insert(key);
    for (uint64_t key : doc.text_buckets) text_buckets_.Insert(key);
    for (uint32_t key : fp.containment.sample) sample_keys_.Insert(key);
  }

 private:
  RunKeySet translation_buckets_, text_buckets_, sample_keys_;
};

}  // namespace neardup

#endif  // NEARDUP_DEDUP_DEDUPLICATOR_IMPL_H_

// File: dedup/deduplicator_impl.h
//
// The Deduplicator's state behind its one lock, and the steps of Add on it. Its parts are in
// one file each: dedup.cc (the public calls: locking, batches, removal, reading), add.cc (a
// document made durable, then visible), matches.cc (the candidates and verdicts of a new
// document) and store_replay.cc (the state rebuilt from a store).

#ifndef NEARDUP_DEDUP_DEDUPLICATOR_IMPL_H_
#define NEARDUP_DEDUP_DEDUPLICATOR_IMPL_H_

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

// What AddBatch's first phase found for one document of a batch, on any thread, against the
// collection as the batch found it and the batch's own anchor counts (batch_prepare.cc): Add
// reads it instead of computing it again where it is what Add would compute.
struct PreparedDocument {
  bool counted = false;  // expected to be added: counted in the batch's anchor weights
  std::string encoded_profile;  // EncodeAnchorProfile of its profile, for the profile table
  // The translation index's band keys of its translation signature (empty when it is not
  // indexed): a later document of the batch whose keys meet these in a band cannot reuse
  // `ranked`.
  std::vector<uint32_t> band_keys;
  // The translation index's answer to its query, and whether it is still the answer when the
  // document is added (no earlier document of the batch was filed in one of its buckets).
  std::vector<Candidate> ranked;
  bool ranked_current = false;
  std::vector<std::pair<uint64_t, Verdict>> verdicts;  // on the candidates verified

  // Whether one of `filed` (earlier documents of the batch, now in the translation index) was
  // filed in one of this document's buckets.
  bool SharesBucketWith(std::span<const PreparedDocument* const> filed) const {
    for (const PreparedDocument* other : filed) {
      for (size_t band = 0; band < band_keys.size() && band < other->band_keys.size(); ++band) {
        if (band_keys[band] == other->band_keys[band]) return true;
      }
    }
    return false;
  }
  const Verdict* VerdictOn(uint64_t seq) const {
    for (const auto& [s, v] : verdicts) {
      if (s == seq) return &v;
    }
    return nullptr;
  }
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
  // (or the error computing it, which becomes its result). Takes mu. With threads > 1 and
  // translations on, each run of up to internal::BatchKeyCounts::kMaxDocuments documents is
  // first prepared on `threads` threads (PrepareBatch), then added in order: the same results.
  std::vector<absl::StatusOr<std::vector<Match>>> AddBatch(
      size_t n, absl::FunctionRef<std::string_view(size_t)> id,
      absl::FunctionRef<absl::StatusOr<const Fingerprint*>(size_t)> fingerprint, int threads = 1);

  // AddBatch's first phase over its documents [start, end) (batch_prepare.cc), on `threads`
  // threads, with mu held and the collection unchanged while it runs: for each document that
  // Add's checks are expected to take, its translation side as of its time, its query against
  // the collection and the verdicts on its candidates.
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
  struct TranslationSide {
    AnchorWeights::Kept kept;
    Signature signature;
  };
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
                                                   const PreparedDocument* prepared = nullptr) const;
};

}  // namespace neardup

#endif  // NEARDUP_DEDUP_DEDUPLICATOR_IMPL_H_

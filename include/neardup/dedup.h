// File: dedup.h
//
// The "have I seen this before?" API: a Fingerprinter, an LshIndex and duplicate clusters
// behind string document ids. Add documents one at a time; each Add returns the earlier
// documents it duplicates; Clusters() groups every duplicate pair by union-find, the member
// with the most direct links being each cluster's canonical member.
//
// Example:
//   absl::StatusOr<neardup::Deduplicator> dedup = neardup::Deduplicator::Create();
//   dedup->Add("wire-1", story);
//   absl::StatusOr<std::vector<neardup::Match>> seen = dedup->Add("wire-2", rewritten_story);
//   // seen->front().id == "wire-1", seen->front().jaccard ≈ 0.9
//
// Thread-safety: internally synchronized. Fingerprints are computed outside the lock, so Add
// and Query from several threads run their text processing in parallel; Query and Clusters
// share a reader lock; Add and Remove take the writer lock briefly.

#ifndef NEARDUP_DEDUP_H_
#define NEARDUP_DEDUP_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/dedup_options.h"
#include "neardup/fingerprint.h"
#include "neardup/lsh.h"
#include "neardup/verdict.h"

namespace neardup {

// An earlier document that the queried one duplicates, contains, is contained in, or
// translates (Verdict has the evidence).
struct Match {
  std::string id;
  MatchKind kind = MatchKind::kNear;
  double score = 0;        // near: estimated Jaccard; contained: estimated containment of the
                           // smaller document in the larger; translation: the translation score
  double jaccard = 0;      // near and contained: estimated Jaccard
  double containment = 0;  // near and contained: estimated |A∩B| / min(|A|,|B|) (0 if unmeasured)
  // Contained: whether `id` is the smaller document, inside the queried one (else the queried
  // document is inside `id`). The smaller is the one of fewer distinct shingles, the queried
  // one on a tie, as the verdict measures it (TextEvidence::a_is_smaller).
  bool id_is_smaller = false;
};

// A live link between two documents, as Pairs() reports them.
struct Pair {
  std::string id_a;  // added first
  std::string id_b;
  MatchKind kind = MatchKind::kNear;
  double score = 0;  // as Match::score
  double jaccard = 0;      // as Match::jaccard
  double containment = 0;  // as Match::containment
  bool a_is_smaller = false;  // contained: id_a is inside id_b (else id_b inside id_a); as Match::id_is_smaller
};

// A document to drop: a copy (near or contained) of a kept document in the same language.
struct Duplicate {
  std::string id;    // the document to drop
  std::string kept;  // a kept document it is directly linked to as a copy
  MatchKind kind = MatchKind::kNear;  // of that link: near or contained
  double score = 0;                   // of that link (as Pair::score)
  bool id_is_smaller = false;         // contained: `id` is inside `kept` (else `kept` inside `id`)
};

// A group of documents linked by duplicate pairs (transitively). Links chain: documents that
// share one paragraph of boilerplate join a cluster of hundreds in which most pairs are not
// copies. So a cluster names its centre, the canonical member, and says how each member holds
// to it: a family of copies is a star (every member one link from the canonical), a chain is
// not (members two or more links away, with no direct score).
struct Cluster {
  // The member with the most live links to other members; of those, the one added first. On
  // licenses-dev's copyright files it is one link from 58% of its cluster's members where the
  // first-added member was one link from 19% (CONTAINMENT_PLAN.md, "Clusters").
  std::string canonical;
  std::vector<std::string> members;  // canonical first, then the others in the order they were added
  // By member: the number of links on a shortest path to the canonical (0 for itself).
  std::vector<uint32_t> hops;
  // By member: the score of its live link to the canonical (as Pair::score; the best one if
  // there are two), or 0 when it has none (the canonical itself, or a member further away).
  std::vector<double> scores;
};

// The longest document id, in bytes: the same in `neardup dedup`, a store, Python and Dask.
// Crawlers use URLs as ids, and URLs of many kilobytes occur (HTTP servers cap a request
// line at 8 to 16 KiB); 64 KiB leaves room for any of them while keeping a block of 32 rows
// (store/records.h) within a few megabytes.
inline constexpr size_t kMaxIdBytes = 64 * 1024;

// OK if `id` can name a document: at most kMaxIdBytes bytes (any bytes, "" included);
// kInvalidArgument naming its length otherwise. Add applies it before anything is changed.
absl::Status ValidateDocumentId(std::string_view id);

// `id` as messages name it: whole up to 100 bytes, else its first 100 bytes (whole UTF-8
// characters) and its length. The command, the binding and Dask name ids this way.
std::string IdForMessage(std::string_view id);

// How a Deduplicator opens its store (Deduplicator::Open).
struct StoreOptions {
  // Query only: Add and Remove return kFailedPrecondition. Any number of processes may open
  // a store read-only, beside the one that writes; each sees the store as it was when opened.
  bool read_only = false;
};

class Deduplicator {
 public:
  // kInvalidArgument if any option is out of range.
  static absl::StatusOr<Deduplicator> Create(const DedupOptions& options = {});

  // A Deduplicator whose state is kept in the store at `path` (one file, plus `path`-lock and
  // `path`-writer), created with `options` if there is no file. Every Add and Remove is
  // durable when it returns: a process killed at any moment leaves a store that opens with
  // every acknowledged document. Each is one transaction: one that fails leaves the store and
  // the Deduplicator as they were. Every value read is checked against its checksum; a
  // damaged or truncated file is kDataLoss, never a crash. A Deduplicator with a store
  // belongs to the process that opened it: in a forked child, Add, Remove and the store's
  // statistics are kFailedPrecondition (open the store again there), and the parent is
  // unaffected. Opening replays the store in order, so a stored
  // Deduplicator answers exactly as an in-memory one given the same calls. Errors:
  // kFailedPrecondition if the store was made with other options (the message names each
  // difference); kUnimplemented if a newer neardup wrote it; kDataLoss if it is damaged or
  // not a store; kUnavailable if another process has it open for writing; kNotFound if
  // read_only and there is no file.
  static absl::StatusOr<Deduplicator> Open(const std::string& path, const DedupOptions& options = {},
                                           const StoreOptions& store = {});
  // Rewrites the store at `path` at its smallest, in place: a store's file keeps the pages
  // that changes freed, for later writes to reuse; this gives them back. It needs the store
  // to itself: kUnavailable while any process has it open. Returns the file's bytes before
  // and after.
  static absl::StatusOr<std::pair<uint64_t, uint64_t>> CompactStore(const std::string& path);
  // The options the store at `path` was made with, to open it with (Open refuses others).
  // Options that are not stored (max_bytes) have their defaults. Errors as Open's.
  static absl::StatusOr<DedupOptions> StoredOptions(const std::string& path);
  Deduplicator(Deduplicator&&) noexcept;
  Deduplicator& operator=(Deduplicator&&) noexcept;
  ~Deduplicator();

  // Adds document `id` and returns the earlier documents it duplicates or translates, near
  // duplicates first, each group best first. With a store, each Add is one transaction, synced
  // to disk before it returns, so it costs an fsync: 1,000 wire-dev documents took 0.99 s
  // added one at a time against 0.80 s in one AddBatch on this project's VM (ext4 on a
  // virtual disk, fsync about 0.2 ms), and 7.6 s for 0.9 s of CPU where fsync takes about
  // 7 ms (issue #25's report). Adding many documents, use AddBatch: one sync for the batch. `language` is an ISO 639-1 code or "" to detect
  // it. Errors: those of Fingerprinter::Compute; kInvalidArgument if the text has no words
  // (nothing to compare; the document is not added) or the id is longer than kMaxIdBytes;
  // kAlreadyExists if `id` was added before. A failed Add changes nothing, in memory or in
  // the store.
  absl::StatusOr<std::vector<Match>> Add(std::string_view id, std::string_view text, std::string_view language = "");
  // The same with a fingerprint computed earlier (e.g. on another thread) by fingerprinter().
  absl::StatusOr<std::vector<Match>> Add(std::string_view id, const Fingerprint& fingerprint);

  // Adds documents in order, exactly as Add would one by one, and returns each one's result.
  // With a store, the batch is committed once (one fsync), and is durable when this returns;
  // an Add alone commits itself. A document that fails (a bad id, a duplicate) leaves no
  // trace and the others are added. If the batch's commit fails, every result is that error
  // and the Deduplicator refuses further changes (kAborted) until the store is opened again,
  // which restores its last committed state: the batch commits whole or not at all.
  // With `threads` > 1, the costly part of each run of 64 documents (their queries and
  // verdicts, text and translation) is done first on `threads` threads (0: one per core), each
  // document against the collection as it will stand when it is added; the results are the
  // same for any `threads`.
  std::vector<absl::StatusOr<std::vector<Match>>> AddBatch(std::span<const std::string> ids,
                                                           std::span<const Fingerprint> fingerprints, int threads = 1);

  // A document given by its text: `language` is an ISO 639-1 code, or "" to detect it.
  struct TextDocument {
    std::string_view id, text, language;
  };
  // The same with texts, fingerprinted first on `threads` threads (0: one per core; the
  // Deduplicator's lock is not held meanwhile), then added in order as one batch (on `threads`
  // threads as above). A document
  // whose text is refused (bad UTF-8, no words, over max_bytes) gets that error in its place;
  // the others are added. The results are those of Add one by one, whatever `threads`.
  std::vector<absl::StatusOr<std::vector<Match>>> AddBatch(std::span<const TextDocument> documents, int threads = 0);

  // The documents `text` duplicates, without adding it.
  absl::StatusOr<std::vector<Match>> Query(std::string_view text, std::string_view language = "") const;
  absl::StatusOr<std::vector<Match>> Query(const Fingerprint& fingerprint) const;

  // Forgets `id` and its links; kNotFound if absent.
  absl::Status Remove(std::string_view id);

  // Every live link, in the order they were made. A document has one translation per language:
  // when a later document translates `x` better than x's current translation in that
  // language, the weaker link is retracted (Add had already returned it). So after a batch,
  // Pairs() holds only each document's best translation per language.
  std::vector<Pair> Pairs() const;

  // Clusters of two or more documents over the live links, ordered by their first-added
  // member's insertion.
  std::vector<Cluster> Clusters() const;

  // What to drop so that each text is kept once: the documents to drop, in the order they
  // were added, each naming the kept document it copies. Only copies (near and contained
  // links) between documents of one language are dropped (without translations, languages
  // are not read and all documents count as one); translations are not copies, and both
  // sides stay. Documents are taken in `keep`'s order of preference; each is kept unless a
  // copy link joins it to one kept before it, the best such link naming it (near before
  // contained, then the score). So no two kept documents of one language are linked as copies,
  // and every dropped one is linked to a kept one: not to a copy of a copy. The result depends
  // only on the live links and documents, not on when it is asked.
  std::vector<Duplicate> Duplicates(KeepPolicy keep = KeepPolicy::kLongest) const;

  bool Contains(std::string_view id) const;
  size_t size() const;

  // A stored Deduplicator only (kFailedPrecondition otherwise). What the store holds: its
  // documents (removed ones too), live documents, links (retracted ones too), live links,
  // the file's bytes on disk and the bytes of its pages in use (the rest is free space that
  // later writes reuse, and that CompactStore gives back), its format version and creator.
  struct StoreStats {
    uint64_t documents = 0, live_documents = 0, links = 0, live_links = 0, file_bytes = 0, used_bytes = 0;
    int format_version = 0;
    std::string created_by;
    std::vector<std::pair<std::string, std::string>> parameters;  // name, value: what the store was made with
  };
  absl::StatusOr<StoreStats> GetStoreStats() const;
  // Checks the store's consistency beyond what opening it checks (opening replays every
  // document and link): the id table against the live documents. kDataLoss naming the
  // first disagreement.
  absl::Status CheckStore() const;
  // Approximate bytes held: both indexes, ids, anchor profiles, links and anchor statistics.
  size_t MemoryUsage() const;
  // The fingerprinter Add uses: fingerprints for Add(id, fingerprint) and Explain.
  const Fingerprinter& fingerprinter() const;

  // The verdict on `fingerprint` and an indexed document, with the collection's current anchor
  // weights: the same function Add applies to each candidate, and whether a query would
  // return the document (Verdict::found). kNotFound if `id` is absent.
  absl::StatusOr<Verdict> Explain(const Fingerprint& fingerprint, std::string_view id) const;

 private:
  struct Impl;
  explicit Deduplicator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace neardup

#endif  // NEARDUP_DEDUP_H_

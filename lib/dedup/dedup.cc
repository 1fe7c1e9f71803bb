#include "neardup/dedup.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "dedup/profile_table.h"
#include "index/byte_arena.h"
#include "index/id_table.h"
#include "index/link_graph.h"
#include "index/posting_table.h"
#include "index/translation_candidates.h"
#include "base/absl_compat.h"
#include "xlang/anchor_query.h"
#include "index/gentle_growth.h"
#include "fingerprint/judge_text.h"
#include "base/radix_sort.h"
#include "base/status_macros.h"
#include "index/index_options.h"
#include "store/dedup_store.h"
#include "store/parameters.h"

namespace neardup {

absl::Status ValidateDocumentId(std::string_view id) {
  if (id.size() <= kMaxIdBytes) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("a document id of ", id.size(), " bytes is longer than the limit of ",
                                                 kMaxIdBytes, " bytes (starts with '",
                                                 absl::CHexEscape(internal::ToAbsl(id.substr(0, 40))), "...')"));
}

std::string IdForMessage(std::string_view id) {
  constexpr size_t kShown = 100;
  if (id.size() <= kShown) return std::string(id);
  size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(id[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
  return absl::StrCat(internal::ToAbsl(id.substr(0, cut)), "... (", id.size(), " bytes)");
}

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

  // Commits an Add to the store: the document (its signatures as indexed, its profile), the
  // links it makes and the links it retracts.
  absl::Status CommitAdd(uint64_t seq, std::string_view id, const Fingerprint& fp,
                         const Signature* translation_signature, const std::vector<uint64_t>& linked,
                         const std::vector<Match>& matches, const std::vector<uint32_t>& retracted) {
    internal::StoredDocument doc;
    doc.id = std::string(id);
    doc.set_size = fp.signature.set_size();
    doc.signature = internal::KeptValues(fp.signature);
    if (translation_signature != nullptr) {
      doc.has_translation_signature = true;
      doc.translation_set_size = translation_signature->set_size();
      doc.translation_signature = internal::KeptValues(*translation_signature);
    }
    if (TranslationsEnabled()) doc.has_profile = true, doc.profile = fp.anchors;
    if (UsesSketches()) doc.has_containment = true, doc.containment = fp.containment;
    std::vector<internal::StoredLink> new_links;
    for (size_t i = 0; i < linked.size(); ++i) {
      new_links.push_back({static_cast<uint32_t>(linked[i]), static_cast<uint32_t>(seq), matches[i].kind,
                           matches[i].score, matches[i].jaccard, matches[i].containment, true});
    }
    return store->CommitAdd(static_cast<uint32_t>(seq), doc, static_cast<uint32_t>(links.size()), new_links, retracted);
  }

  // Add, with mu held exclusively.
  absl::StatusOr<std::vector<Match>> AddLocked(std::string_view id, const Fingerprint& fp) {
    NEARDUP_RETURN_IF_ERROR(ValidateDocumentId(id));
    if (fp.signature.set_size() == 0) {
      return absl::InvalidArgumentError(absl::StrCat("document '", internal::Str(id),
                                                     "' has no words to compare; not added"));
    }
    if (UsesSketches() && fp.containment.filter.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("document '", internal::Str(id),
                                                     "': its fingerprint has no containment sketch (make it with this "
                                                     "Deduplicator's fingerprinter())"));
    }
    NEARDUP_RETURN_IF_ERROR(CheckWritable());
    if (ids.Find(id)) {
      return absl::AlreadyExistsError(absl::StrCat("document id '", internal::Str(id), "' was added before"));
    }
    if (TranslationsEnabled()) weights.AddDocument(fp.anchors);  // the document counts in its own weights
    std::vector<uint64_t> linked;
    const Signature translation_signature = TranslationSignatureLocked(fp);
    absl::StatusOr<std::vector<Match>> matches = MatchesLocked(fp, translation_signature, &linked);
    const uint64_t seq = ids.size();
    // Documents and links are numbered with 4 bytes (the id table, the link graph and the
    // store's records), and so are the posting table's postings and a filter's bytes.
    const bool full = seq >= UINT32_MAX || links.size() + linked.size() >= UINT32_MAX ||
                      (UsesSketches() && (postings.size() + fp.containment.sample.size() > UINT32_MAX ||
                                          fp.containment.filter.size() > UINT32_MAX));
    if (full && matches.ok()) {
      matches = absl::ResourceExhaustedError("the collection holds 2^32 documents, links or sample keys, its most");
    }
    absl::Status added = matches.ok() ? index.Add(seq, fp.signature) : matches.status();
    // An empty set would share every band with every other empty set: never index it.
    const bool translation_indexed = TranslationsEnabled() && translation_signature.set_size() > 0;
    if (added.ok() && translation_indexed) {
      added = translation_index.Add(seq, translation_signature);
      if (!added.ok()) (void)index.Remove(seq);
    }
    std::vector<uint64_t> copies;  // of the new document
    std::vector<uint32_t> retracted;  // links a better translation replaces
    if (added.ok()) {
      for (size_t i = 0; i < linked.size(); ++i) {
        if ((*matches)[i].kind != MatchKind::kTranslation) copies.push_back(linked[i]);
      }
      std::vector<internal::TranslationCandidate> chosen;
      for (size_t i = 0; i < linked.size(); ++i) {
        if ((*matches)[i].kind == MatchKind::kTranslation) chosen.push_back({linked[i], (*matches)[i].score});
      }
      retracted = links.Retractions(fp.language, copies, chosen, Languages());
      // Durable before it is visible: the store commits the change (or, in a batch, writes it
      // into the batch's transaction), then memory applies it.
      if (store) added = CommitAdd(seq, id, fp, translation_indexed ? &translation_signature : nullptr, linked, *matches, retracted);
      if (!added.ok()) {
        (void)index.Remove(seq);
        if (translation_indexed) (void)translation_index.Remove(seq);
      }
    }
    if (!added.ok()) {
      if (TranslationsEnabled()) weights.RemoveDocument(fp.anchors);
      return added;
    }
    if (TranslationsEnabled()) profiles.Append(fp.anchors);
    AppendSketch(seq, fp.containment);
    links.AddDocument();
    ids.Append(id, /*live=*/true);
    for (uint32_t i : retracted) links.Retract(i);
    for (size_t i = 0; i < linked.size(); ++i) AddLink(linked[i], seq, (*matches)[i]);
    return *std::move(matches);
  }

  void AppendSketch(uint64_t seq, const ContainmentSketch& sketch) {
    if (!UsesSketches()) return;
    filters.Append(sketch.filter);
    internal::AppendGently(sample_sizes, static_cast<uint32_t>(sketch.sample.size()));
    postings.Add(static_cast<uint32_t>(seq), sketch.sample);
  }

  // Rebuilds the state from the store: every document and link in order, as Add and Remove
  // left them (the indexes, the anchor weights and the id map are derived from them).
  absl::Status Load() {
    const uint64_t text_fingerprint = fingerprinter.params_fingerprint();
    const uint64_t translation_fingerprint = fingerprinter.translation_params_fingerprint();
    return store->Load(
        [&](uint32_t seq, internal::StoredDocument&& doc) -> absl::Status {
          if (!ids.Append(doc.id, doc.alive)) {
            return absl::DataLossError(absl::StrCat("document id '", doc.id, "' is stored twice"));
          }
          links.AddDocument();
          if (TranslationsEnabled()) profiles.Append(doc.alive ? doc.profile : AnchorProfile{});
          if (UsesSketches() && doc.alive && doc.containment.filter.empty()) {
            return absl::DataLossError(absl::StrCat("document '", doc.id, "' has no containment sketch"));
          }
          AppendSketch(seq, doc.alive ? doc.containment : ContainmentSketch{});
          if (!doc.alive) return absl::OkStatus();
          NEARDUP_RETURN_IF_ERROR(index.Add(seq, Signature(internal::RestoredValues(doc.signature), doc.set_size, text_fingerprint)));
          if (doc.has_translation_signature) {
            NEARDUP_RETURN_IF_ERROR(translation_index.Add(
                seq, Signature(internal::RestoredValues(doc.translation_signature), doc.translation_set_size, translation_fingerprint)));
          }
          if (TranslationsEnabled()) weights.AddDocument(doc.profile);
          return absl::OkStatus();
        },
        [&](uint32_t i, const internal::StoredLink& l) -> absl::Status {
          if (l.a >= ids.size() || l.b >= ids.size()) return absl::DataLossError(absl::StrCat("link ", i, " names document ", std::max(l.a, l.b), ", past the last"));
          if (l.alive && (!ids.live(l.a) || !ids.live(l.b))) {
            return absl::DataLossError(absl::StrCat("link ", i, " is live but joins a removed document"));
          }
          links.Add(internal::Link{l.score, l.jaccard, l.containment, l.a, l.b, l.kind, l.alive});
          return absl::OkStatus();
        });
  }

  MinHashAlgorithm algorithm() const { return options.fingerprint.minhash.algorithm; }

  // The translation signature to index and query `fp` with: without its closing boilerplate
  // as the collection now knows it (a translator-credits section, a footer), when it has one.
  // Caller holds mu.
  Signature TranslationSignatureLocked(const Fingerprint& fp) const {
    if (!TranslationsEnabled() || weights.BoilerplateTail(fp.anchors) == 0) return fp.translation_signature;
    return fingerprinter.TranslationSignature(fp.anchors, &weights);
  }

  // Caller holds mu (shared or exclusive). `translation_signature` as TranslationSignatureLocked.
  absl::StatusOr<std::vector<Match>> MatchesLocked(const Fingerprint& fp, const Signature& translation_signature,
                                                   std::vector<uint64_t>* seqs) const {
    // Every document sharing a band of the text index is judged: near, contained or neither.
    std::vector<std::pair<uint64_t, Match>> text;  // (sequence number, match)
    const uint64_t size = fp.signature.set_size();
    const int k = fp.signature.size();
    // The index keeps truncated values: compare like with like.
    const Signature kept = TruncateSignature(fp.signature);
    // With sketches, the documents sharing enough sample keys are candidates too, and the
    // filter judges containment at any size ratio.
    std::vector<uint64_t> sharing;
    if (UsesSketches()) {
      // Each holder once a key it shares: sorted, a holder's run is its count of shared keys.
      thread_local std::vector<uint32_t> holders;
      holders.clear();
      postings.AppendHolders(fp.containment.sample, &holders);
      internal::RadixSort(holders);
      for (size_t i = 0, j = 0; i < holders.size(); i = j) {
        while (j < holders.size() && holders[j] == holders[i]) ++j;
        if (internal::SharesEnoughSample(static_cast<uint32_t>(j - i), fp.containment.sample.size(), sample_sizes[holders[i]])) {
          sharing.push_back(holders[i]);
        }
      }
    }
    absl::Status judged;
    NEARDUP_RETURN_IF_ERROR(index.ForEachCandidate(
        fp.signature, sharing,
        [&](int agree, uint64_t stored_size) {
          return internal::TextLinkPlausible(agree, k, size, stored_size, verdict);
        },
        [&](uint64_t seq, std::span<const uint64_t> values, uint64_t stored_size) {
          if (!judged.ok()) return;
          const std::string_view stored_filter = UsesSketches() ? filters.Get(seq) : std::string_view();
          absl::StatusOr<Verdict> v = internal::JudgeTextSides({kept.values(), size, fp.containment.filter},
                                                               {values, stored_size, stored_filter}, algorithm(), verdict,
                                                               internal::TextEvidenceNeeded::kLinkedOnly);
          if (!v.ok()) {
            judged = v.status();
          } else if (v->linked) {
            text.emplace_back(seq, Match{std::string(ids.id(static_cast<uint32_t>(seq))), v->kind, v->score, v->text.jaccard, v->text.containment});
          }
        }));
    NEARDUP_RETURN_IF_ERROR(judged);
    // In Add's order (link_graph.h): near first, then contained; each best first.
    std::sort(text.begin(), text.end(), [](const auto& x, const auto& y) {
      return internal::TextMatchPrecedes(x.second.kind, x.second.score, x.first, y.second.kind, y.second.score, y.first);
    });
    std::vector<Match> out;
    std::vector<uint64_t> near;  // linked by their text: not translations
    for (auto& [seq, match] : text) {
      near.push_back(seq);
      if (seqs != nullptr) seqs->push_back(seq);
      out.push_back(std::move(match));
    }
    if (!TranslationsEnabled() || translation_signature.set_size() == 0 || fp.language.empty()) return out;
    // Cross-language candidates share a band of the translation index; the most similar are
    // verified (translation_candidates.h), and the verdict decides (verdict.h).
    NEARDUP_ASSIGN_OR_RETURN(std::vector<Candidate> ranked,
                             translation_index.Query(translation_signature, internal::kMinTranslationSimilarity));
    const std::vector<uint64_t> candidates = internal::SelectTranslationCandidates(
        ranked, [&](uint64_t id) -> const std::string& { return profiles.language(id); }, fp.language, near);
    // The linked candidates; then, per language, the best one and its copies (link_graph.h).
    std::vector<internal::TranslationCandidate> verified;
    std::optional<internal::AnchorQuery> query;  // the new document's side, prepared once
    thread_local AnchorProfile candidate;        // decoded from the profile table
    for (uint64_t c : candidates) {
      if (!query) query.emplace(fp.anchors, weights, options.translation);
      NEARDUP_RETURN_IF_ERROR(profiles.Get(c, &candidate));
      const Verdict v = JudgeTranslation(query->CompareWith(candidate, internal::CompareDetail::kVerdict), verdict);
      if (v.linked) verified.push_back({c, v.score});
    }
    for (const internal::TranslationCandidate& c : links.ChooseTranslations(fp.language, near, std::move(verified), Languages())) {
      out.push_back(Match{std::string(ids.id(static_cast<uint32_t>(c.seq))), MatchKind::kTranslation, c.score, 0, 0});
      if (seqs != nullptr) seqs->push_back(c.seq);
    }
    return out;
  }
};

Deduplicator::Deduplicator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Deduplicator::Deduplicator(Deduplicator&&) noexcept = default;
Deduplicator& Deduplicator::operator=(Deduplicator&&) noexcept = default;
Deduplicator::~Deduplicator() = default;

absl::StatusOr<Deduplicator> Deduplicator::Create(const DedupOptions& options) {
  NEARDUP_RETURN_IF_ERROR(ValidateDedupOptions(options));
  FingerprintOptions fingerprint = options.fingerprint;
  fingerprint.containment = internal::UsesContainmentSketches(options);  // no sketch that nothing reads
  NEARDUP_ASSIGN_OR_RETURN(Fingerprinter fingerprinter, Fingerprinter::Create(fingerprint));
  if (!(options.containment_threshold >= 0.0 && options.containment_threshold <= 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("containment_threshold must be in [0, 1], got ", options.containment_threshold));
  }
  NEARDUP_ASSIGN_OR_RETURN(LshIndex index, LshIndex::Create(internal::TextIndexOptions(options)));
  NEARDUP_ASSIGN_OR_RETURN(LshIndex translation_index, LshIndex::Create(internal::TranslationIndexOptions(options)));
  return Deduplicator(
      std::make_unique<Impl>(options, std::move(fingerprinter), std::move(index), std::move(translation_index)));
}

absl::StatusOr<Deduplicator> Deduplicator::Open(const std::string& path, const DedupOptions& options,
                                                const StoreOptions& store_options) {
  NEARDUP_ASSIGN_OR_RETURN(Deduplicator dedup, Create(options));
  Impl& m = *dedup.impl_;
  NEARDUP_ASSIGN_OR_RETURN(m.store, internal::DedupStore::Open(path, options, store_options.read_only));
  NEARDUP_RETURN_IF_ERROR(m.Load());
  return dedup;
}

absl::StatusOr<DedupOptions> Deduplicator::StoredOptions(const std::string& path) {
  return internal::DedupStore::ReadOptions(path);
}

absl::StatusOr<std::pair<uint64_t, uint64_t>> Deduplicator::CompactStore(const std::string& path) {
  return internal::DedupStore::Compact(path);
}

absl::StatusOr<std::vector<Match>> Deduplicator::Add(std::string_view id, std::string_view text,
                                                     std::string_view language) {
  NEARDUP_ASSIGN_OR_RETURN(Fingerprint fp, impl_->fingerprinter.Compute(text, language));
  return Add(id, fp);
}

absl::StatusOr<std::vector<Match>> Deduplicator::Add(std::string_view id, const Fingerprint& fp) {
  std::unique_lock lock(impl_->mu);
  return impl_->AddLocked(id, fp);
}

std::vector<absl::StatusOr<std::vector<Match>>> Deduplicator::AddBatch(std::span<const std::string> ids,
                                                                       std::span<const Fingerprint> fingerprints) {
  Impl& m = *impl_;
  std::vector<absl::StatusOr<std::vector<Match>>> results;
  std::unique_lock lock(m.mu);
  absl::Status begun = m.CheckWritable();  // read-only, or broken by an earlier failed commit
  if (begun.ok() && m.store) begun = m.store->BeginBatch();
  for (size_t i = 0; i < ids.size(); ++i) {
    results.push_back(!begun.ok()              ? absl::StatusOr<std::vector<Match>>(begun)
                      : i < fingerprints.size() ? m.AddLocked(ids[i], fingerprints[i])
                                                : absl::InvalidArgumentError("a batch needs one fingerprint per id"));
  }
  if (!m.store || !begun.ok()) return results;
  if (absl::Status committed = m.store->EndBatch(); !committed.ok()) {
    // Memory is now ahead of the file: refuse changes until the store is opened again, which
    // restores the last committed state.
    m.broken = absl::AbortedError(absl::StrCat("a batch could not be committed (", committed.message(),
                                               "); open the store again"));
    for (auto& r : results) {
      if (r.ok()) r = m.broken;
    }
  }
  return results;
}

absl::StatusOr<std::vector<Match>> Deduplicator::Query(std::string_view text, std::string_view language) const {
  NEARDUP_ASSIGN_OR_RETURN(Fingerprint fp, impl_->fingerprinter.Compute(text, language));
  return Query(fp);
}

absl::StatusOr<std::vector<Match>> Deduplicator::Query(const Fingerprint& fp) const {
  std::shared_lock lock(impl_->mu);
  return impl_->MatchesLocked(fp, impl_->TranslationSignatureLocked(fp), nullptr);
}

absl::Status Deduplicator::Remove(std::string_view id) {
  Impl& m = *impl_;
  std::unique_lock lock(m.mu);
  NEARDUP_RETURN_IF_ERROR(m.CheckWritable());
  const std::optional<uint32_t> found = m.ids.Find(id);
  if (!found) {
    return absl::NotFoundError(absl::StrCat("document id '", internal::Str(id), "' is not present"));
  }
  const uint32_t seq = *found;
  std::vector<uint32_t> dead;
  m.links.ForEachOf(seq, [&](uint32_t i, const internal::Link& l) {
    if (l.alive) dead.push_back(i);
  });
  AnchorProfile removed;  // its anchors leave the weights
  if (m.TranslationsEnabled()) NEARDUP_RETURN_IF_ERROR(m.profiles.Get(seq, &removed));
  if (m.store) NEARDUP_RETURN_IF_ERROR(m.store->CommitRemove(seq, std::string(m.ids.id(seq)), dead));
  NEARDUP_RETURN_IF_ERROR(m.index.Remove(seq));
  if (m.translation_index.Contains(seq)) NEARDUP_RETURN_IF_ERROR(m.translation_index.Remove(seq));
  if (m.TranslationsEnabled()) {
    m.weights.RemoveDocument(removed);
    m.profiles.Clear(seq);
  }
  if (m.UsesSketches()) {
    m.postings.Remove(static_cast<uint32_t>(seq), m.sample_sizes[seq]);
    m.filters.Clear(seq);
  }
  m.ids.Remove(seq);
  for (uint32_t i : dead) m.links.Retract(i);
  return absl::OkStatus();
}

std::vector<Cluster> Deduplicator::Clusters() const {
  const Impl& m = *impl_;
  std::shared_lock lock(m.mu);
  std::vector<Cluster> out;
  for (internal::ClusterSeqs& seqs : m.links.Clusters([&](uint32_t seq) { return m.ids.live(seq); })) {
    Cluster c;
    c.canonical = std::string(m.ids.id(seqs.members.front()));
    for (uint32_t seq : seqs.members) c.members.emplace_back(m.ids.id(seq));
    c.hops = std::move(seqs.hops);
    c.scores = std::move(seqs.scores);
    out.push_back(std::move(c));
  }
  return out;
}

bool Deduplicator::Contains(std::string_view id) const {
  std::shared_lock lock(impl_->mu);
  return impl_->ids.Find(id).has_value();
}

size_t Deduplicator::size() const {
  std::shared_lock lock(impl_->mu);
  return impl_->ids.live_count();
}

absl::StatusOr<Verdict> Deduplicator::Explain(const Fingerprint& fp, std::string_view id) const {
  const Impl& m = *impl_;
  std::shared_lock lock(m.mu);
  const std::optional<uint32_t> found = m.ids.Find(id);
  if (!found) {
    return absl::NotFoundError(absl::StrCat("document id '", internal::Str(id), "' is not present"));
  }
  const uint64_t seq = *found;
  NEARDUP_ASSIGN_OR_RETURN(Signature stored, m.index.Get(seq));
  const bool sketched = m.UsesSketches();
  ContainmentSketch stored_sketch;  // the filter is what the verdict reads
  if (sketched) stored_sketch.filter = m.filters.Get(seq);
  NEARDUP_ASSIGN_OR_RETURN(Verdict v, JudgeText(stored, TruncateSignature(fp.signature), m.algorithm(), m.verdict,
                                                sketched ? &stored_sketch : nullptr, sketched ? &fp.containment : nullptr));
  if (m.TranslationsEnabled()) {
    AnchorProfile other;
    NEARDUP_RETURN_IF_ERROR(m.profiles.Get(seq, &other));
    if (!fp.language.empty() && !other.language.empty() && fp.language != other.language) {
      v = JudgeTranslation(internal::AnchorQuery(fp.anchors, m.weights, m.options.translation).CompareWith(other),
                           m.verdict, std::move(v));
    }
  }
  std::vector<uint64_t> returned;
  NEARDUP_RETURN_IF_ERROR(m.MatchesLocked(fp, m.TranslationSignatureLocked(fp), &returned).status());
  v.found = std::find(returned.begin(), returned.end(), seq) != returned.end();
  return v;
}

std::vector<Pair> Deduplicator::Pairs() const {
  const Impl& m = *impl_;
  std::shared_lock lock(m.mu);
  std::vector<Pair> out;
  for (uint32_t i = 0; i < m.links.size(); ++i) {
    const internal::Link& l = m.links[i];
    if (l.alive) out.push_back(Pair{std::string(m.ids.id(l.a)), std::string(m.ids.id(l.b)), l.kind, l.score, l.jaccard, l.containment});
  }
  return out;
}

size_t Deduplicator::MemoryUsage() const {
  const Impl& m = *impl_;
  size_t bytes = m.index.MemoryUsage() + m.translation_index.MemoryUsage();
  std::shared_lock lock(m.mu);
  bytes += m.ids.MemoryUsage();
  bytes += m.profiles.MemoryUsage();
  bytes += m.postings.MemoryUsage() + m.filters.MemoryUsage() + m.sample_sizes.capacity() * sizeof(uint32_t);
  bytes += m.links.MemoryUsage();
  return bytes;
}

absl::StatusOr<Deduplicator::StoreStats> Deduplicator::GetStoreStats() const {
  const Impl& m = *impl_;
  if (!m.store) return absl::FailedPreconditionError("this Deduplicator has no store");
  std::shared_lock lock(m.mu);
  StoreStats stats;
  stats.documents = m.ids.size();
  stats.live_documents = m.ids.live_count();
  stats.links = m.links.size();
  for (uint32_t i = 0; i < m.links.size(); ++i) stats.live_links += m.links[i].alive;
  NEARDUP_ASSIGN_OR_RETURN(stats.file_bytes, m.store->FileSize());
  NEARDUP_ASSIGN_OR_RETURN(stats.used_bytes, m.store->UsedBytes());
  stats.format_version = m.store->file().format_version;
  stats.created_by = m.store->file().created_by;
  stats.parameters = internal::DescribeParameters(m.options);
  return stats;
}

absl::Status Deduplicator::CheckStore() const {
  const Impl& m = *impl_;
  if (!m.store) return absl::FailedPreconditionError("this Deduplicator has no store");
  std::shared_lock lock(m.mu);
  return m.store->CheckIds();
}

const Fingerprinter& Deduplicator::fingerprinter() const { return impl_->fingerprinter; }

}  // namespace neardup

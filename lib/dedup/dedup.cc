// The Deduplicator's public calls (dedup.h): locking, batches, removal and reading; the steps
// of Add are in add.cc, matches.cc and store_replay.cc (deduplicator_impl.h).

#include "neardup/dedup.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/parallel_for.h"
#include "base/status_macros.h"
#include "dedup/deduplicator_impl.h"
#include "fingerprint/judge_text.h"
#include "index/keep.h"
#include "store/parameters.h"
#include "xlang/batch_key_counts.h"
#include "xlang/anchor_query.h"

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

namespace {

// AddBatch's `threads`: 0 is one per core.
int ThreadsOrCores(int threads) {
  return threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

std::vector<absl::StatusOr<std::vector<Match>>> Deduplicator::AddBatch(std::span<const std::string> ids,
                                                                       std::span<const Fingerprint> fingerprints,
                                                                       int threads) {
  return impl_->AddBatch(
      ids.size(), [&](size_t i) { return std::string_view(ids[i]); },
      [&](size_t i) -> absl::StatusOr<const Fingerprint*> {
        if (i >= fingerprints.size()) return absl::InvalidArgumentError("a batch needs one fingerprint per id");
        return &fingerprints[i];
      },
      ThreadsOrCores(threads));
}

std::vector<absl::StatusOr<std::vector<Match>>> Deduplicator::AddBatch(std::span<const TextDocument> documents,
                                                                       int threads) {
  // Fingerprints first, outside the lock: the costly part, in parallel.
  std::vector<absl::StatusOr<Fingerprint>> fingerprints(documents.size(), absl::UnknownError("not computed"));
  internal::ParallelFor(documents.size(), static_cast<size_t>(ThreadsOrCores(threads)), [&](size_t i) {
    fingerprints[i] = impl_->fingerprinter.Compute(documents[i].text, documents[i].language);
  });
  return impl_->AddBatch(
      documents.size(), [&](size_t i) { return documents[i].id; },
      [&](size_t i) -> absl::StatusOr<const Fingerprint*> {
        if (!fingerprints[i].ok()) return fingerprints[i].status();
        return &*fingerprints[i];
      },
      ThreadsOrCores(threads));
}

std::vector<absl::StatusOr<std::vector<Match>>> Deduplicator::Impl::AddBatch(
    size_t n, absl::FunctionRef<std::string_view(size_t)> id,
    absl::FunctionRef<absl::StatusOr<const Fingerprint*>(size_t)> fingerprint, int threads) {
  Impl& m = *this;
  std::vector<absl::StatusOr<std::vector<Match>>> results;
  std::unique_lock lock(m.mu);
  absl::Status begun = m.CheckWritable();  // read-only, or broken by an earlier failed commit
  if (begun.ok() && m.store) begun = m.store->BeginBatch();
  if (!begun.ok()) {
    results.assign(n, begun);
    return results;
  }
  const bool prepare = threads > 1;
  for (size_t start = 0; start < n; start += internal::BatchKeyCounts::kMaxDocuments) {
    const size_t end = std::min(n, start + internal::BatchKeyCounts::kMaxDocuments);
    std::vector<PreparedDocument> prepared;
    if (prepare) prepared = m.PrepareRun(start, end, id, fingerprint, threads);
    // A prepared document is read only while every earlier one of the run was added or
    // refused as expected: the anchor counts it was verified with are then the collection's.
    bool as_expected = true;
    RunFilings filed;
    for (size_t i = start; i < end; ++i) {
      const absl::StatusOr<const Fingerprint*> fp = fingerprint(i);
      PreparedDocument* p = prepared.empty() || !as_expected || !fp.ok() || !prepared[i - start].counted
                                ? nullptr
                                : &prepared[i - start];
      if (p != nullptr) filed.Check(*p, **fp);
      results.push_back(fp.ok() ? m.AddLocked(id(i), **fp, p) : absl::StatusOr<std::vector<Match>>(fp.status()));
      if (prepared.empty()) continue;
      as_expected = as_expected && results.back().ok() == prepared[i - start].counted;
      if (results.back().ok()) filed.File(prepared[i - start], **fp);
    }
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
  return impl_->MatchesLocked(fp, impl_->TranslationSideLocked(fp), nullptr);
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
  NEARDUP_RETURN_IF_ERROR(m.MatchesLocked(fp, m.TranslationSideLocked(fp), &returned).status());
  v.found = std::find(returned.begin(), returned.end(), seq) != returned.end();
  return v;
}

std::vector<Pair> Deduplicator::Pairs() const {
  const Impl& m = *impl_;
  std::shared_lock lock(m.mu);
  std::vector<Pair> out;
  for (uint32_t i = 0; i < m.links.size(); ++i) {
    const internal::Link& l = m.links[i];
    if (!l.alive) continue;
    const bool a_is_smaller = l.kind == MatchKind::kContained && internal::EarlierIsSmaller(m.SetSize(l.a), m.SetSize(l.b));
    out.push_back(Pair{std::string(m.ids.id(l.a)), std::string(m.ids.id(l.b)), l.kind, l.score, l.jaccard,
                       l.containment, a_is_smaller});
  }
  return out;
}

std::vector<Duplicate> Deduplicator::Duplicates(KeepPolicy keep) const {
  const Impl& m = *impl_;
  std::shared_lock lock(m.mu);
  const std::vector<internal::Drop> drops = internal::ChooseDrops(
      m.links, keep, [&](uint32_t seq) { return m.ids.live(seq); }, [&](uint32_t seq) { return m.SetSize(seq); },
      [&](uint64_t seq) { return m.LanguageOrNone(seq); });
  std::vector<Duplicate> out;
  out.reserve(drops.size());
  for (const internal::Drop& d : drops) {
    const internal::Link& l = m.links[d.link];
    out.push_back(Duplicate{std::string(m.ids.id(d.dropped)), std::string(m.ids.id(d.kept)), l.kind, l.score,
                            d.dropped_is_smaller});
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

#include "neardup/dedup.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "internal/absl_compat.h"
#include "internal/disjoint_sets.h"
#include "internal/status_macros.h"

namespace neardup {

const char* MatchKindName(MatchKind kind) {
  switch (kind) {
    case MatchKind::kNear:
      return "near";
    case MatchKind::kTranslation:
      return "translation";
  }
  return "unknown";
}

struct Deduplicator::Impl {
  Impl(const DedupOptions& o, Fingerprinter f, LshIndex i, LshIndex a)
      : options(o), fingerprinter(std::move(f)), index(std::move(i)), anchor_index(std::move(a)) {}

  DedupOptions options;
  Fingerprinter fingerprinter;
  LshIndex index;         // text signatures, keyed by insertion sequence number
  LshIndex anchor_index;  // anchor signatures of documents with anchors, same keys
  AnchorWeights weights;  // document frequencies of anchor keys
  std::vector<AnchorProfile> profiles;     // by sequence number (emptied on removal)
  mutable std::shared_mutex mu;
  std::vector<std::string> names;          // by sequence number; removed ones stay as tombstones
  std::vector<uint64_t> set_sizes;         // by sequence number
  std::vector<bool> alive;                 // by sequence number
  absl::flat_hash_map<std::string, uint64_t> sequence_of;
  std::vector<std::pair<uint64_t, uint64_t>> links;  // duplicate pairs, by sequence number

  bool TranslationsEnabled() const { return options.fingerprint.anchors; }

  // Caller holds mu (shared or exclusive).
  absl::StatusOr<std::vector<Match>> MatchesLocked(const Fingerprint& fp, std::vector<uint64_t>* seqs) const {
    NEARDUP_ASSIGN_OR_RETURN(std::vector<Candidate> hits, index.Query(fp.signature));
    std::vector<Match> out;
    out.reserve(hits.size());
    std::vector<uint64_t> near;
    for (const Candidate& c : hits) {
      Match m;
      m.id = names[c.id];
      m.kind = MatchKind::kNear;
      m.similarity = c.similarity;
      m.containment = ContainmentFromJaccard(c.similarity, fp.signature.set_size(), set_sizes[c.id]);
      out.push_back(std::move(m));
      near.push_back(c.id);
      if (seqs != nullptr) seqs->push_back(c.id);
    }
    if (!TranslationsEnabled() || fp.anchors.keys.empty() || fp.language.empty()) return out;
    // Cross-language candidates share an anchor band; the anchor chain decides.
    NEARDUP_ASSIGN_OR_RETURN(std::vector<uint64_t> candidates, anchor_index.QueryCandidates(fp.anchor_signature));
    std::vector<Match> translations;
    for (uint64_t c : candidates) {
      const AnchorProfile& other = profiles[c];
      if (other.language.empty() || other.language == fp.language) continue;  // same language: text decides
      if (std::find(near.begin(), near.end(), c) != near.end()) continue;
      const TranslationEvidence e = CompareAnchors(other, fp.anchors, weights, options.translation);
      if (!e.decided || e.score < options.translation.threshold) continue;
      Match m;
      m.id = names[c];
      m.kind = MatchKind::kTranslation;
      m.similarity = e.score;
      translations.push_back(std::move(m));
      if (seqs != nullptr) seqs->push_back(c);
    }
    std::sort(translations.begin(), translations.end(), [](const Match& a, const Match& b) {
      return a.similarity != b.similarity ? a.similarity > b.similarity : a.id < b.id;
    });
    for (Match& m : translations) out.push_back(std::move(m));
    return out;
  }
};

Deduplicator::Deduplicator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Deduplicator::Deduplicator(Deduplicator&&) noexcept = default;
Deduplicator& Deduplicator::operator=(Deduplicator&&) noexcept = default;
Deduplicator::~Deduplicator() = default;

absl::StatusOr<Deduplicator> Deduplicator::Create(const DedupOptions& options) {
  NEARDUP_ASSIGN_OR_RETURN(Fingerprinter fingerprinter, Fingerprinter::Create(options.fingerprint));
  LshOptions lsh = options.lsh;
  lsh.num_perm = options.fingerprint.minhash.num_perm;
  NEARDUP_ASSIGN_OR_RETURN(LshIndex index, LshIndex::Create(lsh));
  LshOptions anchor_lsh = options.anchor_lsh;
  anchor_lsh.num_perm = options.fingerprint.minhash.num_perm;
  NEARDUP_ASSIGN_OR_RETURN(LshIndex anchor_index, LshIndex::Create(anchor_lsh));
  return Deduplicator(std::make_unique<Impl>(options, std::move(fingerprinter), std::move(index), std::move(anchor_index)));
}

absl::StatusOr<std::vector<Match>> Deduplicator::Add(std::string_view id, std::string_view text,
                                                     std::string_view language) {
  NEARDUP_ASSIGN_OR_RETURN(Fingerprint fp, impl_->fingerprinter.Compute(text, language));
  return Add(id, fp);
}

absl::StatusOr<std::vector<Match>> Deduplicator::Add(std::string_view id, const Fingerprint& fp) {
  Impl& m = *impl_;
  if (fp.signature.set_size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat("document '", internal::Str(id),
                                                   "' has no words to compare; not added"));
  }
  std::unique_lock lock(m.mu);
  if (m.sequence_of.contains(internal::ToAbsl(id))) {
    return absl::AlreadyExistsError(absl::StrCat("document id '", internal::Str(id), "' was added before"));
  }
  if (m.TranslationsEnabled()) m.weights.AddDocument(fp.anchors);  // the document counts in its own weights
  std::vector<uint64_t> linked;
  absl::StatusOr<std::vector<Match>> matches = m.MatchesLocked(fp, &linked);
  const uint64_t seq = m.names.size();
  absl::Status added = matches.ok() ? m.index.Add(seq, fp.signature) : matches.status();
  if (added.ok() && m.TranslationsEnabled() && fp.anchor_signature.size() > 0) {
    added = m.anchor_index.Add(seq, fp.anchor_signature);
    if (!added.ok()) (void)m.index.Remove(seq);
  }
  if (!added.ok()) {
    if (m.TranslationsEnabled()) m.weights.RemoveDocument(fp.anchors);
    return added;
  }
  m.profiles.push_back(m.TranslationsEnabled() ? fp.anchors : AnchorProfile{});
  m.names.emplace_back(id);
  m.set_sizes.push_back(fp.signature.set_size());
  m.alive.push_back(true);
  m.sequence_of.emplace(std::string(id), seq);
  for (uint64_t other : linked) m.links.emplace_back(other, seq);
  return *std::move(matches);
}

absl::StatusOr<std::vector<Match>> Deduplicator::Query(std::string_view text, std::string_view language) const {
  NEARDUP_ASSIGN_OR_RETURN(Fingerprint fp, impl_->fingerprinter.Compute(text, language));
  return Query(fp);
}

absl::StatusOr<std::vector<Match>> Deduplicator::Query(const Fingerprint& fp) const {
  std::shared_lock lock(impl_->mu);
  return impl_->MatchesLocked(fp, nullptr);
}

absl::Status Deduplicator::Remove(std::string_view id) {
  Impl& m = *impl_;
  std::unique_lock lock(m.mu);
  const auto it = m.sequence_of.find(internal::ToAbsl(id));
  if (it == m.sequence_of.end()) {
    return absl::NotFoundError(absl::StrCat("document id '", internal::Str(id), "' is not present"));
  }
  const uint64_t seq = it->second;
  NEARDUP_RETURN_IF_ERROR(m.index.Remove(seq));
  if (m.anchor_index.Contains(seq)) NEARDUP_RETURN_IF_ERROR(m.anchor_index.Remove(seq));
  if (m.TranslationsEnabled()) m.weights.RemoveDocument(m.profiles[seq]);
  m.profiles[seq] = AnchorProfile{};
  m.alive[seq] = false;
  m.sequence_of.erase(it);
  std::erase_if(m.links, [seq](const auto& l) { return l.first == seq || l.second == seq; });
  return absl::OkStatus();
}

std::vector<Cluster> Deduplicator::Clusters() const {
  const Impl& m = *impl_;
  std::shared_lock lock(m.mu);
  internal::DisjointSets sets(m.names.size());
  for (const auto& [a, b] : m.links) sets.Union(a, b);
  // Roots are the smallest sequence numbers, so clusters come out ordered by canonical member.
  absl::flat_hash_map<size_t, size_t> cluster_of_root;
  std::vector<std::vector<uint64_t>> groups;
  for (uint64_t seq = 0; seq < m.names.size(); ++seq) {
    if (!m.alive[seq]) continue;
    const size_t root = sets.Find(seq);
    auto [it, inserted] = cluster_of_root.try_emplace(root, groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(seq);
  }
  std::vector<Cluster> out;
  for (const auto& group : groups) {
    if (group.size() < 2) continue;
    Cluster c;
    c.canonical = m.names[group.front()];
    for (uint64_t seq : group) c.members.push_back(m.names[seq]);
    out.push_back(std::move(c));
  }
  return out;
}

bool Deduplicator::Contains(std::string_view id) const {
  std::shared_lock lock(impl_->mu);
  return impl_->sequence_of.contains(internal::ToAbsl(id));
}

size_t Deduplicator::size() const {
  std::shared_lock lock(impl_->mu);
  return impl_->sequence_of.size();
}

absl::StatusOr<TranslationEvidence> Deduplicator::ExplainTranslation(const Fingerprint& fp, std::string_view id) const {
  const Impl& m = *impl_;
  std::shared_lock lock(m.mu);
  const auto it = m.sequence_of.find(internal::ToAbsl(id));
  if (it == m.sequence_of.end()) {
    return absl::NotFoundError(absl::StrCat("document id '", internal::Str(id), "' is not present"));
  }
  return CompareAnchors(m.profiles[it->second], fp.anchors, m.weights, m.options.translation);
}

const Fingerprinter& Deduplicator::fingerprinter() const { return impl_->fingerprinter; }
const LshIndex& Deduplicator::index() const { return impl_->index; }

}  // namespace neardup

// Add's last steps: a document made durable in the store, then visible in memory (deduplicator_impl.h).

#include "dedup/deduplicator_impl.h"

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "index/gentle_growth.h"
#include "index/translation_candidates.h"

namespace neardup {

absl::Status Deduplicator::Impl::CommitAdd(uint64_t seq, std::string_view id, const Fingerprint& fp,
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

absl::StatusOr<std::vector<Match>> Deduplicator::Impl::AddLocked(std::string_view id, const Fingerprint& fp,
                                                                 PreparedDocument* prepared) {
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
  const TranslationSide side =
      prepared != nullptr && prepared->has_side ? std::move(prepared->side) : TranslationSideLocked(fp);
  const Signature& translation_signature = side.signature;
  absl::StatusOr<std::vector<Match>> matches = MatchesLocked(fp, side, &linked, prepared);
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
  if (TranslationsEnabled()) {
    if (prepared != nullptr && !prepared->encoded_profile.empty()) {
      profiles.Append(fp.anchors, std::move(prepared->encoded_profile));
    } else {
      profiles.Append(fp.anchors);
    }
  }
  AppendSketch(seq, fp.containment);
  links.AddDocument();
  ids.Append(id, /*live=*/true);
  for (uint32_t i : retracted) links.Retract(i);
  for (size_t i = 0; i < linked.size(); ++i) AddLink(linked[i], seq, (*matches)[i]);
  return *std::move(matches);
}

void Deduplicator::Impl::AppendSketch(uint64_t seq, const ContainmentSketch& sketch) {
  if (!UsesSketches()) return;
  filters.Append(sketch.filter);
  internal::AppendGently(sample_sizes, static_cast<uint32_t>(sketch.sample.size()));
  postings.Add(static_cast<uint32_t>(seq), sketch.sample);
}

}  // namespace neardup

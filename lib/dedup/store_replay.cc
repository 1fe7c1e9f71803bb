// The Deduplicator's state rebuilt from its store, document by document and link by link (deduplicator_impl.h).

#include "dedup/deduplicator_impl.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace neardup {

absl::Status Deduplicator::Impl::Load() {
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

}  // namespace neardup

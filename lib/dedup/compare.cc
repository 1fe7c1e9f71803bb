// Compare: the one recipe for judging two documents alone (compare.h).

#include "neardup/compare.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "neardup/anchor.h"
#include "neardup/dedup.h"
#include "neardup/minhash.h"
#include "neardup/utf8.h"

namespace neardup {
namespace {

absl::Status OnSide(const char* side, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(side, ": ", status.message()));
}

}  // namespace

absl::StatusOr<Comparison> Compare(const CompareInput& a, const CompareInput& b, const DedupOptions& options) {
  absl::StatusOr<Deduplicator> dedup = Deduplicator::Create(options);
  if (!dedup.ok()) return dedup.status();
  Comparison out;
  std::vector<uint64_t> sets[2];
  const CompareInput* inputs[2] = {&a, &b};
  ComparedDocument* sides[2] = {&out.a, &out.b};
  for (int i = 0; i < 2; ++i) {
    const char* name = i == 0 ? "a" : "b";
    absl::StatusOr<Fingerprint> fp = dedup->fingerprinter().Compute(inputs[i]->text, inputs[i]->lang);
    if (!fp.ok()) return OnSide(name, fp.status());
    absl::StatusOr<std::vector<uint64_t>> set = dedup->fingerprinter().ShingleSet(inputs[i]->text);
    if (!set.ok()) return OnSide(name, set.status());
    if (fp->signature.set_size() == 0) return OnSide(name, absl::InvalidArgumentError("no words to compare"));
    ComparedDocument& side = *sides[i];
    side.fingerprint = *std::move(fp);
    sets[i] = *std::move(set);
    side.shingles = sets[i].size();
    // From here on, the text as the pipeline read it: repaired when bad bytes are replaced. The
    // anchors the profile was made from come from it, and an alignment shows it.
    side.text = options.fingerprint.normalize.invalid_utf8 == InvalidUtf8::kReplace
                    ? ReplaceInvalidUtf8(inputs[i]->text)
                    : std::string(inputs[i]->text);
    if (auto anchors = ExtractAnchors(side.text, {.language = side.fingerprint.language}); anchors.ok()) {
      for (const Anchor& anchor : *anchors) side.anchor_keys.push_back(anchor.key);
    }
  }
  if (absl::Status added = dedup->Add("a", out.a.fingerprint).status(); !added.ok()) return OnSide("a", added);
  absl::StatusOr<Verdict> judged = dedup->Explain(out.b.fingerprint, "a");
  if (!judged.ok()) return OnSide("b", judged.status());
  out.verdict = *std::move(judged);
  out.exact_jaccard = ExactJaccard(sets[0], sets[1]);
  // Exact containment of the smaller set: |A∩B| = J(|A|+|B|)/(1+J).
  out.exact_containment = ContainmentFromJaccard(out.exact_jaccard, std::min(sets[0].size(), sets[1].size()),
                                                 std::max(sets[0].size(), sets[1].size()));
  return out;
}

}  // namespace neardup

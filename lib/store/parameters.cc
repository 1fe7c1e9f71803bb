#include "store/parameters.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "internal/absl_compat.h"
#include "neardup/normalize.h"

namespace neardup::internal {
namespace {

// %.17g: the shortest format that reads back every double exactly.
std::string Exact(double x) { return absl::StrFormat("%.17g", x); }

void AddLsh(const char* prefix, const LshOptions& o, std::vector<std::pair<std::string, std::string>>* out) {
  const std::string p(prefix);
  out->emplace_back(p + ".threshold", Exact(o.threshold));
  out->emplace_back(p + ".false_positive_weight", Exact(o.false_positive_weight));
  out->emplace_back(p + ".false_negative_weight", Exact(o.false_negative_weight));
  out->emplace_back(p + ".num_bands", absl::StrCat(o.num_bands));
  out->emplace_back(p + ".max_bucket_scan", absl::StrCat(o.max_bucket_scan));
}

}  // namespace

std::vector<std::pair<std::string, std::string>> DescribeParameters(const DedupOptions& options) {
  const FingerprintOptions& f = options.fingerprint;
  std::vector<std::pair<std::string, std::string>> out = {
      {"unicode", UnicodeVersion()},
      {"invalid_utf8", f.normalize.invalid_utf8 == InvalidUtf8::kReject ? "reject" : "replace"},
      {"unify_punctuation", f.normalize.unify_punctuation ? "true" : "false"},
      {"strip_diacritics", f.normalize.strip_diacritics ? "true" : "false"},
      {"shingle", absl::StrCat(f.shingle.kind == ShingleKind::kWord ? "word:" : "char:", f.shingle.size)},
      {"num_perm", absl::StrCat(f.minhash.num_perm)},
      {"seed", absl::StrCat(f.minhash.seed)},
      {"minhash", f.minhash.algorithm == MinHashAlgorithm::kOnePermutation ? "one-permutation" : "permutation"},
      {"translations", f.anchors ? "true" : "false"},
  };
  AddLsh("lsh", options.lsh, &out);
  AddLsh("translation_lsh", options.translation_lsh, &out);
  const TranslationOptions& t = options.translation;
  out.emplace_back("translation.threshold", Exact(t.threshold));
  out.emplace_back("translation.min_anchors", absl::StrCat(t.min_anchors));
  out.emplace_back("translation.min_weight", Exact(t.min_weight));
  out.emplace_back("translation.max_length_ratio", Exact(t.max_length_ratio));
  out.emplace_back("containment_threshold", Exact(options.containment_threshold));
  return out;
}

std::string EncodeParameters(const DedupOptions& options) {
  std::string out;
  for (const auto& [name, value] : DescribeParameters(options)) absl::StrAppend(&out, name, "=", value, "\n");
  return out;
}

absl::Status CheckSameParameters(std::string_view stored, const DedupOptions& options) {
  std::map<std::string, std::string, std::less<>> theirs;
  for (size_t begin = 0, end; begin < stored.size(); begin = end + 1) {
    end = std::min(stored.find('\n', begin), stored.size());
    const std::string_view line = stored.substr(begin, end - begin);
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return absl::DataLossError(absl::StrCat("the store's parameters are damaged: '", ToAbsl(line), "'"));
    }
    theirs.emplace(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
  }
  std::vector<std::string> differences;
  for (const auto& [name, ours] : DescribeParameters(options)) {
    const auto it = theirs.find(name);
    if (it == theirs.end()) {
      differences.push_back(absl::StrCat(name, ": not in the store, the options say ", ours));
    } else {
      if (it->second != ours) differences.push_back(absl::StrCat(name, ": the store has ", it->second, ", the options say ", ours));
      theirs.erase(it);
    }
  }
  for (const auto& [name, value] : theirs) {
    differences.push_back(absl::StrCat(name, ": the store has ", value, ", unknown to this version"));
  }
  if (differences.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("the store was made with other parameters (", absl::StrJoin(differences, "; "), ")"));
}

}  // namespace neardup::internal

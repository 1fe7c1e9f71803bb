#include "index/translation_candidates.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace neardup::internal {

std::vector<uint64_t> SelectTranslationCandidates(std::span<const Candidate> ranked,
                                                  absl::FunctionRef<const std::string&(uint64_t)> language_of,
                                                  std::string_view language, std::span<const uint64_t> exclude) {
  std::vector<uint64_t> out;
  absl::flat_hash_map<std::string, size_t> per_language;
  for (const Candidate& c : ranked) {
    if (out.size() == kMaxTranslationCandidates) break;
    const std::string& other = language_of(c.id);
    if (other.empty() || other == language) continue;  // same language: the text decides
    if (std::find(exclude.begin(), exclude.end(), c.id) != exclude.end()) continue;
    if (++per_language[other] <= kMaxCandidatesPerLanguage) out.push_back(c.id);
  }
  return out;
}

}  // namespace neardup::internal

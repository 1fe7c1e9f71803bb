// `neardup compare [options] A B`: the verdict on two documents, with its evidence, as
// `neardup dedup A B` would reach it (neardup/compare.h); `neardup align` shares the recipe.

#include <cmath>
#include <cstdio>

#include "command_line.h"
#include "commands.h"
#include "compared_files.h"
#include "neardup/verdict.h"

namespace neardup::cli {
namespace {

class CompareCommand : public PairCommand {
 public:
  CompareCommand() : PairCommand("compare", "Explain the similarity of two documents", "Output: text or json") {}

 protected:
  int Print(const Comparison& c, const DedupOptions& options) override {
    if (format() == "json") {
      std::printf("%s\n", ComparisonJson(c, options, pair().a, pair().b).c_str());
    } else {
      PrintText(c, options);
    }
    return kExitOk;
  }

 private:
  void PrintText(const Comparison& c, const DedupOptions& options) const {
    const Verdict& v = c.verdict;
    const ComparedDocument* sides[2] = {&c.a, &c.b};
    const std::string* paths[2] = {&pair().a, &pair().b};
    for (int i = 0; i < 2; ++i) {
      const Fingerprint& fp = sides[i]->fingerprint;
      std::printf("%c: %s  (%s; %llu bytes, %llu words, %llu distinct shingles, %zu anchors)\n", 'a' + i,
                  paths[i]->c_str(), fp.language.empty() ? "language unknown" : fp.language.c_str(),
                  (unsigned long long)fp.num_bytes, (unsigned long long)fp.num_tokens,
                  (unsigned long long)sides[i]->shingles, sides[i]->anchor_keys.size());
    }
    const int k = options.fingerprint.minhash.num_perm;
    const double exact = c.exact_jaccard;
    std::printf("estimated Jaccard   %s  (MinHash, k=%d; standard error %.4f)\n", FormatScore(v.text.jaccard).c_str(),
                k, std::sqrt(exact * (1 - exact) / k));
    std::printf("exact Jaccard       %s\n", FormatScore(exact).c_str());
    std::printf("exact containment   %s\n", FormatScore(c.exact_containment).c_str());
    const char* smaller = v.text.a_is_smaller ? "a" : "b";
    const char* larger = v.text.a_is_smaller ? "b" : "a";
    if (v.text.by_filter) {
      // The smaller side's own slots, a sample of its shingles, looked up in the larger's filter.
      std::printf("containment         %s of %s's shingles are in %s (%d of %d sampled shingles found in %s's "
                  "shingle filter, less its false hits; error ±%.3f at the threshold, ±%.3f allowed)\n",
                  FormatScore(v.text.containment).c_str(), smaller, larger, v.text.containment_found,
                  v.text.containment_slots, larger, v.text.containment_error, kContainmentZone);
    } else {
      std::printf("containment         %s of %s's shingles are in %s (estimated on %d MinHash slots; %d needed)\n",
                  FormatScore(v.text.containment).c_str(), smaller, larger, v.text.containment_slots,
                  kMinContainmentSlots);
    }
    const auto keys = [](const std::vector<std::string>& all, const std::vector<uint32_t>& indexes) {
      std::string out;
      for (uint32_t i : indexes) out.append(out.empty() ? "" : " ").append(i < all.size() ? all[i] : "?");
      return out.empty() ? std::string("none") : out;
    };
    const std::string translation_threshold = FormatScore(options.translation.threshold);
    if (v.cross_language) {
      const TranslationEvidence& e = v.translation;
      std::vector<uint32_t> chain;
      for (const auto& [i, j] : e.chain) chain.push_back(i);
      std::printf("translation score   %s (threshold %s)%s\n", FormatScore(e.score).c_str(),
                  translation_threshold.c_str(), e.decided ? "" : "  undecided: too little evidence to judge");
      std::printf("  anchors           %s%s: coverage a %s, b %s, matched weight %.3f (two documents alone: kind "
                  "priors, no rarity)\n",
                  FormatScore(e.anchor_score).c_str(), e.anchors_decide ? "" : " (too few to decide)",
                  FormatScore(e.coverage_a).c_str(), FormatScore(e.coverage_b).c_str(), e.matched_weight);
      std::printf("  layout            %s of paragraphs agree in length (%zu and %zu paragraphs)\n",
                  FormatScore(e.layout).c_str(), c.a.fingerprint.anchors.paragraph_lengths.size(),
                  c.b.fingerprint.anchors.paragraph_lengths.size());
      std::printf("  length ratio      %.3f\n", e.length_ratio);
      std::printf("  matched in order  %zu: %s\n", chain.size(), keys(c.a.anchor_keys, chain).c_str());
      std::printf("  numbers only in a %s\n", keys(c.a.anchor_keys, e.conflicts_a).c_str());
      std::printf("  numbers only in b %s\n", keys(c.b.anchor_keys, e.conflicts_b).c_str());
    }
    const std::string kind = VerdictKind(v);
    std::printf("verdict             %s (thresholds: near %s, contained %s, translation %s)\n",
                kind.empty() ? "not a duplicate" : kind.c_str(), FormatScore(options.lsh.threshold).c_str(),
                FormatScore(options.containment_threshold).c_str(), translation_threshold.c_str());
    if (v.linked && !v.found) {
      std::printf("                    but the index does not propose this pair (LSH finds a pair with a probability):\n"
                  "                    `neardup dedup` does not report it\n");
    }
  }

};

}  // namespace

std::unique_ptr<Command> MakeCompareCommand() { return std::make_unique<CompareCommand>(); }

}  // namespace neardup::cli

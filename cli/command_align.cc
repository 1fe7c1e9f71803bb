// `neardup align [options] A B`: the paragraphs of a document and its translation, side by
// side, with the anchors each aligned step shares.

#include <algorithm>
#include <cstdio>

#include "command_line.h"
#include "commands.h"
#include "compared_files.h"
#include "neardup/align.h"
#include "text_columns.h"

namespace neardup::cli {
namespace {

// The 1-based numbers of `indexes` joined by '+' ("2+3"), or "-".
std::string Numbers(const std::vector<uint32_t>& indexes) {
  std::string s;
  for (uint32_t i : indexes) s.append(s.empty() ? "" : "+").append(std::to_string(i + 1));
  return s.empty() ? std::string("-") : s;
}

class AlignCommand : public PairCommand {
 public:
  AlignCommand()
      : PairCommand("align", "Align the paragraphs of a document and its translation",
                    "Output: text (side by side) or json") {}

 protected:
  void AddFlags(CLI::App* align) override {
    align->add_option("--width", width_, "Width of the side-by-side text output")->capture_default_str()
        ->check(CLI::Range(40, 1000));
  }

  int Print(const Comparison& c, const DedupOptions&) override {
    const std::string &lang_a = c.a.fingerprint.language, &lang_b = c.b.fingerprint.language;
    absl::StatusOr<Alignment> alignment = AlignParagraphs(c.a.text, lang_a, c.b.text, lang_b);
    if (!alignment.ok()) {
      ReportError(pair().a + " / " + pair().b, std::string(alignment.status().message()));
      return kExitInputError;
    }
    if (format() == "json") {
      std::printf("%s\n", AlignmentJson(c, *alignment, pair().a, pair().b).c_str());
      return kExitOk;
    }
    const size_t column = std::max<size_t>(20, (width_ - 3) / 2);
    std::printf("%s (%s) | %s (%s): %zu and %zu paragraphs, %zu aligned steps\n", pair().a.c_str(),
                lang_a.empty() ? "?" : lang_a.c_str(), pair().b.c_str(), lang_b.empty() ? "?" : lang_b.c_str(),
                alignment->paragraphs_a.size(), alignment->paragraphs_b.size(), alignment->pairs.size());
    const std::string kind = VerdictKind(c.verdict);
    std::printf("verdict: %s (score %s; `neardup compare` explains it)\n",
                kind.empty() ? "not a duplicate" : kind.c_str(), FormatScore(c.verdict.score).c_str());
    const auto paragraphs = [](const std::string& text, const std::vector<Paragraph>& all,
                               const std::vector<uint32_t>& indexes) {
      std::string out;
      for (uint32_t i : indexes) out.append(out.empty() ? "" : " ").append(text, all[i].begin, all[i].end - all[i].begin);
      return out;
    };
    for (const AlignedPair& p : alignment->pairs) {
      std::string shared;
      for (const std::string& key : p.shared_anchors) shared.append(shared.empty() ? "" : ", ").append(key);
      std::printf("\n[a %s | b %s]  shared anchors: %s\n", Numbers(p.a).c_str(), Numbers(p.b).c_str(),
                  shared.empty() ? "none" : shared.c_str());
      const std::vector<std::string> l = Wrap(paragraphs(c.a.text, alignment->paragraphs_a, p.a), column);
      const std::vector<std::string> r = Wrap(paragraphs(c.b.text, alignment->paragraphs_b, p.b), column);
      for (size_t k = 0; k < std::max(l.size(), r.size()); ++k) {
        std::printf("%s | %s\n", PadTo(k < l.size() ? l[k] : "", column).c_str(), k < r.size() ? r[k].c_str() : "");
      }
    }
    return kExitOk;
  }

 private:
  size_t width_ = 160;
};

}  // namespace

std::unique_ptr<Command> MakeAlignCommand() { return std::make_unique<AlignCommand>(); }

}  // namespace neardup::cli

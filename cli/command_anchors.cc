// `neardup anchors [options] FILE`: the language-independent anchors of a document, one a line.

#include <cstdio>

#include "command_line.h"
#include "commands.h"
#include "document_reader.h"
#include "neardup/anchor.h"
#include "neardup/language.h"

namespace neardup::cli {
namespace {

class AnchorsCommand : public Command {
 public:
  CLI::App* Register(CLI::App* app) override {
    CLI::App* anchors = app->add_subcommand("anchors", "List the language-independent anchors of a document");
    anchors->add_option("INPUT", input_, "The document (file or '-')")->required();
    anchors->add_option("--lang", lang_, "Its language (ISO 639-1); detected when omitted")->check(LanguageTag());
    anchors->add_option("--format", format_, "Output: text or json")->capture_default_str()
        ->check(CLI::IsMember({"text", "json"}));
    return anchors;
  }

  int Run() override {
    std::string text, error;
    if (!ReadWholeFile(input_, &text, &error)) {
      ReportError(input_, "cannot read: " + error);
      return kExitInputError;
    }
    const std::string lang = lang_.empty() ? DetectLanguage(text) : NormalizeLanguageTag(lang_);
    absl::StatusOr<std::vector<Anchor>> anchors = ExtractAnchors(text, {.language = lang});
    if (!anchors.ok()) {
      ReportError(input_, std::string(anchors.status().message()));
      return kExitInputError;
    }
    for (const Anchor& a : *anchors) {
      if (format_ == "json") {
        std::printf("%s\n", AnchorJson(a, text).c_str());
      } else {
        const std::string_view source = std::string_view(text).substr(a.begin, a.end - a.begin);
        std::printf("%-10s %-28s %.*s\n", AnchorKindName(a.kind), a.key.c_str(), static_cast<int>(source.size()),
                    source.data());
      }
    }
    std::fprintf(stderr, "neardup: %s: %zu anchors, language %s\n", input_.c_str(), anchors->size(),
                 lang.empty() ? "unknown" : lang.c_str());
    return kExitOk;
  }

 private:
  std::string input_;
  std::string lang_;
  std::string format_ = "text";
};

}  // namespace

std::unique_ptr<Command> MakeAnchorsCommand() { return std::make_unique<AnchorsCommand>(); }

}  // namespace neardup::cli

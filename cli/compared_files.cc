#include "compared_files.h"

#include "document_reader.h"
#include "neardup/language.h"

namespace neardup::cli {

void DocumentPairFlags::AddTo(CLI::App* command) {
  command->add_option("A", a, "First document (file or '-')")->required();
  command->add_option("B", b, "Second document (file or '-')")->required();
  command->add_option("--lang-a", lang_a, "Language of A (ISO 639-1); detected when omitted")->check(LanguageTag());
  command->add_option("--lang-b", lang_b, "Language of B (ISO 639-1); detected when omitted")->check(LanguageTag());
}

const CLI::Validator& LanguageTag() {
  static const CLI::Validator* validator = new CLI::Validator(
      [](std::string& tag) {
        const absl::StatusOr<std::string> parsed = ParseLanguageTag(tag);
        return parsed.ok() ? std::string() : std::string(parsed.status().message());
      },
      "LANG");
  return *validator;
}

CLI::App* PairCommand::Register(CLI::App* app) {
  CLI::App* command = app->add_subcommand(name_, description_);
  pair_.AddTo(command);
  command->add_option("--format", format_, format_help_)->capture_default_str()->check(CLI::IsMember({"text", "json"}));
  AddFlags(command);
  pipeline_.AddTo(command);
  return command;
}

int PairCommand::Run() {
  DedupOptions options;
  Comparison comparison;
  if (const int code = CompareFiles(pipeline_, pair_, &options, &comparison); code != kExitOk) return code;
  return Print(comparison, options);
}

int CompareFiles(const PipelineFlags& pipeline, const DocumentPairFlags& pair, DedupOptions* options,
                 Comparison* comparison) {
  std::optional<DedupOptions> made = pipeline.ToOptions();
  if (!made) return kExitUsage;
  *options = *made;
  std::string texts[2], error;
  const std::string* paths[2] = {&pair.a, &pair.b};
  for (int i = 0; i < 2; ++i) {
    if (!ReadWholeFile(*paths[i], &texts[i], &error, options->fingerprint.normalize.max_bytes)) {
      ReportError(*paths[i], "cannot read: " + error);
      return kExitInputError;
    }
  }
  absl::StatusOr<Comparison> compared =
      Compare({texts[0], pair.lang_a}, {texts[1], pair.lang_b}, *options);
  if (!compared.ok()) {
    // The library names the side ("a: ..."); the command names the file.
    const std::string message(compared.status().message());
    const bool on_b = message.substr(0, 3) == "b: ";
    if (!on_b && message.substr(0, 3) != "a: ") {
      ReportError("usage", message);
      return kExitUsage;
    }
    ReportError(on_b ? pair.b : pair.a, message.substr(3));
    return kExitInputError;
  }
  *comparison = *std::move(compared);
  return kExitOk;
}

}  // namespace neardup::cli

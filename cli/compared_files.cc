#include "compared_files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "document_reader.h"
#include "neardup/language.h"

namespace neardup::cli {

void DocumentPairFlags::AddTo(CLI::App* command) {
  command->add_option("A", a, "First document (file or '-'; with --from, an id)")->required();
  command->add_option("B", b, "Second document (file or '-'; with --from, an id)")->required();
  command->add_option("--from", from,
                      "A and B are the ids of two documents in this JSON Lines file (compressed too); their "
                      "\"lang\" is used unless --lang-a or --lang-b is given");
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

namespace {

// The texts (and, unless given, languages) of documents pair.a and pair.b of the JSON Lines
// file pair.from, the first of each id. Reports what is missing or unreadable.
int ReadTwoDocuments(const DocumentPairFlags& pair, uint64_t max_bytes, std::string texts[2], std::string langs[2]) {
  bool found[2] = {false, false}, read_error = false;
  ReaderOptions options;
  options.max_bytes = max_bytes;
  options.stdin_format = StdinFormat::kJsonLines;
  DocumentReader reader(
      options,
      [&](Document&& doc) {
        for (int i = 0; i < 2; ++i) {
          if (found[i] || doc.id != (i == 0 ? pair.a : pair.b)) continue;
          found[i] = true;
          texts[i] = doc.text;
          if (langs[i].empty()) langs[i] = doc.lang;
        }
      },
      [&](const std::string& where, const std::string& reason) {
        // A line that is not a document may be one of the two: named, and the run fails.
        ReportError(where, reason);
        read_error = true;
      });
  FILE* file = pair.from == "-" ? stdin : std::fopen(pair.from.c_str(), "rb");
  if (file == nullptr) {
    ReportError(pair.from, std::string("cannot read: ") + std::strerror(errno));
    return kExitInputError;
  }
  reader.ReadJsonLines(pair.from, file);
  if (file != stdin) std::fclose(file);
  for (int i = 0; i < 2; ++i) {
    if (!found[i]) {
      ReportError(pair.from, "no document with id " + IdForMessage(i == 0 ? pair.a : pair.b) +
                                 (read_error ? " among the lines that could be read" : ""));
      return kExitInputError;
    }
  }
  return kExitOk;
}

}  // namespace

int CompareFiles(const PipelineFlags& pipeline, const DocumentPairFlags& pair, DedupOptions* options,
                 Comparison* comparison) {
  std::optional<DedupOptions> made = pipeline.ToOptions();
  if (!made) return kExitUsage;
  *options = *made;
  std::string texts[2], langs[2] = {pair.lang_a, pair.lang_b}, error;
  const std::string* paths[2] = {&pair.a, &pair.b};
  if (!pair.from.empty()) {
    if (const int code = ReadTwoDocuments(pair, options->fingerprint.normalize.max_bytes, texts, langs); code != kExitOk) {
      return code;
    }
  } else {
    for (int i = 0; i < 2; ++i) {
      if (!ReadWholeFile(*paths[i], &texts[i], &error, options->fingerprint.normalize.max_bytes)) {
        ReportError(*paths[i], "cannot read: " + error);
        return kExitInputError;
      }
    }
  }
  absl::StatusOr<Comparison> compared = Compare({texts[0], langs[0]}, {texts[1], langs[1]}, *options);
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

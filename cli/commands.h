// File: cli/commands.h
//
// The commands of `neardup`, one file each (command_*.cc). Each registers its subcommand and
// flags on the application, and runs when its subcommand was parsed, returning the exit code.

#ifndef NEARDUP_CLI_COMMANDS_H_
#define NEARDUP_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <memory>

namespace neardup::cli {

class Command {
 public:
  virtual ~Command() = default;
  // Adds the subcommand to `app`; the flags it parses are kept in the Command.
  virtual CLI::App* Register(CLI::App* app) = 0;
  virtual int Run() = 0;
};

std::unique_ptr<Command> MakeDedupCommand();    // near, contained and translation pairs, or clusters
std::unique_ptr<Command> MakeIndexCommand();    // a collection kept in a store file
std::unique_ptr<Command> MakeCompareCommand();  // the verdict on two documents, with its evidence
std::unique_ptr<Command> MakeAlignCommand();    // a document and its translation side by side
std::unique_ptr<Command> MakeAnchorsCommand();  // the language-independent anchors of a document

// The arguments of compare and align: two documents (files or '-') and their languages.
struct DocumentPairFlags {
  std::string a, b, lang_a, lang_b;
  std::string from;  // --from: A and B are ids of documents in this JSON Lines file
  void AddTo(CLI::App* command);
};

// A language option's check: what the library takes (ParseLanguageTag), or a usage error.
const CLI::Validator& LanguageTag();

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_COMMANDS_H_

// The `neardup` command. See README.md ("Command line") for usage and exit codes.
//
//   neardup dedup [options] INPUT...      near, contained and translation pairs (or clusters)
//   neardup compare [options] A B         the verdict on two documents, with its evidence
//   neardup align [options] A B           the paragraphs of a document and its translation, side by side
//   neardup anchors [options] FILE        the language-independent anchors of a document
//   neardup index ACTION STORE [INPUT...] a collection kept in a store file (add, query, pairs,
//                                         remove, stats, check, compact)
//
// Each command is in its own file (commands.h); this one parses and dispatches.
// Exit codes: 0 success; 1 some input could not be read or used (each named on stderr with the
// reason; the rest was processed); 2 usage error (bad option or value).

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "command_line.h"
#include "commands.h"
#include "neardup/version.h"

int main(int argc, char** argv) {
  using namespace neardup::cli;
  CLI::App app{"neardup: find near-duplicate texts.\n\nExit codes: 0 ok; 1 some input could not be read or used "
               "(named on stderr; the rest was processed); 2 usage error."};
  app.set_version_flag("--version", std::string("neardup ") + neardup::kVersionString);
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> commands;
  for (auto make : {MakeDedupCommand, MakeCompareCommand, MakeAlignCommand, MakeAnchorsCommand, MakeIndexCommand}) {
    std::unique_ptr<Command> command = make();
    CLI::App* registered = command->Register(&app);
    commands.emplace_back(registered, std::move(command));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  for (const auto& [subcommand, command] : commands) {
    if (subcommand->parsed()) return command->Run();
  }
  return kExitUsage;
}

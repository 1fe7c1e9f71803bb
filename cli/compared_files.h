// File: cli/compared_files.h
//
// Two documents read from files (or '-') and judged by the library's one recipe (Compare), for
// `neardup compare` and `neardup align`.

#ifndef NEARDUP_CLI_COMPARED_FILES_H_
#define NEARDUP_CLI_COMPARED_FILES_H_

#include "command_line.h"
#include "commands.h"
#include "neardup/compare.h"

namespace neardup::cli {

// Reads pair.a and pair.b, and compares them with the options of `pipeline` (in *options).
// An exit code other than kExitOk means an error was reported, naming the file it concerns.
int CompareFiles(const PipelineFlags& pipeline, const DocumentPairFlags& pair, DedupOptions* options,
                 Comparison* comparison);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_COMPARED_FILES_H_

// File: cli/progress.h
//
// A one-line progress report on stderr, redrawn at most four times a second and only when
// stderr is a terminal: "neardup: 1200 documents, 35.2 MB, 42%, 1m10s left" when the inputs'
// size is known (files and directories), without the share and time left otherwise
// (standard input). The time left assumes the rest goes as fast as what was read so far.

#ifndef NEARDUP_CLI_PROGRESS_H_
#define NEARDUP_CLI_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace neardup::cli {

class Progress {
 public:
  // `total`: the inputs' bytes as stored, when known.
  Progress(bool enabled, std::optional<uint64_t> total);
  ~Progress() { Done(); }
  // `position`: how many of the stored bytes were read.
  void Update(uint64_t documents, uint64_t bytes, uint64_t position);
  // Clears the line, if one was shown.
  void Done();

  // The line Update draws (without "\r"), at `elapsed` seconds: for tests and the redraw.
  static std::string Line(uint64_t documents, uint64_t bytes, uint64_t position, std::optional<uint64_t> total,
                          double elapsed);

 private:
  bool enabled_;
  bool shown_ = false;
  std::optional<uint64_t> total_;
  std::chrono::steady_clock::time_point started_, last_{};
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_PROGRESS_H_

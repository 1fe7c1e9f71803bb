// File: cli/progress.h
//
// A one-line progress report on stderr ("neardup: 1200 documents, 35.2 MB"), redrawn at most
// four times a second, and only when stderr is a terminal.

#ifndef NEARDUP_CLI_PROGRESS_H_
#define NEARDUP_CLI_PROGRESS_H_

#include <chrono>
#include <cstdint>

namespace neardup::cli {

class Progress {
 public:
  explicit Progress(bool enabled);
  ~Progress() { Done(); }
  void Update(uint64_t documents, uint64_t bytes);
  // Clears the line, if one was shown.
  void Done();

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_PROGRESS_H_

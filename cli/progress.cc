#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace neardup::cli {

// Redrawing more often only costs time: a person reads a few lines a second at most.
constexpr std::chrono::milliseconds kRedrawInterval(250);

Progress::Progress(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO)) {}

void Progress::Update(uint64_t documents, uint64_t bytes) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < kRedrawInterval) return;
  last_ = now;
  std::fprintf(stderr, "\rneardup: %llu documents, %.1f MB", static_cast<unsigned long long>(documents),
               static_cast<double>(bytes) / 1e6);
  shown_ = true;
}

void Progress::Done() {
  if (shown_) std::fprintf(stderr, "\r\033[K");
  shown_ = false;
}

}  // namespace neardup::cli

#include "progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace neardup::cli {
namespace {

// Redrawing more often only costs time: a person reads a few lines a second at most.
constexpr std::chrono::milliseconds kRedrawInterval(250);

// Before this much of the run, a rate (and so a time left) says little.
constexpr double kMinSecondsForEstimate = 1.0;

std::string Duration(double seconds) {
  const long s = std::max(0L, static_cast<long>(seconds + 0.5));
  char out[32];
  if (s >= 3600) {
    std::snprintf(out, sizeof out, "%ldh%02ldm", s / 3600, s / 60 % 60);
  } else if (s >= 60) {
    std::snprintf(out, sizeof out, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(out, sizeof out, "%lds", s);
  }
  return out;
}

}  // namespace

Progress::Progress(bool enabled, std::optional<uint64_t> total)
    : enabled_(enabled && isatty(STDERR_FILENO)), total_(total), started_(std::chrono::steady_clock::now()) {}

std::string Progress::Line(uint64_t documents, uint64_t bytes, uint64_t position, std::optional<uint64_t> total,
                           double elapsed) {
  char head[96];
  std::snprintf(head, sizeof head, "neardup: %llu documents, %.1f MB", static_cast<unsigned long long>(documents),
                static_cast<double>(bytes) / 1e6);
  std::string line = head;
  if (!total || *total == 0) return line;
  const double done = std::min(1.0, static_cast<double>(position) / static_cast<double>(*total));
  char share[16];
  std::snprintf(share, sizeof share, ", %d%%", static_cast<int>(done * 100));
  line += share;
  if (elapsed >= kMinSecondsForEstimate && done > 0) line += ", " + Duration(elapsed * (1 - done) / done) + " left";
  return line;
}

void Progress::Update(uint64_t documents, uint64_t bytes, uint64_t position) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < kRedrawInterval) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - started_).count();
  // \033[K clears what a longer earlier line left.
  std::fprintf(stderr, "\r%s\033[K", Line(documents, bytes, position, total_, elapsed).c_str());
  shown_ = true;
}

void Progress::Done() {
  if (shown_) std::fprintf(stderr, "\r\033[K");
  shown_ = false;
}

}  // namespace neardup::cli

// File: base/parallel_for.h
//
// ParallelFor(n, threads, work): work(i) for every i in [0, n), on up to `threads` threads
// (the caller's among them), each taking the next index as it finishes one: documents differ
// in cost by orders of magnitude, so fixed shares would leave threads idle. Returns when all
// are done.

#ifndef NEARDUP_BASE_PARALLEL_FOR_H_
#define NEARDUP_BASE_PARALLEL_FOR_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#include "absl/functional/function_ref.h"

namespace neardup::internal {

inline void ParallelFor(size_t n, size_t threads, absl::FunctionRef<void(size_t)> work) {
  std::atomic<size_t> next{0};
  const auto drain = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) work(i);
  };
  const size_t workers = std::clamp<size_t>(threads, 1, std::max<size_t>(1, n));
  std::vector<std::thread> pool;
  for (size_t k = 1; k < workers; ++k) pool.emplace_back(drain);
  drain();
  for (std::thread& t : pool) t.join();
}

}  // namespace neardup::internal

#endif  // NEARDUP_BASE_PARALLEL_FOR_H_

// neardup._worker_allocator(): glibc's malloc thresholds for a Dask worker, for neardup.dask.

#include <pybind11/pybind11.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstddef>

#include "register.h"

namespace neardup::python {
namespace {

// Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536 (its config
// distributed.nanny.pre-spawn-environ). Setting a threshold turns off glibc's dynamic mmap
// threshold, which stays at 128 KiB: every array over it is mapped afresh and zero-filled page
// by page, and the pandas and numpy steps of neardup.dask ran 2.6x slower (13.7 s to 35.4 s
// in one process on the perf corpus, near mode). These are the values glibc's own rule reaches
// at its ceiling: DEFAULT_MMAP_THRESHOLD_MAX on 64-bit, and a trim threshold of twice the
// mmap threshold, as glibc sets it when it raises the mmap threshold.
constexpr int kMmapThreshold = 32 * 1024 * 1024;
constexpr int kTrimThreshold = 2 * kMmapThreshold;

// Whether the thresholds were set (false where the C library is not glibc).
bool SetWorkerAllocator() {
#if defined(__GLIBC__)
  static const bool done =
      mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1;
  return done;
#else
  return false;
#endif
}

}  // namespace

void RegisterAllocator(py::module_& m) {
  m.def("_worker_allocator", &SetWorkerAllocator,
        "Internal: glibc's malloc thresholds at their dynamic ceiling, whatever MALLOC_TRIM_THRESHOLD_ the process "
        "was started with (Dask workers: 64 KiB). Returns whether they were set.");
}

}  // namespace neardup::python

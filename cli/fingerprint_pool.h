// File: cli/fingerprint_pool.h
//
// Fingerprints documents on several threads and hands them back in input order, so that the
// output of `neardup dedup --threads N` is byte for byte that of one thread. Documents travel
// in batches; at most a few batches per thread are in flight, so memory holds a bounded
// window of the input, never the whole corpus.

#ifndef NEARDUP_CLI_FINGERPRINT_POOL_H_
#define NEARDUP_CLI_FINGERPRINT_POOL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "document_reader.h"
#include "neardup/fingerprint.h"

namespace neardup::cli {

// One input position: a document with its fingerprint (or the error computing it), or an
// input error (a broken JSON line) that keeps its place in the order.
struct PoolItem {
  bool is_input_error = false;
  std::string where, reason;  // for input errors
  Document doc;
  absl::StatusOr<Fingerprint> fingerprint = absl::UnknownError("not computed");
};

class FingerprintPool {
 public:
  using Consumer = std::function<void(PoolItem&)>;

  // `threads` workers (0 or 1: everything inline on the calling thread). `consume` is called
  // for every item, in Push order, on one thread at a time.
  FingerprintPool(const Fingerprinter& fingerprinter, int threads, Consumer consume);
  ~FingerprintPool();

  void Push(PoolItem item);
  // Processes everything pushed so far and stops the threads. Called by the destructor too.
  void Finish();

 private:
  struct Batch {
    std::vector<PoolItem> items;
    bool done = false;
  };
  void Work();
  void Consume();
  void SubmitCurrent();

  const Fingerprinter& fingerprinter_;
  const int threads_;
  Consumer consume_;
  std::unique_ptr<Batch> current_;

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::shared_ptr<Batch>> pending_;   // not yet taken by a worker
  std::deque<std::shared_ptr<Batch>> in_order_;  // every batch not yet consumed, in input order
  bool closing_ = false;
  bool finished_ = false;
  std::vector<std::thread> workers_;
  std::thread consumer_;
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_FINGERPRINT_POOL_H_

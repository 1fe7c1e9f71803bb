#include "fingerprint_pool.h"

namespace neardup::cli {
namespace {
constexpr size_t kBatchSize = 64;
constexpr size_t kBatchesInFlightPerThread = 4;

void Fingerprint(const Fingerprinter& fingerprinter, PoolItem& item) {
  if (!item.is_input_error) item.fingerprint = fingerprinter.Compute(item.doc.text, item.doc.lang);
}
}  // namespace

FingerprintPool::FingerprintPool(const Fingerprinter& fingerprinter, int threads, Consumer consume)
    : fingerprinter_(fingerprinter), threads_(threads), consume_(std::move(consume)) {
  if (threads_ <= 1) return;
  for (int i = 0; i < threads_; ++i) workers_.emplace_back([this] { Work(); });
  consumer_ = std::thread([this] { Consume(); });
}

FingerprintPool::~FingerprintPool() { Finish(); }

void FingerprintPool::Push(PoolItem item) {
  if (threads_ <= 1) {
    Fingerprint(fingerprinter_, item);
    consume_(item);
    return;
  }
  if (!current_) current_ = std::make_unique<Batch>();
  current_->items.push_back(std::move(item));
  if (current_->items.size() == kBatchSize) SubmitCurrent();
}

void FingerprintPool::SubmitCurrent() {
  if (!current_ || current_->items.empty()) return;
  std::shared_ptr<Batch> batch(std::move(current_));
  std::unique_lock lock(mu_);
  // Back-pressure: wait while too many batches are unconsumed.
  changed_.wait(lock, [this] { return in_order_.size() < kBatchesInFlightPerThread * threads_; });
  pending_.push_back(batch);
  in_order_.push_back(batch);
  changed_.notify_all();
}

void FingerprintPool::Work() {
  for (;;) {
    std::shared_ptr<Batch> batch;
    {
      std::unique_lock lock(mu_);
      changed_.wait(lock, [this] { return closing_ || !pending_.empty(); });
      if (pending_.empty()) return;  // closing and nothing left
      batch = pending_.front();
      pending_.pop_front();
    }
    for (PoolItem& item : batch->items) Fingerprint(fingerprinter_, item);
    std::lock_guard lock(mu_);
    batch->done = true;
    changed_.notify_all();
  }
}

void FingerprintPool::Consume() {
  for (;;) {
    std::shared_ptr<Batch> batch;
    {
      std::unique_lock lock(mu_);
      changed_.wait(lock, [this] { return (!in_order_.empty() && in_order_.front()->done) || (closing_ && in_order_.empty()); });
      if (in_order_.empty()) return;
      batch = in_order_.front();
    }
    for (PoolItem& item : batch->items) consume_(item);
    std::lock_guard lock(mu_);
    in_order_.pop_front();
    changed_.notify_all();
  }
}

void FingerprintPool::Finish() {
  if (finished_) return;
  finished_ = true;
  if (threads_ <= 1) return;
  SubmitCurrent();
  {
    std::lock_guard lock(mu_);
    closing_ = true;
    changed_.notify_all();
  }
  for (std::thread& t : workers_) t.join();
  consumer_.join();
}

}  // namespace neardup::cli

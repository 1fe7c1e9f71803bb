#include "neardup/lsh.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <tuple>
#include <shared_mutex>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "index/gentle_growth.h"
#include "text/hash.h"
#include "index/band_table.h"
#include "index/band_key.h"
#include "base/status_macros.h"

namespace neardup {

// ---------------------------------------------------------------------------------------------
// Banding

LshParams::LshParams(int num_perm, int num_bands) : num_perm_(num_perm), num_bands_(num_bands) {}

int LshParams::rows(int band) const {
  return num_perm_ / num_bands_ + (band < num_perm_ % num_bands_ ? 1 : 0);
}

int LshParams::band_begin(int band) const {
  const int base = num_perm_ / num_bands_, extra = num_perm_ % num_bands_;
  return band * base + std::min(band, extra);
}

namespace {
// x^n by squaring: exact for the integer exponents here, and far cheaper than std::pow in the
// integrals ChooseLshParams evaluates for every banding.
double IntPow(double x, int n) {
  double result = 1.0;
  while (n > 0) {
    if (n & 1) result *= x;
    x *= x;
    n >>= 1;
  }
  return result;
}
}  // namespace

double LshParams::DetectionProbability(double s) const {
  const int base = num_perm_ / num_bands_, extra = num_perm_ % num_bands_;
  const double miss_long = IntPow(1.0 - IntPow(s, base + 1), extra);
  const double miss_short = IntPow(1.0 - IntPow(s, base), num_bands_ - extra);
  return 1.0 - miss_long * miss_short;
}

namespace {

// Simpson's rule with 256 intervals: the integrands are smooth polynomials in s.
template <typename F>
double Integrate(F f, double lo, double hi) {
  constexpr int kSteps = 256;
  if (hi <= lo) return 0.0;
  const double h = (hi - lo) / kSteps;
  double sum = f(lo) + f(hi);
  for (int i = 1; i < kSteps; ++i) sum += f(lo + i * h) * (i % 2 ? 4 : 2);
  return sum * h / 3.0;
}

}  // namespace

double LshParams::FalsePositiveArea(double threshold) const {
  return Integrate([this](double s) { return DetectionProbability(s); }, 0.0, threshold);
}

double LshParams::FalseNegativeArea(double threshold) const {
  return Integrate([this](double s) { return 1.0 - DetectionProbability(s); }, threshold, 1.0);
}

absl::StatusOr<LshParams> ChooseLshParams(const LshOptions& o) {
  if (o.num_perm < 1 || o.num_perm > kMaxNumPerm) {
    return absl::InvalidArgumentError(absl::StrCat("num_perm must be in [1, ", kMaxNumPerm, "], got ", o.num_perm));
  }
  if (!(o.threshold > 0.0 && o.threshold <= 1.0)) {
    return absl::InvalidArgumentError(absl::StrCat("threshold must be in (0, 1], got ", o.threshold));
  }
  if (!(o.false_positive_weight >= 0.0) || !(o.false_negative_weight >= 0.0) ||
      o.false_positive_weight + o.false_negative_weight <= 0.0) {
    return absl::InvalidArgumentError("LSH weights must be non-negative and not both zero");
  }
  if (o.num_bands < 0 || o.num_bands > o.num_perm) {
    return absl::InvalidArgumentError(
        absl::StrCat("num_bands must be in [0, num_perm=", o.num_perm, "], got ", o.num_bands));
  }
  if (o.num_bands > 0) return LshParams(o.num_perm, o.num_bands);
  // The search integrates every banding (about a millisecond at k = 128); indexes are often
  // made with the same options, so remember the answers.
  static std::mutex cache_mu;
  static std::map<std::tuple<int, double, double, double>, LshParams> cache;
  const auto key = std::make_tuple(o.num_perm, o.threshold, o.false_positive_weight, o.false_negative_weight);
  {
    std::lock_guard lock(cache_mu);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  LshParams best(o.num_perm, 1);
  double best_error = std::numeric_limits<double>::infinity();
  for (int b = 1; b <= o.num_perm; ++b) {
    LshParams p(o.num_perm, b);
    const double error = o.false_positive_weight * p.FalsePositiveArea(o.threshold) +
                         o.false_negative_weight * p.FalseNegativeArea(o.threshold);
    if (error < best_error) best_error = error, best = p;
  }
  std::lock_guard lock(cache_mu);
  if (cache.size() < 1024) cache.emplace(key, best);
  return best;
}

// ---------------------------------------------------------------------------------------------
// Index

struct LshIndex::Impl {
  LshOptions options;
  LshParams params;
  mutable std::shared_mutex mu;

  bool has_fingerprint = false;
  uint64_t fingerprint = 0;

  // Slot-indexed storage; removed slots are recycled through free_slots. A signature is kept
  // as its values' top 32 bits (TruncateSignature): 4 bytes a position.
  // In chunks of kSlotsPerChunk slots, value i of slot s at [s / kSlotsPerChunk][(s %
  // kSlotsPerChunk) * num_perm + i]: one growing vector would hold up to twice its size.
  static constexpr size_t kSlotsPerChunk = 256;
  std::vector<std::unique_ptr<uint32_t[]>> value_chunks;
  std::vector<uint64_t> set_sizes;   // per slot
  std::vector<uint64_t> slot_ids;    // per slot
  std::vector<uint32_t> free_slots;
  // The slots in use, found by id: a set of slots hashed and compared through slot_ids, 5
  // bytes a bucket where a map from id to slot took 17.
  struct Id {
    uint64_t id;
  };
  struct SlotHash {
    using is_transparent = void;
    const std::vector<uint64_t>* slot_ids;
    size_t operator()(uint32_t slot) const { return (*this)(Id{(*slot_ids)[slot]}); }
    size_t operator()(Id id) const { return absl::Hash<uint64_t>{}(id.id); }
  };
  struct SlotEq {
    using is_transparent = void;
    const std::vector<uint64_t>* slot_ids;
    uint64_t IdOf(uint32_t slot) const { return (*slot_ids)[slot]; }
    uint64_t IdOf(Id id) const { return id.id; }
    bool operator()(auto a, auto b) const { return IdOf(a) == IdOf(b); }
  };
  absl::flat_hash_set<uint32_t, SlotHash, SlotEq> slot_of_id{0, SlotHash{&slot_ids}, SlotEq{&slot_ids}};
  std::vector<internal::BandTable> bands;  // one per band: bucket key -> slots

  int k() const { return params.num_perm(); }


  // The kept values of a signature given to Add or Query.
  static void Keep(const Signature& s, std::vector<uint32_t>* out) {
    out->resize(s.values().size());
    for (size_t i = 0; i < out->size(); ++i) (*out)[i] = KeptBits(s.values()[i]);
  }

  uint32_t BandKey(const uint32_t* sig, int band) const { return internal::BandKey(sig, params, band); }

  uint32_t* SlotValues(uint32_t slot) const {
    return value_chunks[slot / kSlotsPerChunk].get() + size_t{slot % kSlotsPerChunk} * k();
  }

  Signature SlotSignature(uint32_t slot) const {
    std::vector<uint64_t> restored(k());
    for (int i = 0; i < k(); ++i) restored[i] = FromKeptBits(SlotValues(slot)[i]);
    return Signature(std::move(restored), set_sizes[slot], fingerprint);
  }

  absl::Status CheckSignature(const Signature& s) const {
    if (s.size() != k()) {
      return absl::InvalidArgumentError(
          absl::StrCat("signature has ", s.size(), " values, the index expects num_perm=", k()));
    }
    if (has_fingerprint && s.params_fingerprint() != fingerprint) {
      return absl::FailedPreconditionError(absl::StrCat(
          "signature parameters (fingerprint ", absl::Hex(s.params_fingerprint(), absl::kZeroPad16),
          ") differ from the index's (", absl::Hex(fingerprint, absl::kZeroPad16), ")"));
    }
    return absl::OkStatus();
  }

  int EqualPositions(const uint32_t* sig, uint32_t slot) const {
    return internal::EqualKeptValues(sig, SlotValues(slot), k());
  }

  void PrefetchSlot(uint32_t slot) const {
    const uint32_t* v = SlotValues(slot);
    for (int line = 0; line < k(); line += 64 / sizeof(uint32_t)) __builtin_prefetch(v + line);
  }

  std::vector<uint32_t> CandidateSlots(const uint32_t* sig) const {
    std::vector<uint32_t> slots;
    // Every band's table is a cache miss away: compute the keys and prefetch them all first,
    // so that the misses overlap.
    thread_local std::vector<uint32_t> keys;
    keys.resize(params.num_bands());
    for (int band = 0; band < params.num_bands(); ++band) {
      keys[band] = BandKey(sig, band);
      bands[band].Prefetch(keys[band]);
    }
    // Each slot once, in the order first met (callers order what they return themselves): a
    // slot met in several bands is stamped with this call's number. A translation query meets
    // about a thousand entries in 62 bands on the perf corpus, 250 of them distinct, and
    // sorting them to drop repeats was a twentieth of the index stage.
    thread_local std::vector<uint32_t> stamp_of_slot;
    thread_local uint32_t stamp = 0;
    if (stamp_of_slot.size() < slot_ids.size()) stamp_of_slot.resize(slot_ids.size() + slot_ids.size() / 2, 0);
    if (++stamp == 0) {  // wrapped: stamps of 2^32 calls ago would read as this one's
      std::fill(stamp_of_slot.begin(), stamp_of_slot.end(), 0);
      stamp = 1;
    }
    for (int band = 0; band < params.num_bands(); ++band) {
      uint32_t left = options.max_bucket_scan == 0 ? UINT32_MAX : options.max_bucket_scan;
      bands[band].ForEach(keys[band], [&](uint32_t slot) {
        if (stamp_of_slot[slot] != stamp) stamp_of_slot[slot] = stamp, slots.push_back(slot);
        return --left > 0;
      });
    }
    return slots;
  }
};

LshIndex::LshIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LshIndex::LshIndex(LshIndex&&) noexcept = default;
LshIndex& LshIndex::operator=(LshIndex&&) noexcept = default;
LshIndex::~LshIndex() = default;

absl::StatusOr<LshIndex> LshIndex::Create(const LshOptions& options) {
  absl::StatusOr<LshParams> params = ChooseLshParams(options);
  if (!params.ok()) return params.status();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->params = *params;
  impl->bands.resize(params->num_bands());
  return LshIndex(std::move(impl));
}

absl::Status LshIndex::Add(uint64_t id, const Signature& signature) {
  Impl& m = *impl_;
  std::unique_lock lock(m.mu);
  if (absl::Status s = m.CheckSignature(signature); !s.ok()) return s;
  if (m.slot_of_id.contains(Impl::Id{id})) return absl::AlreadyExistsError(absl::StrCat("id ", id, " is already in the index"));
  if (!m.has_fingerprint) m.has_fingerprint = true, m.fingerprint = signature.params_fingerprint();
  uint32_t slot;
  const size_t k = m.k();
  if (!m.free_slots.empty()) {
    slot = m.free_slots.back();
    m.free_slots.pop_back();
    m.set_sizes[slot] = signature.set_size();
    m.slot_ids[slot] = id;
  } else {
    if (m.slot_ids.size() >= internal::BandTable::kMaxSlot) {
      return absl::ResourceExhaustedError("LshIndex holds 2^32-2 documents already");
    }
    slot = static_cast<uint32_t>(m.slot_ids.size());
    if (slot % Impl::kSlotsPerChunk == 0) m.value_chunks.push_back(std::make_unique<uint32_t[]>(Impl::kSlotsPerChunk * k));
    internal::AppendGently(m.set_sizes, signature.set_size());
    internal::AppendGently(m.slot_ids, id);
  }
  uint32_t* kept = m.SlotValues(slot);
  for (size_t i = 0; i < k; ++i) kept[i] = KeptBits(signature.values()[i]);
  m.slot_of_id.insert(slot);
  for (int band = 0; band < m.params.num_bands(); ++band) m.bands[band].Insert(m.BandKey(kept, band), slot);
  return absl::OkStatus();
}

absl::Status LshIndex::Remove(uint64_t id) {
  Impl& m = *impl_;
  std::unique_lock lock(m.mu);
  const auto found = m.slot_of_id.find(Impl::Id{id});
  if (found == m.slot_of_id.end()) return absl::NotFoundError(absl::StrCat("id ", id, " is not in the index"));
  const uint32_t slot = *found;
  for (int band = 0; band < m.params.num_bands(); ++band) m.bands[band].Erase(m.BandKey(m.SlotValues(slot), band), slot);
  m.slot_of_id.erase(found);
  m.free_slots.push_back(slot);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Candidate>> LshIndex::Query(const Signature& signature,
                                                       std::optional<double> min_similarity) const {
  const Impl& m = *impl_;
  std::shared_lock lock(m.mu);
  if (absl::Status s = m.CheckSignature(signature); !s.ok()) return s;
  const double floor = min_similarity.value_or(m.options.threshold);
  thread_local std::vector<uint32_t> kept;
  Impl::Keep(signature, &kept);
  std::vector<Candidate> out;
  const std::vector<uint32_t> slots = m.CandidateSlots(kept.data());
  // As in ForEachCandidate: fetch the next stored signature while this one is compared.
  if (!slots.empty()) m.PrefetchSlot(slots[0]);
  for (size_t i = 0; i < slots.size(); ++i) {
    if (i + 1 < slots.size()) m.PrefetchSlot(slots[i + 1]);
    const uint32_t slot = slots[i];
    const bool empty = signature.set_size() == 0 || m.set_sizes[slot] == 0;
    const double sim = empty ? 0.0 : static_cast<double>(m.EqualPositions(kept.data(), slot)) / m.k();
    if (sim >= floor) out.push_back(Candidate{m.slot_ids[slot], sim});
  }
  std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    return a.similarity != b.similarity ? a.similarity > b.similarity : a.id < b.id;
  });
  return out;
}

absl::Status LshIndex::ForEachCandidate(
    const Signature& signature, std::span<const uint64_t> also,
    absl::FunctionRef<bool(int agree, uint64_t set_size)> plausible,
    absl::FunctionRef<void(uint64_t id, std::span<const uint64_t> values, uint64_t set_size)> visit) const {
  const Impl& m = *impl_;
  std::shared_lock lock(m.mu);
  NEARDUP_RETURN_IF_ERROR(m.CheckSignature(signature));
  thread_local std::vector<uint32_t> kept;
  Impl::Keep(signature, &kept);
  std::vector<std::pair<uint64_t, uint32_t>> found;  // (id, slot)
  for (uint32_t slot : m.CandidateSlots(kept.data())) found.emplace_back(m.slot_ids[slot], slot);
  for (uint64_t id : also) {
    if (const auto it = m.slot_of_id.find(Impl::Id{id}); it != m.slot_of_id.end()) found.emplace_back(id, *it);
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  // Each stored signature is a run of cache misses (512 bytes at k = 128): fetch the next one
  // while this one is compared.
  if (!found.empty()) m.PrefetchSlot(found[0].second);
  thread_local std::vector<uint64_t> restored;
  restored.resize(m.k());
  for (size_t i = 0; i < found.size(); ++i) {
    if (i + 1 < found.size()) m.PrefetchSlot(found[i + 1].second);
    const uint32_t slot = found[i].second;
    if (!plausible(m.EqualPositions(kept.data(), slot), m.set_sizes[slot])) continue;
    for (int j = 0; j < m.k(); ++j) restored[j] = FromKeptBits(m.SlotValues(slot)[j]);
    visit(found[i].first, restored, m.set_sizes[slot]);
  }
  return absl::OkStatus();
}

absl::StatusOr<Signature> LshIndex::Get(uint64_t id) const {
  const Impl& m = *impl_;
  std::shared_lock lock(m.mu);
  const auto found = m.slot_of_id.find(Impl::Id{id});
  if (found == m.slot_of_id.end()) return absl::NotFoundError(absl::StrCat("id ", id, " is not in the index"));
  return m.SlotSignature(*found);
}

LshIndex::Snapshot LshIndex::TakeSnapshot() const {
  const Impl& m = *impl_;
  std::shared_lock lock(m.mu);
  Snapshot out;
  if (m.has_fingerprint) out.params_fingerprint = m.fingerprint;
  out.entries.reserve(m.slot_of_id.size());
  for (uint32_t slot : m.slot_of_id) out.entries.emplace_back(m.slot_ids[slot], m.SlotSignature(slot));
  std::sort(out.entries.begin(), out.entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });  // flat_hash_set order is unspecified
  return out;
}

std::vector<uint64_t> LshIndex::Ids() const {
  const Impl& m = *impl_;
  std::shared_lock lock(m.mu);
  std::vector<uint64_t> ids;
  ids.reserve(m.slot_of_id.size());
  for (uint32_t slot : m.slot_of_id) ids.push_back(m.slot_ids[slot]);
  std::sort(ids.begin(), ids.end());  // flat_hash_set order is unspecified
  return ids;
}

absl::Status LshIndex::PinParamsFingerprint(uint64_t fingerprint) {
  Impl& m = *impl_;
  std::unique_lock lock(m.mu);
  if (m.has_fingerprint && m.fingerprint != fingerprint) {
    return absl::FailedPreconditionError(absl::StrCat("the index's params fingerprint is already ",
                                                      absl::Hex(m.fingerprint, absl::kZeroPad16)));
  }
  m.has_fingerprint = true, m.fingerprint = fingerprint;
  return absl::OkStatus();
}

std::optional<uint64_t> LshIndex::params_fingerprint() const {
  std::shared_lock lock(impl_->mu);
  if (!impl_->has_fingerprint) return std::nullopt;
  return impl_->fingerprint;
}

bool LshIndex::Contains(uint64_t id) const {
  std::shared_lock lock(impl_->mu);
  return impl_->slot_of_id.contains(Impl::Id{id});
}

size_t LshIndex::size() const {
  std::shared_lock lock(impl_->mu);
  return impl_->slot_of_id.size();
}

size_t LshIndex::MemoryUsage() const {
  const Impl& m = *impl_;
  std::shared_lock lock(m.mu);
  // flat_hash_set: one control byte plus the slot per bucket.
  size_t bytes = m.value_chunks.size() * Impl::kSlotsPerChunk * m.k() * 4 + m.set_sizes.capacity() * 8 + m.slot_ids.capacity() * 8 +
                 m.free_slots.capacity() * 4 + m.slot_of_id.bucket_count() * (1 + sizeof(uint32_t));
  for (const auto& band : m.bands) bytes += band.MemoryUsage();
  return bytes;
}

const LshParams& LshIndex::params() const { return impl_->params; }
const LshOptions& LshIndex::options() const { return impl_->options; }

}  // namespace neardup

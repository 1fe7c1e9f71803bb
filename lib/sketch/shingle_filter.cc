#include "sketch/shingle_filter.h"

#include <bit>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "internal/byte_reader.h"
#include "internal/endian.h"

namespace neardup::internal {
namespace {

// The range the keys are mapped into: n·2^P, so that a random position is taken with
// probability about 2^-P.
uint64_t RangeOf(uint64_t n) { return n << kFilterRemainderBits; }

// Lemire's fast range: ⌊key · range / 2^32⌋, monotone in the key; exact in 64-bit arithmetic
// (the range split into its high and low 32 bits).
uint64_t MapKey(uint32_t key, uint64_t range) {
  return uint64_t{key} * (range >> 32) + ((uint64_t{key} * (range & 0xFFFFFFFFu)) >> 32);
}

class BitWriter {
 public:
  explicit BitWriter(std::string* out) : out_(out) {}
  void Put(uint64_t bits, int count) {  // count <= 32
    buf_ |= bits << used_;
    used_ += count;
    while (used_ >= 8) {
      out_->push_back(static_cast<char>(buf_ & 0xFF));
      buf_ >>= 8, used_ -= 8;
    }
  }
  void PutUnary(uint64_t q) {
    for (; q >= 32; q -= 32) Put(0xFFFFFFFFu, 32);
    Put((uint64_t{1} << q) - 1, static_cast<int>(q) + 1);  // q ones, then a zero
  }
  void Flush() {
    if (used_ > 0) out_->push_back(static_cast<char>(buf_ & 0xFF));
    buf_ = 0, used_ = 0;
  }

 private:
  std::string* out_;
  uint64_t buf_ = 0;
  int used_ = 0;
};

class BitReader {
 public:
  explicit BitReader(std::string_view bytes) : bytes_(bytes) {}
  // A unary number (ones ended by a zero); false if the bits run out.
  bool ReadUnary(uint64_t* q) {
    *q = 0;
    for (;;) {
      Refill();
      if (avail_ == 0) return false;
      const uint64_t valid = avail_ == 64 ? ~uint64_t{0} : (uint64_t{1} << avail_) - 1;
      const uint64_t zeros = ~buf_ & valid;
      if (zeros == 0) {
        *q += avail_;
        buf_ = 0, avail_ = 0;
        continue;
      }
      const int ones = std::countr_zero(zeros);
      *q += ones;
      buf_ = (buf_ >> ones) >> 1;
      avail_ -= ones + 1;
      return true;
    }
  }
  // `count` bits (at most 32); false if they run out.
  bool Read(int count, uint64_t* v) {
    Refill();
    if (avail_ < count) return false;
    *v = buf_ & ((uint64_t{1} << count) - 1);
    buf_ >>= count, avail_ -= count;
    return true;
  }
  // Whether only zero padding of the last byte is left.
  bool AtEnd() const { return next_ == bytes_.size() && avail_ < 8 && buf_ == 0; }

 private:
  void Refill() {
    while (avail_ <= 56 && next_ < bytes_.size()) {
      buf_ |= uint64_t{static_cast<uint8_t>(bytes_[next_++])} << avail_;
      avail_ += 8;
    }
  }
  std::string_view bytes_;
  size_t next_ = 0;
  uint64_t buf_ = 0;
  int avail_ = 0;
};

}  // namespace

std::string EncodeShingleFilter(std::span<const uint32_t> sorted_keys) {
  const uint64_t range = RangeOf(sorted_keys.size());
  std::vector<uint64_t> mapped;
  mapped.reserve(sorted_keys.size());
  for (uint32_t key : sorted_keys) {
    const uint64_t m = MapKey(key, range);
    if (mapped.empty() || mapped.back() != m) mapped.push_back(m);  // repeats, and keys mapped together
  }
  std::string out;
  AppendVarint(out, sorted_keys.size());
  AppendVarint(out, mapped.size());
  BitWriter bits(&out);
  uint64_t previous = 0;
  for (uint64_t m : mapped) {
    const uint64_t gap = m - previous;
    bits.PutUnary(gap >> kFilterRemainderBits);
    bits.Put(gap & ((uint64_t{1} << kFilterRemainderBits) - 1), kFilterRemainderBits);
    previous = m;
  }
  bits.Flush();
  return out;
}

absl::StatusOr<uint32_t> CountInFilter(std::string_view filter, std::span<const uint32_t> sorted_probes) {
  ByteReader header(filter);
  absl::StatusOr<uint64_t> n = header.ReadVarint("filter key count");
  if (!n.ok()) return n.status();
  absl::StatusOr<uint64_t> count = header.ReadVarint("filter value count");
  if (!count.ok()) return count.status();
  // A key count whose range overflows, or more values than keys: not a filter any writer makes.
  if (*n > (uint64_t{1} << 40) || *count > *n) {
    return absl::DataLossError(absl::StrCat("a shingle filter claims ", *count, " values for ", *n, " keys"));
  }
  const uint64_t range = RangeOf(*n);
  BitReader bits(filter.substr(header.pos()));
  uint32_t hits = 0;
  size_t p = 0;
  uint64_t value = 0;
  for (uint64_t i = 0; i < *count; ++i) {
    uint64_t quotient = 0, remainder = 0;
    if (!bits.ReadUnary(&quotient) || !bits.Read(kFilterRemainderBits, &remainder) || quotient >= range) {
      return absl::DataLossError(absl::StrCat("a shingle filter ends after ", i, " of its ", *count, " values"));
    }
    const uint64_t gap = (quotient << kFilterRemainderBits) | remainder;
    if ((i > 0 && gap == 0) || value + gap >= range) {
      return absl::DataLossError(absl::StrCat("a shingle filter's value ", i, " is out of order or range"));
    }
    value += gap;
    for (; p < sorted_probes.size(); ++p) {
      const uint64_t m = MapKey(sorted_probes[p], range);
      if (m > value) break;
      hits += m == value;
    }
  }
  if (!bits.AtEnd()) return absl::DataLossError("a shingle filter has bytes after its last value");
  return hits;
}

double FilterFalsePositiveRate() { return -std::expm1(-std::ldexp(1.0, -kFilterRemainderBits)); }

}  // namespace neardup::internal

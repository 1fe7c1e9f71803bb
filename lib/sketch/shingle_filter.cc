#include "sketch/shingle_filter.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/byte_reader.h"
#include "base/endian.h"

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

// Bits written low first, 32 at a time, into room reserved for at most `max_bits` (written
// in place: appending byte by byte was most of the encoder's time).
class BitWriter {
 public:
  BitWriter(std::string* out, uint64_t max_bits) : out_(out), next_(out->size()) {
    out->resize(next_ + (max_bits + 31) / 32 * 4);
  }
  void Put(uint64_t bits, int count) {  // count <= 32
    buf_ |= bits << used_;
    used_ += count;
    if (used_ >= 32) {
      const uint32_t word = static_cast<uint32_t>(buf_);
      const unsigned char bytes[4] = {static_cast<unsigned char>(word), static_cast<unsigned char>(word >> 8),
                                      static_cast<unsigned char>(word >> 16), static_cast<unsigned char>(word >> 24)};
      std::memcpy(out_->data() + next_, bytes, 4);
      next_ += 4;
      buf_ >>= 32, used_ -= 32;
    }
  }
  void PutUnary(uint64_t q) {
    for (; q >= 32; q -= 32) Put(0xFFFFFFFFu, 32);
    Put((uint64_t{1} << q) - 1, static_cast<int>(q) + 1);  // q ones, then a zero
  }
  // Writes the last bits and drops the room not used.
  void Flush() {
    for (; used_ > 0; used_ -= 8) (*out_)[next_++] = static_cast<char>(buf_ & 0xFF), buf_ >>= 8;
    out_->resize(next_);
    buf_ = 0, used_ = 0;
  }

 private:
  std::string* out_;
  size_t next_;  // where the next 32 bits go
  uint64_t buf_ = 0;
  int used_ = 0;
};

// Bits read low first. Where 8 bytes are left, a refill loads them at once; the bits it puts
// above avail_ are the stream's next ones, which the next refill ORs in again unchanged.
class BitReader {
 public:
  explicit BitReader(std::string_view bytes)
      : bytes_(reinterpret_cast<const unsigned char*>(bytes.data())), size_(bytes.size()) {}
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
    if (avail_ < count) Refill();
    if (avail_ < count) return false;
    *v = buf_ & ((uint64_t{1} << count) - 1);
    buf_ >>= count, avail_ -= count;
    return true;
  }
  // Whether only zero padding of the last byte is left.
  bool AtEnd() const { return next_ == size_ && avail_ < 8 && (buf_ & ((uint64_t{1} << avail_) - 1)) == 0; }

 private:
  void Refill() {
    if (avail_ > 56) return;
    if (next_ + 8 <= size_) {
      buf_ |= LoadLe(bytes_ + next_, 8) << avail_;
      const int taken = (63 - avail_) / 8;
      next_ += taken, avail_ += 8 * taken;
      return;
    }
    for (; avail_ <= 56 && next_ < size_; avail_ += 8) buf_ |= uint64_t{bytes_[next_++]} << avail_;
  }
  const unsigned char* bytes_;
  size_t size_;
  size_t next_ = 0;
  uint64_t buf_ = 0;
  int avail_ = 0;
};

}  // namespace

std::string EncodeShingleFilter(std::span<const uint32_t> sorted_keys) {
  const uint64_t range = RangeOf(sorted_keys.size());
  thread_local std::vector<uint64_t> mapped;
  mapped.clear();
  for (uint32_t key : sorted_keys) {
    const uint64_t m = MapKey(key, range);
    if (mapped.empty() || mapped.back() != m) mapped.push_back(m);  // repeats, and keys mapped together
  }
  std::string out;
  AppendVarint(out, sorted_keys.size());
  AppendVarint(out, mapped.size());
  // Each value takes P remainder bits and a unary quotient whose ones add up to at most the
  // last value's quotient, below range / 2^P = n, and whose zeros are one a value.
  BitWriter bits(&out, mapped.size() * (kFilterRemainderBits + 1) + sorted_keys.size());
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

absl::StatusOr<uint32_t> CountInFilter(std::string_view filter, std::span<const uint32_t> sorted_probes,
                                       uint32_t needed) {
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
  thread_local std::vector<uint64_t> probes;  // mapped as the values are
  probes.clear();
  for (uint32_t probe : sorted_probes) probes.push_back(MapKey(probe, range));
  uint32_t hits = 0;
  size_t p = 0;
  uint64_t value = 0;
  for (uint64_t i = 0; i < *count; ++i) {
    if (hits + (probes.size() - p) < needed) return hits;
    uint64_t quotient = 0, remainder = 0;
    if (!bits.ReadUnary(&quotient) || !bits.Read(kFilterRemainderBits, &remainder) || quotient >= range) {
      return absl::DataLossError(absl::StrCat("a shingle filter ends after ", i, " of its ", *count, " values"));
    }
    const uint64_t gap = (quotient << kFilterRemainderBits) | remainder;
    if ((i > 0 && gap == 0) || value + gap >= range) {
      return absl::DataLossError(absl::StrCat("a shingle filter's value ", i, " is out of order or range"));
    }
    value += gap;
    for (; p < probes.size() && probes[p] <= value; ++p) hits += probes[p] == value;
  }
  if (!bits.AtEnd()) return absl::DataLossError("a shingle filter has bytes after its last value");
  return hits;  // a probe above the last value is a miss
}

double FilterFalsePositiveRate() { return -std::expm1(-std::ldexp(1.0, -kFilterRemainderBits)); }

}  // namespace neardup::internal

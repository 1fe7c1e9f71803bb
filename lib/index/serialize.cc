#include "neardup/serialize.h"

#include <bit>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/byte_reader.h"
#include "base/endian.h"
#include "text/hash.h"
#include "base/status_macros.h"

namespace neardup {
namespace {

constexpr char kMagic[4] = {'N', 'D', 'U', 'P'};
constexpr uint8_t kSignatureRecord = 1;
constexpr uint8_t kLshIndexRecord = 2;
constexpr uint8_t kPackedSignatureRecord = 3;
constexpr size_t kPreambleSize = 12;  // magic, version, type, flags, header size
constexpr size_t kChecksumSize = 8;

void AppendPreamble(std::string& out, uint8_t record_type) {
  out.append(kMagic, 4);
  internal::AppendLe16(out, kFormatVersion);
  internal::AppendLe(out, record_type, 1);
  internal::AppendLe(out, 0, 1);  // flags
  internal::AppendLe32(out, 0);   // header size, patched by PatchHeaderSize
}

void PatchHeaderSize(std::string& out) {
  const uint32_t size = static_cast<uint32_t>(out.size());
  for (int i = 0; i < 4; ++i) out[8 + i] = static_cast<char>((size >> (8 * i)) & 0xFF);
}

void AppendChecksum(std::string& out) { internal::AppendLe64(out, internal::Hash64(out, 0)); }

// The record reader (base/byte_reader.h), knowing the record's format version.
class Cursor : public internal::ByteReader {
 public:
  using ByteReader::ByteReader;
  uint64_t version = 0;  // the record's format version, once OpenRecord has read it
};

// Checks checksum, magic, version and type; returns a cursor over the body (checksum excluded)
// positioned after the preamble, and the header size through *header_size.
absl::StatusOr<Cursor> OpenRecord(std::string_view bytes, uint8_t expected_type, uint32_t* header_size) {
  if (bytes.size() < 4) {
    return absl::DataLossError(absl::StrCat("truncated record: ", bytes.size(), " bytes, shorter than its magic"));
  }
  if (std::memcmp(bytes.data(), kMagic, 4) != 0) {
    return absl::InvalidArgumentError("not a neardup record (magic \"NDUP\" missing)");
  }
  if (bytes.size() < kPreambleSize + kChecksumSize) {
    return absl::DataLossError(absl::StrCat("truncated record: ", bytes.size(), " bytes, a record has at least ",
                                            kPreambleSize + kChecksumSize));
  }
  const std::string_view body = bytes.substr(0, bytes.size() - kChecksumSize);
  const uint64_t stored = internal::LoadLe(reinterpret_cast<const unsigned char*>(bytes.data() + body.size()), 8);
  const uint64_t actual = internal::Hash64(body, 0);
  if (stored != actual) {
    return absl::DataLossError(absl::StrCat("checksum mismatch: stored ", absl::Hex(stored, absl::kZeroPad16),
                                            ", computed ", absl::Hex(actual, absl::kZeroPad16),
                                            " (the record is truncated or corrupted)"));
  }
  Cursor c(body);
  NEARDUP_RETURN_IF_ERROR(c.Seek(4));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t version, c.Read(2, "format version"));
  if (version == 0 || version > kFormatVersion) {
    return absl::UnimplementedError(absl::StrCat("format version ", version, " is not supported; this build reads 1 to ",
                                                 kFormatVersion, " (written by a newer neardup?)"));
  }
  c.version = version;
  NEARDUP_ASSIGN_OR_RETURN(uint64_t type, c.Read(1, "record type"));
  if (type != expected_type) {
    return absl::InvalidArgumentError(absl::StrCat("record type is ", type, ", expected ", expected_type));
  }
  NEARDUP_ASSIGN_OR_RETURN(uint64_t flags, c.Read(1, "flags"));
  if (flags != 0) return absl::UnimplementedError(absl::StrCat("unknown flags 0x", absl::Hex(flags)));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t size, c.Read(4, "header size"));
  *header_size = static_cast<uint32_t>(size);
  return c;
}

// After the fields this version knows: skips any a later version added to the header. A record
// of this very version has exactly the fields it knows (the writer adds none).
absl::Status SkipToPayload(Cursor& c, uint32_t header_size) {
  if (header_size < c.pos()) return absl::DataLossError(absl::StrCat("header size ", header_size, " is too small"));
  if (c.version == kFormatVersion && header_size != c.pos()) {
    return absl::DataLossError(absl::StrCat("header size ", header_size, ", version ", kFormatVersion,
                                            " records of this type have ", c.pos()));
  }
  return c.Seek(header_size);
}

absl::Status ExpectEnd(const Cursor& c) {
  if (c.remaining() != 0) return absl::DataLossError(absl::StrCat(c.remaining(), " unexpected bytes before the checksum"));
  return absl::OkStatus();
}

}  // namespace

std::string EncodeSignature(const Signature& signature) {
  std::string out;
  AppendPreamble(out, kSignatureRecord);
  internal::AppendLe32(out, static_cast<uint32_t>(signature.size()));
  internal::AppendLe64(out, signature.params_fingerprint());
  PatchHeaderSize(out);
  internal::AppendLe64(out, signature.set_size());
  for (uint64_t v : signature.values()) internal::AppendLe64(out, v);
  AppendChecksum(out);
  return out;
}

absl::StatusOr<Signature> DecodeSignature(std::string_view bytes) {
  uint32_t header_size = 0;
  NEARDUP_ASSIGN_OR_RETURN(Cursor c, OpenRecord(bytes, kSignatureRecord, &header_size));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t num_perm, c.Read(4, "num_perm"));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t fingerprint, c.Read(8, "params fingerprint"));
  NEARDUP_RETURN_IF_ERROR(SkipToPayload(c, header_size));
  // What EncodeSignature never writes is damage, even under a valid checksum.
  if (num_perm < 1 || num_perm > static_cast<uint64_t>(kMaxNumPerm)) {
    return absl::DataLossError(absl::StrCat("bad signature shape: num_perm=", num_perm));
  }
  NEARDUP_ASSIGN_OR_RETURN(uint64_t set_size, c.Read(8, "set size"));
  NEARDUP_ASSIGN_OR_RETURN(std::vector<uint64_t> values, c.ReadArray<uint64_t>(num_perm, "signature"));
  NEARDUP_RETURN_IF_ERROR(ExpectEnd(c));
  return Signature(std::move(values), set_size, fingerprint);
}

std::string EncodePackedSignature(const PackedSignature& signature) {
  std::string out;
  AppendPreamble(out, kPackedSignatureRecord);
  internal::AppendLe32(out, static_cast<uint32_t>(signature.size()));
  internal::AppendLe(out, static_cast<uint64_t>(signature.bits()), 1);
  internal::AppendLe64(out, signature.params_fingerprint());
  PatchHeaderSize(out);
  internal::AppendLe64(out, signature.set_size());
  for (uint64_t w : signature.words()) internal::AppendLe64(out, w);
  AppendChecksum(out);
  return out;
}

absl::StatusOr<PackedSignature> DecodePackedSignature(std::string_view bytes) {
  uint32_t header_size = 0;
  NEARDUP_ASSIGN_OR_RETURN(Cursor c, OpenRecord(bytes, kPackedSignatureRecord, &header_size));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t num_perm, c.Read(4, "num_perm"));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t bits, c.Read(1, "bits"));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t fingerprint, c.Read(8, "params fingerprint"));
  NEARDUP_RETURN_IF_ERROR(SkipToPayload(c, header_size));
  if (num_perm > static_cast<uint64_t>(kMaxNumPerm) || bits < 1 || bits > 32) {
    return absl::DataLossError(absl::StrCat("bad packed signature shape: num_perm=", num_perm, " bits=", bits));
  }
  NEARDUP_ASSIGN_OR_RETURN(uint64_t set_size, c.Read(8, "set size"));
  NEARDUP_ASSIGN_OR_RETURN(std::vector<uint64_t> words, c.ReadArray<uint64_t>((num_perm * bits + 63) / 64, "packed signature"));
  NEARDUP_RETURN_IF_ERROR(ExpectEnd(c));
  absl::StatusOr<PackedSignature> packed = PackedSignature::FromWords(
      std::move(words), static_cast<int>(bits), static_cast<int>(num_perm), set_size, fingerprint);
  if (!packed.ok()) return absl::DataLossError(absl::StrCat("bad packed signature: ", packed.status().message()));
  return packed;
}

std::string EncodeLshIndex(const LshIndex& index) {
  const LshOptions& o = index.options();
  // One consistent state: a concurrent Remove or Add happens wholly before or after it.
  const LshIndex::Snapshot snapshot = index.TakeSnapshot();
  const std::optional<uint64_t>& fingerprint = snapshot.params_fingerprint;
  std::string out;
  AppendPreamble(out, kLshIndexRecord);
  internal::AppendLe32(out, static_cast<uint32_t>(index.params().num_perm()));
  internal::AppendLe32(out, static_cast<uint32_t>(index.params().num_bands()));
  internal::AppendLe64(out, std::bit_cast<uint64_t>(o.threshold));
  internal::AppendLe64(out, std::bit_cast<uint64_t>(o.false_positive_weight));
  internal::AppendLe64(out, std::bit_cast<uint64_t>(o.false_negative_weight));
  internal::AppendLe(out, fingerprint.has_value(), 1);
  internal::AppendLe64(out, fingerprint.value_or(0));
  PatchHeaderSize(out);
  internal::AppendLe64(out, snapshot.entries.size());
  for (const auto& [id, sig] : snapshot.entries) {
    internal::AppendLe64(out, id);
    internal::AppendLe64(out, sig.set_size());
    // What the index keeps of each value (lsh.h): its top 32 bits.
    for (uint64_t v : sig.values()) internal::AppendLe32(out, KeptBits(v));
  }
  AppendChecksum(out);
  return out;
}

absl::StatusOr<LshIndex> DecodeLshIndex(std::string_view bytes) {
  uint32_t header_size = 0;
  NEARDUP_ASSIGN_OR_RETURN(Cursor c, OpenRecord(bytes, kLshIndexRecord, &header_size));
  LshOptions o;
  NEARDUP_ASSIGN_OR_RETURN(uint64_t num_perm, c.Read(4, "num_perm"));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t num_bands, c.Read(4, "num_bands"));
  NEARDUP_ASSIGN_OR_RETURN(o.threshold, c.ReadDouble("threshold"));
  NEARDUP_ASSIGN_OR_RETURN(o.false_positive_weight, c.ReadDouble("false-positive weight"));
  NEARDUP_ASSIGN_OR_RETURN(o.false_negative_weight, c.ReadDouble("false-negative weight"));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t has_fingerprint, c.Read(1, "has fingerprint"));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t fingerprint, c.Read(8, "params fingerprint"));
  NEARDUP_RETURN_IF_ERROR(SkipToPayload(c, header_size));
  if (num_perm < 1 || num_perm > static_cast<uint64_t>(kMaxNumPerm) || num_bands < 1 || num_bands > num_perm) {
    return absl::DataLossError(absl::StrCat("bad banding in record: num_perm=", num_perm, " num_bands=", num_bands));
  }
  o.num_perm = static_cast<int>(num_perm);
  o.num_bands = static_cast<int>(num_bands);
  absl::StatusOr<LshIndex> index = LshIndex::Create(o);
  if (!index.ok()) return absl::DataLossError(absl::StrCat("bad options in record: ", index.status().message()));
  // An index emptied by Remove still refuses signatures of other parameters: so must its copy.
  if (has_fingerprint > 1) return absl::DataLossError(absl::StrCat("bad has-fingerprint flag ", has_fingerprint));
  if (has_fingerprint == 1) NEARDUP_RETURN_IF_ERROR(index->PinParamsFingerprint(fingerprint));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t count, c.Read(8, "document count"));
  // Version 1 wrote whole 64-bit values; from version 2, the kept top 32 bits.
  const int value_bytes = c.version == 1 ? 8 : 4;
  if (count > c.remaining() / (16 + value_bytes * num_perm)) {
    return absl::DataLossError(absl::StrCat("record claims ", count, " documents but only ", c.remaining(), " bytes remain"));
  }
  if (count > 0 && has_fingerprint == 0) return absl::DataLossError("documents present but no params fingerprint");
  if (has_fingerprint == 0 && fingerprint != 0) return absl::DataLossError("a params fingerprint without its flag");
  uint64_t previous_id = 0;
  for (uint64_t n = 0; n < count; ++n) {
    NEARDUP_ASSIGN_OR_RETURN(uint64_t id, c.Read(8, "document id"));
    // EncodeLshIndex writes ids ascending: anything else is damage.
    if (n > 0 && id <= previous_id) return absl::DataLossError(absl::StrCat("document ", n, ": ids out of order"));
    previous_id = id;
    NEARDUP_ASSIGN_OR_RETURN(uint64_t set_size, c.Read(8, "set size"));
    std::vector<uint64_t> values;
    if (value_bytes == 8) {
      NEARDUP_ASSIGN_OR_RETURN(values, c.ReadArray<uint64_t>(num_perm, "signature"));
    } else {
      NEARDUP_ASSIGN_OR_RETURN(std::vector<uint32_t> kept, c.ReadArray<uint32_t>(num_perm, "signature"));
      values.reserve(kept.size());
      for (uint32_t v : kept) values.push_back(FromKeptBits(v));
    }
    absl::Status added = index->Add(id, Signature(std::move(values), set_size, fingerprint));
    if (!added.ok()) return absl::DataLossError(absl::StrCat("document ", n, ": ", added.message()));
  }
  NEARDUP_RETURN_IF_ERROR(ExpectEnd(c));
  return index;
}

}  // namespace neardup

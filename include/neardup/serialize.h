// File: serialize.h
//
// A stable, versioned binary format for signatures and LSH indexes, so a crawler can keep its
// index across restarts and machines.
//
//   offset  size  field
//   0       4     magic "NDUP"
//   4       2     format version (kFormatVersion; independent of the library version)
//   6       1     record type (1 = Signature, 2 = LshIndex, 3 = PackedSignature)
//   7       1     flags (all 0; bit 0 is reserved for "big-endian" and never set)
//   8       4     header size: bytes from offset 0 to the payload (lets readers skip fields
//                 added by later versions)
//   12      ...   parameters: Signature: u32 num_perm, u64 params fingerprint.
//                 PackedSignature: u32 num_perm, u8 bits, u64 params fingerprint.
//                 LshIndex: u32 num_perm, u32 num_bands, f64 threshold, f64 false-positive
//                 weight, f64 false-negative weight, u8 has fingerprint, u64 params fingerprint
//   header  ...   payload: Signature: u64 set size, num_perm × u64 values.
//                 PackedSignature: u64 set size, ceil(num_perm × bits / 64) × u64 words
//                 (packed_signature.h gives the layout of the words).
//                 LshIndex: u64 count, then per document (ascending id): u64 id, u64 set size,
//                 num_perm × u32 values: the top 32 bits the index keeps of each (lsh.h);
//                 version 1 wrote whole u64 values
//   end-8   8     checksum: XXH3-64 (seed 0) of every preceding byte
//
// Every integer is little-endian; doubles are their IEEE-754 bits as u64. The params fingerprint
// covers normalization, shingling, MinHash options and ICU's Unicode version.
//
// Record type 3 came after the first release of format version 1; a reader from before it
// rejects such records as kInvalidArgument (wrong record type), and reads the others as ever.
//
// Compatibility: writers emit kFormatVersion; readers accept every version up to it (golden
// files of each version are kept in tests/data/). Decoding errors: kDataLoss (truncated, bad
// checksum, sizes that do not add up), kInvalidArgument (not a neardup record, wrong record
// type), kUnimplemented (written by a newer format version). Never a crash on any input.

#ifndef NEARDUP_SERIALIZE_H_
#define NEARDUP_SERIALIZE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "neardup/lsh.h"
#include "neardup/minhash.h"
#include "neardup/packed_signature.h"

namespace neardup {

// History: 1, the first release; 2, LshIndex records hold 32-bit values (half the size).
inline constexpr uint16_t kFormatVersion = 2;

std::string EncodeSignature(const Signature& signature);
absl::StatusOr<Signature> DecodeSignature(std::string_view bytes);

// The index's options and every stored signature; buckets are rebuilt on decoding. Takes the
// index's reader lock.
std::string EncodePackedSignature(const PackedSignature& signature);
absl::StatusOr<PackedSignature> DecodePackedSignature(std::string_view bytes);

std::string EncodeLshIndex(const LshIndex& index);
absl::StatusOr<LshIndex> DecodeLshIndex(std::string_view bytes);

}  // namespace neardup

#endif  // NEARDUP_SERIALIZE_H_

// File: store/profile_codec.h
//
// An AnchorProfile as bytes, about half its size in vectors: the store's rows hold it
// (store/records.h), and so does the Deduplicator's memory, decoding a profile when a
// translation candidate is verified. The layout is part of the store's format
// (kStoreFormatVersion); v = LEB128 varint:
//   v language length, language; v characters;
//   v n, n × u64 anchor key, n × u8 anchor kind, u8 value flags, f64 values: of the number
//     anchors only (the others' are 0 by definition), or of all n if flag 1 (another kind
//     has one: then nothing is lost);
//   v n, n × v paragraph length; v n, n × u64 tail key; v n, n × v tail anchor begin.
// Decoding checks every bound and kind: damage is kDataLoss naming the field.

#ifndef NEARDUP_STORE_PROFILE_CODEC_H_
#define NEARDUP_STORE_PROFILE_CODEC_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "base/byte_reader.h"
#include "neardup/translation.h"

namespace neardup::internal {

void AppendAnchorProfile(std::string& out, const AnchorProfile& profile);
// Reads one profile from `r` into *profile.
absl::Status ReadAnchorProfile(ByteReader& r, AnchorProfile* profile);

std::string EncodeAnchorProfile(const AnchorProfile& profile);
// The whole of `bytes` must be one profile.
absl::Status DecodeAnchorProfile(std::string_view bytes, AnchorProfile* profile);

}  // namespace neardup::internal

#endif  // NEARDUP_STORE_PROFILE_CODEC_H_

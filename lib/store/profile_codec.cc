#include "store/profile_codec.h"

#include <bit>

#include "absl/strings/str_cat.h"
#include "base/endian.h"
#include "base/status_macros.h"

namespace neardup::internal {
namespace {

// The largest anchor kind a profile may hold.
constexpr uint64_t kMaxAnchorKind = static_cast<uint64_t>(AnchorKind::kHashtag);

// A varint count of items of at least `item_size` bytes each that must fit in what is left.
absl::StatusOr<uint32_t> ReadCount(ByteReader& r, size_t item_size, const char* field) {
  NEARDUP_ASSIGN_OR_RETURN(uint64_t n, r.ReadVarint(field));
  if (n > r.remaining() / item_size) {
    return absl::DataLossError(absl::StrCat("row claims ", n, " ", field, ", ", r.remaining(), " bytes left"));
  }
  return static_cast<uint32_t>(n);
}

// Values are stored for number anchors only (the others' are 0 by definition), unless some
// other anchor has one: then for all, so that nothing is lost.
constexpr uint8_t kAllValues = 1;

bool OnlyNumbersHaveValues(const AnchorProfile& p) {
  for (size_t i = 0; i < p.keys.size(); ++i) {
    if (p.kinds[i] != AnchorKind::kNumber && p.values[i] != 0) return false;
  }
  return true;
}

absl::StatusOr<uint32_t> ReadVarint32(ByteReader& r, const char* field) {
  NEARDUP_ASSIGN_OR_RETURN(uint64_t v, r.ReadVarint(field));
  if (v > UINT32_MAX) return absl::DataLossError(absl::StrCat(field, " ", v, " exceeds 32 bits"));
  return static_cast<uint32_t>(v);
}

}  // namespace

void AppendAnchorProfile(std::string& out, const AnchorProfile& p) {
  AppendVarint(out, p.language.size());  // a language tag has no length limit (BCP 47)
  out += p.language;
  AppendVarint(out, p.num_chars);
  AppendVarint(out, p.keys.size());
  for (uint64_t key : p.keys) AppendLe64(out, key);
  for (AnchorKind kind : p.kinds) AppendLe(out, static_cast<uint8_t>(kind), 1);
  const bool all_values = !OnlyNumbersHaveValues(p);
  AppendLe(out, all_values ? kAllValues : 0, 1);
  for (size_t i = 0; i < p.keys.size(); ++i) {
    if (all_values || p.kinds[i] == AnchorKind::kNumber) AppendLe64(out, std::bit_cast<uint64_t>(p.values[i]));
  }
  AppendVarint(out, p.paragraph_lengths.size());
  for (uint32_t n : p.paragraph_lengths) AppendVarint(out, n);
  AppendVarint(out, p.tail_keys.size());
  for (uint64_t k : p.tail_keys) AppendLe64(out, k);
  AppendVarint(out, p.tail_anchor_begin.size());
  for (uint32_t b : p.tail_anchor_begin) AppendVarint(out, b);
}

absl::Status ReadAnchorProfile(ByteReader& r, AnchorProfile* p) {
  NEARDUP_ASSIGN_OR_RETURN(uint64_t language_size, r.ReadVarint("language length"));
  NEARDUP_ASSIGN_OR_RETURN(std::string_view language, r.ReadBytes(language_size, "language"));
  p->language = std::string(language);
  NEARDUP_ASSIGN_OR_RETURN(p->num_chars, r.ReadVarint("characters"));
  NEARDUP_ASSIGN_OR_RETURN(uint32_t anchors, ReadCount(r, 9, "anchors"));
  NEARDUP_RETURN_IF_ERROR(r.ReadArrayInto<uint64_t>(anchors, "anchor key", &p->keys));
  p->kinds.resize(anchors), p->values.assign(anchors, 0.0);
  NEARDUP_ASSIGN_OR_RETURN(std::string_view kinds, r.ReadBytes(anchors, "anchor kinds"));
  for (uint32_t i = 0; i < anchors; ++i) {
    const uint8_t kind = static_cast<uint8_t>(kinds[i]);
    if (kind == 0 || kind > kMaxAnchorKind) return absl::DataLossError(absl::StrCat("bad anchor kind ", kind));
    p->kinds[i] = static_cast<AnchorKind>(kind);
  }
  NEARDUP_ASSIGN_OR_RETURN(uint64_t value_flags, r.Read(1, "anchor value flags"));
  if (value_flags > kAllValues) return absl::DataLossError(absl::StrCat("bad anchor value flags ", value_flags));
  for (uint32_t i = 0; i < anchors; ++i) {
    if (value_flags == kAllValues || p->kinds[i] == AnchorKind::kNumber) {
      NEARDUP_ASSIGN_OR_RETURN(p->values[i], r.ReadDouble("anchor value"));
    }
  }
  // The writer stores all values only when an anchor other than a number has one.
  if (value_flags == kAllValues && OnlyNumbersHaveValues(*p)) {
    return absl::DataLossError("anchor values stored for all anchors, where only numbers have any");
  }
  NEARDUP_ASSIGN_OR_RETURN(uint32_t paragraphs, ReadCount(r, 1, "paragraphs"));
  p->paragraph_lengths.resize(paragraphs);
  for (uint32_t& n : p->paragraph_lengths) {
    NEARDUP_ASSIGN_OR_RETURN(n, ReadVarint32(r, "paragraph length"));
  }
  NEARDUP_ASSIGN_OR_RETURN(uint32_t tails, ReadCount(r, 8, "tail keys"));
  NEARDUP_RETURN_IF_ERROR(r.ReadArrayInto<uint64_t>(tails, "tail key", &p->tail_keys));
  NEARDUP_ASSIGN_OR_RETURN(uint32_t begins, ReadCount(r, 1, "tail anchor begins"));
  p->tail_anchor_begin.resize(begins);
  // May point past the kept anchors: a long document's closing paragraphs lie beyond the cap.
  for (uint32_t& b : p->tail_anchor_begin) {
    NEARDUP_ASSIGN_OR_RETURN(b, ReadVarint32(r, "tail anchor begin"));
  }
  return absl::OkStatus();
}

std::string EncodeAnchorProfile(const AnchorProfile& profile) {
  std::string out;
  AppendAnchorProfile(out, profile);
  return out;
}

absl::Status DecodeAnchorProfile(std::string_view bytes, AnchorProfile* profile) {
  ByteReader r(bytes);
  NEARDUP_RETURN_IF_ERROR(ReadAnchorProfile(r, profile));
  if (r.remaining() != 0) return absl::DataLossError(absl::StrCat(r.remaining(), " unexpected bytes after a profile"));
  return absl::OkStatus();
}

}  // namespace neardup::internal

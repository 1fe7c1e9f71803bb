#include "store/records.h"

#include <bit>

#include "absl/strings/str_cat.h"
#include "internal/byte_reader.h"
#include "internal/endian.h"
#include "internal/status_macros.h"

namespace neardup::internal {
namespace {

constexpr uint8_t kAlive = 1, kHasTranslationSignature = 2, kHasProfile = 4;

// The largest anchor kind and MatchKind a row may hold.
constexpr uint64_t kMaxAnchorKind = static_cast<uint64_t>(AnchorKind::kHashtag);
constexpr uint64_t kMaxMatchKind = static_cast<uint64_t>(MatchKind::kTranslation);

void AppendValues(std::string& out, const std::vector<uint32_t>& values) {
  for (uint32_t v : values) AppendLe32(out, v);
}

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

void AppendProfile(std::string& out, const AnchorProfile& p) {
  AppendLe(out, p.language.size(), 1);
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

absl::StatusOr<uint32_t> ReadVarint32(ByteReader& r, const char* field) {
  NEARDUP_ASSIGN_OR_RETURN(uint64_t v, r.ReadVarint(field));
  if (v > UINT32_MAX) return absl::DataLossError(absl::StrCat(field, " ", v, " exceeds 32 bits"));
  return static_cast<uint32_t>(v);
}

absl::Status ReadProfile(ByteReader& r, AnchorProfile* p) {
  NEARDUP_ASSIGN_OR_RETURN(uint64_t language_size, r.Read(1, "language length"));
  NEARDUP_ASSIGN_OR_RETURN(std::string_view language, r.ReadBytes(language_size, "language"));
  p->language = std::string(language);
  NEARDUP_ASSIGN_OR_RETURN(p->num_chars, r.ReadVarint("characters"));
  NEARDUP_ASSIGN_OR_RETURN(uint32_t anchors, ReadCount(r, 9, "anchors"));
  NEARDUP_ASSIGN_OR_RETURN(p->keys, r.ReadArray<uint64_t>(anchors, "anchor key"));
  p->kinds.resize(anchors), p->values.assign(anchors, 0.0);
  for (uint32_t i = 0; i < anchors; ++i) {
    NEARDUP_ASSIGN_OR_RETURN(uint64_t kind, r.Read(1, "anchor kind"));
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
  NEARDUP_ASSIGN_OR_RETURN(uint32_t paragraphs, ReadCount(r, 1, "paragraphs"));
  p->paragraph_lengths.resize(paragraphs);
  for (uint32_t& n : p->paragraph_lengths) {
    NEARDUP_ASSIGN_OR_RETURN(n, ReadVarint32(r, "paragraph length"));
  }
  NEARDUP_ASSIGN_OR_RETURN(uint32_t tails, ReadCount(r, 8, "tail keys"));
  NEARDUP_ASSIGN_OR_RETURN(p->tail_keys, r.ReadArray<uint64_t>(tails, "tail key"));
  NEARDUP_ASSIGN_OR_RETURN(uint32_t begins, ReadCount(r, 1, "tail anchor begins"));
  p->tail_anchor_begin.resize(begins);
  // May point past the kept anchors: a long document's closing paragraphs lie beyond the cap.
  for (uint32_t& b : p->tail_anchor_begin) {
    NEARDUP_ASSIGN_OR_RETURN(b, ReadVarint32(r, "tail anchor begin"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string SequenceKey(uint32_t n) {
  return std::string{static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                     static_cast<char>(n)};
}

absl::StatusOr<uint32_t> DecodeSequenceKey(std::string_view key) {
  if (key.size() != 4) return absl::DataLossError(absl::StrCat("a sequence key of ", key.size(), " bytes"));
  const auto* p = reinterpret_cast<const unsigned char*>(key.data());
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

absl::StatusOr<std::vector<std::string_view>> SplitBlock(std::string_view block) {
  ByteReader r(block);
  std::vector<std::string_view> rows;
  while (r.remaining() > 0) {
    if (rows.size() == kRowsPerBlock) return absl::DataLossError(absl::StrCat("a block holds over ", kRowsPerBlock, " rows"));
    NEARDUP_ASSIGN_OR_RETURN(uint64_t size, r.ReadVarint("row length"));
    NEARDUP_ASSIGN_OR_RETURN(std::string_view row, r.ReadBytes(size, "row"));
    rows.push_back(row);
  }
  if (rows.empty()) return absl::DataLossError("an empty block");
  return rows;
}

void AppendToBlock(std::string& block, std::string_view row) {
  AppendVarint(block, row.size());
  block += row;
}

std::vector<uint32_t> KeptValues(const Signature& signature) {
  std::vector<uint32_t> kept(signature.values().size());
  for (size_t i = 0; i < kept.size(); ++i) kept[i] = static_cast<uint32_t>(signature.values()[i] >> (64 - kKeptValueBits));
  return kept;
}

std::vector<uint64_t> RestoredValues(std::span<const uint32_t> kept) {
  std::vector<uint64_t> values(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) values[i] = uint64_t{kept[i]} << (64 - kKeptValueBits);
  return values;
}

std::string EncodeStoredDocument(const StoredDocument& doc) {
  std::string out;
  AppendLe(out, (doc.alive ? kAlive : 0) | (doc.has_translation_signature ? kHasTranslationSignature : 0) |
                    (doc.has_profile ? kHasProfile : 0),
           1);
  AppendLe32(out, static_cast<uint32_t>(doc.id.size()));
  out += doc.id;
  AppendLe64(out, doc.set_size);
  AppendValues(out, doc.signature);
  if (doc.has_translation_signature) {
    AppendLe64(out, doc.translation_set_size);
    AppendValues(out, doc.translation_signature);
  }
  if (doc.has_profile) AppendProfile(out, doc.profile);
  return out;
}

absl::StatusOr<StoredDocument> DecodeStoredDocument(std::string_view bytes, int num_perm) {
  ByteReader r(bytes);
  StoredDocument doc;
  NEARDUP_ASSIGN_OR_RETURN(uint64_t flags, r.Read(1, "flags"));
  if (flags > (kAlive | kHasTranslationSignature | kHasProfile)) {
    return absl::DataLossError(absl::StrCat("unknown document flags 0x", absl::Hex(flags)));
  }
  doc.alive = flags & kAlive;
  doc.has_translation_signature = flags & kHasTranslationSignature;
  doc.has_profile = flags & kHasProfile;
  NEARDUP_ASSIGN_OR_RETURN(uint64_t id_size, r.Read(4, "id length"));
  NEARDUP_ASSIGN_OR_RETURN(std::string_view id, r.ReadBytes(id_size, "id"));
  doc.id = std::string(id);
  NEARDUP_ASSIGN_OR_RETURN(doc.set_size, r.Read(8, "set size"));
  NEARDUP_ASSIGN_OR_RETURN(doc.signature, r.ReadArray<uint32_t>(static_cast<uint64_t>(num_perm), "signature"));
  if (doc.has_translation_signature) {
    NEARDUP_ASSIGN_OR_RETURN(doc.translation_set_size, r.Read(8, "translation set size"));
    NEARDUP_ASSIGN_OR_RETURN(doc.translation_signature,
                             r.ReadArray<uint32_t>(static_cast<uint64_t>(num_perm), "translation signature"));
  }
  if (doc.has_profile) NEARDUP_RETURN_IF_ERROR(ReadProfile(r, &doc.profile));
  if (r.remaining() != 0) return absl::DataLossError(absl::StrCat(r.remaining(), " unexpected bytes after a document"));
  return doc;
}

std::string EncodeStoredLink(const StoredLink& link) {
  std::string out;
  AppendLe32(out, link.a);
  AppendLe32(out, link.b);
  AppendLe(out, static_cast<uint8_t>(link.kind), 1);
  AppendLe64(out, std::bit_cast<uint64_t>(link.score));
  AppendLe64(out, std::bit_cast<uint64_t>(link.jaccard));
  AppendLe64(out, std::bit_cast<uint64_t>(link.containment));
  AppendLe(out, link.alive ? 1 : 0, 1);
  return out;
}

absl::StatusOr<StoredLink> DecodeStoredLink(std::string_view bytes) {
  ByteReader r(bytes);
  StoredLink link;
  NEARDUP_ASSIGN_OR_RETURN(uint64_t a, r.Read(4, "link a"));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t b, r.Read(4, "link b"));
  if (a >= b) return absl::DataLossError(absl::StrCat("link ", a, "-", b, ": the earlier document must come first"));
  link.a = static_cast<uint32_t>(a), link.b = static_cast<uint32_t>(b);
  NEARDUP_ASSIGN_OR_RETURN(uint64_t kind, r.Read(1, "link kind"));
  if (kind > kMaxMatchKind) return absl::DataLossError(absl::StrCat("bad link kind ", kind));
  link.kind = static_cast<MatchKind>(kind);
  NEARDUP_ASSIGN_OR_RETURN(link.score, r.ReadDouble("link score"));
  NEARDUP_ASSIGN_OR_RETURN(link.jaccard, r.ReadDouble("link jaccard"));
  NEARDUP_ASSIGN_OR_RETURN(link.containment, r.ReadDouble("link containment"));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t alive, r.Read(1, "link alive"));
  if (alive > 1) return absl::DataLossError(absl::StrCat("bad link alive flag ", alive));
  link.alive = alive == 1;
  if (r.remaining() != 0) return absl::DataLossError(absl::StrCat(r.remaining(), " unexpected bytes after a link"));
  return link;
}

}  // namespace neardup::internal

#include "store/records.h"

#include <algorithm>
#include <bit>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/byte_reader.h"
#include "base/endian.h"
#include "text/hash.h"
#include "base/status_macros.h"
#include "store/crc32c.h"
#include "store/profile_codec.h"

namespace neardup::internal {
namespace {

constexpr uint8_t kAlive = 1, kHasTranslationSignature = 2, kHasProfile = 4, kHasContainment = 8;

// The largest MatchKind a row may hold.
constexpr uint64_t kMaxMatchKind = static_cast<uint64_t>(MatchKind::kTranslation);

void AppendValues(std::string& out, const std::vector<uint32_t>& values) {
  for (uint32_t v : values) AppendLe32(out, v);
}

}  // namespace

std::string Sealed(std::string_view payload) {
  std::string out(payload);
  AppendLe32(out, Crc32c(payload));
  return out;
}

absl::StatusOr<std::string_view> Unsealed(std::string_view value, std::string_view what) {
  if (value.size() < 4) {
    return absl::DataLossError(absl::StrCat(ToAbsl(what), " is damaged: ", value.size(), " bytes, too short for its checksum"));
  }
  const std::string_view payload = value.substr(0, value.size() - 4);
  const auto* sum = reinterpret_cast<const unsigned char*>(value.data() + payload.size());
  if (static_cast<uint32_t>(LoadLe(sum, 4)) != Crc32c(payload)) {
    return absl::DataLossError(absl::StrCat(ToAbsl(what), " is damaged: its checksum does not match"));
  }
  return payload;
}

std::string BlockKey(uint32_t block) { return SequenceKey(block); }

std::string RowKey(uint32_t seq) {
  std::string key = SequenceKey(seq / kRowsPerBlock);
  key.push_back(static_cast<char>(seq % kRowsPerBlock));
  return key;
}

absl::StatusOr<DocumentsKey> DecodeDocumentsKey(std::string_view key) {
  if (key.size() != 4 && key.size() != 5) return absl::DataLossError(absl::StrCat("a documents key of ", key.size(), " bytes"));
  NEARDUP_ASSIGN_OR_RETURN(uint32_t block, DecodeSequenceKey(key.substr(0, 4)));
  if (uint64_t{block} * kRowsPerBlock > UINT32_MAX) return absl::DataLossError(absl::StrCat("block ", block, " is past the last"));
  if (key.size() == 4) return DocumentsKey{block * kRowsPerBlock, true};
  // A row of an incomplete block: never its last place (the block would be whole).
  const uint32_t place = static_cast<uint8_t>(key[4]);
  if (place >= kRowsPerBlock - 1) return absl::DataLossError(absl::StrCat("a row key at place ", place, " of its block"));
  return DocumentsKey{block * kRowsPerBlock + place, false};
}

std::string IdKey(std::string_view id) { return Hash128Bytes(id); }

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
  for (size_t i = 0; i < kept.size(); ++i) kept[i] = KeptBits(signature.values()[i]);
  return kept;
}

std::vector<uint64_t> RestoredValues(std::span<const uint32_t> kept) {
  std::vector<uint64_t> values(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) values[i] = FromKeptBits(kept[i]);
  return values;
}

std::string EncodeStoredDocument(const StoredDocument& doc) {
  std::string out;
  AppendLe(out, (doc.alive ? kAlive : 0) | (doc.has_translation_signature ? kHasTranslationSignature : 0) |
                    (doc.has_profile ? kHasProfile : 0) | (doc.has_containment ? kHasContainment : 0),
           1);
  AppendLe32(out, static_cast<uint32_t>(doc.id.size()));
  out += doc.id;
  AppendLe64(out, doc.set_size);
  AppendValues(out, doc.signature);
  if (doc.has_translation_signature) {
    AppendLe64(out, doc.translation_set_size);
    AppendValues(out, doc.translation_signature);
  }
  if (doc.has_profile) AppendAnchorProfile(out, doc.profile);
  if (doc.has_containment) {
    AppendLe32(out, static_cast<uint32_t>(doc.containment.sample.size()));
    AppendValues(out, doc.containment.sample);
    AppendLe32(out, static_cast<uint32_t>(doc.containment.filter.size()));
    out += doc.containment.filter;
  }
  return out;
}

absl::StatusOr<StoredDocument> DecodeStoredDocument(std::string_view bytes, int num_perm) {
  ByteReader r(bytes);
  StoredDocument doc;
  NEARDUP_ASSIGN_OR_RETURN(uint64_t flags, r.Read(1, "flags"));
  if (flags > (kAlive | kHasTranslationSignature | kHasProfile | kHasContainment)) {
    return absl::DataLossError(absl::StrCat("unknown document flags 0x", absl::Hex(flags)));
  }
  doc.alive = flags & kAlive;
  doc.has_translation_signature = flags & kHasTranslationSignature;
  doc.has_profile = flags & kHasProfile;
  doc.has_containment = flags & kHasContainment;
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
  if (doc.has_profile) NEARDUP_RETURN_IF_ERROR(ReadAnchorProfile(r, &doc.profile));
  if (doc.has_containment) {
    NEARDUP_ASSIGN_OR_RETURN(uint64_t sampled, r.Read(4, "containment sample size"));
    NEARDUP_ASSIGN_OR_RETURN(doc.containment.sample, r.ReadArray<uint32_t>(sampled, "containment sample"));
    if (!std::is_sorted(doc.containment.sample.begin(), doc.containment.sample.end()) ||
        std::adjacent_find(doc.containment.sample.begin(), doc.containment.sample.end()) != doc.containment.sample.end()) {
      return absl::DataLossError("a containment sample is not ascending");
    }
    NEARDUP_ASSIGN_OR_RETURN(uint64_t filter_size, r.Read(4, "shingle filter size"));
    NEARDUP_ASSIGN_OR_RETURN(std::string_view filter, r.ReadBytes(filter_size, "shingle filter"));
    doc.containment.filter = std::string(filter);
  }
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

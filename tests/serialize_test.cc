#include "neardup/serialize.h"

#include <catch2/catch.hpp>

#include "neardup/fingerprint.h"
#include "reference/reference.h"

// xxHash directly, as an independent check of the documented checksum (XXH3-64, seed 0).
#define XXH_INLINE_ALL
#include <xxhash.h>

using neardup::DecodeLshIndex;
using neardup::DecodeSignature;
using neardup::EncodeLshIndex;
using neardup::EncodeSignature;

namespace {
neardup::Signature SampleSignature(int num_perm = 16) {
  const auto hasher = neardup::MinHasher::Create({.num_perm = num_perm});
  return hasher->Compute(std::vector<uint64_t>{3, 1, 4, 1, 5, 9, 2, 6});
}

neardup::LshIndex SampleIndex() {
  auto index = neardup::LshIndex::Create({.num_perm = 16, .threshold = 0.7});
  const auto hasher = neardup::MinHasher::Create({.num_perm = 16});
  neardup::reference::Rng rng(1);
  for (uint64_t id : {5, 1, 9}) {
    std::vector<uint64_t> set(20);
    for (auto& x : set) x = rng.Next();
    REQUIRE(index->Add(id, hasher->Compute(set)).ok());
  }
  return std::move(*index);
}
}  // namespace

TEST_CASE("signatures round-trip", "[serialize]") {
  const neardup::Signature s = SampleSignature();
  const std::string bytes = EncodeSignature(s);
  CHECK(bytes.size() == 12 + 4 + 8 + 8 + 16 * 8 + 8);
  CHECK(bytes.substr(0, 4) == "NDUP");
  const auto decoded = DecodeSignature(bytes);
  REQUIRE(decoded.ok());
  CHECK(*decoded == s);
}

TEST_CASE("indexes round-trip with their options, banding and documents", "[serialize]") {
  const neardup::LshIndex index = SampleIndex();
  const auto decoded = DecodeLshIndex(EncodeLshIndex(index));
  REQUIRE(decoded.ok());
  CHECK(decoded->Ids() == index.Ids());
  CHECK(decoded->params().num_bands() == index.params().num_bands());
  CHECK(decoded->options().threshold == 0.7);
  CHECK(decoded->params_fingerprint() == index.params_fingerprint());
  for (uint64_t id : index.Ids()) {
    CHECK(*decoded->Get(id) == *index.Get(id));
    CHECK(decoded->Query(*index.Get(id))->front().id == id);
  }
  CHECK(EncodeLshIndex(*decoded) == EncodeLshIndex(index));  // canonical: sorted ids
}

TEST_CASE("every truncation and every flipped byte is an error, never a crash", "[serialize]") {
  const std::string sig = EncodeSignature(SampleSignature());
  const std::string idx = EncodeLshIndex(SampleIndex());
  for (const std::string* bytes : {&sig, &idx}) {
    for (size_t n = 0; n < bytes->size(); ++n) {
      const auto a = DecodeSignature(bytes->substr(0, n));
      const auto b = DecodeLshIndex(bytes->substr(0, n));
      CHECK_FALSE(a.ok());
      CHECK_FALSE(b.ok());
    }
    for (size_t i = 0; i < bytes->size(); ++i) {
      std::string corrupt = *bytes;
      corrupt[i] = static_cast<char>(corrupt[i] ^ 0x20);
      INFO("flipped byte " << i);
      // The checksum covers every byte: the record is refused (magic bytes: kInvalidArgument).
      const absl::Status s = bytes == &sig ? DecodeSignature(corrupt).status() : DecodeLshIndex(corrupt).status();
      CHECK((s.code() == absl::StatusCode::kDataLoss || s.code() == absl::StatusCode::kInvalidArgument));
    }
  }
}

TEST_CASE("decoding errors say what is wrong", "[serialize]") {
  CHECK(DecodeSignature("hello").status().code() == absl::StatusCode::kInvalidArgument);
  const std::string sig = EncodeSignature(SampleSignature());
  CHECK(DecodeLshIndex(sig).status().code() == absl::StatusCode::kInvalidArgument);  // wrong record type
  // The trailer is XXH3-64 of the rest, little-endian, as documented.
  const std::string body = sig.substr(0, sig.size() - 8);
  const uint64_t checksum = XXH3_64bits(body.data(), body.size());
  for (int i = 0; i < 8; ++i) CHECK(static_cast<unsigned char>(sig[body.size() + i]) == ((checksum >> (8 * i)) & 0xFF));
  // A newer format version, correctly signed, is kUnimplemented.
  std::string newer = body;
  newer[4] = static_cast<char>(neardup::kFormatVersion + 1);
  const uint64_t resigned = XXH3_64bits(newer.data(), newer.size());
  for (int i = 0; i < 8; ++i) newer.push_back(static_cast<char>((resigned >> (8 * i)) & 0xFF));
  const auto future = DecodeSignature(newer);
  CHECK(future.status().code() == absl::StatusCode::kUnimplemented);
  CHECK(std::string(future.status().message()).find("newer") != std::string::npos);
  const auto truncated = DecodeSignature(sig.substr(0, 30));
  CHECK(truncated.status().code() == absl::StatusCode::kDataLoss);
  CHECK(std::string(truncated.status().message()).find("checksum") != std::string::npos);
}

namespace {
// `record` with its checksum recomputed: the decoder's own checks, behind the checksum, decide.
std::string Resealed(std::string record) {
  record.resize(record.size() - 8);
  const uint64_t sum = XXH3_64bits_withSeed(record.data(), record.size(), 0);
  for (int i = 0; i < 8; ++i) record.push_back(static_cast<char>((sum >> (8 * i)) & 0xFF));
  return record;
}
}  // namespace

TEST_CASE("records the encoder never writes are refused even with a valid checksum", "[serialize]") {
  const std::string good = EncodeSignature(SampleSignature());
  // num_perm is at offset 12 (after the 12-byte preamble).
  for (uint32_t bad : {0u, static_cast<uint32_t>(neardup::kMaxNumPerm) + 1}) {
    std::string record = good;
    for (int i = 0; i < 4; ++i) record[12 + i] = static_cast<char>((bad >> (8 * i)) & 0xFF);
    const auto decoded = DecodeSignature(Resealed(record));
    INFO("num_perm " << bad);
    CHECK(decoded.status().code() == absl::StatusCode::kDataLoss);
  }
  // A record shorter than its magic is truncated, not "not ours".
  CHECK(DecodeSignature("ND").status().code() == absl::StatusCode::kDataLoss);
  CHECK(DecodeSignature("").status().code() == absl::StatusCode::kDataLoss);
  CHECK(DecodeSignature("XXXXXXXXXXXXXXXXXXXXXXXX").status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("a record cut anywhere and resealed is kDataLoss: the bounds checks behind the checksum", "[serialize]") {
  // With a valid checksum over the cut body, only the decoder's own bounds checks stand
  // between a short record and a read past its end. A cut inside the header's fixed fields
  // must be named by the field the reader wanted ("truncated record: num_perm needs 4 bytes"),
  // a cut in the payload by what the header promised.
  const auto packed = neardup::PackedSignature::Pack(SampleSignature(), 8);
  REQUIRE(packed.ok());
  const std::string records[] = {EncodeSignature(SampleSignature()), neardup::EncodePackedSignature(*packed),
                                 EncodeLshIndex(SampleIndex())};
  constexpr size_t kPreamble = 12;  // magic, version, type, flags, header size (serialize.h)
  for (const std::string& record : records) {
    const size_t body = record.size() - 8;
    const size_t header_size = static_cast<unsigned char>(record[8]) | static_cast<unsigned char>(record[9]) << 8;
    REQUIRE(header_size > kPreamble);
    REQUIRE(header_size < body);
    for (size_t n = kPreamble; n < body; ++n) {
      INFO("record type " << int(record[6]) << " cut to " << n << " of " << body << " bytes (header " << header_size << ")");
      const std::string cut = Resealed(record.substr(0, n) + std::string(8, '\0'));
      absl::Status status;
      switch (record[6]) {
        case 1: status = DecodeSignature(cut).status(); break;
        case 2: status = DecodeLshIndex(cut).status(); break;
        default: status = neardup::DecodePackedSignature(cut).status(); break;
      }
      CHECK(status.code() == absl::StatusCode::kDataLoss);
      const std::string message(status.message());
      if (n < header_size) {
        CHECK(message.rfind("truncated record: ", 0) == 0);
      } else {
        CHECK((message.find("claims") != std::string::npos || message.find("truncated record: ") == 0));
      }
    }
  }
}

TEST_CASE("an index emptied by Remove keeps its parameter fingerprint through the format", "[serialize]") {
  neardup::LshIndex index = SampleIndex();
  const auto pinned = index.params_fingerprint();
  REQUIRE(pinned.has_value());
  for (uint64_t id : index.Ids()) REQUIRE(index.Remove(id).ok());
  auto decoded = DecodeLshIndex(EncodeLshIndex(index));
  REQUIRE(decoded.ok());
  CHECK(decoded->params_fingerprint() == pinned);
  // Like the original, it refuses a signature made with other parameters.
  const auto other = neardup::MinHasher::Create({.num_perm = 16, .seed = 99});
  const neardup::Signature foreign = other->Compute(std::vector<uint64_t>{1, 2, 3});
  CHECK(index.Add(1, foreign).code() == absl::StatusCode::kFailedPrecondition);
  CHECK(decoded->Add(1, foreign).code() == absl::StatusCode::kFailedPrecondition);
}

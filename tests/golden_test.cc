// Golden values: the exact signature of a fixed input, and committed files of each format
// version. A mutation of the hashing, shingling or normalization that keeps every statistical
// test green still changes these, so a change of signatures is a decision, not an accident
// (unordered_dense's hash_golden). If a change is intended, bump kFormatVersion or the
// params fingerprint, regenerate with `build/tests/neardup_make_golden tests/data` and commit
// the new files beside the old ones.
#include <array>

#include <catch2/catch.hpp>

#include "neardup/neardup.h"
#include "test_data.h"

namespace {
std::string Data(const char* name) {
  return neardup::testing::ReadFile(neardup::testing::SourceDir() / "tests/data" / name);
}

// The version 1 golden files were written with k-permutation MinHash (the default then).
neardup::FingerprintOptions PermutationOptions() {
  neardup::FingerprintOptions o;
  o.minhash.algorithm = neardup::MinHashAlgorithm::kPermutation;
  return o;
}

// The first four values and the set size of the golden input's signature under `options`.
void CheckPinnedSignature(const neardup::FingerprintOptions& options, const std::array<uint64_t, 4>& first) {
  const auto fp = neardup::Fingerprinter::Create(options);
  const auto computed = fp->Compute(Data("golden_input.txt"));
  REQUIRE(computed.ok());
  const auto v = computed->signature.values();
  INFO("Unicode " << neardup::UnicodeVersion() << "; first values " << std::hex << v[0] << " " << v[1] << " " << v[2]
                  << " " << v[3] << "; regenerate with build/tests/neardup_make_golden tests/data if intended");
  for (size_t i = 0; i < first.size(); ++i) CHECK(v[i] == first[i]);
  CHECK(computed->signature.set_size() == 65u);
}
}  // namespace

TEST_CASE("the golden input has the pinned one-permutation signature (the default)", "[golden]") {
  CheckPinnedSignature({}, {0x5437429c9989989dULL, 0xd0f32532fb5c307bULL, 0x176c6d7470f92509ULL, 0x25a0778de70d9da0ULL});
}

TEST_CASE("the golden input has the pinned k-permutation signature", "[golden]") {
  CheckPinnedSignature(PermutationOptions(),
                       {0x089c5e48ee22e024ULL, 0x0756fda0a8a90fecULL, 0x0022aadb7309e63eULL, 0x00edbfbf69f2ca6dULL});
}

// What the golden records hold: the fingerprints of the golden input and of its first half.
struct GoldenFingerprints {
  neardup::Fingerprint full, half;
};

GoldenFingerprints ComputeGoldenFingerprints() {
  const auto fp = neardup::Fingerprinter::Create(PermutationOptions());
  REQUIRE(fp.ok());
  const std::string input = Data("golden_input.txt");
  auto full = fp->Compute(input);
  auto half = fp->Compute(input.substr(0, input.size() / 2));
  REQUIRE(full.ok());
  REQUIRE(half.ok());
  return {*std::move(full), *std::move(half)};
}

TEST_CASE("format version 1 files still decode to what we compute today", "[golden][serialize]") {
  const GoldenFingerprints golden = ComputeGoldenFingerprints();
  const auto& full = golden.full;
  const auto& half = golden.half;

  const auto signature = neardup::DecodeSignature(Data("golden_signature_v1.bin"));
  REQUIRE(signature.ok());
  CHECK(*signature == full.signature);

  const auto index = neardup::DecodeLshIndex(Data("golden_index_v1.bin"));
  REQUIRE(index.ok());
  CHECK(index->Ids() == std::vector<uint64_t>{7, 42});
  // An index keeps the values' top 32 bits (lsh.h).
  CHECK(*index->Get(42) == neardup::TruncateSignature(full.signature));
  CHECK(*index->Get(7) == neardup::TruncateSignature(half.signature));
}

TEST_CASE("format version 2 files decode, and writers emit them byte for byte", "[golden][serialize]") {
  const GoldenFingerprints golden = ComputeGoldenFingerprints();
  const auto& full = golden.full;
  const auto& half = golden.half;
  CHECK(*neardup::DecodeSignature(Data("golden_signature_v2.bin")) == full.signature);
  // Version 2 index records hold the kept top 32 bits of each value: half of version 1's.
  const auto index = neardup::DecodeLshIndex(Data("golden_index_v2.bin"));
  REQUIRE(index.ok());
  CHECK(index->Ids() == std::vector<uint64_t>{7, 42});
  CHECK(*index->Get(42) == neardup::TruncateSignature(full.signature));
  CHECK(*index->Get(7) == neardup::TruncateSignature(half.signature));
  CHECK(Data("golden_index_v2.bin").size() < Data("golden_index_v1.bin").size() * 11 / 20);
  // Writers emit the current version only, byte for byte as its golden files: a new version
  // must come with its own (neardup_make_golden), or this fails.
  auto built = neardup::LshIndex::Create();
  REQUIRE(built.ok());
  REQUIRE(built->Add(42, full.signature).ok());
  REQUIRE(built->Add(7, half.signature).ok());
  const std::string version = std::to_string(neardup::kFormatVersion);
  CHECK(neardup::EncodeSignature(full.signature) == Data(("golden_signature_v" + version + ".bin").c_str()));
  CHECK(neardup::EncodeLshIndex(*built) == Data(("golden_index_v" + version + ".bin").c_str()));
}

// Writes the golden files of the current format version into the directory given as argument:
//   golden_signature_v<N>.bin  the default-options signature of tests/data/golden_input.txt
//   golden_index_v<N>.bin      an LshIndex holding that signature (id 42) and one of a
//                              shortened copy (id 7)
// Run it only when the format version changes, on purpose, and commit the new files beside
// the old ones (readers must keep reading every version):
//   build/tests/neardup_make_golden tests/data
#include <fstream>
#include <iostream>
#include <string>

#include "neardup/neardup.h"
#include "test_data.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: neardup_make_golden OUTPUT_DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  const std::string input = neardup::testing::ReadFile(neardup::testing::SourceDir() / "tests/data/golden_input.txt");
  // Version 1 files hold k-permutation signatures; keep that so they regenerate identically.
  neardup::FingerprintOptions options;
  options.minhash.algorithm = neardup::MinHashAlgorithm::kPermutation;
  const auto fp = neardup::Fingerprinter::Create(options);
  const auto full = fp->Compute(input);
  const auto half = fp->Compute(input.substr(0, input.size() / 2));
  auto index = neardup::LshIndex::Create();
  if (!full.ok() || !half.ok() || !index.ok() || !index->Add(42, full->signature).ok() ||
      !index->Add(7, half->signature).ok()) {
    std::cerr << "failed to build the golden records\n";
    return 1;
  }
  const std::string version = std::to_string(neardup::kFormatVersion);
  std::ofstream(dir + "/golden_signature_v" + version + ".bin", std::ios::binary) << neardup::EncodeSignature(full->signature);
  std::ofstream(dir + "/golden_index_v" + version + ".bin", std::ios::binary) << neardup::EncodeLshIndex(*index);
  std::cout << "wrote " << dir << "/golden_{signature,index}_v" << version << ".bin\n";
  const auto v = full->signature.values();
  std::cout << std::hex << "first values: 0x" << v[0] << " 0x" << v[1] << " 0x" << v[2] << " 0x" << v[3] << "\n";
  return 0;
}

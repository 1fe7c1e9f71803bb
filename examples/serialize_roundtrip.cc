// Keep an index across restarts: encode it to bytes, write them anywhere, decode them later.
#include <neardup/neardup.h>

#include <iostream>

int main() {
  auto fingerprinter = neardup::Fingerprinter::Create();
  auto index = neardup::LshIndex::Create();
  if (!fingerprinter.ok() || !index.ok()) return 1;
  const char* texts[] = {"the quick brown fox jumps over the lazy dog near the river bank",
                         "a completely different sentence about wire copy and syndicated news"};
  for (uint64_t id = 0; id < 2; ++id) {
    auto fp = fingerprinter->Compute(texts[id]);
    if (!fp.ok() || !index->Add(id, fp->signature).ok()) return 1;
  }
  const std::string bytes = neardup::EncodeLshIndex(*index);  // stable, versioned, checksummed
  auto restored = neardup::DecodeLshIndex(bytes);
  if (!restored.ok()) {
    std::cerr << restored.status() << "\n";
    return 1;
  }
  auto query = fingerprinter->Compute("The quick brown fox jumps over the lazy dog near the river bank!");
  auto hits = restored->Query(query->signature);
  std::cout << bytes.size() << " bytes; best match id " << (hits->empty() ? -1 : int(hits->front().id)) << "\n";
  return !hits->empty() && hits->front().id == 0 ? 0 : 1;
}

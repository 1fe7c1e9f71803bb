// Reads one file and prints its signature's first value: proves headers, library and the
// exported dependencies (Abseil, ICU) all resolve for a consumer.
#include <neardup/neardup.h>

#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  auto dedup = neardup::Deduplicator::Create();
  if (!dedup.ok()) return 1;
  auto matches = dedup->Add("doc", text.str());
  if (!matches.ok()) {
    std::cerr << matches.status() << "\n";
    return 1;
  }
  std::cout << "neardup " << neardup::kVersionString << ": indexed " << dedup->size() << " document\n";
  return neardup::VersionNumber() == NEARDUP_VERSION_NUMBER ? 0 : 1;
}

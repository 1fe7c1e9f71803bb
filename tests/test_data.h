// File: tests/test_data.h
//
// Access to the committed test inputs (seeds/ and tests/data/) by absolute path, set by CMake.

#ifndef NEARDUP_TESTS_TEST_DATA_H_
#define NEARDUP_TESTS_TEST_DATA_H_

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace neardup::testing {

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::filesystem::path SourceDir() { return NEARDUP_SOURCE_DIR; }

// The five seed articles, in file-name order (000 French, 001 its Italian translation, 002/003
// other French articles on the same event, 004 a related story).
inline std::vector<std::string> SeedArticles() {
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(SourceDir() / "seeds")) {
    if (e.path().extension() == ".txt") paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> texts;
  for (const auto& p : paths) texts.push_back(ReadFile(p));
  return texts;
}

}  // namespace neardup::testing

#endif  // NEARDUP_TESTS_TEST_DATA_H_

// The command's input side (cli/): how far the reader is, the inputs' size and the progress
// line drawn from them.

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "document_reader.h"
#include "progress.h"

namespace {

using neardup::cli::Document;
using neardup::cli::DocumentReader;
using neardup::cli::InputSize;
using neardup::cli::Progress;
using neardup::cli::ReaderOptions;

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "neardup_input_XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string Write(const std::string& name, const std::string& bytes) const {
    std::filesystem::create_directories((path / name).parent_path());
    std::ofstream(path / name, std::ios::binary) << bytes;
    return (path / name).string();
  }
};

}  // namespace

TEST_CASE("the progress line gives the share read and the time left at the rate so far", "[cli_input]") {
  CHECK(Progress::Line(12, 3'500'000, 0, std::nullopt, 5) == "neardup: 12 documents, 3.5 MB");
  // A quarter in 30 s: 90 s left.
  CHECK(Progress::Line(12, 3'500'000, 250, 1000, 30) == "neardup: 12 documents, 3.5 MB, 25%, 1m30s left");
  // Too early to estimate; an empty input; hours.
  CHECK(Progress::Line(1, 0, 500, 1000, 0.5) == "neardup: 1 documents, 0.0 MB, 50%");
  CHECK(Progress::Line(1, 0, 0, 0, 10) == "neardup: 1 documents, 0.0 MB");
  CHECK(Progress::Line(1, 0, 1, 100, 100) == "neardup: 1 documents, 0.0 MB, 1%, 2h45m left");
  CHECK(Progress::Line(1, 0, 200, 100, 100) == "neardup: 1 documents, 0.0 MB, 100%, 0s left");  // clamped
}

TEST_CASE("the reader's position reaches the inputs' size, which directories add up", "[cli_input]") {
  TempDir dir;
  std::string jsonl;
  for (int i = 0; i < 50; ++i) jsonl += "{\"id\": \"d" + std::to_string(i) + "\", \"text\": \"some words here\"}\n";
  const std::string lines = dir.Write("docs.jsonl", jsonl);
  dir.Write("tree/a.txt", std::string(1000, 'a'));
  dir.Write("tree/sub/b.txt", std::string(234, 'b'));
  const std::vector<std::string> inputs = {lines, (dir.path / "tree").string()};
  REQUIRE(InputSize(inputs) == jsonl.size() + 1234);
  CHECK(!InputSize({lines, "-"}).has_value());  // standard input: unknown

  std::atomic<uint64_t> position{0};
  ReaderOptions options;
  options.position = &position;
  std::vector<uint64_t> seen;
  DocumentReader reader(
      options, [&](Document&&) { seen.push_back(position.load()); }, [](const std::string&, const std::string&) {});
  reader.ReadAll(inputs);
  REQUIRE(seen.size() == 52);
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  CHECK(seen.front() > 0);
  CHECK(seen[49] == jsonl.size());       // the JSON Lines file read whole
  CHECK(seen.back() == jsonl.size() + 1234);  // then both files of the directory
}

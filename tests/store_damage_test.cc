// A store a crawler can trust (issue #21): damaged files are refused, never read wrong and
// never a crash; a failed Add leaves no trace, alone or in a batch; a store is created whole
// or not at all, whenever its creator is killed.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "neardup/dedup.h"
#include "test_data.h"

namespace {

using neardup::Deduplicator;

struct TempDir {
  TempDir() {
    char dir_template[] = "/tmp/neardup_damage_XXXXXX";
    REQUIRE(mkdtemp(dir_template) != nullptr);
    path = dir_template;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string File(const std::string& name) const { return path + "/" + name; }
  std::string path;
};

// Text `i`: 500 bytes of a seed article, whole UTF-8 characters, with its number.
std::string Text(int i) {
  static const std::vector<std::string> seeds = neardup::testing::SeedArticles();
  const std::string& seed = seeds[static_cast<size_t>(i) % seeds.size()];
  const auto continuation = [&](size_t at) { return at < seed.size() && (static_cast<unsigned char>(seed[at]) & 0xC0) == 0x80; };
  size_t begin = (static_cast<size_t>(i) * 131) % (seed.size() / 2), end = begin + 500;
  while (continuation(begin)) ++begin;
  while (continuation(end)) ++end;
  return "Dispatch " + std::to_string(i) + ". " + seed.substr(begin, end - begin);
}

// Everything a reader of the store answers, as one string: what `index pairs`, `--clusters`,
// `query` and `stats` print.
std::string Answers(const Deduplicator& dedup, const std::vector<std::string>& queries, bool with_stats = true) {
  std::string out = "size " + std::to_string(dedup.size()) + "\n";
  for (const auto& p : dedup.Pairs()) {
    out += p.id_a + " " + p.id_b + " " + std::to_string(static_cast<int>(p.kind)) + " " + std::to_string(p.score) + " " +
           std::to_string(p.jaccard) + " " + std::to_string(p.containment) + "\n";
  }
  for (const auto& c : dedup.Clusters()) {
    out += "cluster";
    for (const auto& m : c.members) out += " " + m;
    out += "\n";
  }
  for (const std::string& q : queries) {
    auto matches = dedup.Query(q);
    if (!matches.ok()) return "query failed: " + std::string(matches.status().message());
    for (const auto& m : *matches) out += "match " + m.id + " " + std::to_string(m.score) + "\n";
  }
  if (!with_stats) return out;
  auto stats = dedup.GetStoreStats();
  if (!stats.ok()) return "stats failed";
  out += std::to_string(stats->documents) + " " + std::to_string(stats->live_documents) + " " +
         std::to_string(stats->links) + " " + std::to_string(stats->live_links) + "\n";
  return out;
}

std::string ReadBytes(const std::string& path) { return neardup::testing::ReadFile(path); }

void WriteBytes(const std::string& path, const std::string& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  REQUIRE(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
  std::fclose(f);
}

// The bytes of an LMDB file that hold data: each meta page's header and record, and each
// tree page's header, slot array and nodes, but not the unused gap between slots and nodes
// (mp_lower to mp_upper) nor pages past the newest meta's last page (LMDB 0.9's layout, as
// store/lmdb.cc reads it).
std::vector<size_t> DataBytes(const std::string& file) {
  const auto u16 = [&](size_t at) { return static_cast<unsigned>(static_cast<uint8_t>(file[at])) | static_cast<unsigned>(static_cast<uint8_t>(file[at + 1])) << 8; };
  const auto u64 = [&](size_t at) {
    uint64_t v;
    std::memcpy(&v, file.data() + at, 8);
    return v;
  };
  const size_t page = u16(40) | (u16(42) << 16);
  const uint64_t newest = u64(144) > u64(page + 144) ? 0 : page;
  const uint64_t last_page = u64(newest + 136);
  std::vector<size_t> out;
  for (uint64_t p = 0; p <= last_page && (p + 1) * page <= file.size(); ++p) {
    const size_t at = p * page;
    const unsigned flags = u16(at + 10);
    if (flags & 0x08) {  // meta: header and MDB_meta
      for (size_t i = 0; i < 152; ++i) out.push_back(at + i);
    } else if (flags & 0x04) {  // overflow: the whole page
      for (size_t i = 0; i < page; ++i) out.push_back(at + i);
    } else {
      const size_t lower = u16(at + 12), upper = u16(at + 14);
      for (size_t i = 0; i < page; ++i) {
        if (i < lower || i >= upper) out.push_back(at + i);
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("every single-bit flip of a small store is harmless or reported, never a wrong answer", "[store][damage]") {
  TempDir dir;
  const std::string path = dir.File("small.ndup");
  neardup::DedupOptions options;
  options.fingerprint.anchors = false;  // near mode: the smallest rows, so every bit can be tried
  const std::vector<std::string> queries = {Text(0), Text(2) + " More."};
  {
    auto dedup = Deduplicator::Open(path, options);
    REQUIRE(dedup.ok());
    REQUIRE(dedup->Add("a", Text(0)).ok());
    REQUIRE(dedup->Add("b", Text(0) + " Updated at noon.").ok());  // a near duplicate of a: a link
    REQUIRE(dedup->Add("c", Text(2)).ok());
    REQUIRE(dedup->Pairs().size() == 1);
  }
  const std::string original = ReadBytes(path);
  std::string expected;
  {
    auto dedup = Deduplicator::Open(path, options, {.read_only = true});
    REQUIRE(dedup.ok());
    expected = Answers(*dedup, queries);
  }
  const std::vector<size_t> bytes = DataBytes(original);
  REQUIRE(bytes.size() > 1000);
  int unchanged = 0, refused_open = 0, reported_by_check = 0;
  const int fd = ::open(path.c_str(), O_RDWR);
  REQUIRE(fd >= 0);
  for (size_t at : bytes) {
    for (int bit = 0; bit < 8; ++bit) {
      const char flipped = static_cast<char>(original[at] ^ (1 << bit));
      REQUIRE(::pwrite(fd, &flipped, 1, static_cast<off_t>(at)) == 1);
      auto dedup = Deduplicator::Open(path, options, {.read_only = true});
      if (!dedup.ok()) {
        // Refused whole: every command reports it. Damage is kDataLoss; a flip that makes the
        // parameters or the format another store's is refused as that.
        INFO("byte " << at << " bit " << bit << ": " << dedup.status());
        CHECK((dedup.status().code() == absl::StatusCode::kDataLoss ||
               dedup.status().code() == absl::StatusCode::kFailedPrecondition ||
               dedup.status().code() == absl::StatusCode::kUnimplemented));
        ++refused_open;
      } else if (const absl::Status checked = dedup->CheckStore(); !checked.ok()) {
        INFO("byte " << at << " bit " << bit << ": " << checked);
        CHECK(checked.code() == absl::StatusCode::kDataLoss);
        ++reported_by_check;
      } else {
        INFO("byte " << at << " bit " << bit << " passed index check but changed the answers");
        CHECK(Answers(*dedup, queries) == expected);
        ++unchanged;
      }
      REQUIRE(::pwrite(fd, &original[at], 1, static_cast<off_t>(at)) == 1);
    }
  }
  ::close(fd);
  WARN(bytes.size() * 8 << " flips: " << unchanged << " harmless, " << refused_open << " refused on opening, "
                        << reported_by_check << " reported by the check");
  CHECK(refused_open + reported_by_check > 0);
}

TEST_CASE("a store cut at any page, empty, or a directory is refused as damaged", "[store][damage]") {
  TempDir dir;
  const std::string path = dir.File("cut.ndup");
  {
    auto dedup = Deduplicator::Open(path);
    REQUIRE(dedup.ok());
    for (int i = 0; i < 40; ++i) REQUIRE(dedup->Add("doc" + std::to_string(i), Text(i)).ok());
  }
  const std::string whole = ReadBytes(path);
  REQUIRE(whole.size() % 4096 == 0);
  const std::string cut = dir.File("cut-copy.ndup");
  for (size_t size = 0; size < whole.size(); size += 4096) {
    WriteBytes(cut, whole.substr(0, size));
    INFO("cut at " << size << " of " << whole.size());
    for (bool read_only : {true, false}) {
      auto dedup = Deduplicator::Open(cut, {}, {.read_only = read_only});
      REQUIRE_FALSE(dedup.ok());
      CHECK(dedup.status().code() == absl::StatusCode::kDataLoss);
    }
    std::filesystem::remove(cut + "-lock");
  }
  // A 0-byte file is refused, not taken for a new store; a directory is named as one.
  WriteBytes(cut, "");
  CHECK(Deduplicator::Open(cut).status().code() == absl::StatusCode::kDataLoss);
  CHECK(std::string(Deduplicator::Open(cut).status().message()).find("empty") != std::string::npos);
  const std::string folder = dir.File("folder.ndup");
  std::filesystem::create_directory(folder);
  const absl::Status directory = Deduplicator::Open(folder, {}, {.read_only = true}).status();
  CHECK(directory.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(std::string(directory.message()).find("directory") != std::string::npos);
}

TEST_CASE("a failed Add leaves no trace, alone or in a batch, and the batch's others are added", "[store]") {
  TempDir dir;
  const std::string path = dir.File("batch.ndup");
  const std::string long_id(neardup::kMaxIdBytes + 1, 'x');      // one past the limit: refused
  const std::string longest_id(neardup::kMaxIdBytes, 'y');       // at the limit: accepted
  const std::string url_id = "https://example.org/" + std::string(600, 'p');  // over LMDB's 511-byte keys
  std::vector<std::string> ids = {"a", url_id, long_id, "a", "b", longest_id};
  std::vector<neardup::Fingerprint> fps;
  auto memory = Deduplicator::Create();
  REQUIRE(memory.ok());
  for (size_t i = 0; i < ids.size(); ++i) {
    auto fp = memory->fingerprinter().Compute(Text(static_cast<int>(i)));
    REQUIRE(fp.ok());
    fps.push_back(*fp);
  }
  {
    auto stored = Deduplicator::Open(path);
    REQUIRE(stored.ok());
    const auto results = stored->AddBatch(ids, fps);
    REQUIRE(results.size() == ids.size());
    CHECK(results[0].ok());
    CHECK(results[1].ok());
    CHECK(results[2].status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(results[2].status().message()).find("longer than the limit") != std::string::npos);
    CHECK(results[3].status().code() == absl::StatusCode::kAlreadyExists);
    CHECK(results[4].ok());
    CHECK(results[5].ok());
    CHECK(stored->CheckStore().ok());
    // A single Add that fails changes nothing either, and later adds go on.
    CHECK(stored->Add(long_id, Text(9)).status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(stored->Add("c", Text(7)).ok());
    CHECK(stored->CheckStore().ok());
    CHECK(stored->size() == 5);
  }
  // Reopened, the store holds exactly the documents that were added, as memory would.
  for (size_t i : {0, 1, 4, 5}) REQUIRE(memory->Add(ids[i], fps[i]).ok());
  REQUIRE(memory->Add("c", Text(7)).ok());
  auto reopened = Deduplicator::Open(path);
  REQUIRE(reopened.ok());
  CHECK(reopened->CheckStore().ok());
  CHECK(reopened->size() == 5);
  CHECK_FALSE(reopened->Contains(long_id));
  CHECK(reopened->Contains(url_id));
  CHECK(reopened->Contains(longest_id));
  const std::vector<std::string> queries = {Text(0), Text(4), Text(7)};
  CHECK(Answers(*reopened, queries, /*with_stats=*/false) == Answers(*memory, queries, /*with_stats=*/false));
}

TEST_CASE("a creator killed at any moment leaves no store or a whole one", "[store][kill]") {
  TempDir dir;
  std::mt19937 rng(20261203);  // fixed: the same kill times on every run (as far as timing allows)
  constexpr int kRounds = 60;
  int absent = 0, whole = 0;
  for (int round = 0; round < kRounds; ++round) {
    const std::string path = dir.File("new" + std::to_string(round) + ".ndup");
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      auto dedup = Deduplicator::Open(path);
      if (!dedup.ok() || !dedup->Add("first", Text(round)).ok()) _exit(3);
      _exit(0);
    }
    // The child starts, then creates the store (a commit and two syncs), then adds: kill at
    // any moment of the first 40 ms, where the kills had found unfinished stores.
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 40000)(rng)));
    kill(child, SIGKILL);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE((WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0)));
    if (!std::filesystem::exists(path)) {
      ++absent;
    } else {
      // What exists opens read-only as a complete store.
      auto reader = Deduplicator::Open(path, {}, {.read_only = true});
      INFO("round " << round << ": " << reader.status());
      REQUIRE(reader.ok());
      REQUIRE(reader->CheckStore().ok());
      ++whole;
    }
    // `index add` goes on: the store opens for writing, takes a document and checks out.
    auto writer = Deduplicator::Open(path);
    INFO("round " << round << ": " << writer.status());
    REQUIRE(writer.ok());
    REQUIRE(writer->Add("next", Text(round + 1)).ok());
    REQUIRE(writer->CheckStore().ok());
  }
  WARN(kRounds << " creators killed: " << absent << " left no store, " << whole << " a whole one");
}

TEST_CASE("index compact gives back a batch's free pages and keeps every answer", "[store]") {
  TempDir dir;
  const std::string path = dir.File("compact.ndup");
  std::vector<std::string> queries;
  std::string before;
  {
    auto dedup = Deduplicator::Open(path);
    REQUIRE(dedup.ok());
    for (int i = 0; i < 100; ++i) REQUIRE(dedup->Add("doc" + std::to_string(i), Text(i)).ok());
    for (int i = 0; i < 100; i += 3) REQUIRE(dedup->Remove("doc" + std::to_string(i)).ok());
    for (int i = 0; i < 5; ++i) queries.push_back(Text(i * 7));
    before = Answers(*dedup, queries);
    // Open, it cannot be compacted: the store is this process's.
    CHECK(Deduplicator::CompactStore(path).status().code() == absl::StatusCode::kUnavailable);
  }
  auto sizes = Deduplicator::CompactStore(path);
  REQUIRE(sizes.ok());
  CHECK(sizes->second < sizes->first);
  auto dedup = Deduplicator::Open(path);
  REQUIRE(dedup.ok());
  CHECK(dedup->CheckStore().ok());
  CHECK(Answers(*dedup, queries) == before);
  auto stats = dedup->GetStoreStats();
  REQUIRE(stats.ok());
  CHECK(stats->used_bytes <= stats->file_bytes);
  CHECK(dedup->Add("after", Text(500)).ok());  // and it takes new documents
}

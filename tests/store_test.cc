// The persistent index's file: LMDB through store/lmdb.h, the meta table and the parameters
// check (store/store_file.h, store/parameters.h).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "neardup/dedup.h"
#include "neardup/fingerprint.h"
#include "store/lmdb.h"
#include "store/parameters.h"
#include "store/records.h"
#include "store/store_file.h"
#include "test_data.h"

namespace {

namespace lmdb = neardup::internal::lmdb;
using neardup::DedupOptions;
using neardup::internal::OpenStoreFile;

// A fresh directory for the test's files, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "neardup_store_XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const char* name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace

TEST_CASE("parameters are described in full and read back exactly", "[store]") {
  DedupOptions options;
  options.lsh.threshold = 0.1 + 0.2;  // 0.30000000000000004: must survive the text
  const std::string text = neardup::internal::EncodeParameters(options);
  CHECK(text.find("num_perm=128\n") != std::string::npos);
  CHECK(text.find("lsh.threshold=0.30000000000000004\n") != std::string::npos);
  CHECK(neardup::internal::CheckSameParameters(text, options).ok());
  // Every described parameter is one line, and changing any option changes the text.
  CHECK(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) ==
        neardup::internal::DescribeParameters(options).size());
  DedupOptions other = options;
  other.fingerprint.minhash.num_perm = 64;
  other.translation.threshold = 0.7;
  const absl::Status s = neardup::internal::CheckSameParameters(text, other);
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(std::string(s.message()).find("num_perm: the store has 128, the options say 64") != std::string::npos);
  CHECK(std::string(s.message()).find("translation.threshold: the store has 0.65") != std::string::npos);
  // max_bytes limits a run's input; it is not a parameter of the answers.
  other = options;
  other.fingerprint.normalize.max_bytes = 1000;
  CHECK(neardup::internal::CheckSameParameters(text, other).ok());
  CHECK(neardup::internal::CheckSameParameters("garbage without equals\n", options).code() ==
        absl::StatusCode::kDataLoss);
  CHECK(neardup::internal::CheckSameParameters(text + "future_option=1\n", options).code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("a store is created once, then opened only with the parameters that made it", "[store]") {
  TempDir dir;
  const std::string path = dir.File("index.ndup");
  DedupOptions options;
  {
    auto file = OpenStoreFile(path, options, /*read_only=*/false);
    REQUIRE(file.ok());
    CHECK(file->format_version == neardup::internal::kStoreFormatVersion);
    CHECK(file->created_by.rfind("neardup ", 0) == 0);
  }
  CHECK(OpenStoreFile(path, options, false).ok());
  CHECK(OpenStoreFile(path, options, /*read_only=*/true).ok());
  DedupOptions other = options;
  other.fingerprint.anchors = false;
  const auto refused = OpenStoreFile(path, other, false);
  CHECK(refused.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(std::string(refused.status().message()).find("translations: the store has true, the options say false") !=
        std::string::npos);
  // Read-only opening creates nothing.
  CHECK(OpenStoreFile(dir.File("missing.ndup"), options, true).status().code() == absl::StatusCode::kNotFound);
  CHECK_FALSE(std::filesystem::exists(dir.File("missing.ndup")));
}

TEST_CASE("a store of a newer format is kUnimplemented; a file that is not a store kDataLoss", "[store]") {
  TempDir dir;
  const std::string path = dir.File("index.ndup");
  DedupOptions options;
  REQUIRE(OpenStoreFile(path, options, false).ok());
  {  // what a newer neardup would write
    auto env = lmdb::Environment::Open(path, {});
    REQUIRE(env.ok());
    auto txn = (*env)->Begin(lmdb::kWrite);
    REQUIRE(txn.ok());
    auto meta = txn->OpenDatabase("meta", lmdb::kExisting);
    REQUIRE(meta.ok());
    const uint16_t newer = neardup::internal::kStoreFormatVersion + 1;
    const char bytes[2] = {static_cast<char>(newer & 0xFF), static_cast<char>(newer >> 8)};
    REQUIRE(txn->Put(*meta, "format_version", std::string_view(bytes, 2)).ok());
    REQUIRE(txn->Commit().ok());
  }
  const auto newer = OpenStoreFile(path, options, false);
  CHECK(newer.status().code() == absl::StatusCode::kUnimplemented);
  CHECK(std::string(newer.status().message()).find("newer") != std::string::npos);

  const std::string text_file = dir.File("notes.txt");
  std::ofstream(text_file) << std::string(20000, 'x');
  CHECK(OpenStoreFile(text_file, options, false).status().code() == absl::StatusCode::kDataLoss);
  CHECK(OpenStoreFile(text_file, options, true).status().code() == absl::StatusCode::kDataLoss);
  // An LMDB file without our meta table is not a store either.
  const std::string foreign = dir.File("foreign.mdb");
  {
    auto env = lmdb::Environment::Open(foreign, {});
    REQUIRE(env.ok());
    auto txn = (*env)->Begin(lmdb::kWrite);
    REQUIRE(txn.ok());
    auto table = txn->OpenDatabase("other", lmdb::kCreate);
    REQUIRE(table.ok());
    REQUIRE(txn->Put(*table, "k", "v").ok());
    REQUIRE(txn->Commit().ok());
  }
  CHECK(OpenStoreFile(foreign, options, true).status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("LMDB layer: duplicates, prefixes, counts, and what a reader sees", "[store]") {
  TempDir dir;
  auto env = lmdb::Environment::Open(dir.File("t.mdb"), {});
  REQUIRE(env.ok());
  lmdb::Database bands, docs;
  {
    auto txn = (*env)->Begin(lmdb::kWrite);
    REQUIRE(txn.ok());
    auto b = txn->OpenDatabase("bands", lmdb::kCreate | lmdb::kFixedSizeDuplicates);
    auto d = txn->OpenDatabase("docs", lmdb::kCreate);
    REQUIRE(b.ok());
    REQUIRE(d.ok());
    bands = *b, docs = *d;
    for (const char* v : {"0003", "0001", "0002", "0001"}) REQUIRE(txn->Put(bands, "bucket-a", v).ok());
    REQUIRE(txn->Put(bands, "bucket-b", "0009").ok());
    REQUIRE(txn->Put(docs, "a/1", "x").ok());
    REQUIRE(txn->Put(docs, "a/2", "y").ok());
    REQUIRE(txn->Put(docs, "b/1", "z").ok());
    REQUIRE(txn->Commit().ok());
  }
  auto reader = (*env)->Begin(lmdb::kRead);
  REQUIRE(reader.ok());
  std::string values;
  REQUIRE(reader->ForEachValue(bands, "bucket-a", [&](std::string_view v) { values += std::string(v) + ","; return true; }).ok());
  CHECK(values == "0001,0002,0003,");  // sorted, the repeated value once
  CHECK(*reader->Count(bands) == 4);
  std::string keys;
  REQUIRE(reader->ForEach(docs, "a/", [&](std::string_view k, std::string_view) { keys += std::string(k) + ","; return true; }).ok());
  CHECK(keys == "a/1,a/2,");
  // A writer's later changes are invisible to a reader's snapshot until it begins anew.
  {
    auto txn = (*env)->Begin(lmdb::kWrite);
    REQUIRE(txn.ok());
    REQUIRE(txn->Delete(bands, "bucket-a", std::string_view("0002")).ok());
    REQUIRE(txn->Delete(docs, "a/1").ok());
    REQUIRE(txn->Delete(docs, "absent").ok());  // not an error
    REQUIRE(txn->Commit().ok());
  }
  CHECK(reader->Get(docs, "a/1")->has_value());
  reader->Abort();
  auto later = (*env)->Begin(lmdb::kRead);
  REQUIRE(later.ok());
  CHECK_FALSE(later->Get(docs, "a/1")->has_value());
  CHECK(*later->Count(bands) == 3);
  CHECK(**later->Get(docs, "b/1") == "z");
}

TEST_CASE("store rows round-trip, and every cut of one is kDataLoss", "[store]") {
  namespace in = neardup::internal;
  const auto fingerprinter = neardup::Fingerprinter::Create({});
  REQUIRE(fingerprinter.ok());
  const std::string article = neardup::testing::SeedArticles().at(0);
  const auto fp = fingerprinter->Compute(article, "");
  REQUIRE(fp.ok());
  REQUIRE(fp->anchors.keys.size() > 10);
  in::StoredDocument doc;
  doc.id = "seeds/000.txt";
  doc.set_size = fp->signature.set_size();
  doc.signature.assign(fp->signature.values().begin(), fp->signature.values().end());
  doc.has_translation_signature = true;
  doc.translation_set_size = fp->translation_signature.set_size();
  doc.translation_signature.assign(fp->translation_signature.values().begin(), fp->translation_signature.values().end());
  doc.has_profile = true;
  doc.profile = fp->anchors;
  const int k = fp->signature.size();
  const std::string bytes = in::EncodeStoredDocument(doc);
  const auto decoded = in::DecodeStoredDocument(bytes, k);
  REQUIRE(decoded.ok());
  CHECK(*decoded == doc);
  for (size_t n = 0; n < bytes.size(); ++n) {
    INFO("cut to " << n << " of " << bytes.size());
    CHECK(in::DecodeStoredDocument(bytes.substr(0, n), k).status().code() == absl::StatusCode::kDataLoss);
  }
  CHECK(in::DecodeStoredDocument(bytes + "x", k).status().code() == absl::StatusCode::kDataLoss);
  CHECK(in::DecodeStoredDocument(bytes, k + 1).status().code() == absl::StatusCode::kDataLoss);
  // A removed near-mode document: no translation signature, no profile.
  in::StoredDocument bare;
  bare.id = "x";
  bare.alive = false;
  bare.set_size = 3;
  bare.signature.assign(static_cast<size_t>(k), 7);
  CHECK(*in::DecodeStoredDocument(in::EncodeStoredDocument(bare), k) == bare);

  const in::StoredLink link{3, 9, neardup::MatchKind::kTranslation, 0.8125, false};
  const std::string link_bytes = in::EncodeStoredLink(link);
  CHECK(*in::DecodeStoredLink(link_bytes) == link);
  for (size_t n = 0; n < link_bytes.size(); ++n) {
    CHECK(in::DecodeStoredLink(link_bytes.substr(0, n)).status().code() == absl::StatusCode::kDataLoss);
  }
  const in::StoredLink backwards{9, 3, neardup::MatchKind::kNear, 1, true};
  CHECK(in::DecodeStoredLink(in::EncodeStoredLink(backwards)).status().code() == absl::StatusCode::kDataLoss);
  // Sequence keys sort as numbers, bytewise.
  CHECK(in::SequenceKey(255) < in::SequenceKey(256));
  CHECK(*in::DecodeSequenceKey(in::SequenceKey(0x01020304)) == 0x01020304u);
  CHECK(in::DecodeSequenceKey("abc").status().code() == absl::StatusCode::kDataLoss);
}

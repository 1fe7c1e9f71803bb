// The persistent index's file: LMDB through store/lmdb.h, the meta table and the parameters
// check (store/store_file.h, store/parameters.h).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "neardup/anchor.h"
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
  // Rewrites the store's format version, as another neardup would have written it.
  const auto write_version = [&](uint16_t version) {
    auto env = lmdb::Environment::Open(path, {});
    REQUIRE(env.ok());
    auto txn = (*env)->Begin(lmdb::kWrite);
    REQUIRE(txn.ok());
    auto meta = txn->OpenDatabase("meta", lmdb::kExisting);
    REQUIRE(meta.ok());
    const char bytes[2] = {static_cast<char>(version & 0xFF), static_cast<char>(version >> 8)};
    REQUIRE(txn->Put(*meta, "format_version", std::string_view(bytes, 2)).ok());
    REQUIRE(txn->Commit().ok());
  };
  write_version(neardup::internal::kStoreFormatVersion + 1);
  const auto newer = OpenStoreFile(path, options, false);
  CHECK(newer.status().code() == absl::StatusCode::kUnimplemented);
  CHECK(std::string(newer.status().message()).find("newer") != std::string::npos);
  // Format 1 (8-byte signature values) is no longer read: refused, naming what to do.
  write_version(1);
  const auto older = OpenStoreFile(path, options, true);
  CHECK(older.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(std::string(older.status().message()).find("new store") != std::string::npos);

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

TEST_CASE("LMDB layer: a map larger than the address space is reserved as large as it can be", "[store]") {
  // 2^62 bytes exceed any x86-64 or AArch64 address space: mmap gives ENOMEM, and Open halves
  // the map until it fits (TSan's fixed layout refused even 1 TiB on this machine once).
  TempDir dir;
  lmdb::Environment::Options options;
  options.map_size = uint64_t{1} << 62;
  auto env = lmdb::Environment::Open(dir.File("huge.mdb"), options);
  INFO(env.status().ToString());
  REQUIRE(env.ok());
  auto txn = (*env)->Begin(lmdb::kWrite);
  REQUIRE(txn.ok());
  auto table = txn->OpenDatabase("t", lmdb::kCreate);
  REQUIRE(table.ok());
  REQUIRE(txn->Put(*table, "key", "value").ok());
  REQUIRE(txn->Commit().ok());
  // A map of the floor itself opens as asked.
  options.map_size = lmdb::Environment::kMinMapSize;
  CHECK(lmdb::Environment::Open(dir.File("small.mdb"), options).ok());
}

TEST_CASE("LMDB layer: a file is open once per process, by whatever path", "[store]") {
  TempDir dir;
  const std::string path = dir.File("once.mdb");
  auto first = lmdb::Environment::Open(path, {});
  REQUIRE(first.ok());
  // Again, by its name or through a link, for writing or reading: refused before LMDB opens
  // it (a second environment's close would drop the first one's locks).
  const std::string link = dir.File("link.mdb");
  std::filesystem::create_symlink(path, link);
  lmdb::Environment::Options read_only;
  read_only.read_only = true;
  for (const auto& [p, o] : {std::pair{path, lmdb::Environment::Options{}}, std::pair{link, read_only}}) {
    const auto again = lmdb::Environment::Open(p, o);
    CHECK(again.status().code() == absl::StatusCode::kFailedPrecondition);
    CHECK(std::string(again.status().message()).find("open in this process") != std::string::npos);
  }
  first->reset();
  CHECK(lmdb::Environment::Open(link, read_only).ok());  // closed: free to open again
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
  doc.signature = in::KeptValues(fp->signature);
  // A row keeps what the index keeps: the top 32 bits.
  const neardup::Signature truncated = neardup::TruncateSignature(fp->signature);
  CHECK(in::RestoredValues(doc.signature) == std::vector<uint64_t>(truncated.values().begin(), truncated.values().end()));
  doc.has_translation_signature = true;
  doc.translation_set_size = fp->translation_signature.set_size();
  doc.translation_signature = in::KeptValues(fp->translation_signature);
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
  // A long document's closing paragraphs can start past its kept anchors (the cap): such a
  // profile is stored as it is (wire-dev has one).
  bare.has_profile = true;
  bare.profile.tail_keys = {1, 2};
  bare.profile.tail_anchor_begin = {1711, 1712};
  CHECK(*in::DecodeStoredDocument(in::EncodeStoredDocument(bare), k) == bare);
  // Rows keep values of number anchors only; a value on another kind is kept too, not lost.
  bare.profile.keys = {11, 12, 13};
  bare.profile.kinds = {neardup::AnchorKind::kName, neardup::AnchorKind::kNumber, neardup::AnchorKind::kUrl};
  bare.profile.values = {0, 1.5, 0};
  const size_t sparse = in::EncodeStoredDocument(bare).size();
  CHECK(*in::DecodeStoredDocument(in::EncodeStoredDocument(bare), k) == bare);
  bare.profile.values = {0.25, 1.5, 0};
  CHECK(in::EncodeStoredDocument(bare).size() == sparse + 16);
  CHECK(*in::DecodeStoredDocument(in::EncodeStoredDocument(bare), k) == bare);

  // Blocks of rows: split gives back what was appended; a block cut inside a row, an empty
  // one and one with a row too many are damaged. (A cut between rows is a shorter block:
  // the next block's numbering, or the ids table for the last, tells.)
  std::string block;
  std::vector<std::string> rows;
  for (uint32_t i = 0; i < in::kRowsPerBlock; ++i) {
    rows.push_back(std::string(1 + i * 37 % 300, static_cast<char>('a' + i % 26)));
    in::AppendToBlock(block, rows.back());
  }
  const auto split = in::SplitBlock(block);
  REQUIRE(split.ok());
  CHECK(std::vector<std::string>(split->begin(), split->end()) == rows);
  for (size_t n : {size_t{0}, size_t{1}, 1 + rows[0].size() + 1, block.size() - 1}) {
    CHECK(in::SplitBlock(std::string_view(block).substr(0, n)).status().code() == absl::StatusCode::kDataLoss);
  }
  std::string over = block;
  in::AppendToBlock(over, "x");
  CHECK(in::SplitBlock(over).status().code() == absl::StatusCode::kDataLoss);

  const in::StoredLink link{3, 9, neardup::MatchKind::kContained, 0.8125, 0.4375, 0.8125, false};
  const std::string link_bytes = in::EncodeStoredLink(link);
  CHECK(*in::DecodeStoredLink(link_bytes) == link);
  for (size_t n = 0; n < link_bytes.size(); ++n) {
    CHECK(in::DecodeStoredLink(link_bytes.substr(0, n)).status().code() == absl::StatusCode::kDataLoss);
  }
  const in::StoredLink backwards{9, 3, neardup::MatchKind::kNear, 1, 1, 1, true};
  CHECK(in::DecodeStoredLink(in::EncodeStoredLink(backwards)).status().code() == absl::StatusCode::kDataLoss);
  // Sequence keys sort as numbers, bytewise.
  CHECK(in::SequenceKey(255) < in::SequenceKey(256));
  CHECK(*in::DecodeSequenceKey(in::SequenceKey(0x01020304)) == 0x01020304u);
  CHECK(in::DecodeSequenceKey("abc").status().code() == absl::StatusCode::kDataLoss);
}

namespace {

// The seeds, each after its two halves and before a byline copy: near, contained and
// translation links, and translations retracted by better ones (000's Italian halves are not
// copies of each other, and the whole 001 translates it better than either).
// `text` with every word of 4 or more ASCII lower-case letters replaced by `filler`: another
// text with the same anchors and layout, not a copy.
std::string Refill(const std::string& text, const std::string& filler) {
  const auto letter = [](unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; };
  std::string out;
  for (size_t i = 0; i < text.size();) {
    size_t j = i;
    while (j < text.size() && text[j] >= 'a' && text[j] <= 'z') ++j;
    const bool word = j - i >= 4 && (i == 0 || !letter(text[i - 1])) && (j == text.size() || !letter(text[j]));
    if (word) {
      out += filler;
    } else {
      out.append(text, i, std::max<size_t>(j - i, 1));
    }
    i = std::max(j, i + 1);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> StoreTestDocuments() {
  std::vector<std::pair<std::string, std::string>> docs;
  const std::vector<std::string> seeds = neardup::testing::SeedArticles();
  const std::string& italian = seeds.at(1);
  for (size_t i = 0; i < seeds.size(); ++i) {
    const std::string name = "seed" + std::to_string(i);
    docs.emplace_back(name + "/half", seeds[i].substr(0, seeds[i].size() / 2));
    docs.emplace_back(name + "/tail", seeds[i].substr(seeds[i].size() / 2));
    docs.emplace_back(name, seeds[i]);
    docs.emplace_back(name + "/byline", "By our correspondent.\n\n" + seeds[i]);
    if (i == 0) {
      // Two Italian rewrites of 001 that are not copies of each other. The first, without
      // its last paragraph, translates 000 less well than the second, which retracts its
      // link, and 001 itself then retracts the second's.
      docs.emplace_back("rewrite/short", Refill(italian.substr(0, italian.rfind('\n', italian.size() - 2)), "parola"));
      docs.emplace_back("rewrite/full", Refill(italian, "termine"));
    }
  }
  return docs;
}

std::string Describe(const absl::StatusOr<std::vector<neardup::Match>>& matches) {
  if (!matches.ok()) return std::string(matches.status().message());
  std::string out;
  for (const auto& m : *matches) out += m.id + " " + neardup::MatchKindName(m.kind) + " " + std::to_string(m.score) + "; ";
  return out;
}

std::string Describe(const std::vector<neardup::Pair>& pairs) {
  std::string out;
  for (const auto& p : pairs) out += p.id_a + " " + p.id_b + " " + neardup::MatchKindName(p.kind) + " " + std::to_string(p.score) + "\n";
  return out;
}

}  // namespace

TEST_CASE("a stored Deduplicator answers as an in-memory one, and again after reopening", "[store]") {
  TempDir dir;
  const std::string path = dir.File("index.ndup");
  const auto docs = StoreTestDocuments();
  for (const bool translations : {true, false}) {
    INFO("translations " << translations);
    DedupOptions options;
    options.fingerprint.anchors = translations;
    std::filesystem::remove(path);
    auto memory = neardup::Deduplicator::Create(options);
    REQUIRE(memory.ok());
    {
      auto stored = neardup::Deduplicator::Open(path, options);
      REQUIRE(stored.ok());
      for (size_t i = 0; i < docs.size(); ++i) {
        INFO("document " << docs[i].first);
        const auto a = memory->Add(docs[i].first, docs[i].second);
        const auto b = stored->Add(docs[i].first, docs[i].second);
        REQUIRE(a.ok());
        CHECK(Describe(b) == Describe(a));
        if (i == 7) {  // a removal in the middle of the sequence
          REQUIRE(memory->Remove(docs[3].first).ok());
          REQUIRE(stored->Remove(docs[3].first).ok());
        }
      }
      REQUIRE_FALSE(memory->Pairs().empty());
      CHECK(Describe(stored->Pairs()) == Describe(memory->Pairs()));
      // One writer at a time: a second one is told so at once.
      const auto second = neardup::Deduplicator::Open(path, options);
      CHECK(second.status().code() == absl::StatusCode::kUnavailable);
    }
    // Reopened: the same links, the same clusters, and the same answers to what comes next.
    auto reopened = neardup::Deduplicator::Open(path, options);
    REQUIRE(reopened.ok());
    CHECK(reopened->size() == memory->size());
    CHECK(Describe(reopened->Pairs()) == Describe(memory->Pairs()));
    CHECK(reopened->Clusters().size() == memory->Clusters().size());
    const std::string late = "Breaking: " + docs[4].second;
    CHECK(Describe(reopened->Add("late", late)) == Describe(memory->Add("late", late)));
    CHECK(Describe(reopened->Query(docs[1].second)) == Describe(memory->Query(docs[1].second)));
    REQUIRE(reopened->Remove("late").ok());
    REQUIRE(memory->Remove("late").ok());
    CHECK(reopened->Add(docs[0].first, "x y z").status().code() == absl::StatusCode::kAlreadyExists);
  }
  // Read-only: queries, no changes; and the options must be the store's.
  DedupOptions options;
  options.fingerprint.anchors = false;
  auto reader = neardup::Deduplicator::Open(path, options, {.read_only = true});
  REQUIRE(reader.ok());
  CHECK_FALSE(reader->Pairs().empty());
  CHECK(reader->Add("new", "some words here and there").status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(reader->Remove(docs[0].first).code() == absl::StatusCode::kFailedPrecondition);
  CHECK(neardup::Deduplicator::Open(path, {}).status().code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("the options a store was made with read back exactly", "[store]") {
  DedupOptions options;
  options.fingerprint.minhash.num_perm = 64;
  options.fingerprint.minhash.seed = 18446744073709551615ull;
  options.fingerprint.shingle = {neardup::ShingleKind::kCharacter, 7};
  options.fingerprint.normalize.strip_diacritics = true;
  options.fingerprint.normalize.invalid_utf8 = neardup::InvalidUtf8::kReplace;
  options.fingerprint.anchors = false;
  options.lsh.threshold = 0.1 + 0.2;
  options.translation_lsh.max_bucket_scan = 7;
  options.containment_threshold = 0;
  const std::string text = neardup::internal::EncodeParameters(options);
  const auto parsed = neardup::internal::ParseParameters(text);
  REQUIRE(parsed.ok());
  CHECK(neardup::internal::EncodeParameters(*parsed) == text);
  CHECK(parsed->lsh.threshold == options.lsh.threshold);
  CHECK(parsed->fingerprint.minhash.seed == options.fingerprint.minhash.seed);
  CHECK(neardup::internal::ParseParameters("num_perm=12\n").status().code() == absl::StatusCode::kDataLoss);
  std::string bad = text;
  bad.replace(bad.find("num_perm=64"), 11, "num_perm=6x");
  CHECK(neardup::internal::ParseParameters(bad).status().code() == absl::StatusCode::kDataLoss);
  // Documents profiled by other anchor rules: refused, saying so (a store of rules 1 has no
  // line). A near-only store keeps no profiles and records no rules: it opens as before.
  CHECK(text.find("anchor_rules=") == std::string::npos);  // `options` look for no translations
  neardup::DedupOptions translating = options;
  translating.fingerprint.anchors = true;
  const std::string translating_text = neardup::internal::EncodeParameters(translating);
  CHECK(neardup::internal::ParseParameters(translating_text).ok());
  CHECK(neardup::internal::ParseParameters(text + "anchor_rules=2\n").status().code() == absl::StatusCode::kDataLoss);
  const std::string rules_line = absl::StrCat("anchor_rules=", neardup::kAnchorRulesVersion, "\n");
  REQUIRE(translating_text.find(rules_line) != std::string::npos);
  for (const std::string& other_rules : {std::string(), std::string("anchor_rules=1\n")}) {
    std::string older = translating_text;
    older.replace(older.find(rules_line), rules_line.size(), other_rules);
    const absl::Status refused = neardup::internal::ParseParameters(older).status();
    CHECK(refused.code() == absl::StatusCode::kFailedPrecondition);
    CHECK_THAT(std::string(refused.message()), Catch::Contains("rules of version 1") && Catch::Contains("a new store"));
  }

  TempDir dir;
  const std::string path = dir.File("index.ndup");
  REQUIRE(neardup::Deduplicator::Open(path, options).ok());
  const auto stored = neardup::Deduplicator::StoredOptions(path);
  REQUIRE(stored.ok());
  CHECK(neardup::internal::EncodeParameters(*stored) == text);
  CHECK(neardup::Deduplicator::Open(path, *stored).ok());
  CHECK(neardup::Deduplicator::StoredOptions(dir.File("none")).status().code() == absl::StatusCode::kNotFound);
}

// Many threads on one Deduplicator: Add, Query, Remove, Pairs, Clusters and Explain at once.
// Run it under ThreadSanitizer (`make test-tsan`): the final state must equal a serial run's.
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <filesystem>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "neardup/dedup.h"
#include "reference/reference.h"
#include "reference/wire_copy.h"
#include "test_data.h"

namespace {

// Copies of the seed articles: many near and contained pairs.
std::vector<std::string> WireCopies() {
  const auto seeds = neardup::testing::SeedArticles();
  neardup::reference::Rng rng(99);
  std::vector<std::string> texts;
  for (const std::string& seed : seeds) {
    texts.push_back(seed);
    for (int c = 0; c < 7; ++c) texts.push_back(neardup::reference::MakeWireCopy(seed, neardup::reference::RandomEdits(rng), rng));
  }
  return texts;
}

// What a query returns, as (id, kind) pairs: order-free, so that serial and concurrent
// insertion orders compare.
std::set<std::pair<std::string, int>> Found(const neardup::Deduplicator& d, const std::string& text) {
  std::set<std::pair<std::string, int>> out;
  const auto matches = d.Query(text);
  if (matches.ok()) {
    for (const auto& m : *matches) out.emplace(m.id, static_cast<int>(m.kind));
  }
  return out;
}

// Each document's result as Add one by one gave it: the same error, or the same matches in
// the same order (scores by the same arithmetic: equal bits).
void RequireSameResults(const std::vector<absl::StatusOr<std::vector<neardup::Match>>>& got,
                        const std::vector<absl::StatusOr<std::vector<neardup::Match>>>& expected) {
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("document " << i);
    REQUIRE(got[i].status().code() == expected[i].status().code());
    if (!got[i].ok()) continue;
    REQUIRE(got[i]->size() == expected[i]->size());
    for (size_t j = 0; j < got[i]->size(); ++j) {
      CHECK((*got[i])[j].id == (*expected[i])[j].id);
      CHECK((*got[i])[j].kind == (*expected[i])[j].kind);
      CHECK((*got[i])[j].score == (*expected[i])[j].score);
    }
  }
}

// "d<i>" (appended, not concatenated: GCC 12 warns wrongly on `"d" + std::to_string(i)`).
std::string Id(size_t i) {
  std::string id = "d";
  id += std::to_string(i);
  return id;
}

}  // namespace

TEST_CASE("a Deduplicator hammered from several threads ends as a serial run does", "[dedup][threads]") {
  const std::vector<std::string> texts = WireCopies();
  neardup::DedupOptions options;
  options.fingerprint.anchors = false;  // near and contained: symmetric verdicts, order-free
  // In memory, and kept in a store (each Add and Remove committed under the writer's lock).
  const bool stored = GENERATE(false, true);
  INFO((stored ? "stored" : "in memory"));
  char dir[] = "/tmp/neardup_threads_XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string path = std::string(dir) + "/index.ndup";
  auto hammered = stored ? neardup::Deduplicator::Open(path, options) : neardup::Deduplicator::Create(options);
  INFO(hammered.status().ToString());
  REQUIRE(hammered.ok());
  constexpr int kWriters = 3;
  std::atomic<int> errors{0};
  std::atomic<bool> writing{true};
  std::vector<std::thread> threads;
  // Writers: each adds its share; every third of its documents is added, then removed.
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (size_t i = w; i < texts.size(); i += kWriters) {
        const std::string id = Id(i);
        errors += !hammered->Add(id, texts[i]).ok();
        if (i % 3 == 0) errors += !hammered->Remove(id).ok();
      }
    });
  }
  // Readers: queries, pairs, clusters, explanations, all the while.
  std::thread reader([&] {
    size_t seen = 0;
    while (writing) {
      for (size_t i = 0; i < texts.size(); i += 5) seen += Found(*hammered, texts[i]).size();
      seen += hammered->Pairs().size() + hammered->Clusters().size() + hammered->size();
      const auto fp = hammered->fingerprinter().Compute(texts[1]);
      if (fp.ok()) {
        const auto v = hammered->Explain(*fp, "d1");
        errors += !v.ok() && v.status().code() != absl::StatusCode::kNotFound;
      }
    }
    errors += seen == static_cast<size_t>(-1);  // keep `seen` alive
  });
  for (auto& t : threads) t.join();
  writing = false;
  reader.join();
  CHECK(errors == 0);

  // The serial run: the documents that stayed, added in order.
  auto serial = neardup::Deduplicator::Create(options);
  REQUIRE(serial.ok());
  for (size_t i = 0; i < texts.size(); ++i) {
    if (i % 3 != 0) REQUIRE(serial->Add(Id(i), texts[i]).ok());
  }
  REQUIRE(hammered->size() == serial->size());
  size_t pairs_found = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    INFO("document " << i);
    CHECK(hammered->Contains(Id(i)) == (i % 3 != 0));
    const auto found = Found(*hammered, texts[i]);
    CHECK(found == Found(*serial, texts[i]));
    pairs_found += found.size();
  }
  REQUIRE(pairs_found > texts.size());  // the copies found each other: the check compared something
  std::set<std::pair<std::string, std::string>> a, b;
  for (const auto& p : hammered->Pairs()) a.emplace(std::min(p.id_a, p.id_b), std::max(p.id_a, p.id_b));
  for (const auto& p : serial->Pairs()) b.emplace(std::min(p.id_a, p.id_b), std::max(p.id_a, p.id_b));
  // Live links among the surviving documents: the same set, whatever the insertion order.
  CHECK(a == b);
  if (stored) {  // what the threads committed is what a reopened store holds
    const size_t links = hammered->Pairs().size();
    hammered = absl::UnknownError("closed");
    auto reopened = neardup::Deduplicator::Open(path, options);
    REQUIRE(reopened.ok());
    CHECK(reopened->CheckStore().ok());
    CHECK(reopened->size() == serial->size());
    CHECK(reopened->Pairs().size() == links);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("AddBatch of texts fingerprints on threads and adds as Add one by one", "[dedup][threads]") {
  std::vector<std::string> texts = WireCopies();
  texts.insert(texts.begin() + 3, "  ...  ");  // no words: refused in its place
  std::vector<std::string> ids;
  for (size_t i = 0; i < texts.size(); ++i) ids.push_back(Id(i));
  ids.back() = ids.front();  // an id given twice: the second refused
  auto serial = neardup::Deduplicator::Create();
  REQUIRE(serial.ok());
  std::vector<absl::StatusOr<std::vector<neardup::Match>>> expected;
  for (size_t i = 0; i < texts.size(); ++i) expected.push_back(serial->Add(ids[i], texts[i]));
  for (int threads : {1, 4}) {
    auto batched = neardup::Deduplicator::Create();
    REQUIRE(batched.ok());
    std::vector<neardup::Deduplicator::TextDocument> docs;
    for (size_t i = 0; i < texts.size(); ++i) docs.push_back({ids[i], texts[i], ""});
    const auto got = batched->AddBatch(docs, threads);
    INFO("threads " << threads);
    RequireSameResults(got, expected);
    CHECK(!got[3].ok());
    CHECK(got.back().status().code() == absl::StatusCode::kAlreadyExists);
    CHECK(batched->Pairs().size() == serial->Pairs().size());
  }
}

namespace {

// Stories told in two languages: the same anchors (numbers, years, names, acronyms) in the same
// order and paragraphs, in different words; many close with one agency footer (boilerplate once
// 20 documents hold it). Some stories are told once. Shuffled, so that translations fall in and
// across AddBatch's runs.
struct Told {
  std::string id, text, language;
};
std::vector<Told> StoriesInTwoLanguages(size_t stories) {
  neardup::reference::Rng rng(2024);
  const std::vector<std::string> filler[2] = {
      {"the", "report", "said", "that", "with", "after", "officials", "during", "meeting", "while", "about", "city"},
      {"le", "rapport", "indique", "que", "avec", "après", "les", "responsables", "pendant", "réunion", "sur", "ville"}};
  const std::string language[2] = {"en", "fr"};
  const std::string footer[2] = {"Copyright Agency Wire. All rights reserved.", "Copyright Agence Fil. Tous droits réservés."};
  std::vector<Told> out;
  for (size_t s = 0; s < stories; ++s) {
    std::vector<std::vector<std::string>> anchors;  // per paragraph
    const size_t paragraphs = 4 + rng.Below(4);
    for (size_t p = 0; p < paragraphs; ++p) {
      std::vector<std::string> line;
      for (int a = 0; a < 3; ++a) {
        switch (rng.Below(4)) {
          case 0: line.push_back(std::to_string(10000 + rng.Below(900000))); break;
          case 1: line.push_back(std::to_string(1950 + rng.Below(70))); break;
          case 2: {
            std::string name(1, static_cast<char>('A' + rng.Below(26)));
            for (int c = 0; c < 6; ++c) name += static_cast<char>('a' + rng.Below(26));
            line.push_back(name);
            break;
          }
          default: {
            std::string acronym;
            for (int c = 0; c < 4; ++c) acronym += static_cast<char>('A' + rng.Below(26));
            line.push_back(acronym);
          }
        }
      }
      anchors.push_back(line);
    }
    const bool twice = s % 4 != 0, signed_off = s % 3 != 0;
    for (int l = 0; l < (twice ? 2 : 1); ++l) {
      std::string text;
      for (const auto& line : anchors) {
        for (const std::string& anchor : line) {
          for (int w = 0; w < 4; ++w) text += filler[l][rng.Below(filler[l].size())] + " ";
          text += anchor + " ";
        }
        text += filler[l][rng.Below(filler[l].size())] + ".\n";
      }
      if (signed_off) text += footer[l] + "\n";
      std::string id = "s";  // appended: GCC 12 warns wrongly on "s" + std::string
      id += std::to_string(s);
      id += language[l];
      out.push_back({id, text, language[l]});
    }
  }
  for (size_t i = out.size(); i > 1; --i) std::swap(out[i - 1], out[rng.Below(i)]);
  return out;
}

}  // namespace

TEST_CASE("AddBatch on threads finds what Add one by one finds", "[dedup][threads]") {
  std::vector<Told> told = StoriesInTwoLanguages(160);
  // Near and contained copies among them, in a run and across runs.
  const std::vector<std::string> copies = WireCopies();
  for (size_t i = 0; i < copies.size(); ++i) told.insert(told.begin() + static_cast<ptrdiff_t>(i * 7 % told.size()), {Id(i), copies[i], ""});
  told.insert(told.begin() + 70, told[5]);         // an id given twice: refused in its place
  told.insert(told.begin() + 100, {"blank", "  ...  ", "en"});  // no words: refused
  // Translations on (the default); near mode, where only the text matches are prepared; and
  // near mode without containment sketches (the text index alone finds copies).
  const int mode = GENERATE(0, 1, 2);
  const bool translations = mode == 0;
  INFO((mode == 0 ? "translations" : mode == 1 ? "near mode" : "near mode without sketches"));
  neardup::DedupOptions options;
  options.fingerprint.anchors = translations;
  options.fingerprint.containment = mode != 2;
  auto serial = neardup::Deduplicator::Create(options);
  REQUIRE(serial.ok());
  std::vector<std::string> ids;
  std::vector<neardup::Fingerprint> fingerprints;
  std::vector<absl::StatusOr<std::vector<neardup::Match>>> expected;
  for (const Told& t : told) {
    absl::StatusOr<neardup::Fingerprint> fp = serial->fingerprinter().Compute(t.text, t.language);
    if (!fp.ok()) continue;
    ids.push_back(t.id), fingerprints.push_back(*fp);
    expected.push_back(serial->Add(ids.back(), fingerprints.back()));
  }
  size_t found[3] = {0, 0, 0};  // near, contained, translation
  for (const auto& r : expected) {
    if (!r.ok()) continue;
    for (const neardup::Match& m : *r) ++found[static_cast<int>(m.kind)];
  }
  // Copies and translations to find, and more documents than idf and the boilerplate rule need.
  REQUIRE(found[static_cast<int>(neardup::MatchKind::kNear)] >= 20);
  REQUIRE(found[static_cast<int>(neardup::MatchKind::kContained)] >= (mode == 2 ? 0 : 3));
  if (translations) REQUIRE(found[static_cast<int>(neardup::MatchKind::kTranslation)] >= 40);
  REQUIRE(ids.size() > 2 * neardup::AnchorWeights::kMinDocumentsForIdf);
  for (const int threads : {1, 2, 4}) {
    for (const size_t batch : {size_t{17}, size_t{64}, size_t{150}}) {
      INFO("threads " << threads << ", batches of " << batch);
      auto batched = neardup::Deduplicator::Create(options);
      REQUIRE(batched.ok());
      std::vector<absl::StatusOr<std::vector<neardup::Match>>> got;
      for (size_t i = 0; i < ids.size(); i += batch) {
        const size_t n = std::min(batch, ids.size() - i);
        for (auto& r : batched->AddBatch(std::span(ids).subspan(i, n), std::span(fingerprints).subspan(i, n), threads)) {
          got.push_back(std::move(r));
        }
      }
      RequireSameResults(got, expected);
      const std::vector<neardup::Pair> pairs = batched->Pairs(), serial_pairs = serial->Pairs();
      REQUIRE(pairs.size() == serial_pairs.size());
      for (size_t i = 0; i < pairs.size(); ++i) {
        CHECK(pairs[i].id_a == serial_pairs[i].id_a);
        CHECK(pairs[i].id_b == serial_pairs[i].id_b);
        CHECK(pairs[i].score == serial_pairs[i].score);
      }
    }
  }
}

#include "neardup/shingle.h"

#include <catch2/catch.hpp>

#include "neardup/fingerprint.h"
#include "reference/reference.h"
#include "test_data.h"

using neardup::ShingleKind;
using neardup::ShingleOptions;

namespace {
std::vector<uint64_t> Shingles(const std::string& raw, ShingleOptions options = {}) {
  const std::string text = *neardup::Normalize(raw);
  return neardup::ShingleSet(text, neardup::Tokenize(text), options, 42);
}
}  // namespace

TEST_CASE("word shingle count matches the string reference on real articles", "[shingle]") {
  for (const std::string& article : neardup::testing::SeedArticles()) {
    for (int n : {1, 2, 3, 5, 8}) {
      INFO("n = " << n);
      // Distinct hashes == distinct strings: no collisions expected among ~10^3 64-bit hashes.
      CHECK(Shingles(article, {ShingleKind::kWord, n}).size() == neardup::reference::WordShingles(article, n).size());
    }
  }
}

TEST_CASE("exact Jaccard on hashes equals Jaccard on shingle strings", "[shingle]") {
  const auto seeds = neardup::testing::SeedArticles();
  neardup::reference::Rng rng(7);
  for (size_t i = 0; i < seeds.size(); ++i) {
    const std::string copy = seeds[i] + "\nAn added closing paragraph with several new words in it.";
    const double fast = neardup::ExactJaccard(Shingles(seeds[i]), Shingles(copy));
    const double slow = neardup::reference::Jaccard(neardup::reference::WordShingles(seeds[i], 5),
                                                    neardup::reference::WordShingles(copy, 5));
    CHECK(fast == Approx(slow).margin(1e-12));
  }
}

TEST_CASE("short texts give one shingle of all their words; empty texts none", "[shingle]") {
  CHECK(Shingles("two words").size() == 1);
  CHECK(Shingles("two words") == Shingles("Two, WORDS!"));
  CHECK(Shingles("two words") != Shingles("words two"));  // order matters
  CHECK(Shingles("").empty());
  CHECK(Shingles("  ... ").empty());
  CHECK(Shingles("one two three four five").size() == 1);
  CHECK(Shingles("one two three four five six").size() == 2);
}

TEST_CASE("character shingles ignore spacing and punctuation", "[shingle]") {
  const ShingleOptions chars{ShingleKind::kCharacter, 4};
  CHECK(Shingles("abcdef", chars).size() == 3);           // abcd bcde cdef
  CHECK(Shingles("ab, cd", chars) == Shingles("ab cd", chars));
  CHECK(Shingles("été", chars).size() == 1);              // 3 code points < 4: one shingle
  CHECK(Shingles("éééé", chars).size() == 1);
}

TEST_CASE("shingle options are validated", "[shingle]") {
  CHECK(neardup::ValidateShingleOptions({}).ok());
  CHECK(neardup::ValidateShingleOptions({ShingleKind::kWord, 0}).code() == absl::StatusCode::kInvalidArgument);
  CHECK(neardup::ValidateShingleOptions({ShingleKind::kWord, 65}).code() == absl::StatusCode::kInvalidArgument);
  CHECK(neardup::ValidateShingleOptions({static_cast<ShingleKind>(9), 5}).code() == absl::StatusCode::kInvalidArgument);
}

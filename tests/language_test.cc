#include "neardup/language.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "neardup/fingerprint.h"
#include "test_data.h"
#include "xlang/language_sample.h"

TEST_CASE("language tags: BCP 47 primary subtags are taken and normalized, the rest refused", "[language]") {
  const std::pair<const char*, const char*> good[] = {
      {"", ""}, {"fr", "fr"}, {"FR", "fr"}, {"pt-BR", "pt"}, {"zh_Hant", "zh"}, {"yue", "yue"}, {"sr-Latn-RS", "sr"},
  };
  for (const auto& [tag, want] : good) {
    INFO(tag);
    const absl::StatusOr<std::string> parsed = neardup::ParseLanguageTag(tag);
    REQUIRE(parsed.ok());
    CHECK(*parsed == want);
  }
  for (const char* bad : {"french", "f", "fr-", "-fr", "fr--CA", "f1", "fr CA", "fr-toolongsubtag", "\xC3\xA9n"}) {
    INFO(bad);
    const absl::StatusOr<std::string> parsed = neardup::ParseLanguageTag(bad);
    REQUIRE(!parsed.ok());
    CHECK(parsed.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(parsed.status().message()).find("BCP 47") != std::string::npos);
  }
}

TEST_CASE("a document with a malformed language tag is refused, not given a language of its own", "[language]") {
  const std::string text = neardup::testing::SeedArticles().at(0);
  for (const bool anchors : {true, false}) {
    neardup::FingerprintOptions options;
    options.anchors = anchors;
    const absl::StatusOr<neardup::Fingerprinter> created = neardup::Fingerprinter::Create(options);
    REQUIRE(created.ok());
    const neardup::Fingerprinter& fingerprinter = *created;
    CHECK(fingerprinter.Compute(text, "french").status().code() == absl::StatusCode::kInvalidArgument);
    const absl::StatusOr<neardup::Fingerprint> fp = fingerprinter.Compute(text, "fr-FR");
    REQUIRE(fp.ok());
    CHECK(fp->language == "fr");
  }
}

TEST_CASE("the seeds' languages are detected", "[language]") {
  const std::vector<std::string> seeds = neardup::testing::SeedArticles();
  REQUIRE(seeds.size() == 5);
  CHECK(neardup::DetectLanguage(seeds[0]) == "fr");
  CHECK(neardup::DetectLanguage(seeds[1]) == "it");
  CHECK(neardup::DetectLanguage("") == "");
}

TEST_CASE("language: where CLD2 is unsure of the first sample, more of the text decides, as in the whole text",
          "[language]") {
  const std::vector<std::string> seeds = neardup::testing::SeedArticles();
  REQUIRE(seeds.size() == 5);
  // 1.4 KB of the Italian article, then the four French ones (17 KB): the first 2 KB are mostly
  // Italian, but not enough for CLD2 to be sure.
  size_t italian = 1400;
  while ((static_cast<unsigned char>(seeds[1][italian]) & 0xC0) == 0x80) --italian;  // whole characters
  std::string text = seeds[1].substr(0, italian) + "\n";
  for (const int i : {0, 2, 3, 4}) text += seeds[i] + "\n";
  REQUIRE(text.size() > neardup::internal::kLanguageLastSampleBytes);
  CHECK(neardup::internal::DetectLanguageIn(text, neardup::internal::kLanguageFirstSampleBytes) == "it");
  CHECK(neardup::internal::DetectLanguageIn(text, SIZE_MAX) == "fr");
  CHECK(neardup::DetectLanguage(text) == "fr");
  // Bytes that are not UTF-8 in the first sample: no language, as for the whole text.
  const std::string broken = "\xFF" + text;
  CHECK(neardup::DetectLanguage(broken) == "");
  CHECK(neardup::internal::DetectLanguageIn(broken, SIZE_MAX) == "");
}

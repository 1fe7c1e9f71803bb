#include "neardup/normalize.h"

#include <catch2/catch.hpp>

#include "neardup/fingerprint.h"

using neardup::Normalize;
using neardup::NormalizeOptions;

TEST_CASE("case, width, ligatures and compatibility forms fold together", "[normalize]") {
  CHECK(*Normalize("Hello WORLD") == "hello world");
  CHECK(*Normalize("ＨＥＬＬＯ　ｗｏｒｌｄ") == "hello world");  // full-width letters and space
  CHECK(*Normalize("ﬁnance") == "finance");                     // ligature
  CHECK(*Normalize("Straße") == "strasse");                      // full case folding
  CHECK(*Normalize("ÉTÉ") == "été");
}

TEST_CASE("NFC and NFD spellings normalize identically", "[normalize]") {
  const std::string nfc = "d\xC3\xA9j\xC3\xA0 vu";    // é, à precomposed
  const std::string nfd = "de\xCC\x81ja\xCC\x80 vu";  // e + U+0301, a + U+0300
  CHECK(*Normalize(nfc) == *Normalize(nfd));
  CHECK(*Normalize(nfc) == nfc);
}

TEST_CASE("typographic apostrophes, quotes and dashes are unified", "[normalize]") {
  CHECK(*Normalize("l’été — «déjà» „so“ ‘x’ a–b") == "l'été - \"déjà\" \"so\" 'x' a-b");
  NormalizeOptions keep;
  keep.unify_punctuation = false;
  CHECK(*Normalize("l’été", keep) == "l’été");
}

TEST_CASE("diacritics are stripped only when asked", "[normalize]") {
  NormalizeOptions strip;
  strip.strip_diacritics = true;
  CHECK(*Normalize("Ça déjà ŞİŞLİ", strip) == "ca deja sisli");
  CHECK(*Normalize("Ça déjà") == "ça déjà");
}

TEST_CASE("invalid UTF-8 is an error naming the offset, or replaced on request", "[normalize]") {
  const absl::StatusOr<std::string> bad = Normalize("caf\xC3");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(bad.status().message()).find("at byte 3") != std::string::npos);
  NormalizeOptions replace;
  replace.invalid_utf8 = neardup::InvalidUtf8::kReplace;
  CHECK(*Normalize("Caf\xC3", replace) == "caf\xEF\xBF\xBD");
}

TEST_CASE("documents over max_bytes are refused with their size", "[normalize]") {
  NormalizeOptions small;
  small.max_bytes = 10;
  const absl::StatusOr<std::string> r = Normalize("eleven byte", small);
  CHECK(r.status().code() == absl::StatusCode::kResourceExhausted);
  CHECK(std::string(r.status().message()).find("11 bytes") != std::string::npos);
  CHECK(Normalize("ten bytes!", small).ok());
}

TEST_CASE("the ASCII fast path agrees with ICU on every ASCII byte", "[normalize]") {
  // One non-ASCII character forces the ICU path for the whole text; the ASCII part must come
  // out the same as on the fast path.
  std::string ascii;
  for (int c = 1; c < 128; ++c) ascii.push_back(static_cast<char>(c));
  const std::string via_icu = *Normalize(ascii + "é");
  CHECK(via_icu.substr(0, via_icu.size() - 2) == *Normalize(ascii));
}

TEST_CASE("normalization variants give identical signatures", "[normalize][minhash]") {
  const auto fp = neardup::Fingerprinter::Create();
  REQUIRE(fp.ok());
  const std::string base = "L'été dernier, le PDG a annoncé «un accord» de 7 milliards — à Paris.";
  const std::string variants[] = {
      "L’été dernier, le PDG a annoncé « un accord » de 7 milliards – à Paris.",        // curly, spaced guillemets
      "L'E\xCC\x81TE\xCC\x81 DERNIER, LE PDG A ANNONCE\xCC\x81 \"UN ACCORD\" DE 7 MILLIARDS - A\xCC\x80 PARIS.",  // NFD, upper
      "Ｌ'été dernier, le ＰＤＧ a annoncé «un accord» de ７ milliards — à Paris.",     // full-width
  };
  const auto reference = fp->Compute(base);
  REQUIRE(reference.ok());
  for (const std::string& v : variants) {
    INFO(v);
    const auto other = fp->Compute(v);
    REQUIRE(other.ok());
    CHECK(other->signature == reference->signature);
  }
}

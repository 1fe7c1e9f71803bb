#include "neardup/normalize.h"

#include <catch2/catch.hpp>

#include "text/normalize_icu.h"
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
  // The reference is ICU's normalization of the whole text (internal::NormalizeWithIcu), not
  // the fast path again.
  std::string ascii;
  for (int c = 1; c < 128; ++c) ascii.push_back(static_cast<char>(c));
  const auto reference = neardup::internal::NormalizeWithIcu(ascii);
  REQUIRE(reference.ok());
  CHECK(*Normalize(ascii) == *reference);
  CHECK(*Normalize(ascii + "é") == *neardup::internal::NormalizeWithIcu(ascii + "é"));
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

// --- The fast path against ICU, byte for byte ---------------------------------------------

#include "text/normalize_icu.h"
#include "reference/reference.h"
#include "test_data.h"

namespace {

void CheckFastEqualsIcu(const std::string& text, const NormalizeOptions& options = {}) {
  const absl::StatusOr<std::string> fast = Normalize(text, options);
  const absl::StatusOr<std::string> icu = neardup::internal::NormalizeWithIcu(text, options);
  INFO("text: " << text);
  REQUIRE(fast.status() == icu.status());
  if (fast.ok()) CHECK(*fast == *icu);
}

}  // namespace

TEST_CASE("fast normalization equals ICU's on random text that combines", "[normalize][differential]") {
  // Characters that compose with their neighbours (combining marks, Hangul jamo, a Devanagari
  // nukta, a Japanese voicing mark), fold to several characters (ß, ﬁ, ŉ, ㍿), change with
  // case folding (Σ, İ), vanish (soft hyphen, ZWJ), or are punctuation being unified.
  const std::vector<std::string> alphabet = {
      "a", "E", "o", "I", "ß", "ﬁ", "ŉ", "㍿", "Σ", "ς", "İ", "Ⅻ", "½", "²", "Å", "\u0301", "\u0308", "\u0327",
      "\u0323", "\u1100", "\u1161", "\u11A8", "\uAC00", "\u0915", "\u093C", "\u304B", "\u3099", "\u309A", "\u00AD",
      "\u200D", "\u2019", "\u00AB", "\u2014", "\uFF21", "\u3000", " ", "\n", ".", "\xC3\xA9", "\u1E9B", "\u0345",
      "\u05D0", "\u0F73", "\U0001D400", "\uFB2C"};
  neardup::reference::Rng rng(7);
  NormalizeOptions plain, strip;
  plain.unify_punctuation = false;
  strip.strip_diacritics = true;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const size_t length = 1 + rng.Below(16);
    for (size_t i = 0; i < length; ++i) text += alphabet[rng.Below(alphabet.size())];
    CheckFastEqualsIcu(text);
    if (round % 4 == 0) CheckFastEqualsIcu(text, plain);
    if (round % 8 == 0) CheckFastEqualsIcu(text, strip);
  }
}

TEST_CASE("fast normalization equals ICU's on every code point alone and after a letter", "[normalize][differential]") {
  for (char32_t c = 1; c < 0x30000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string utf8;
    if (c < 0x80) {
      utf8.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      utf8 = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    } else if (c < 0x10000) {
      utf8 = {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
              static_cast<char>(0x80 | (c & 0x3F))};
    } else {
      utf8 = {static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
              static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
    }
    const std::string text = "A" + utf8 + "e" + utf8 + "\u0301";
    const absl::StatusOr<std::string> fast = Normalize(text);
    const absl::StatusOr<std::string> icu = neardup::internal::NormalizeWithIcu(text);
    REQUIRE(fast.ok());
    if (*fast != *icu) FAIL("U+" << std::hex << static_cast<uint32_t>(c) << ": fast and ICU differ");
  }
}

TEST_CASE("fast normalization equals ICU's on the seeds and on bad input", "[normalize][differential]") {
  for (const std::string& article : neardup::testing::SeedArticles()) CheckFastEqualsIcu(article);
  NormalizeOptions replace;
  replace.invalid_utf8 = neardup::InvalidUtf8::kReplace;
  for (const std::string& text : {std::string("caf\xC3 ok"), std::string("a\0b", 3), std::string("\xED\xA0\x80 x"),
                                 std::string("Ab\xF4\x90\x80\x80 \xE2\x80")}) {
    CheckFastEqualsIcu(text);
    CheckFastEqualsIcu(text, replace);
  }
}

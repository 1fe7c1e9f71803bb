#include "neardup/anchor.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace {

std::vector<std::string> Keys(const std::string& text, const std::string& lang) {
  auto anchors = neardup::ExtractAnchors(text, {.language = lang});
  REQUIRE(anchors.ok());
  std::vector<std::string> keys;
  for (const auto& a : *anchors) keys.push_back(a.key);
  return keys;
}

using Keys_ = std::vector<std::string>;

}  // namespace

TEST_CASE("numbers with every locale's separators", "[anchor]") {
  CHECK(Keys("soit 1 000 000 de puces", "fr") == Keys_{"n:1000000"});
  CHECK(Keys("soit 1\u00A0000\u00A0000 de puces", "fr") == Keys_{"n:1000000"});  // no-break spaces
  CHECK(Keys("soit 1\u202F000\u202F000 de puces", "fr") == Keys_{"n:1000000"});  // narrow no-break
  CHECK(Keys("circa 1.000.000 di chip", "it") == Keys_{"n:1000000"});
  CHECK(Keys("about 1,000,000 chips", "en") == Keys_{"n:1000000"});
  CHECK(Keys("une hausse de 1,5 %", "fr") == Keys_{"n:1.5"});
  CHECK(Keys("a rise of 1.5%", "en") == Keys_{"n:1.5"});
  CHECK(Keys("1.500 Euro", "de") == Keys_{"n:1500", "euro"});  // German nouns are capitalized: names
  CHECK(Keys("1,500 euros", "en") == Keys_{"n:1500"});
  CHECK(Keys("1.234.567,89 €", "de") == Keys_{"n:1234567.89"});
  CHECK(Keys("1,234,567.89 dollars", "en") == Keys_{"n:1234567.89"});
}

TEST_CASE("scale words multiply, and French billion is 10^12", "[anchor]") {
  CHECK(Keys("7 milliards de dollars", "fr") == Keys_{"n:7000000000"});
  CHECK(Keys("7 miliardi di dollari", "it") == Keys_{"n:7000000000"});
  CHECK(Keys("7 billion dollars", "en") == Keys_{"n:7000000000"});
  CHECK(Keys("7 Milliarden Dollar", "de") == Keys_{"n:7000000000", "dollar"});
  CHECK(Keys("2 billions d'euros", "fr") == Keys_{"n:2000000000000"});
  CHECK(Keys("3 millions", "fr") == Keys_{"n:3000000"});
}

TEST_CASE("spelled-out numbers in six languages; articles alone are not numbers", "[anchor]") {
  CHECK(Keys("accès à un million de puces", "fr") == Keys_{"n:1000000"});
  CHECK(Keys("fino a un milione di chip", "it") == Keys_{"n:1000000"});
  CHECK(Keys("up to one million chips", "en") == Keys_{"n:1000000"});
  CHECK(Keys("sette miliardi", "it") == Keys_{"n:7000000000"});
  CHECK(Keys("sept milliards", "fr") == Keys_{"n:7000000000"});
  CHECK(Keys("siete mil millones", "es") == Keys_{"n:7000000000"});
  CHECK(Keys("sete bilhões", "pt") == Keys_{"n:7000000000"});
  CHECK(Keys("sieben Milliarden", "de") == Keys_{"n:7000000000"});
  CHECK(Keys("trois cents personnes", "fr") == Keys_{"n:300"});
  CHECK(Keys("vingt-et-un jours", "fr") == Keys_{"n:21"});
  CHECK(Keys("un accord avec une entreprise", "fr").empty());
  CHECK(Keys("un accordo con una azienda", "it").empty());
  CHECK(Keys("a deal with an agency", "en").empty());
  // Without a language, only digits count.
  CHECK(Keys("un million de puces et 42 autres", "").size() == 1);
}

TEST_CASE("months match across languages", "[anchor]") {
  CHECK(Keys("le 26 octobre 2025", "fr") == Keys_{"n:26", "m:10", "n:2025"});
  CHECK(Keys("il 26 ottobre 2025", "it") == Keys_{"n:26", "m:10", "n:2025"});
  CHECK(Keys("on October 26, 2025", "en") == Keys_{"m:10", "n:26", "n:2025"});
}

TEST_CASE("names, acronyms and elided articles", "[anchor]") {
  CHECK(Keys("Le PDG de NVIDIA, Jensen Huang, parle.", "fr") == Keys_{"pdg", "nvidia", "jensen huang"});
  CHECK(Keys("Le partenariat d'Anthropic avec Google Cloud.", "fr") == Keys_{"anthropic", "google cloud"});
  CHECK(Keys("La scelta dell'azienda e di OpenAI.", "it") == Keys_{"openai"});
  // A capitalized word at a sentence start is a name only if it is capitalized elsewhere too.
  CHECK(Keys("Demain il pleut. Anthropic répond. Puis Anthropic signe.", "fr") == Keys_{"anthropic", "anthropic"});
  CHECK(Keys("Voici la suite.", "fr").empty());
  CHECK(Keys("Ils ont lancé le TPU1 avant tout le monde.", "fr") == Keys_{"id:tpu1"});
  // Diacritics removed, other scripts transliterated: the same key in every language.
  CHECK(Keys("selon Élodie Durand", "fr") == Keys_{"elodie durand"});
  CHECK(Keys("visite à Москва demain", "fr") == Keys_{"moskva"});
}

TEST_CASE("code, paths, options, URLs, e-mails, handles and hashtags", "[anchor]") {
  const auto keys = Keys(
      "Voir https://example.org/docs/ et www.example.org, écrire à team@example.org ou @neardup #dedup ; "
      "lancer ls --all -l /etc/fstab puis appeler os.path.join et snake_case() sur le noyau 2.6.32.",
      "fr");
  CHECK(keys == Keys_{"url:example.org/docs", "url:example.org", "email:team@example.org", "@neardup", "#dedup",
                      "opt:--all", "opt:-l", "path:/etc/fstab", "id:os.path.join", "id:snake_case()", "id:2.6.32"});
}

TEST_CASE("spans point at the anchor's bytes in the text", "[anchor]") {
  const std::string text = "L’accord porte sur un million de puces TPU.";
  auto anchors = neardup::ExtractAnchors(text, {.language = "fr"});
  REQUIRE(anchors.ok());
  REQUIRE(anchors->size() == 2);
  CHECK(text.substr((*anchors)[0].begin, (*anchors)[0].end - (*anchors)[0].begin) == "un million");
  CHECK((*anchors)[0].kind == neardup::AnchorKind::kNumber);
  CHECK((*anchors)[0].value == 1e6);
  CHECK(text.substr((*anchors)[1].begin, (*anchors)[1].end - (*anchors)[1].begin) == "TPU");
}

TEST_CASE("invalid UTF-8 is refused with its offset", "[anchor]") {
  const auto r = neardup::ExtractAnchors("NVIDIA \xC3", {});
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(r.status().message()).find("at byte 7") != std::string::npos);
}

TEST_CASE("words in capitals are names unless they look like acronyms", "[anchor]") {
  const auto kinds = [](const std::string& text, const std::string& lang) {
    auto anchors = neardup::ExtractAnchors(text, {.language = lang});
    REQUIRE(anchors.ok());
    std::vector<neardup::AnchorKind> out;
    for (const auto& a : *anchors) out.push_back(a.kind);
    return out;
  };
  using K = neardup::AnchorKind;
  // Short and alone: acronyms.
  CHECK(kinds("the deal with NVIDIA and AMD was signed", "en") == std::vector<K>{K::kAcronym, K::kAcronym});
  // A run of three or more is a phrase in capitals (a character table's description; the
  // single letter U is no anchor).
  CHECK(kinds("the row says LATIN SMALL LETTER U here", "en") == std::vector<K>(3, K::kName));
  CHECK(kinds("the row says LATIN SMALL here", "en") == std::vector<K>{K::kAcronym, K::kAcronym});
  // A long word in capitals is a word: LATEINISCHER (German nouns are names anyway).
  CHECK(kinds("die Zeile LATEINISCHER Buchstabe", "de") == std::vector<K>(3, K::kName));
  CHECK(kinds("the word UNESCO", "en") == std::vector<K>{K::kAcronym});
  // A word in capitals that the page also writes in lower case is that word (FILE, FILE1).
  CHECK(kinds("compare FILE1 with FILE2: each file is read", "en") == std::vector<K>{K::kName, K::kName});
  CHECK(kinds("compare FILE1 with FILE2", "en") == std::vector<K>{K::kIdentifier, K::kIdentifier});
}

TEST_CASE("digit groups after a space join in every language, as a table row reads", "[anchor]") {
  // A translation must read "374 252" the way its original does, whatever the language.
  CHECK(Keys("row 374 252 FC", "en") == Keys("Zeile 374 252 FC", "de"));
  CHECK(Keys("row 374 252 here", "en") == Keys_{"n:374252"});
  // A first group of four digits is a year or a count, not a group.
  CHECK(Keys("in 2019 100 people", "en") == Keys_{"n:2019", "n:100"});
}

TEST_CASE("text without spaces between words: numbers, names and code glued to CJK words", "[anchor]") {
  // A space is read where Han, kana, Hangul or Thai meets anything else, so the digits of
  // "第4章" are no identifier "4zhang..." and the URL ends before the particle.
  CHECK(Keys("第4章debianパッケージ", "ja") == Keys_{"n:4"});
  CHECK(Keys("詳細はhttps://www.debian.org/docを参照。", "ja") == Keys_{"url:debian.org/doc"});
  CHECK(Keys("「--help」オプションと/usr/share/docの中", "ja") == Keys_{"opt:--help", "path:/usr/share/doc"});
  CHECK(Keys("開発者とLinus Torvalds氏が", "ja") == Keys_{"linus torvalds"});
  CHECK(Keys("ใช้Debianกับ 42 เครื่อง", "th") == Keys_{"debian", "n:42"});
  // Full-width digits and CJK punctuation read as their ASCII forms.
  CHECK(Keys("第１２３章を参照", "ja") == Keys_{"n:123"});
  CHECK(Keys("予算は1,500円。", "ja") == Keys_{"n:1500"});
  // Multipliers after digits (CLDR's CJK numbering): 万 10^4, 億 10^8, Korean 만 and 억.
  CHECK(Keys("約3万人が参加し、予算は1億円。", "ja") == Keys_{"n:30000", "n:100000000"});
  CHECK(Keys("约3万人，预算1亿元。", "zh") == Keys_{"n:30000", "n:100000000"});
  CHECK(Keys("3만 명이 참가", "ko") == Keys_{"n:30000"});
}

TEST_CASE("anchors in CJK text point at the text's own bytes", "[anchor]") {
  const std::string text = "詳細は「https://www.debian.org/doc」と第１２章。";
  auto anchors = neardup::ExtractAnchors(text, {.language = "ja"});
  REQUIRE(anchors.ok());
  REQUIRE(anchors->size() == 2);
  CHECK(text.substr((*anchors)[0].begin, (*anchors)[0].end - (*anchors)[0].begin) == "https://www.debian.org/doc");
  CHECK(text.substr((*anchors)[1].begin, (*anchors)[1].end - (*anchors)[1].begin) == "１２");  // full-width, as written
}

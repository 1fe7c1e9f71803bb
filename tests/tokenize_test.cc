#include "neardup/tokenize.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "neardup/normalize.h"

namespace {
std::vector<std::string> Words(const std::string& raw) {
  const std::string text = *neardup::Normalize(raw);
  std::vector<std::string> out;
  for (const neardup::Token& t : neardup::Tokenize(text)) out.emplace_back(t.text(text));
  return out;
}
}  // namespace

TEST_CASE("punctuation and spaces are not tokens", "[tokenize]") {
  CHECK(Words("Hello, world!  (again)") == std::vector<std::string>{"hello", "world", "again"});
  CHECK(Words("").empty());
  CHECK(Words(" ,.;— ").empty());
}

TEST_CASE("numbers stay whole and are tagged as numbers", "[tokenize]") {
  const std::string text = "7 milliards, 3.14 et 1,000";
  const auto tokens = neardup::Tokenize(text);
  REQUIRE(tokens.size() == 5);
  CHECK(tokens[0].kind == neardup::TokenKind::kNumber);
  CHECK(tokens[2].text(text) == "3.14");
  CHECK(tokens[4].text(text) == "1,000");
  CHECK(tokens[1].kind == neardup::TokenKind::kLetter);
}

TEST_CASE("scripts without spaces are segmented by dictionary", "[tokenize]") {
  // Chinese: 我们在北京 → 我们 / 在 / 北京 (ICU's dictionary); Thai likewise.
  const auto zh = Words("我们在北京");
  CHECK(zh.size() >= 3);
  CHECK(zh.front() == "我们");
  const auto th = Words("สวัสดีครับ");
  CHECK(th.size() >= 2);
  const auto ja = Words("東京都に住んでいます");
  CHECK(ja.size() >= 3);
}

TEST_CASE("offsets are byte offsets into the UTF-8 text", "[tokenize]") {
  const std::string text = "été à paris";
  const auto tokens = neardup::Tokenize(text);
  REQUIRE(tokens.size() == 3);
  CHECK(tokens[0].begin == 0);
  CHECK(tokens[0].end == 5);  // "été" is 5 bytes
  CHECK(tokens[2].text(text) == "paris");
}

// --- The fast word breaker against ICU's, byte for byte ----------------------------------

#include <fstream>

#include "text/word_break.h"
#include "reference/reference.h"
#include "test_data.h"

namespace {

// Compares the fast path with ICU on `text`; returns whether the fast path applied.
// Also checks that Tokenize(), which hands ICU only the lines the fast path cannot take, agrees.
bool FastAgreesWithIcu(const std::string& text) {
  std::vector<neardup::Token> fast, icu;
  neardup::internal::TokenizeWithIcu(text, &icu);
  INFO("text: " << text);
  CHECK(neardup::Tokenize(text) == icu);
  if (!neardup::internal::TokenizeFast(text, &fast)) return false;
  REQUIRE(fast.size() == icu.size());
  for (size_t i = 0; i < fast.size(); ++i) {
    INFO("token " << i << ": fast '" << fast[i].text(text) << "', ICU '" << icu[i].text(text) << "'");
    CHECK(fast[i] == icu[i]);
  }
  return true;
}

}  // namespace

TEST_CASE("fast word breaking equals ICU's on random text from a tricky alphabet", "[tokenize][differential]") {
  // Letters of several scripts, digits, every separator class the rules treat specially,
  // combining marks and format characters; and things that must send the text to ICU.
  const std::vector<std::string> alphabet = {
      "a", "Z", "é", "ß", "Ж", "ω", "ا", "ğ", "ŉ", "0", "7", "٣", "²", ".", ",", ";", ":", "'", "\u2019", "_",
      "-", "/", "@", "#", " ", "\n", "\t", "\u0301", "\u00AD", "\u2060", "\u00B7", "\u2027", "\uFE13", "\u066C",
      "\u203F", "\u00A0", "(", "\"", "%", "\u2024", "\uFF0E", "\u037E"};
  const std::vector<std::string> rare = {"中", "あ", "カ", "ไ", "א", "\U0001F600", "\u200D", "\U0001F1EB"};
  neardup::reference::Rng rng(2026);
  int fast_used = 0, fast_used_normalized = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const size_t length = 1 + rng.Below(24);
    for (size_t i = 0; i < length; ++i) {
      text += rng.Below(200) == 0 ? rare[rng.Below(rare.size())] : alphabet[rng.Below(alphabet.size())];
    }
    fast_used += FastAgreesWithIcu(text);                              // raw: falls back more often
    fast_used_normalized += FastAgreesWithIcu(*neardup::Normalize(text));  // what the pipeline tokenizes
  }
  INFO("the fast path applied to " << fast_used << " raw and " << fast_used_normalized << " normalized of 20000");
  CHECK(fast_used_normalized > 15000);
}

TEST_CASE("Chinese and Japanese words equal ICU's dictionary engine's on random text", "[tokenize][differential]") {
  // Dictionary words and pieces of them, so that the least-cost split has choices to make;
  // Katakana runs of every length around the engine's limits (8 and 20); the characters
  // whose rule statuses or classes differ (々 alone is no word, ー is Katakana by class only,
  // 〱 and ゠ are outside the engine's set, U+3099 is a combining mark, 𠮟 is supplementary);
  // and the neighbours the rules treat specially (connectors, digits, Latin letters).
  const std::vector<std::string> pieces = {
      "日本", "日本語", "東京", "東京都", "に", "住んで", "います", "中华人民共和国", "人民", "共和国", "北京", "我们",
      "在", "的", "は", "が", "を", "カ", "タ", "カナ", "コンピューター", "ー", "データベース", "ア", "イ",
      "アイウエオカキクケコ", "ヲ", "ヷ", "々", "〆", "〇", "〱", "゠", "\u3099", "\U00020B9F", "\u2E80", "ｶﾀｶﾅ",
      "「", "」", "。", "、", "・", "_", "7", "2024", "年", "a", "Ab", "é", " ", "\n", ".", "'", "\u200B", "\u00AD"};
  neardup::reference::Rng rng(4242);
  int fast_used = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const size_t length = 1 + rng.Below(16);
    for (size_t i = 0; i < length; ++i) text += pieces[rng.Below(pieces.size())];
    fast_used += FastAgreesWithIcu(*neardup::Normalize(text));
  }
  // Most texts have no piece that sends the line to ICU: the segmenter itself is what agrees.
  INFO("the fast path applied to " << fast_used << " of 20000");
  CHECK(fast_used > 5000);
}

// Every document of the shared corpora is compared by ctest's differential_tokenize_corpus
// (tests/differential_main.cc), which fails when it reads none.
TEST_CASE("fast word breaking equals ICU's on the seeds", "[tokenize][differential]") {
  const auto seeds = neardup::testing::SeedArticles();
  REQUIRE(seeds.size() == 5);
  for (const std::string& article : seeds) CHECK(FastAgreesWithIcu(*neardup::Normalize(article)));
}

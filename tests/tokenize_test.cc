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

#include "neardup/utf8.h"

#include <catch2/catch.hpp>
#include <string>

using neardup::FindInvalidUtf8;
using neardup::ReplaceInvalidUtf8;
using neardup::ValidateUtf8;
using namespace std::string_literals;

TEST_CASE("valid UTF-8 in every length class passes", "[utf8]") {
  CHECK(ValidateUtf8("").ok());
  CHECK(ValidateUtf8("plain ascii, long enough for the eight-byte fast path").ok());
  CHECK(ValidateUtf8("été — 中文 — 𝄞 music").ok());
  CHECK(ValidateUtf8("\xF4\x8F\xBF\xBF").ok());  // U+10FFFF, the last code point
}

TEST_CASE("invalid UTF-8 is reported with the offset of the first bad byte", "[utf8]") {
  struct Case { std::string text; size_t offset; std::string reason; };
  const Case cases[] = {
      {"abc\x80", 3, "unexpected continuation byte 0x80"},
      {"abcdefghij\xC3", 10, "sequence starting with 0xC3 cut by the end of the text"},
      {"\xE2\x82", 0, "sequence starting with 0xE2 cut by the end of the text"},
      {"caf\xC3 au lait", 3, "sequence starting with 0xC3 lacks a continuation byte (found 0x20)"},
      {"\xF0\x9F\x98!", 0, "sequence starting with 0xF0 lacks a continuation byte (found 0x21)"},
      {"\xC0\xAF", 0, "byte 0xC0 never appears in UTF-8"},  // overlong encoding of '/'
      {"ok \xE0\x80\xAF", 3, "overlong encoding 0xE0 0x80"},
      {"\xF0\x80\x80\xAF", 0, "overlong encoding 0xF0 0x80"},
      {"x\xED\xA0\x80", 1, "UTF-16 surrogate encoded as UTF-8 (0xED 0xA0)"},  // D800
      {"\xF4\x90\x80\x80", 0, "code point above U+10FFFF (0xF4 0x90)"},
      {"12345678\xFF", 8, "byte 0xFF never appears in UTF-8"},  // after the fast path
      {"\xF8\x88\x80\x80\x80", 0, "byte 0xF8 never appears in UTF-8"},  // old 5-byte form
      {"with a NUL\0byte"s, 10, "NUL byte (binary data?)"},
  };
  for (const Case& c : cases) {
    INFO("text of " << c.text.size() << " bytes, bad at " << c.offset);
    CHECK(FindInvalidUtf8(c.text) == c.offset);
    const absl::Status s = ValidateUtf8(c.text);
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(s.message()) == "invalid UTF-8 at byte " + std::to_string(c.offset) + ": " + c.reason);
  }
}

TEST_CASE("replacement keeps valid text and puts one U+FFFD per maximal subpart", "[utf8]") {
  CHECK(ReplaceInvalidUtf8("déjà vu") == "déjà vu");
  CHECK(ReplaceInvalidUtf8("a\x80z") == "a\xEF\xBF\xBDz");
  // E2 82 is a truncated three-byte sequence (maximal subpart of 2 bytes): one replacement.
  CHECK(ReplaceInvalidUtf8("a\xE2\x82z") == "a\xEF\xBF\xBDz");
  // C0 AF: C0 is never valid, AF is a lone continuation: two replacements.
  CHECK(ReplaceInvalidUtf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(ReplaceInvalidUtf8("a\0b"s) == "a\xEF\xBF\xBD" "b");
  CHECK(ValidateUtf8(ReplaceInvalidUtf8("\xFF\xFE garbage \xC3")).ok());
}

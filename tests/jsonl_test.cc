// JsonlParser (jsonl.h): the one JSON Lines rule of the command and neardup.dask, line by line.

#include <catch2/catch.hpp>
#include <string>

#include "neardup/jsonl.h"

using neardup::JsonlLine;

TEST_CASE("JsonlParser reads documents, skips blank lines and names what is wrong", "[jsonl]") {
  neardup::JsonlParser parser;
  const auto parse = [&](const std::string& line, bool first = false) { return parser.Parse(line, first); };
  JsonlLine d = parse(R"({"id": "a", "text": "some words", "lang": "fr", "other": 1})");
  REQUIRE(d.kind == JsonlLine::kDocument);
  CHECK((d.document.id == "a" && d.document.text == "some words" && d.document.lang == "fr"));
  // Integer ids are their decimal text, over the whole int64 and uint64 range.
  CHECK(parse(R"({"id": -9223372036854775808, "text": "x"})").document.id == "-9223372036854775808");
  CHECK(parse(R"({"id": 18446744073709551615, "text": "x"})").document.id == "18446744073709551615");
  CHECK(parse(R"({"id": 7, "text": "x", "lang": null})").document.lang.empty());
  // Blank lines; a byte-order mark only before a file's first line.
  CHECK(parse(" \t\r").kind == JsonlLine::kBlank);
  CHECK(parse("").kind == JsonlLine::kBlank);
  CHECK(parse("\xEF\xBB\xBF{\"id\": 1, \"text\": \"x\"}", true).kind == JsonlLine::kDocument);
  CHECK(parse("\xEF\xBB\xBF{\"id\": 1, \"text\": \"x\"}", false).kind == JsonlLine::kError);
  const auto error = [&](const std::string& line) {
    const JsonlLine l = parse(line);
    REQUIRE(l.kind == JsonlLine::kError);
    return l.error;
  };
  CHECK(error(R"({"id": 1.5, "text": "x"})") == "\"id\" must be an integer from -2^63 to 2^64-1 (or a string)");
  CHECK(error(R"({"id": 18446744073709551616, "text": "x"})").rfind("invalid JSON: ", 0) == 0);  // past 2^64: not a number simdjson holds
  CHECK(error(R"({"id": true, "text": "x"})") == "\"id\" must be a string or an integer");
  CHECK(error(R"({"text": "x"})") == "missing \"id\"");
  CHECK(error(R"({"id": "a", "text": 3})") == "\"text\" must be a string");
  CHECK(error(R"({"id": "a", "text": "x", "lang": 2})") == "\"lang\" must be a string");
  CHECK(error(R"({"id": "a", "id": "b", "text": "x"})") == "duplicate key \"id\"");
  CHECK(error(R"(["a", "x"])") == "expected a JSON object {\"id\": ..., \"text\": ...}");
  CHECK(error("{\"id\": \"a\", \"text\": \"bad \xff byte\"}").rfind("invalid JSON: ", 0) == 0);
  CHECK(error(R"({"id": "a", "text": "x")").rfind("invalid JSON: ", 0) == 0);
  // The id, once read, comes with the error, so that the document can be named.
  const JsonlLine missing_text = parse(R"({"id": "named"})");
  CHECK(missing_text.document.id == "named");
  CHECK(missing_text.error == "missing \"text\"");
  // The parser is reusable after an error.
  CHECK(parse(R"({"id": "again", "text": "x"})").kind == JsonlLine::kDocument);
}

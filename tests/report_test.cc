// The output formats (report.h): lines that a JSON parser reads back to the values written,
// TSV fields that never hold a raw tab, newline or NUL, and scores with four decimals.

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "neardup/report.h"

using neardup::ClusterLines;
using neardup::MatchKind;
using neardup::Pair;
using neardup::PairLine;
using neardup::ReportFormat;

namespace {

nlohmann::json Parse(std::string line) {
  REQUIRE(!line.empty());
  REQUIRE(line.back() == '\n');
  line.pop_back();
  REQUIRE(line.find('\n') == std::string::npos);  // one line
  return nlohmann::json::parse(line);
}

}  // namespace

TEST_CASE("a pair's JSON line reads back to its ids and scores, whatever the ids hold", "[report]") {
  const std::string ids[] = {"plain", "quote\" and \\backslash", "tab\tnew\nline\rcr", std::string("nul\0byte", 8),
                             "\x01\x1f control", "é, 日本語, emoji 😀", "bell\b form\f"};
  for (const std::string& a : ids) {
    INFO(a);
    const Pair p{a, "b", MatchKind::kContained, 0.81234, 0.5, 0.81234, false};
    const nlohmann::json j = Parse(PairLine(ReportFormat::kJsonLines, p));
    CHECK(j["id_a"] == a);
    CHECK(j["id_b"] == "b");
    CHECK(j["kind"] == "contained");
    // Rounded to four decimals, written as the shortest number with that value.
    CHECK(j["score"].get<double>() == 0.8123);
    CHECK(j["jaccard"].get<double>() == 0.5);
    CHECK(j["containment"].get<double>() == 0.8123);
    CHECK(j["smaller"] == "b");  // a_is_smaller is false
    CHECK(j.size() == 7);
  }
  // Keys in the documented order; translations carry no text evidence.
  const Pair t{"x", "y", MatchKind::kTranslation, 0.7, 0, 0, false};
  CHECK(PairLine(ReportFormat::kJsonLines, t) == "{\"id_a\":\"x\",\"id_b\":\"y\",\"score\":0.7,\"kind\":\"translation\"}\n");
  // Bytes that are not UTF-8 (a file name can hold them) become U+FFFD: still one JSON line.
  const nlohmann::json bad = Parse(PairLine(ReportFormat::kJsonLines, Pair{"a\xff" "b", "c", MatchKind::kNear, 1, 1, 1, false}));
  CHECK(bad["id_a"] == "a\xef\xbf\xbd" "b");
}

TEST_CASE("scores are clamped to [0, 1] and rounded half away from zero", "[report]") {
  const auto json_score = [](double s) {
    return Parse(PairLine(ReportFormat::kJsonLines, Pair{"a", "b", MatchKind::kNear, s, s, s, false}))["score"].get<double>();
  };
  CHECK(json_score(1.2) == 1.0);
  CHECK(json_score(-0.3) == 0.0);
  CHECK(json_score(0.99995) == 1.0);
  CHECK(json_score(0.00004) == 0.0);
  CHECK(neardup::FormatScore(0.8) == "0.8000");
  CHECK(neardup::FormatScore(0.81236) == "0.8124");
  CHECK(neardup::FormatScore(1.7) == "1.0000");
  CHECK(neardup::FormatDecimal(12.5) == "12.5000");
}

TEST_CASE("a TSV line has five fields whatever the ids hold", "[report]") {
  const std::string id = std::string("t\tn\nr\rb\\z\0end", 13);
  const std::string line = PairLine(ReportFormat::kTsv, Pair{id, "b", MatchKind::kNear, 0.9, 0.9, 0.95, false});
  CHECK(line == std::string("t\\tn\\nr\\rb\\\\z\\0end\tb\t0.9000\tnear\t\n"));
  CHECK(std::count(line.begin(), line.end(), '\t') == 4);
  // The fifth field names the smaller side of a contained pair.
  CHECK(PairLine(ReportFormat::kTsv, Pair{"x", "y", MatchKind::kContained, 0.9, 0.5, 0.9, true}) ==
        "x\ty\t0.9000\tcontained\ta\n");
}

TEST_CASE("a document to drop names its kept copy and the smaller of a contained pair", "[report]") {
  const neardup::Duplicate near{"d\t1", "k", MatchKind::kNear, 0.85, false};
  CHECK(neardup::DuplicateLine(ReportFormat::kTsv, near) == "d\\t1\tk\t0.8500\tnear\t\n");
  const nlohmann::json j = Parse(neardup::DuplicateLine(ReportFormat::kJsonLines, near));
  CHECK(j == nlohmann::json::parse(R"({"id": "d\t1", "kept": "k", "score": 0.85, "kind": "near"})"));
  const neardup::Duplicate inside{"d", "k", MatchKind::kContained, 0.9, true};
  CHECK(Parse(neardup::DuplicateLine(ReportFormat::kJsonLines, inside))["smaller"] == "id");
  CHECK(neardup::DuplicateLine(ReportFormat::kTsv, {"d", "k", MatchKind::kContained, 0.9, false}) ==
        "d\tk\t0.9000\tcontained\tkept\n");
  // A document line reads back as neardup/jsonl.h reads it.
  const nlohmann::json doc = Parse(neardup::DocumentLine("id\n", "caf\xc3\xa9 \"x\"", "fr"));
  CHECK(doc == nlohmann::json::parse(R"({"id": "id\n", "text": "caf\u00e9 \"x\"", "lang": "fr"})"));
  CHECK(Parse(neardup::DocumentLine("a", "b")).size() == 2);
}

TEST_CASE("a cluster is one JSON line, or a TSV line per member", "[report]") {
  const neardup::Cluster c{"m2", {"m2", "m1", "m\t3"}, {0, 1, 2}, {0, 0.91, 0}};
  const nlohmann::json j = Parse(ClusterLines(ReportFormat::kJsonLines, 4, c));
  CHECK(j["cluster"] == 4);
  CHECK(j["canonical"] == "m2");
  CHECK(j["members"] == nlohmann::json({"m2", "m1", "m\t3"}));
  CHECK(j["hops"] == nlohmann::json({0, 1, 2}));
  CHECK(j["scores"] == nlohmann::json({0.0, 0.91, 0.0}));
  CHECK(ClusterLines(ReportFormat::kTsv, 4, c) == "4\tm2\t0\t0.0000\n4\tm1\t1\t0.9100\n4\tm\\t3\t2\t0.0000\n");
}

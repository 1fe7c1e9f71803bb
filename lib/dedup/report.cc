// The output formats (report.h). JSON objects are nlohmann::ordered_json, so their keys keep
// the order written here.

#include "neardup/report.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "neardup/align.h"

namespace neardup {
namespace {

using Json = nlohmann::ordered_json;

// Non-UTF-8 bytes (possible in a file name) become U+FFFD instead of an exception.
std::string Dump(const Json& json) { return json.dump(-1, ' ', false, Json::error_handler_t::replace); }

// A non-negative number rounded to four decimals, as JSON shows it.
double FourDecimals(double value) { return std::llround(std::fmax(0.0, std::fmin(1e12, value)) * 10000.0) / 10000.0; }
double Score(double score) { return FourDecimals(std::fmin(1.0, score)); }

// `s` with tab, newline, carriage return, backslash and NUL escaped for a TSV field.
std::string TsvField(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      case '\0': out += "\\0"; break;  // a C string would end the field there
      default: out += c;
    }
  }
  return out;
}

Json VerdictObject(const Verdict& v, const std::vector<std::string>& keys_a, const std::vector<std::string>& keys_b) {
  const auto keys = [](const std::vector<std::string>& all, const auto& indexes) {
    Json out = Json::array();
    for (uint32_t i : indexes) out.push_back(i < all.size() ? Json(all[i]) : Json(nullptr));
    return out;
  };
  const std::string kind = VerdictKind(v);
  Json out = {
      {"kind", kind.empty() ? Json(nullptr) : Json(kind)},
      {"score", Score(v.score)},
      {"jaccard", Score(v.text.jaccard)},
      {"containment", Score(v.text.containment)},
      {"containment_slots", v.text.containment_slots},
      {"smaller", v.text.a_is_smaller ? "a" : "b"},
      {"containment_method", v.text.by_filter ? "filter" : "slots"},
      {"containment_found", v.text.containment_found},
      {"containment_error", Score(v.text.by_filter ? v.text.containment_error : 0)},
      {"found", v.found},
  };
  if (!v.cross_language) {
    out["translation"] = nullptr;
    return out;
  }
  const TranslationEvidence& e = v.translation;
  Json t = {
      {"score", Score(e.score)},
      {"decided", e.decided},
      {"anchors_decide", e.anchors_decide},
      {"anchor_score", Score(e.anchor_score)},
      {"coverage_a", Score(e.coverage_a)},
      {"coverage_b", Score(e.coverage_b)},
      {"matched_weight", FourDecimals(e.matched_weight)},
      {"layout", Score(e.layout)},
      {"layout_chance", Score(e.layout_chance)},
      {"length_ratio", FourDecimals(e.length_ratio)},
      {"paragraphs_a", e.paragraphs_a},
      {"paragraphs_b", e.paragraphs_b},
      {"chain_length", e.chain.size()},
      {"conflicts", e.conflicts_a.size() + e.conflicts_b.size()},
  };
  if (!keys_a.empty() || !keys_b.empty()) {
    std::vector<uint32_t> chain_a;
    for (const auto& [i, j] : e.chain) chain_a.push_back(i);
    t["chain"] = keys(keys_a, chain_a);
    t["conflicts_a"] = keys(keys_a, e.conflicts_a);
    t["conflicts_b"] = keys(keys_b, e.conflicts_b);
  }
  out["translation"] = std::move(t);
  return out;
}

}  // namespace

std::string FormatDecimal(double value) {
  // Integer arithmetic instead of printf("%.4f"): no locale can turn the point into a comma.
  const long long scaled = std::llround(std::fmax(0.0, std::fmin(1e12, value)) * 10000.0);
  std::string frac = std::to_string(scaled % 10000);
  return std::to_string(scaled / 10000) + "." + std::string(4 - frac.size(), '0') + frac;
}

std::string FormatScore(double score) { return FormatDecimal(std::fmin(1.0, score)); }

std::string VerdictKind(const Verdict& v) {
  if (v.linked) return MatchKindName(v.kind);
  return v.undecided ? "undecided" : "";
}

std::string VerdictJson(const Verdict& verdict, const std::vector<std::string>& keys_a,
                        const std::vector<std::string>& keys_b) {
  return Dump(VerdictObject(verdict, keys_a, keys_b));
}

namespace {

// A TSV line of two documents and their link: first, second, score, kind, smaller.
std::string LinkTsvLine(std::string_view first, std::string_view second, double score, MatchKind kind,
                        std::string_view smaller) {
  std::string line = TsvField(first);
  line.append("\t").append(TsvField(second)).append("\t").append(FormatScore(score));
  return line.append("\t").append(MatchKindName(kind)).append("\t").append(smaller).append("\n");
}

}  // namespace

std::string PairLine(ReportFormat format, const Pair& p, const Verdict* verdict) {
  const char* smaller = p.kind != MatchKind::kContained ? "" : p.a_is_smaller ? "a" : "b";
  if (format == ReportFormat::kTsv) return LinkTsvLine(p.id_a, p.id_b, p.score, p.kind, smaller);
  Json out = {{"id_a", p.id_a}, {"id_b", p.id_b}, {"score", Score(p.score)}, {"kind", MatchKindName(p.kind)}};
  if (p.kind != MatchKind::kTranslation) {
    out["jaccard"] = Score(p.jaccard);
    out["containment"] = Score(p.containment);
  }
  if (p.kind == MatchKind::kContained) out["smaller"] = smaller;
  if (verdict != nullptr) out["verdict"] = VerdictObject(*verdict, {}, {});
  return Dump(out) + "\n";
}

std::string DocumentLine(std::string_view id, std::string_view text, std::string_view lang) {
  Json out = {{"id", id}, {"text", text}};
  if (!lang.empty()) out["lang"] = lang;
  return Dump(out) + "\n";
}

std::string DuplicateLine(ReportFormat format, const Duplicate& d) {
  const char* smaller = d.kind != MatchKind::kContained ? "" : d.id_is_smaller ? "id" : "kept";
  if (format == ReportFormat::kTsv) return LinkTsvLine(d.id, d.kept, d.score, d.kind, smaller);
  Json out = {{"id", d.id}, {"kept", d.kept}, {"score", Score(d.score)}, {"kind", MatchKindName(d.kind)}};
  if (d.kind == MatchKind::kContained) out["smaller"] = smaller;
  return Dump(out) + "\n";
}

std::string ClusterLines(ReportFormat format, int number, const Cluster& c) {
  std::string out;
  if (format == ReportFormat::kTsv) {
    for (size_t i = 0; i < c.members.size(); ++i) {
      out.append(std::to_string(number)).append("\t").append(TsvField(c.members[i])).append("\t");
      out.append(std::to_string(c.hops[i])).append("\t").append(FormatScore(c.scores[i])).append("\n");
    }
    return out;
  }
  Json scores = Json::array();
  for (double s : c.scores) scores.push_back(Score(s));
  const Json json = {
      {"cluster", number}, {"canonical", c.canonical}, {"members", c.members}, {"hops", c.hops}, {"scores", scores}};
  return Dump(json) + "\n";
}

std::string ComparisonJson(const Comparison& c, const DedupOptions& options, std::string_view id_a,
                           std::string_view id_b) {
  const auto side = [](std::string_view id, const ComparedDocument& d) {
    return Json{{"id", id},
                {"lang", d.fingerprint.language},
                {"bytes", d.fingerprint.num_bytes},
                {"tokens", d.fingerprint.num_tokens},
                {"shingles", d.shingles},
                {"anchors", d.anchor_keys.size()}};
  };
  const Json out = {
      {"a", side(id_a, c.a)},
      {"b", side(id_b, c.b)},
      {"exact_jaccard", Score(c.exact_jaccard)},
      {"exact_containment", Score(c.exact_containment)},
      {"threshold", Score(options.lsh.threshold)},
      {"containment_threshold", Score(options.containment_threshold)},
      {"translation_threshold", Score(options.translation.threshold)},
      {"verdict", VerdictObject(c.verdict, c.a.anchor_keys, c.b.anchor_keys)},
  };
  return Dump(out);
}

std::string AlignmentJson(const Comparison& c, const Alignment& alignment, std::string_view id_a,
                          std::string_view id_b) {
  const auto paragraph = [](const std::string& text, const Paragraph& p) {
    return std::string_view(text).substr(p.begin, p.end - p.begin);
  };
  Json pairs = Json::array();
  for (const AlignedPair& p : alignment.pairs) {
    Json ia = Json::array(), ib = Json::array(), ta = Json::array(), tb = Json::array();
    for (uint32_t i : p.a) ia.push_back(i + 1), ta.push_back(paragraph(c.a.text, alignment.paragraphs_a[i]));
    for (uint32_t j : p.b) ib.push_back(j + 1), tb.push_back(paragraph(c.b.text, alignment.paragraphs_b[j]));
    pairs.push_back(Json{{"a", ia}, {"b", ib}, {"shared_anchors", p.shared_anchors}, {"text_a", ta}, {"text_b", tb}});
  }
  const Json out = {{"a", id_a},
                    {"b", id_b},
                    {"lang_a", c.a.fingerprint.language},
                    {"lang_b", c.b.fingerprint.language},
                    {"verdict", VerdictObject(c.verdict, c.a.anchor_keys, c.b.anchor_keys)},
                    {"pairs", pairs}};
  return Dump(out);
}

std::string AnchorJson(const Anchor& anchor, std::string_view text) {
  const Json out = {{"kind", AnchorKindName(anchor.kind)},
                    {"key", anchor.key},
                    {"begin", anchor.begin},
                    {"end", anchor.end},
                    {"text", text.substr(anchor.begin, anchor.end - anchor.begin)}};
  return Dump(out);
}

}  // namespace neardup

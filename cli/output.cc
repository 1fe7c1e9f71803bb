#include "output.h"

#include <cmath>

namespace neardup::cli {

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string TsvField(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      case '\0': out += "\\0"; break;  // printf would end the field there
      default: out += c;
    }
  }
  return out;
}

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

std::string VerdictJson(const Verdict& v, const std::vector<std::string>& keys_a,
                        const std::vector<std::string>& keys_b) {
  const auto keys = [](const std::vector<std::string>& all, auto indexes) {
    std::string out = "[";
    for (uint32_t i : indexes) {
      if (out.size() > 1) out += ",";
      out += i < all.size() ? JsonQuote(all[i]) : "null";
    }
    return out + "]";
  };
  std::vector<uint32_t> chain_a;
  for (const auto& [i, j] : v.translation.chain) chain_a.push_back(i);
  const std::string kind = VerdictKind(v);
  std::string out = "{\"kind\":" + (kind.empty() ? std::string("null") : "\"" + kind + "\"") +
                    ",\"score\":" + FormatScore(v.score) + ",\"jaccard\":" + FormatScore(v.text.jaccard) +
                    ",\"containment\":" + FormatScore(v.text.containment) +
                    ",\"containment_slots\":" + std::to_string(v.text.containment_slots) +
                    ",\"smaller\":\"" + (v.text.a_is_smaller ? "a" : "b") + "\"" +
                    ",\"containment_method\":\"" + (v.text.by_filter ? "filter" : "slots") + "\"" +
                    ",\"containment_found\":" + std::to_string(v.text.containment_found) +
                    ",\"containment_error\":" + FormatScore(v.text.by_filter ? v.text.containment_error : 0) +
                    ",\"found\":" + (v.found ? "true" : "false");
  if (!v.cross_language) return out + ",\"translation\":null}";
  const TranslationEvidence& e = v.translation;
  out += ",\"translation\":{\"score\":" + FormatScore(e.score) + ",\"decided\":" + (e.decided ? "true" : "false") +
         ",\"anchors_decide\":" + (e.anchors_decide ? "true" : "false") +
         ",\"anchor_score\":" + FormatScore(e.anchor_score) + ",\"coverage_a\":" + FormatScore(e.coverage_a) +
         ",\"coverage_b\":" + FormatScore(e.coverage_b) + ",\"matched_weight\":" + FormatDecimal(e.matched_weight) +
         ",\"layout\":" + FormatScore(e.layout) + ",\"layout_chance\":" + FormatScore(e.layout_chance) + ",\"length_ratio\":" + FormatDecimal(e.length_ratio) +
         ",\"paragraphs_a\":" + std::to_string(e.paragraphs_a) + ",\"paragraphs_b\":" + std::to_string(e.paragraphs_b) +
         ",\"chain_length\":" + std::to_string(e.chain.size()) +
         ",\"conflicts\":" + std::to_string(e.conflicts_a.size() + e.conflicts_b.size());
  if (!keys_a.empty() || !keys_b.empty()) {
    out += ",\"chain\":" + keys(keys_a, chain_a) + ",\"conflicts_a\":" + keys(keys_a, e.conflicts_a) +
           ",\"conflicts_b\":" + keys(keys_b, e.conflicts_b);
  }
  return out + "}}";
}

}  // namespace neardup::cli

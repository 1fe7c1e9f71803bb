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
      default: out += c;
    }
  }
  return out;
}

std::string FormatScore(double score) {
  // Integer arithmetic instead of printf("%.4f"): no locale can turn the point into a comma.
  const long scaled = std::lround(std::fmax(0.0, std::fmin(1.0, score)) * 10000.0);
  std::string frac = std::to_string(scaled % 10000);
  return std::to_string(scaled / 10000) + "." + std::string(4 - frac.size(), '0') + frac;
}

}  // namespace neardup::cli

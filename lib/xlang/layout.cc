#include "xlang/layout.h"

#include <algorithm>
#include <cmath>

#include "neardup/translation.h"

namespace neardup::internal {
namespace {

// Whether paragraphs of lengths x (in a) and y (in b) agree once the overall ratio is factored
// out; +10 characters of slack: short headings vary more in relative terms.
bool LengthsAgree(uint32_t x, uint32_t y, double ratio) {
  const double r = (y + 10.0) / (x + 10.0) / ratio;
  return r >= 2.0 / 3.0 && r <= 1.5;
}

}  // namespace

Layout CompareLayout(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  Layout out;
  if (a.size() < kMinLayoutParagraphs || b.size() < kMinLayoutParagraphs) return out;
  double total_a = 0, total_b = 0;
  for (uint32_t x : a) total_a += x;
  for (uint32_t y : b) total_b += y;
  const double ratio = total_b / std::max(1.0, total_a);
  const size_t n = std::min(a.size(), b.size());
  const double longer = static_cast<double>(std::max(a.size(), b.size()));
  size_t agree = 0, ahead = 0, behind = 0;
  for (size_t i = 0; i < n; ++i) {
    agree += LengthsAgree(a[i], b[i], ratio);
    out.deviation += std::fabs(std::log((b[i] + 10.0) / (a[i] + 10.0) / ratio));
  }
  for (size_t i = 0; i + 1 < a.size() && i + 1 < b.size(); ++i) {
    ahead += LengthsAgree(a[i], b[i + 1], ratio);
    behind += LengthsAgree(a[i + 1], b[i], ratio);
  }
  out.agreement = static_cast<double>(agree) / longer;
  out.chance = static_cast<double>(std::max(ahead, behind)) / longer;
  out.deviation /= static_cast<double>(n);
  return out;
}

}  // namespace neardup::internal

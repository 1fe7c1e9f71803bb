// Fuzz target: anchor extraction per language. The first byte picks the language; the rest
// is the text. Invalid UTF-8 must be refused with a status; valid text must give anchors in
// text order, each span inside the text and on character boundaries (text written without
// spaces is scanned in another form and mapped back), with a key.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "neardup/anchor.h"
#include "neardup/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const kLanguages[] = {"en", "fr", "it", "es", "de", "pt", "ru", "ja", "zh", "ko", "th", ""};
  const char* language = kLanguages[data[0] % (sizeof kLanguages / sizeof kLanguages[0])];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto anchors = neardup::ExtractAnchors(text, {.language = language});
  const bool valid = neardup::ValidateUtf8(text).ok();
  if (anchors.ok() != valid) std::abort();
  if (!anchors.ok()) return 0;
  uint32_t previous = 0;
  for (const neardup::Anchor& a : *anchors) {
    if (a.begin < previous || a.end <= a.begin || a.end > text.size() || a.key.empty()) std::abort();
    const auto continuation = [&](uint32_t at) { return at < text.size() && (static_cast<uint8_t>(text[at]) & 0xC0) == 0x80; };
    if (continuation(a.begin) || continuation(a.end)) std::abort();
    previous = a.begin;
  }
  return 0;
}

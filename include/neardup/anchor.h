// File: anchor.h
//
// Language-independent anchors: what a translation keeps. Numbers (in every locale's digits,
// with scale words, and spelled out: "un million" = "un milione" = "one million" = 1e6), names
// and acronyms (Jensen Huang, NVIDIA, OpenAI, TPU1), identifiers, command options and paths,
// URLs, e-mail addresses, @handles and #hashtags. Each anchor has a canonical key that is the
// same in every language (diacritics removed, elided articles stripped, non-Latin scripts
// transliterated), and the byte span it came from. Their order is the document's order, which
// a translation keeps.
//
// Example:
//   auto anchors = neardup::ExtractAnchors("Anthropic aura accès à un million de puces TPU.", {.language = "fr"});
//   // keys: "anthropic", "n:1000000", "tpu"
//
// Numbers: en, fr, it, es, de and pt read decimal and grouping separators by the language
// ("1,5" = 1.5 in French, "1,500" = 1500 in English, "1 000 000" with ordinary, no-break or
// narrow spaces), know their scale words ("7 milliards" = "7 miliardi" = "7 billion" = 7e9;
// French "billion" = 1e12) and their spelled-out numbers (ICU's RuleBasedNumberFormat, run
// only on words of the language's number vocabulary; "un"/"una"/"a" alone are articles, not
// numbers). Other languages, and text of unknown language, get digits and entities only.
//
// Determinism: the same text and language give the same anchors on every machine.

#ifndef NEARDUP_ANCHOR_H_
#define NEARDUP_ANCHOR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace neardup {

enum class AnchorKind : uint8_t {
  kNumber = 1,      // any number, key "n:<value>" (e.g. "n:7000000000", "n:1.5")
  kMonth = 2,       // a month name, key "m:<1-12>" ("octobre" = "ottobre" = "October")
  kName = 3,        // a capitalized word or run of them not at a sentence start ("jensen huang")
  kAcronym = 4,     // all capitals or mixed case: NVIDIA, TPU, OpenAI, iPhone
  kIdentifier = 5,  // letters with digits or code-like: TPU1, H100, snake_case, os.path, 2.6.32
  kOption = 6,      // command option: --verbose, -n
  kPath = 7,        // file path: /etc/fstab, ~/bin, C:\Windows
  kUrl = 8,         // http(s)://..., www....
  kEmail = 9,
  kHandle = 10,     // @name
  kHashtag = 11,    // #name
};

// "number", "name", ... as printed by the CLI.
const char* AnchorKindName(AnchorKind kind);

// The version of the rules by which anchors and anchor profiles (lengths, paragraphs) are
// found. It changes whenever they give other anchors or lengths for some text: a store
// records it (and refuses documents profiled by other rules), and it is part of the
// parameters fingerprint of translation signatures. 2: lengths in Latin letters, spaces read at
// the boundaries of scripts written without them (issue #22).
inline constexpr int kAnchorRulesVersion = 2;

struct Anchor {
  AnchorKind kind = AnchorKind::kName;
  uint32_t begin = 0;  // byte span in the text given to ExtractAnchors
  uint32_t end = 0;
  std::string key;     // canonical, language-independent
  double value = 0;    // the number, for kNumber and kMonth
};

struct AnchorOptions {
  // ISO 639-1 code of the text's language ("fr"), or "" if unknown: then numbers are read
  // with English separators and without scale or number words.
  std::string language;
};

// The anchors of UTF-8 `text`, in text order. kInvalidArgument for invalid UTF-8 (byte offset
// named). Thread-safe; ICU formatters and transliterators are cached per thread.
absl::StatusOr<std::vector<Anchor>> ExtractAnchors(std::string_view text, const AnchorOptions& options = {});

}  // namespace neardup

#endif  // NEARDUP_ANCHOR_H_

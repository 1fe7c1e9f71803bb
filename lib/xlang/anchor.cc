#include "neardup/anchor.h"

#include <unicode/locid.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "xlang/anchor_keys.h"
#include "xlang/anchor_scanner.h"
#include "xlang/first_byte_and_length.h"
#include "xlang/anchors_of_valid_text.h"
#include "xlang/number_words.h"
#include "xlang/string_cache.h"
#include "xlang/unspaced_text.h"
#include "xlang/word_shape.h"
#include "neardup/language.h"
#include "neardup/normalize.h"
#include "neardup/utf8.h"

namespace neardup {

using internal::StringCache;

const char* AnchorKindName(AnchorKind kind) {
  switch (kind) {
    case AnchorKind::kNumber: return "number";
    case AnchorKind::kMonth: return "month";
    case AnchorKind::kName: return "name";
    case AnchorKind::kAcronym: return "acronym";
    case AnchorKind::kIdentifier: return "identifier";
    case AnchorKind::kOption: return "option";
    case AnchorKind::kPath: return "path";
    case AnchorKind::kUrl: return "url";
    case AnchorKind::kEmail: return "email";
    case AnchorKind::kHandle: return "handle";
    case AnchorKind::kHashtag: return "hashtag";
  }
  return "unknown";
}

namespace {

using namespace internal::anchors;  // anchor_keys.h, unspaced_text.h, anchor_scanner.h, word_shape.h

// Whether `w` has a byte outside ASCII or an ASCII capital: whether lowering can change it.
bool MayLower(std::string_view w) {
  return std::any_of(w.begin(), w.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80 || (c >= 'A' && c <= 'Z'); });
}

struct Builder {
  Scanner& sc;
  // The lowered capitalized words at sentence starts that can be names, each with whether it
  // is also seen capitalized in mid-sentence, where a capital marks a name. Only these are
  // looked up: collecting every capitalized mid-sentence word took a lowered copy and a hash
  // insert for each (German capitalizes every noun).
  absl::flat_hash_map<std::string, bool> sentence_start_names;
  std::string word_lower, next_lower, after_lower;  // lowered words, their buffers kept from word to word

  std::string Lower(std::string_view w) const { return WordKey(w); }

  // Whether word item `i` is all capitals.
  bool AllCapitalsAt(size_t i) const {
    const Item& it = sc.items[i];
    if (it.type != Item::kWord || it.end <= it.begin) return false;
    const std::string_view w = sc.Bytes(it.begin, it.end);
    return AcronymLike(w) && !HasLowercase(w);
  }

  // Whether word item `i` is in a run of kCapitalRun or more all-capital words joined by
  // single spaces.
  bool InCapitalRun(size_t i) const {
    if (!AllCapitalsAt(i)) return false;
    size_t first = i, last = i;
    while (first > 0 && sc.items[first - 1].joined_to_next && AllCapitalsAt(first - 1)) --first;
    while (last + 1 < sc.items.size() && sc.items[last].joined_to_next && AllCapitalsAt(last + 1)) ++last;
    return last - first + 1 >= kCapitalRun;
  }

  // Fills sentence_start_names. A sentence start that Run asks about is a capitalized word,
  // no acronym, of two bytes or more lowered, and no function word.
  void FindSentenceStartNames() {
    internal::FirstByteAndLength filter;  // of the names, asked before hashing a word
    for (const Item& it : sc.items) {
      if (it.type != Item::kWord || it.end <= it.begin || !it.sentence_start) continue;
      const std::string_view w = sc.Bytes(it.begin, it.end);
      if (!Capitalized(w) || AcronymLike(w)) continue;
      const std::string_view lower = LowerKeepMarks(w, &word_lower);
      if (lower.size() < 2 || IsFunctionWord(lower)) continue;
      sentence_start_names.emplace(lower, false);
      filter.Add(lower);
    }
    if (sentence_start_names.empty()) return;
    for (const Item& it : sc.items) {
      if (it.type != Item::kWord || it.end <= it.begin || it.sentence_start) continue;
      const std::string_view w = sc.Bytes(it.begin, it.end);
      if (!Capitalized(w)) continue;
      const std::string_view lower = LowerKeepMarks(w, &word_lower);
      if (!filter.MayHold(lower)) continue;
      if (const auto found = sentence_start_names.find(internal::ToAbsl(lower)); found != sentence_start_names.end()) {
        found->second = true;
      }
    }
  }

  bool SeenInMidSentence(std::string_view lower) const {
    const auto found = sentence_start_names.find(internal::ToAbsl(lower));
    return found != sentence_start_names.end() && found->second;
  }

  void Run() {
    const std::string& lang = sc.language;
    // Digit groups after an ordinary space join in every language, not only in those that
    // write "1 000 000" so: a translation must read "374 252" in a table the way its original
    // does (de and en man pages of character sets disagreed on every row before).
    constexpr bool space_groups = true;
    const bool number_words = internal::SupportsNumberWords(lang);  // asked once, not word by word
    FindSentenceStartNames();
    std::vector<Anchor> words;
    const auto& items = sc.items;
    for (size_t i = 0; i < items.size(); ++i) {
      const Item& it = items[i];
      if (it.end == it.begin) continue;  // placeholder of a chunk classified as a whole
      const std::string_view w = sc.Bytes(it.begin, it.end);
      if (it.type == Item::kNumber) {
        uint32_t end = it.end;
        std::string digits(w);
        // "1 000 000": groups of three digits after a space (no-break spaces in any language).
        size_t j = i;
        if (AsciiDigitsOnly(digits) && digits.size() <= 3) {
          while (j + 1 < items.size() && items[j].joined_to_next && (items[j].grouping_space_after || space_groups) &&
                 items[j + 1].type == Item::kNumber && items[j + 1].end - items[j + 1].begin == 3 &&
                 AsciiDigitsOnly(sc.Bytes(items[j + 1].begin, items[j + 1].end)) && !items[j].percent_after) {
            ++j;
            digits += sc.Bytes(items[j].begin, items[j].end);
            end = items[j].end;
          }
        }
        std::optional<double> value = ParseDigits(digits, lang);
        if (!value) continue;
        // "7 milliards", "7 miliardi", "7 billion"; "3万" (a space was put between them).
        if (j + 1 < items.size() && items[j].joined_to_next && items[j + 1].type == Item::kWord) {
          const std::string_view next_word = sc.Bytes(items[j + 1].begin, items[j + 1].end);
          UChar32 first = -1;
          int32_t first_bytes = 0;
          if (!next_word.empty() && static_cast<unsigned char>(next_word[0]) >= 0xE0) {
            U8_NEXT(reinterpret_cast<const uint8_t*>(next_word.data()), first_bytes, static_cast<int32_t>(next_word.size()), first);
          }
          if (auto scale = CjkScaleAfterDigits(first)) {
            *value *= *scale;
            ++j;
            end = items[j].begin + static_cast<uint32_t>(first_bytes);
          } else if (auto word_scale = internal::ScaleWord(lang, LowerKeepMarks(next_word, &next_lower))) {
            *value *= *word_scale;
            ++j;
            end = items[j].end;
          }
        }
        sc.Emit(AnchorKind::kNumber, it.begin, end, NumberKey(*value), *value);
        i = j;
        continue;
      }
      // A word that starts with a small letter of another script than Latin can be no month,
      // number word (their vocabularies are Latin, and case mapping keeps a letter's script)
      // or name, only an acronym: it is not lowered (lowering words was 8% of anchor
      // extraction's time on the perf corpus, whose non-ASCII text is mostly Cyrillic and CJK).
      // Most words are lower-case ASCII: no capital, no acronym, and no copy to look them up.
      const bool lower_case_ascii = !MayLower(w);
      const bool vocabulary_word_possible = lower_case_ascii || !StartsOutsideLatin(w) || Capitalized(w);
      const std::string_view lower = vocabulary_word_possible && !lower_case_ascii ? LowerKeepMarks(w, &word_lower) : w;
      if (vocabulary_word_possible) {
        if (const int month = internal::MonthNumber(lower); month > 0 && !(lower == "march" && lang != "en") &&
                                                            !(lower == "mars" && lang != "fr") && !(lower == "mayo" && lang != "es")) {
          sc.Emit(AnchorKind::kMonth, it.begin, it.end, absl::StrCat("m:", month), month);
          continue;
        }
        if (number_words && internal::IsNumberWord(lang, lower)) {
          // The run of number words (with joiners between them): "un million", "vingt-et-un".
          size_t j = i;
          std::string phrase(lower);
          while (j + 1 < items.size() && items[j].joined_to_next && items[j + 1].type == Item::kWord) {
            const std::string_view next = LowerKeepMarks(sc.Bytes(items[j + 1].begin, items[j + 1].end), &next_lower);
            if (internal::IsNumberWord(lang, next)) {
              phrase.push_back(sc.text[items[j].end] == '-' ? '-' : ' ');
              phrase += next;
              ++j;
            } else if (internal::IsNumberJoiner(lang, next) && j + 2 < items.size() && items[j + 1].joined_to_next &&
                       internal::IsNumberWord(
                           lang, LowerKeepMarks(sc.Bytes(items[j + 2].begin, items[j + 2].end), &after_lower))) {
              phrase.push_back(' ');
              phrase += next;
              ++j;
            } else {
              break;
            }
          }
          // An article alone ("un", "una", "a") is not a number.
          if (j == i && internal::IsArticleOne(lang, lower)) continue;
          if (auto value = internal::ParseSpelledNumber(lang, phrase)) {
            sc.Emit(AnchorKind::kNumber, it.begin, items[j].end, NumberKey(*value), *value);
            i = j;
            continue;
          }
        }
      }
      if (lower_case_ascii) continue;
      // Keys (no diacritics, Latin script; transliteration is slow) only for words that are anchors.
      if (AcronymLike(w)) {
        // Capitals that are words, not acronyms: a long one (LATEINISCHER), or one of a run of
        // three or more (LATIN SMALL LETTER U, headings in capitals). They are translated, so
        // they count as names: matched they help, unmatched they do not count against. As
        // acronyms, the capitalized table rows of translated man pages read as hundreds of
        // conflicting anchors.
        const bool shouting = LetterCount(w) > kMaxAcronymLetters || InCapitalRun(i);
        sc.Emit(shouting ? AnchorKind::kName : AnchorKind::kAcronym, it.begin, it.end, Lower(w));
        continue;
      }
      if (Capitalized(w) && lower.size() >= 2 && !IsFunctionWord(lower)) {
        if (it.sentence_start && !SeenInMidSentence(lower)) continue;
        // A run of capitalized words joined by single spaces is one name: "Jensen Huang".
        size_t j = i;
        std::string key = Lower(w);
        while (j + 1 < items.size() && items[j].joined_to_next && items[j + 1].type == Item::kWord &&
               items[j + 1].end > items[j + 1].begin) {
          const std::string_view next = sc.Bytes(items[j + 1].begin, items[j + 1].end);
          if (!Capitalized(next) || AcronymLike(next)) break;
          key.push_back(' ');
          key += Lower(next);
          ++j;
        }
        sc.Emit(AnchorKind::kName, it.begin, items[j].end, key);
        i = j;
      }
    }
  }
};

}  // namespace

namespace {

// An acronym or identifier whose letter runs are all ordinary lower-case words of the same
// text is a word written in capitals or a placeholder (FILE, STRING, FILE1, point_de_montage
// where the page also says "file", "point", "montage"): translated like the words, so a name.
// On xlang-dev, 124 true pairs had such words on one side and their translation on the other.
void DemoteWordsInCapitals(const Scanner& sc, std::vector<Anchor>* anchors) {
  // The letter runs of the acronyms and identifiers, lowered: the only words to look for
  // among the text's (collecting every lower-case word of the text in a set, and the hashing
  // it took, was about 12% of anchor extraction's time on the perf corpus).
  std::vector<std::pair<size_t, std::string>> runs;  // (anchor, lowered run), anchor by anchor
  absl::flat_hash_map<std::string, bool> seen;        // lowered run -> a lower-case word of the text
  internal::FirstByteAndLength filter;                // of the lowered runs, asked before hashing a word
  for (size_t i = 0; i < anchors->size(); ++i) {
    const Anchor& a = (*anchors)[i];
    if (a.kind != AnchorKind::kAcronym && a.kind != AnchorKind::kIdentifier) continue;
    ForEachLetterRun(sc.Bytes(a.begin, a.end), [&](std::string_view run) {
      runs.emplace_back(i, LowerKeepMarks(run));
      seen.emplace(runs.back().second, false);
      filter.Add(runs.back().second);
    });
  }
  if (runs.empty()) return;
  for (const Item& it : sc.items) {
    if (it.type != Item::kWord || it.end <= it.begin) continue;
    const std::string_view w = sc.Bytes(it.begin, it.end);
    if (!filter.MayHold(w) || HasUppercase(w)) continue;
    if (const auto found = seen.find(internal::ToAbsl(w)); found != seen.end()) found->second = true;
  }
  // An anchor is demoted when all its runs are words of the text.
  for (size_t r = 0; r < runs.size();) {
    const size_t anchor = runs[r].first;
    bool all_words = true;
    for (; r < runs.size() && runs[r].first == anchor; ++r) all_words &= seen[runs[r].second];
    if (all_words) (*anchors)[anchor].kind = AnchorKind::kName;
  }
}

}  // namespace

namespace internal {

std::vector<Anchor> ExtractAnchorsOfValidUtf8(std::string_view text, std::string_view language) {
  // The items are kept by each thread between documents: allocating them afresh cost page
  // faults on every long one.
  thread_local std::vector<Item> items;
  std::optional<ScanForm> form;
  if (NeedsScanForm(text)) form.emplace(text);
  Scanner scanner{form ? std::string_view(form->text) : text, NormalizeLanguageTag(language), {},
                  std::move(items)};
  scanner.items.clear();
  scanner.Scan();
  const size_t chunk_anchors = scanner.anchors.size();
  Builder builder{scanner, {}, {}, {}, {}};
  builder.Run();
  DemoteWordsInCapitals(scanner, &scanner.anchors);
  if (form) {
    for (Anchor& a : scanner.anchors) form->MapBack(&a);
  }
  // Whole-chunk anchors were emitted while scanning, word anchors after, each in text order
  // (and MapBack keeps the order): merged, the order a stable sort by begin gives, in linear
  // time (the sort was 4% of anchor extraction's time on the perf corpus).
  std::inplace_merge(scanner.anchors.begin(), scanner.anchors.begin() + static_cast<ptrdiff_t>(chunk_anchors),
                     scanner.anchors.end(), [](const Anchor& a, const Anchor& b) { return a.begin < b.begin; });
  // What a huge document needed is given back; ordinary ones' is kept.
  constexpr size_t kKeptScratchBytes = 64 << 20;
  if (scanner.items.capacity() * sizeof(Item) <= kKeptScratchBytes) items = std::move(scanner.items);
  return std::move(scanner.anchors);
}

}  // namespace internal

absl::StatusOr<std::vector<Anchor>> ExtractAnchors(std::string_view text, const AnchorOptions& options) {
  if (absl::Status valid = ValidateUtf8(text); !valid.ok()) return valid;
  return internal::ExtractAnchorsOfValidUtf8(text, options.language);
}

}  // namespace neardup

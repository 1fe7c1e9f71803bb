#include "text/cjk_segmenter.h"

#include <unicode/uchar.h>
#include <unicode/ucharstrie.h>
#include <unicode/udata.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <limits>
#include <memory>

namespace neardup::internal {
namespace {

// The layout of ICU's dictionary files (ICU's dictionarydata.h, format "Dict" version 1): a
// header of int32 indexes, then the trie.
constexpr int kIndexTrieOffset = 0;
constexpr int kIndexTrieType = 4;
constexpr int32_t kTrieTypeMask = 7;
constexpr int32_t kTrieTypeUChars = 1;
constexpr int32_t kTrieHasValues = 8;

// CjkBreakEngine's constants (ICU's dictbe.cpp).
constexpr int kMaxWordUnits = 20;              // maxWordSize: the longest word looked up, in UTF-16 units
constexpr uint32_t kUnknownCharacterCost = 255;  // maxSnlp: a character that starts no 1-character word
constexpr int kMaxKatakanaRun = 20;            // kMaxKatakanaGroupLength: longer runs get no run word
// The cost of a Katakana run taken as one word, by its length; from 9 on, 8192.
constexpr std::array<uint32_t, 9> kKatakanaRunCost = {8192, 984, 408, 240, 204, 252, 300, 372, 480};

bool IsKatakanaForCost(UChar32 c) {
  return (c >= 0x30A1 && c <= 0x30FE && c != 0x30FB) || (c >= 0xFF66 && c <= 0xFF9F);
}

uint32_t KatakanaRunCost(int length) {
  return length < static_cast<int>(kKatakanaRunCost.size()) ? kKatakanaRunCost[length] : 8192;
}

// ICU's cjdict, and the trie's state after the first character of a word, for every BMP
// character: ICU starts every lookup at the trie's root, a branch of some twenty thousand
// characters, and that first step was most of its time.
struct Dictionary {
  struct FirstStep {
    uint64_t state = 0;  // UCharsTrie::getState64(); 0 when no word starts with the character
    int32_t value = 0;   // the word's value when the character alone is one
    UStringTrieResult result = USTRINGTRIE_NO_MATCH;
  };
  UDataMemory* file = nullptr;  // kept open (and reachable) for the life of the process
  const char16_t* trie = nullptr;
  std::vector<FirstStep> first;  // by UTF-16 code unit
};

const Dictionary* LoadDictionary() {
  UErrorCode status = U_ZERO_ERROR;
  // The file ICU's break iterators open for Han, Hiragana and Katakana (root's brkitr
  // "dictionaries"); the data stays mapped for the life of the process.
  UDataMemory* file = udata_open(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "brkitr", "dict", "cjdict", &status);
  if (U_FAILURE(status) || file == nullptr) return nullptr;
  const auto* data = static_cast<const uint8_t*>(udata_getMemory(file));
  const auto* indexes = reinterpret_cast<const int32_t*>(data);
  if ((indexes[kIndexTrieType] & kTrieTypeMask) != kTrieTypeUChars || (indexes[kIndexTrieType] & kTrieHasValues) == 0) {
    udata_close(file);
    return nullptr;
  }
  auto dict = std::make_unique<Dictionary>();
  dict->file = file;
  dict->trie = reinterpret_cast<const char16_t*>(data + indexes[kIndexTrieOffset]);
  dict->first.resize(0x10000);
  icu::UCharsTrie trie(dict->trie);
  for (int32_t c = 0; c < 0x10000; ++c) {
    const UStringTrieResult r = trie.first(c);
    if (r == USTRINGTRIE_NO_MATCH) continue;
    Dictionary::FirstStep& step = dict->first[c];
    step.result = r;
    step.state = trie.getState64();
    if (USTRINGTRIE_HAS_VALUE(r)) step.value = trie.getValue();
  }
  return dict.release();  // lives as long as the process, like ICU's own engines
}

const Dictionary* TheDictionary() {
  static const Dictionary* const dict = LoadDictionary();
  return dict;
}

// The trie's state after two characters, for pairs met before (per thread, direct-mapped): the
// second step leaves the first character's node, which for a common character is a branch of
// hundreds, searched anew at every position otherwise.
struct SecondStep {
  uint32_t pair = 0xFFFFFFFF;  // first << 16 | second; the first is never U+FFFF (not Han or Kana)
  UStringTrieResult result = USTRINGTRIE_NO_MATCH;
  int32_t value = 0;
  uint64_t state = 0;
};
constexpr size_t kSecondStepSlots = size_t{1} << 14;  // 384 KB a thread

// The dictionary words that start at cps[i]: their lengths in code points and their values,
// shortest first, as UCharsDictionaryMatcher::matches gives them to CjkBreakEngine. Its trie
// calls take UTF-16 code units, so a supplementary character never matches.
int WordsAt(const Dictionary& dict, icu::UCharsTrie& trie, const UChar32* cps, int n, int i, int* lengths,
            uint32_t* values) {
  if (cps[i] > 0xFFFF) return 0;
  const Dictionary::FirstStep& first = dict.first[cps[i]];
  UStringTrieResult r = first.result;
  if (r == USTRINGTRIE_NO_MATCH) return 0;
  int count = 0;
  if (USTRINGTRIE_HAS_VALUE(r)) lengths[count] = 1, values[count++] = static_cast<uint32_t>(first.value);
  if (r == USTRINGTRIE_FINAL_VALUE || i + 1 >= n || cps[i + 1] > 0xFFFF) return count;
  thread_local std::vector<SecondStep> second_steps(kSecondStepSlots);
  const uint32_t pair = static_cast<uint32_t>(cps[i]) << 16 | static_cast<uint32_t>(cps[i + 1]);
  SecondStep& second = second_steps[(pair * 0x9E3779B1u) >> (32 - 14)];
  if (second.pair != pair) {
    trie.resetToState64(first.state);
    second.pair = pair;
    second.result = trie.next(cps[i + 1]);
    if (USTRINGTRIE_HAS_VALUE(second.result)) second.value = trie.getValue();
    if (second.result == USTRINGTRIE_INTERMEDIATE_VALUE || second.result == USTRINGTRIE_NO_VALUE) {
      second.state = trie.getState64();
    }
  }
  r = second.result;
  if (USTRINGTRIE_HAS_VALUE(r)) lengths[count] = 2, values[count++] = static_cast<uint32_t>(second.value);
  if (r == USTRINGTRIE_FINAL_VALUE || r == USTRINGTRIE_NO_MATCH) return count;
  trie.resetToState64(second.state);
  int units = 2;  // both were BMP characters
  for (int k = i + 2; units < kMaxWordUnits && k < n; ++k) {
    const UChar32 c = cps[k];
    r = c > 0xFFFF ? USTRINGTRIE_NO_MATCH : trie.next(c);
    units += U16_LENGTH(c);
    if (USTRINGTRIE_HAS_VALUE(r)) lengths[count] = k - i + 1, values[count++] = static_cast<uint32_t>(trie.getValue());
    if (r == USTRINGTRIE_FINAL_VALUE || r == USTRINGTRIE_NO_MATCH) break;
  }
  return count;
}

}  // namespace

bool CjkDictionaryAvailable() { return TheDictionary() != nullptr; }

bool IsCjkRunCharacter(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  const int32_t wb = u_getIntPropertyValue(c, UCHAR_WORD_BREAK);
  const bool kanji_or_hiragana = script == USCRIPT_HAN || script == USCRIPT_HIRAGANA;
  // CjkBreakEngine's set: [[:Han:][:Hiragana:][:Katakana:]\u30fc\uff70\uff9e\uff9f].
  const bool engine_takes = kanji_or_hiragana || script == USCRIPT_KATAKANA || c == 0x30FC || c == 0xFF70 ||
                            c == 0xFF9E || c == 0xFF9F;
  // The rules' $KanaKanji: [$Han $Hiragana $Katakana], the last by word-break class.
  const bool rules_chain = kanji_or_hiragana || wb == U_WB_KATAKANA;
  const bool plain_class = wb == U_WB_OTHER || wb == U_WB_ALETTER || wb == U_WB_KATAKANA;
  return U_SUCCESS(status) && engine_takes && rules_chain && plain_class &&
         !u_hasBinaryProperty(c, UCHAR_CHANGES_WHEN_NFKC_CASEFOLDED) && !u_hasBinaryProperty(c, UCHAR_EMOJI) &&
         !u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC);
}

bool IsCjkWordOnItsOwn(UChar32 c) {
  // ICU's rules give a lone character status 400 through $HiraganaEx, $KatakanaEx or
  // $IdeographicEx; anything else matches only rule 999 (status 0).
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HIRAGANA || u_getIntPropertyValue(c, UCHAR_WORD_BREAK) == U_WB_KATAKANA ||
         u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC);
}

void SegmentCjkRun(std::span<const UChar32> chars, std::span<const uint32_t> ends, std::vector<uint32_t>* word_ends) {
  word_ends->clear();
  const Dictionary* dict = TheDictionary();
  const int n = static_cast<int>(chars.size());
  if (dict == nullptr || n < 2) {
    if (n > 0) word_ends->push_back(ends.back());
    return;
  }
  // best_cost[i]: the least cost of a split of the first i code points; prev[i]: where the
  // last word of that split starts.
  thread_local std::vector<uint32_t> best_cost;
  thread_local std::vector<int> prev;
  best_cost.assign(n + 1, std::numeric_limits<uint32_t>::max());
  prev.assign(n + 1, -1);
  best_cost[0] = 0;
  int lengths[kMaxWordUnits + 1];
  uint32_t values[kMaxWordUnits + 1];
  const auto relax = [&](int from, int length, uint32_t cost) {
    const uint32_t total = best_cost[from] + cost;
    if (total < best_cost[from + length]) best_cost[from + length] = total, prev[from + length] = from;
  };
  icu::UCharsTrie trie(dict->trie);
  bool previous_katakana = false;
  for (int i = 0; i < n; ++i) {
    // Every position is reached: each character is at worst a word of its own.
    int count = WordsAt(*dict, trie, chars.data(), n, i, lengths, values);
    if (count == 0 || lengths[0] != 1) lengths[count] = 1, values[count++] = kUnknownCharacterCost;
    for (int j = 0; j < count; ++j) relax(i, lengths[j], values[j]);
    // A run of Katakana, from its first character, is also a word, priced by its length.
    const bool katakana = IsKatakanaForCost(chars[i]);
    if (katakana && !previous_katakana) {
      int length = 1;
      while (i + length < n && length < kMaxKatakanaRun && IsKatakanaForCost(chars[i + length])) ++length;
      if (length < kMaxKatakanaRun) relax(i, length, KatakanaRunCost(length));
    }
    previous_katakana = katakana;
  }
  for (int i = n; i > 0; i = prev[i]) word_ends->push_back(ends[i - 1]);
  std::reverse(word_ends->begin(), word_ends->end());
}

}  // namespace neardup::internal

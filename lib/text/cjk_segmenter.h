// File: text/cjk_segmenter.h
//
// Chinese and Japanese words as ICU's word BreakIterator finds them, without the iterator.
// ICU cuts a run of Han, Hiragana and Katakana with its CJK dictionary engine (CjkBreakEngine,
// ICU's dictbe.cpp): of all the ways to split the run into words, it keeps the one with the
// least total cost, where a word of its dictionary (cjdict) costs the word's value there, a
// character that starts no one-character word costs 255 on its own, and a run of Katakana
// costs by its length. This is that computation, on the same dictionary, opened through ICU's
// public data API (udata_open), with its first step looked up in a table instead of ICU's
// trie root, and its second in a cache of the character pairs met before. Tokenize() uses it
// for the lines whose dictionary characters are all of the plain kind described at
// IsCjkRunCharacter(); tests/differential_main.cc, tokenize_test.cc and fuzz_word_break check
// that the words are ICU's, byte for byte.

#ifndef NEARDUP_TEXT_CJK_SEGMENTER_H_
#define NEARDUP_TEXT_CJK_SEGMENTER_H_

#include <cstdint>
#include <span>
#include <vector>

#include <unicode/umachine.h>

namespace neardup::internal {

// Whether ICU's dictionary is there (it is in every full ICU data package). Without it,
// Tokenize() hands Chinese and Japanese to ICU as before.
bool CjkDictionaryAvailable();

// Whether `c` can be in a run this file segments exactly as ICU does: a Han, Hiragana or
// Katakana character (or the prolonged sound mark) that ICU's rules chain with its neighbours
// of the same kind ($KanaKanji $KanaKanji) and its CJK engine handles, that NFKC_Casefold
// leaves alone, and whose word-break class is plain (not Extend, Format or a connector).
bool IsCjkRunCharacter(UChar32 c);

// The rule status ICU gives a run of one such character alone: a word (true) for Hiragana,
// Katakana and ideographs; not a word for the rest (the iteration mark 々 alone, radicals).
bool IsCjkWordOnItsOwn(UChar32 c);

// The ends of the words of a run of characters (`chars`, every one IsCjkRunCharacter, at
// least two), as the caller's offsets: word_ends gets ends[k] for each word ending at
// chars[k], in increasing order, the last ends.back(). The caller has decoded the run already.
void SegmentCjkRun(std::span<const UChar32> chars, std::span<const uint32_t> ends, std::vector<uint32_t>* word_ends);

}  // namespace neardup::internal

#endif  // NEARDUP_TEXT_CJK_SEGMENTER_H_

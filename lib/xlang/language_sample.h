// File: xlang/language_sample.h
//
// Language identification reads an adaptive prefix of a document: CLD2's time grows with the
// bytes it reads, and its answer on a short prefix is usually the whole text's. DetectLanguage
// reads 2 KB, and reads more only where CLD2 is unsure of those. The differential test
// (tests/language_sample_main.cc) holds the answer to the whole text's on the corpora.

#ifndef NEARDUP_XLANG_LANGUAGE_SAMPLE_H_
#define NEARDUP_XLANG_LANGUAGE_SAMPLE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace neardup::internal {

// DetectLanguage's rule (whole characters; a shorter text is read whole, once):
//   1. the first 2 KB, kept when CLD2 calls its answer reliable and gives it at least 85% of
//      the text read (99% if English);
//   2. else the first 8 KB, kept when reliable;
//   3. else the first 16 KB.
// Figures measured against the whole text's answer (issue #14's bar is 99%; CLD2 time in one
// thread, best of 3, perf corpus of 41,946 documents):
//   rule                    perf agreement   CLD2 time   xlang-dev  wire-dev  xlang-wild  licenses
//   first 6 KB (before)     99.63%           4.41 s      99.87%     99.91%    99.88%      98.97%
//   adaptive 2/8/16 KB      99.66%           3.86 s      99.87%     100%      100%        99.79%
// Right on the labelled languages (xlang-dev, wire-dev, xlang-wild-dev, licenses-dev): 3,000,
// 1,099, 807, 479, against 2,994, 1,098, 808, 474 with 6 KB and 2,996, 1,099, 807, 478 with the
// whole text. The thresholds were picked on perf and checked on the other four. Checking a sure
// first sample against a 512-byte window at 6 KB, or against the script mix of the whole text,
// saved under 0.1 s at the same agreement; languages that own their script (el, ko, ...) take
// 0.6% of the time: neither is done.

// The first sample. Prefixes alone agree with the whole text on 94.85% of perf at 1 KB and
// 97.69% at 2 KB; the same rule from 1 KB or 1.5 KB agrees on 99.14% or 99.50% of perf, below
// 6 KB's, for 0.9 or 0.4 s less.
inline constexpr size_t kLanguageFirstSampleBytes = 2 << 10;

// CLD2 is sure of the first sample when its answer is reliable and holds this share (its
// percent3) of the text read. Of perf's reliable non-English 2 KB samples (of longer texts),
// those at 85% or more disagree with the whole text on 0.43% (49 of 11,508), those below on
// 5.6%.
inline constexpr int kLanguageSurePercent = 85;

// An English first sample must be all but pure English: CLD2 gives a text to another language
// holding 17% of it rather than to English (its boilerplate rule, kNonEnBoilerplateMinPercent),
// and an English beginning (menus, a header) often opens a page it calls something else. Of
// perf's reliable English 2 KB samples, those at 99% or more disagree on 0.65%, those at
// 85-98% on 15%; with 85% for English too, perf's agreement falls from 99.66% to 99.42%.
inline constexpr int kLanguageSureEnglishPercent = 99;

// Where the first sample is unsure: 8 KB alone agrees on 99.78% of perf (6 KB: 99.63%). Growing
// to 6 KB instead agrees on 99.59% of perf.
inline constexpr size_t kLanguageGrownSampleBytes = 8 << 10;

// Where 8 KB are not reliable either: 16 KB alone agrees on 99.95% of perf. Stopping at 8 KB
// loses 0.04% of perf and 0.4% of licenses-dev; 32 KB gains 3 of perf's documents.
inline constexpr size_t kLanguageLastSampleBytes = 16 << 10;

// CLD2's language of the first `max_bytes` of `text` (cut back to a character boundary), as
// DetectLanguage reports it; SIZE_MAX reads it all.
std::string DetectLanguageIn(std::string_view text, size_t max_bytes);

}  // namespace neardup::internal

#endif  // NEARDUP_XLANG_LANGUAGE_SAMPLE_H_

// File: cli/output.h
//
// Writing pairs and clusters as JSON Lines or TSV. TSV fields never contain a raw tab, newline
// or NUL: they are written as \t, \n, \r, \\ and \0 (PostgreSQL's text format does the same).

#ifndef NEARDUP_CLI_OUTPUT_H_
#define NEARDUP_CLI_OUTPUT_H_

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "neardup/verdict.h"

namespace neardup::cli {

enum class Format { kJsonLines, kTsv };

// A JSON string literal for `s` (quotes included); `s` must be valid UTF-8.
std::string JsonQuote(std::string_view s);
// `s` with tab, newline, carriage return, backslash and NUL escaped for a TSV field.
std::string TsvField(std::string_view s);
// A similarity in [0, 1] with four decimals, locale-independent.
std::string FormatScore(double score);
// A non-negative number with four decimals, locale-independent.
std::string FormatDecimal(double value);

// A Verdict as one JSON object: the decision ("kind": near, contained, translation,
// "undecided" or null), the text evidence, and the translation evidence, with the anchor keys
// of its chain and conflicts when `keys_a`/`keys_b` give them (the canonical key of each
// anchor, by index; empty: counts only).
std::string VerdictJson(const Verdict& v, const std::vector<std::string>& keys_a,
                        const std::vector<std::string>& keys_b);
// The verdict's kind as printed: "near", "contained", "translation", "undecided", or "" (not linked).
std::string VerdictKind(const Verdict& v);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_OUTPUT_H_

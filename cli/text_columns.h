// File: cli/text_columns.h
//
// Text laid out in columns for a terminal: `neardup align`'s side-by-side view. Widths count
// UTF-8 code points (a wide CJK character counts one).

#ifndef NEARDUP_CLI_TEXT_COLUMNS_H_
#define NEARDUP_CLI_TEXT_COLUMNS_H_

#include <string>
#include <string_view>
#include <vector>

namespace neardup::cli {

// Splits UTF-8 `text` into lines of at most `width` code points, at spaces where possible.
std::vector<std::string> Wrap(std::string_view text, size_t width);

// `s` padded with spaces to `width` code points (unchanged if it is as wide already).
std::string PadTo(const std::string& s, size_t width);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_TEXT_COLUMNS_H_

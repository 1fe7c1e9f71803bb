#include "text_columns.h"

namespace neardup::cli {

std::vector<std::string> Wrap(std::string_view text, size_t width) {
  std::vector<std::string> lines;
  std::string line;
  size_t line_chars = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view word = text.substr(i, j - i);
    size_t chars = 0;
    for (char c : word) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (line_chars > 0 && line_chars + 1 + chars > width) {
      lines.push_back(line);
      line.clear();
      line_chars = 0;
    }
    while (chars > width) {  // a word longer than the column: cut it at a character boundary
      size_t cut = 0, n = 0;
      while (cut < word.size() && n < width) {
        ++cut;
        while (cut < word.size() && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) ++cut;
        ++n;
      }
      lines.emplace_back(word.substr(0, cut));
      word.remove_prefix(cut);
      chars -= n;
    }
    if (line_chars > 0) line.push_back(' '), ++line_chars;
    line.append(word);
    line_chars += chars;
    i = j + 1;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

std::string PadTo(const std::string& s, size_t width) {
  size_t chars = 0;
  for (char c : s) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return chars >= width ? s : s + std::string(width - chars, ' ');
}

}  // namespace neardup::cli

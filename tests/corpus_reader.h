// File: tests/corpus_reader.h
//
// The corpus programs' input: JSON Lines on standard input, one document a line, with "text"
// and optionally "id" and "lang" (as the shared corpora are written).

#ifndef NEARDUP_TESTS_CORPUS_READER_H_
#define NEARDUP_TESTS_CORPUS_READER_H_

#include <simdjson.h>

#include <cstddef>
#include <iostream>
#include <string>
#include <string_view>

namespace neardup::testing {

struct CorpusDocument {
  std::string_view id;    // "" when the line has none
  std::string_view text;
  std::string_view lang;  // "" when the line has none
};

// Calls visit(document) for each line of `in` that is a JSON object with a "text"; returns how
// many lines were not (a corpus should have none: callers fail on them).
template <typename Visit>
size_t ForEachCorpusDocument(std::istream& in, Visit visit) {
  simdjson::dom::parser parser;
  size_t unread = 0;
  for (std::string line; std::getline(in, line);) {
    simdjson::dom::element e;
    CorpusDocument d;
    if (parser.parse(line).get(e) || e["text"].get(d.text)) {
      ++unread;
      continue;
    }
    if (e["id"].get(d.id)) d.id = "";
    if (e["lang"].get(d.lang)) d.lang = "";
    visit(d);
  }
  return unread;
}

}  // namespace neardup::testing

#endif  // NEARDUP_TESTS_CORPUS_READER_H_

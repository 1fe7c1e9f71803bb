// Word segmentation with ICU's BreakIterator over UTF-8 text (UText), so offsets come back as
// byte offsets without converting the document to UTF-16.
#include "neardup/tokenize.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <cstdlib>
#include <memory>

namespace neardup {
namespace {

// Creating a word BreakIterator costs tens of microseconds and loads rule data; BreakIterator
// is not thread-safe. So each thread clones one prototype, once.
icu::BreakIterator& ThreadWordBreaker() {
  static const icu::BreakIterator* const prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::BreakIterator* bi = icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status);
    if (U_FAILURE(status) || bi == nullptr) std::abort();  // ICU data missing: nothing can work
    return bi;
  }();
  thread_local std::unique_ptr<icu::BreakIterator> local(prototype->clone());
  return *local;
}

TokenKind KindOf(int32_t rule_status) {
  if (rule_status < UBRK_WORD_LETTER) return TokenKind::kNumber;
  if (rule_status < UBRK_WORD_KANA) return TokenKind::kLetter;
  if (rule_status < UBRK_WORD_IDEO) return TokenKind::kKana;
  return TokenKind::kIdeographic;
}

}  // namespace

void Tokenize(std::string_view utf8, std::vector<Token>* out) {
  out->clear();
  if (utf8.empty()) return;
  UErrorCode status = U_ZERO_ERROR;
  UText* text = utext_openUTF8(nullptr, utf8.data(), static_cast<int64_t>(utf8.size()), &status);
  if (U_FAILURE(status)) return;
  icu::BreakIterator& bi = ThreadWordBreaker();
  bi.setText(text, status);
  if (U_SUCCESS(status)) {
    int32_t begin = bi.first();
    for (int32_t end = bi.next(); end != icu::BreakIterator::DONE; begin = end, end = bi.next()) {
      const int32_t rule_status = bi.getRuleStatus();
      if (rule_status < UBRK_WORD_NONE_LIMIT) continue;  // spaces and punctuation
      out->push_back(Token{static_cast<uint32_t>(begin), static_cast<uint32_t>(end), KindOf(rule_status)});
    }
  }
  // The iterator keeps its own shallow clone of the UText; it is not read again before the next
  // setText(), so the document may go away.
  utext_close(text);
}

std::vector<Token> Tokenize(std::string_view utf8) {
  std::vector<Token> tokens;
  Tokenize(utf8, &tokens);
  return tokens;
}

}  // namespace neardup

// Fuzz target: the fast word breaker (alone, and with ICU for the lines it cannot take) must
// agree with ICU's, fast normalization with ICU's, and nothing may crash (invalid UTF-8 gives
// a Status).
//
// Real fuzzing (clang 14 from Debian):
//   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DNEARDUP_FUZZ=ON && cmake --build build-fuzz
//   build-fuzz/tests/fuzz_word_break tests/fuzz/corpus/word_break
// In ordinary builds the same file is linked with replay_main.cc and ctest replays the corpus.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "text/word_break.h"
#include "text/normalize_icu.h"
#include "neardup/normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // longer inputs are not more interesting (re2's fuzzer does the same)
  const std::string raw(reinterpret_cast<const char*>(data), size);
  for (const bool normalize : {false, true}) {
    std::string text = raw;
    if (normalize) {
      auto n = neardup::Normalize(raw, {.invalid_utf8 = neardup::InvalidUtf8::kReplace});
      if (!n.ok()) return 0;
      auto reference = neardup::internal::NormalizeWithIcu(raw, {.invalid_utf8 = neardup::InvalidUtf8::kReplace});
      if (!reference.ok() || *reference != *n) std::abort();
      text = *n;
    }
    std::vector<neardup::Token> fast, icu;
    neardup::internal::TokenizeWithIcu(text, &icu);
    if (neardup::internal::TokenizeFast(text, &fast) && fast != icu) std::abort();
    neardup::Tokenize(text, &fast);  // fast lines, ICU for the lines that need it
    if (fast != icu) std::abort();
  }
  return 0;
}

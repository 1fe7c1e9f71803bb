// The anchors of a corpus, as one digest, for the regression test that anchor extraction's
// speed work leaves them byte-identical:
//   neardup_anchor_digest < docs.jsonl
// prints "DOCUMENTS DIGEST": the documents read, and a hash over each one's anchors (kind,
// byte span, key, value) from ExtractAnchors, and its profile (keys, kinds, values,
// paragraph lengths, tail hashes) and translation signature from the Fingerprinter, in the
// document's language ("lang", or detected). tests/corpus_test.sh compares the digests with
// tests/data/anchor_digests.txt; a deliberate change to the anchors updates that file, with
// the reason in the commit.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "corpus_reader.h"
#include "base/endian.h"
#include "text/hash.h"
#include "neardup/anchor.h"
#include "neardup/fingerprint.h"
#include "neardup/language.h"

namespace {

void AppendDouble(std::string& out, double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  neardup::internal::AppendLe64(out, bits);
}

}  // namespace

int main() {
  auto fingerprinter = neardup::Fingerprinter::Create();
  if (!fingerprinter.ok()) return 2;
  uint64_t digest = 0, documents = 0;
  std::string record;
  const size_t unread = neardup::testing::ForEachCorpusDocument(std::cin, [&](const neardup::testing::CorpusDocument& d) {
    const std::string_view text = d.text, lang = d.lang;
    record.clear();
    const std::string language = lang.empty() ? neardup::DetectLanguage(text) : neardup::NormalizeLanguageTag(lang);
    record += language + '\n';
    if (auto anchors = neardup::ExtractAnchors(text, {.language = language}); anchors.ok()) {
      for (const neardup::Anchor& a : *anchors) {
        record += neardup::AnchorKindName(a.kind);
        neardup::internal::AppendLe32(record, a.begin);
        neardup::internal::AppendLe32(record, a.end);
        record += a.key + '\n';
        AppendDouble(record, a.value);
      }
    } else {
      record += anchors.status().ToString();
    }
    if (auto fp = fingerprinter->Compute(text, lang); fp.ok()) {
      const neardup::AnchorProfile& p = fp->anchors;
      for (size_t i = 0; i < p.keys.size(); ++i) {
        neardup::internal::AppendLe64(record, p.keys[i]);
        record += neardup::AnchorKindName(p.kinds[i]);
        AppendDouble(record, p.values[i]);
      }
      for (uint32_t length : p.paragraph_lengths) neardup::internal::AppendLe32(record, length);
      for (uint64_t key : p.tail_keys) neardup::internal::AppendLe64(record, key);
      for (uint32_t begin : p.tail_anchor_begin) neardup::internal::AppendLe32(record, begin);
      neardup::internal::AppendLe64(record, p.num_chars);
      for (uint64_t v : fp->translation_signature.values()) neardup::internal::AppendLe64(record, v);
    } else {
      record += fp.status().ToString();
    }
    digest = neardup::internal::Hash64(record, digest);
    ++documents;
  });
  std::printf("%llu %016llx\n", static_cast<unsigned long long>(documents), static_cast<unsigned long long>(digest));
  if (documents == 0 || unread > 0) {
    std::fprintf(stderr, "%llu documents read, %llu lines unread\n", static_cast<unsigned long long>(documents),
                 static_cast<unsigned long long>(unread));
    return 1;
  }
  return 0;
}

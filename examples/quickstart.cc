// Quick start: is the second story a copy of the first?
#include <neardup/neardup.h>

#include <iostream>

int main() {
  auto dedup = neardup::Deduplicator::Create();  // word 5-shingles, k = 128, threshold 0.8
  if (!dedup.ok()) return 1;
  (void)dedup->Add("wire-1", "Google and Anthropic signed a cloud deal worth tens of billions of dollars on "
                       "Thursday, giving the start-up access to up to one million TPU chips.");
  auto seen = dedup->Add("wire-2", "By Staff Reporter. Google and Anthropic signed a cloud deal worth tens "
                                   "of billions of dollars on Thursday, giving the start-up access to up to "
                                   "one million TPU chips.");
  if (!seen.ok()) {
    std::cerr << seen.status() << "\n";
    return 1;
  }
  for (const neardup::Match& m : *seen) {
    std::cout << "wire-2 duplicates " << m.id << " (similarity " << m.jaccard << ")\n";
  }
  return seen->size() == 1 ? 0 : 1;  // this example is also a test
}

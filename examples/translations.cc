// Cross-language: is the Italian story a translation of the French one, and which paragraph
// corresponds to which?
#include <neardup/neardup.h>

#include <iostream>

int main() {
  const char* french =
      "Anthropic signe avec Google Cloud un accord portant sur un million de puces TPU.\n"
      "Selon Jensen Huang, PDG de NVIDIA, les TPU sont de redoutables concurrents.\n"
      "L'accord, d'une valeur de 7 milliards de dollars, prendra effet en 2026.\n";
  const char* italian =
      "Anthropic firma con Google Cloud un accordo che riguarda un milione di chip TPU.\n"
      "Secondo Jensen Huang, CEO di NVIDIA, le TPU sono concorrenti temibili.\n"
      "L'accordo, del valore di 7 miliardi di dollari, entrerà in vigore nel 2026.\n";
  auto dedup = neardup::Deduplicator::Create();
  if (!dedup.ok()) return 1;
  (void)dedup->Add("fr-1", french, "fr");
  auto matches = dedup->Add("it-1", italian, "it");
  if (!matches.ok()) {
    std::cerr << matches.status() << "\n";
    return 1;
  }
  for (const neardup::Match& m : *matches) {
    std::cout << "it-1 is a " << neardup::MatchKindName(m.kind) << " of " << m.id << " (score " << m.score << ")\n";
  }
  auto alignment = neardup::AlignParagraphs(french, "fr", italian, "it");
  for (const neardup::AlignedPair& p : alignment->pairs) {
    std::cout << "paragraph " << p.a.at(0) + 1 << " <-> " << p.b.at(0) + 1 << ":";
    for (const std::string& anchor : p.shared_anchors) std::cout << " " << anchor;
    std::cout << "\n";
  }
  return matches->size() == 1 && matches->front().kind == neardup::MatchKind::kTranslation ? 0 : 1;
}

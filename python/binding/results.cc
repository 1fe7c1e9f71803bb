#include "results.h"

#include "errors.h"

namespace neardup::python {

void PutEvidence(py::dict& d, MatchKind kind, double score, double jaccard, double containment) {
  d["kind"] = MatchKindName(kind);
  d["score"] = Score(score);
  const bool text = kind != MatchKind::kTranslation;
  d["jaccard"] = text ? Score(jaccard) : py::none();
  d["containment"] = text ? Score(containment) : py::none();
}

py::dict MatchDict(const Match& m) {
  py::dict d;
  d["id"] = m.id;
  PutEvidence(d, m.kind, m.score, m.jaccard, m.containment);
  d["id_is_smaller"] = m.kind == MatchKind::kContained ? py::object(py::bool_(m.id_is_smaller)) : py::none();
  return d;
}

py::list MatchList(const std::vector<Match>& matches) {
  py::list out;
  for (const Match& m : matches) out.append(MatchDict(m));
  return out;
}

py::dict TranslationDict(const TranslationEvidence& t) {
  py::dict d;
  d["score"] = t.score;
  d["decided"] = t.decided;
  d["anchors_decide"] = t.anchors_decide;
  d["anchor_score"] = t.anchor_score;
  d["coverage_a"] = t.coverage_a;
  d["coverage_b"] = t.coverage_b;
  d["matched_weight"] = t.matched_weight;
  d["layout"] = t.layout;
  d["layout_chance"] = t.layout_chance;
  d["length_ratio"] = t.length_ratio;
  d["paragraphs_a"] = t.paragraphs_a;
  d["paragraphs_b"] = t.paragraphs_b;
  d["chain"] = t.chain;
  d["conflicts_a"] = t.conflicts_a;
  d["conflicts_b"] = t.conflicts_b;
  return d;
}

py::dict VerdictDict(const Verdict& v, const Fingerprint& a, const Fingerprint& b) {
  py::dict d;
  d["linked"] = v.linked;
  d["kind"] = v.linked ? py::object(py::str(MatchKindName(v.kind))) : py::none();
  d["score"] = v.score;
  py::dict text;
  text["jaccard"] = v.text.jaccard;
  text["containment"] = v.text.containment;
  text["containment_slots"] = v.text.containment_slots;
  text["a_is_smaller"] = v.text.a_is_smaller;
  text["containment_method"] = v.text.by_filter ? "filter" : "slots";
  text["containment_found"] = v.text.containment_found;
  text["containment_error"] = v.text.by_filter ? v.text.containment_error : 0.0;
  d["text"] = text;
  d["languages"] = py::make_tuple(a.language, b.language);
  d["cross_language"] = v.cross_language;
  d["undecided"] = v.undecided;
  d["translation"] = v.cross_language ? py::object(TranslationDict(v.translation)) : py::none();
  return d;
}

}  // namespace neardup::python

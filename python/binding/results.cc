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

}  // namespace neardup::python

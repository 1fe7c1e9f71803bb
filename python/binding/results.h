// File: python/binding/results.h
//
// What the library returns, as Python dicts and lists (the shapes README "From Python" gives).

#ifndef NEARDUP_PYTHON_BINDING_RESULTS_H_
#define NEARDUP_PYTHON_BINDING_RESULTS_H_

#include <pybind11/pybind11.h>

#include <vector>

#include "neardup/dedup.h"
#include "neardup/fingerprint.h"
#include "neardup/verdict.h"

namespace neardup::python {

namespace py = pybind11;

// kind, score, jaccard and containment into `d` (None for translations, as dedup's JSON omits them).
void PutEvidence(py::dict& d, MatchKind kind, double score, double jaccard, double containment);
py::dict MatchDict(const Match& m);
py::list MatchList(const std::vector<Match>& matches);

}  // namespace neardup::python

#endif  // NEARDUP_PYTHON_BINDING_RESULTS_H_

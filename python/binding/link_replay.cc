// Add's link bookkeeping and output for neardup.dask, on the library's own (through seam/python.h).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "arguments.h"
#include "errors.h"
#include "neardup/neardup.h"
#include "register.h"
#include "results.h"
#include "seam/python.h"

namespace neardup::python {
namespace {

// neardup.dask's link bookkeeping, on the library's own (index/link_graph.h): the links of
// documents numbered in input order, made as Add makes them.
namespace link_replay {

// A graph of `n` documents holding `a[i]`-`b[i]` links of `kinds[i]` ("translation" or a text
// kind) and `scores[i]`, in that order.
seam::LinkGraph GraphOf(size_t n, const std::vector<int64_t>& a, const std::vector<int64_t>& b,
                                const std::vector<std::string>& kinds, const std::vector<double>& scores) {
  if (b.size() != a.size() || kinds.size() != a.size() || scores.size() != a.size()) {
    throw py::value_error("the link columns differ in length");
  }
  seam::LinkGraph graph;
  for (size_t i = 0; i < n; ++i) graph.AddDocument();
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] < 0 || b[i] < 0 || static_cast<size_t>(std::max(a[i], b[i])) >= n || a[i] == b[i]) {
      throw py::value_error("a link joins a document number out of range, or a document to itself");
    }
    const neardup::MatchKind kind = kinds[i] == "translation" ? neardup::MatchKind::kTranslation
                               : kinds[i] == "contained" ? neardup::MatchKind::kContained
                                                         : neardup::MatchKind::kNear;
    graph.Add(seam::Link{scores[i], 0, 0, static_cast<uint32_t>(a[i]), static_cast<uint32_t>(b[i]), kind, true});
  }
  return graph;
}

// Add's choice of translations, replayed: document by document in input order, the text links
// (`text_a` earlier than `text_b`, in the order Add makes them) are made, then the translations
// the document keeps among its verified ones (`verified_*`, the earlier side first), retracting
// the weaker. Returns the live translation links (a, b, score) in the order made.
std::vector<std::tuple<int64_t, int64_t, double>> ChooseTranslations(
    size_t n, const std::vector<int64_t>& text_a, const std::vector<int64_t>& text_b,
    const std::vector<std::string>& text_kinds, const std::vector<double>& text_scores,
    const std::vector<int64_t>& verified_a, const std::vector<int64_t>& verified_b,
    const std::vector<std::string>& language_a, const std::vector<std::string>& language_b,
    const std::vector<double>& verified_scores) {
  if (verified_b.size() != verified_a.size() || language_a.size() != verified_a.size() ||
      language_b.size() != verified_a.size() || verified_scores.size() != verified_a.size()) {
    throw py::value_error("the verdict columns differ in length");
  }
  if (text_b.size() != text_a.size() || text_kinds.size() != text_a.size() || text_scores.size() != text_a.size()) {
    throw py::value_error("the text link columns differ in length");
  }
  std::vector<std::string> languages(n);
  std::map<int64_t, std::vector<size_t>> text_of, verified_of;  // by the later document
  for (size_t i = 0; i < text_a.size(); ++i) {
    if (text_a[i] < 0 || text_a[i] >= text_b[i] || static_cast<size_t>(text_b[i]) >= n) {
      throw py::value_error("a text link is not from an earlier document to a later one, both below n");
    }
    text_of[text_b[i]].push_back(i);
  }
  for (size_t i = 0; i < verified_a.size(); ++i) {
    if (verified_a[i] < 0 || verified_b[i] < 0 || static_cast<size_t>(std::max(verified_a[i], verified_b[i])) >= n) {
      throw py::value_error("a verdict names a document number out of range");
    }
    languages[verified_a[i]] = language_a[i], languages[verified_b[i]] = language_b[i];
    verified_of[verified_b[i]].push_back(i);
  }
  seam::LinkGraph graph;
  for (size_t i = 0; i < n; ++i) graph.AddDocument();
  const auto language_of = [&](uint64_t seq) -> std::string_view { return languages[seq]; };
  std::set<int64_t> later;
  for (const auto& [b, _] : text_of) later.insert(b);
  for (const auto& [b, _] : verified_of) later.insert(b);
  for (int64_t b : later) {
    std::vector<uint64_t> copies;
    for (size_t i : text_of[b]) copies.push_back(static_cast<uint64_t>(text_a[i]));
    std::vector<seam::TranslationCandidate> verified;
    for (size_t i : verified_of[b]) verified.push_back({static_cast<uint64_t>(verified_a[i]), verified_scores[i]});
    const std::vector<seam::TranslationCandidate> chosen =
        graph.ChooseTranslations(languages[b], copies, std::move(verified), language_of);
    for (uint32_t i : graph.Retractions(languages[b], copies, chosen, language_of)) graph.Retract(i);
    for (size_t i : text_of[b]) {
      const neardup::MatchKind kind = text_kinds[i] == "contained" ? neardup::MatchKind::kContained : neardup::MatchKind::kNear;
      graph.Add(seam::Link{text_scores[i], 0, 0, static_cast<uint32_t>(text_a[i]), static_cast<uint32_t>(b), kind, true});
    }
    for (const auto& c : chosen) {
      graph.Add(seam::Link{c.score, 0, 0, static_cast<uint32_t>(c.seq), static_cast<uint32_t>(b),
                                   neardup::MatchKind::kTranslation, true});
    }
  }
  std::vector<std::tuple<int64_t, int64_t, double>> out;
  for (uint32_t i = 0; i < graph.size(); ++i) {
    const seam::Link& l = graph[i];
    if (l.alive && l.kind == neardup::MatchKind::kTranslation) out.emplace_back(l.a, l.b, l.score);
  }
  return out;
}

// Clusters of the links (as GraphOf takes them) among `n` documents, as
// Deduplicator::Clusters gives them: (members, hops, scores) by document number.
py::list Clusters(size_t n, const std::vector<int64_t>& a, const std::vector<int64_t>& b,
                  const std::vector<std::string>& kinds, const std::vector<double>& scores) {
  const seam::LinkGraph graph = GraphOf(n, a, b, kinds, scores);
  py::list out;
  for (const seam::ClusterSeqs& c : graph.Clusters([](uint32_t) { return true; })) {
    out.append(py::make_tuple(c.members, c.hops, c.scores));
  }
  return out;
}

// What Deduplicator::Duplicates drops, over the links (as GraphOf takes them) among `n`
// documents with these set sizes and languages (by document number): (dropped, kept, link
// number, dropped_is_smaller) in the order of the dropped documents.
std::vector<std::tuple<int64_t, int64_t, int64_t, bool>> ChooseDrops(
    size_t n, const std::vector<int64_t>& a, const std::vector<int64_t>& b, const std::vector<std::string>& kinds,
    const std::vector<double>& scores, const std::vector<uint64_t>& sizes, const std::vector<std::string>& languages,
    const std::string& keep_name) {
  const KeepPolicy keep = Value(ParseKeepPolicy(keep_name));
  if (sizes.size() != n || languages.size() != n) throw py::value_error("sizes and languages must have n entries");
  const seam::LinkGraph graph = GraphOf(n, a, b, kinds, scores);
  std::vector<std::tuple<int64_t, int64_t, int64_t, bool>> out;
  for (const seam::Drop& d : seam::ChooseDrops(
           graph, keep, [](uint32_t) { return true; }, [&](uint32_t seq) { return sizes[seq]; },
           [&](uint64_t seq) { return std::string_view(languages[seq]); })) {
    out.emplace_back(d.dropped, d.kept, d.link, d.dropped_is_smaller);
  }
  return out;
}

}  // namespace link_replay

}  // namespace

void RegisterLinkReplay(py::module_& m) {
  m.def("_choose_translations", &neardup::python::link_replay::ChooseTranslations, py::arg("n"), py::arg("text_a"), py::arg("text_b"),
        py::arg("text_kinds"), py::arg("text_scores"), py::arg("verified_a"), py::arg("verified_b"),
        py::arg("language_a"), py::arg("language_b"), py::arg("verified_scores"),
        "Internal, for neardup.dask: Add's choice of translations over documents numbered in input order "
        "(index/link_graph.h); the live translation links (a, b, score) in the order made.");
  m.def(
      "_text_link_order",
      [](const std::vector<int64_t>& a, const std::vector<int64_t>& b, const std::vector<std::string>& kinds,
         const std::vector<double>& scores) {
        std::vector<neardup::MatchKind> kind(kinds.size(), neardup::MatchKind::kNear);
        for (size_t i = 0; i < kinds.size(); ++i) {
          if (kinds[i] == "contained") kind[i] = neardup::MatchKind::kContained;
        }
        std::vector<size_t> order(a.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
          if (b.at(x) != b.at(y)) return b[x] < b[y];
          return seam::TextMatchPrecedes(kind[x], scores.at(x), a.at(x), kind[y], scores.at(y), a.at(y));
        });
        return order;
      },
      py::arg("a"), py::arg("b"), py::arg("kinds"), py::arg("scores"),
      "Internal, for neardup.dask: the order of text links (a, b, kind, score; b the later document) in "
      "which the Deduplicator makes them, by b, then as Add reports a document's matches (index/link_graph.h).");
  m.def("_choose_drops", &neardup::python::link_replay::ChooseDrops, py::arg("n"), py::arg("a"), py::arg("b"),
        py::arg("kinds"), py::arg("scores"), py::arg("sizes"), py::arg("languages"), py::arg("keep"),
        "Internal, for neardup.dask: Deduplicator::Duplicates over these links among n documents (index/keep.h), "
        "as (dropped, kept, link number, dropped_is_smaller) by document number.");
  m.def("_clusters", &neardup::python::link_replay::Clusters, py::arg("n"), py::arg("a"), py::arg("b"), py::arg("kinds"),
        py::arg("scores"),
        "Internal, for neardup.dask: Deduplicator::Clusters over these links among n documents, as "
        "(members, hops, scores) by document number.");
  m.def(
      "_pair_line",
      [](const std::string& format, const std::string& id_a, const std::string& id_b, const std::string& kind,
         double score, double jaccard, double containment, bool a_is_smaller) {
        neardup::Pair pair{id_a, id_b, neardup::MatchKind::kNear, score, jaccard, containment, a_is_smaller};
        if (kind == "contained") pair.kind = neardup::MatchKind::kContained;
        if (kind == "translation") pair.kind = neardup::MatchKind::kTranslation;
        std::string line = neardup::PairLine(format == "tsv" ? neardup::ReportFormat::kTsv : neardup::ReportFormat::kJsonLines, pair);
        line.pop_back();  // the newline
        return line;
      },
      py::arg("format"), py::arg("id_a"), py::arg("id_b"), py::arg("kind"), py::arg("score"), py::arg("jaccard"),
      py::arg("containment"), py::arg("a_is_smaller") = false,
      "Internal, for neardup.dask: a pair as `neardup dedup` prints it (neardup/report.h).");
  m.def(
      "_cluster_lines",
      [](const std::string& format, int number, const std::vector<std::string>& members,
         const std::vector<uint32_t>& hops, const std::vector<double>& scores) {
        const neardup::Cluster cluster{members.empty() ? "" : members[0], members, hops, scores};
        std::string lines =
            neardup::ClusterLines(format == "tsv" ? neardup::ReportFormat::kTsv : neardup::ReportFormat::kJsonLines, number, cluster);
        if (!lines.empty()) lines.pop_back();
        return lines;
      },
      py::arg("format"), py::arg("number"), py::arg("members"), py::arg("hops"), py::arg("scores"),
      "Internal, for neardup.dask: a cluster (canonical member first) as `neardup dedup --clusters` prints it.");
}

}  // namespace neardup::python

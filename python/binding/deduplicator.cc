// neardup.Deduplicator: the library's Deduplicator, its calls run with the GIL released.

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

namespace neardup::python {
namespace {

class PyDeduplicator {
 public:
  PyDeduplicator(const PyOptions& options, std::optional<std::string> store, bool read_only) {
    DedupOptions o;
    if (store) {
      // An existing store is opened with its own options; those given must agree (Open
      // names each difference).
      absl::StatusOr<DedupOptions> stored;
      {
        py::gil_scoped_release release;
        stored = Deduplicator::StoredOptions(*store);
      }
      if (stored.ok()) {
        o = *stored;
      } else if (stored.status().code() != absl::StatusCode::kNotFound) {
        Raise(stored.status());
      }
    }
    options.ApplyTo(&o);
    py::gil_scoped_release release;
    absl::StatusOr<Deduplicator> made =
        store ? Deduplicator::Open(*store, o, StoreOptions{.read_only = read_only}) : Deduplicator::Create(o);
    py::gil_scoped_acquire acquire;
    dedup_.emplace(Value(std::move(made)));
    stored_ = store.has_value();
  }

  py::list Add(py::handle id_arg, py::handle text_arg, py::handle lang_arg) {
    const std::string id = TextArg(id_arg, "id"), text = TextArg(text_arg, "text"), lang = LangArg(lang_arg, "lang");
    Check(ValidateDocumentId(id));  // before the text is worked on (Add checks it too)
    auto matches = WithoutGil([&] { return dedup_->Add(id, text, lang); });
    return MatchList(Value(std::move(matches)));
  }

  // add_many works in batches of this many documents: fingerprints in parallel, then one
  // AddBatch (one commit with a store), so that Ctrl-C stops it with whole batches added.
  static constexpr size_t kAddManyBatch = 1000;

  py::list AddMany(const py::object& docs, int threads, const std::string& errors, const DocumentFields& fields) {
    if (errors != "raise" && errors != "collect") throw py::value_error("errors must be 'raise' or 'collect'");
    if (threads < 0) throw py::value_error("threads must be 0 (one per core) or more, got " + std::to_string(threads));
    // Every document is read and checked first: a bad argument raises before anything is added.
    std::vector<InputDocument> inputs;
    for (const py::handle& item : Rows(docs, fields)) inputs.push_back(ToDocument(item, inputs.size(), fields));
    const size_t n_threads = std::clamp<size_t>(threads > 0 ? threads : std::thread::hardware_concurrency(), 1,
                                                std::clamp<size_t>(inputs.size(), 1, kAddManyBatch));
    std::vector<absl::StatusOr<std::vector<Match>>> results;
    results.reserve(inputs.size());
    for (size_t begin = 0; begin < inputs.size(); begin += kAddManyBatch) {
      const size_t end = std::min(inputs.size(), begin + kAddManyBatch);
      std::optional<py::error_already_set> signal;  // what a signal handler raised (Ctrl-C)
      {
        py::gil_scoped_release release;
        // Fingerprints in parallel (the costly part), then one batch in input order: the same
        // result as add() one by one.
        std::vector<absl::StatusOr<Fingerprint>> fingerprints = Fingerprints(inputs, begin, end, n_threads, &signal);
        if (!signal) {
          std::vector<std::string> ids;
          std::vector<Fingerprint> ok;
          std::vector<size_t> where;
          const size_t first = results.size();
          for (size_t i = begin; i < end; ++i) {
            if (fingerprints[i - begin].ok()) {
              ids.push_back(inputs[i].id);
              ok.push_back(*std::move(fingerprints[i - begin]));
              where.push_back(i - begin);
              results.emplace_back(absl::UnknownError("not run"));
            } else {
              results.emplace_back(fingerprints[i - begin].status());
            }
          }
          std::vector<absl::StatusOr<std::vector<Match>>> added = dedup_->AddBatch(ids, ok);
          for (size_t j = 0; j < added.size(); ++j) results[first + where[j]] = std::move(added[j]);
        }
      }
      // Between batches, with the GIL: a signal's handler runs here (it ran above while
      // waiting for the fingerprints); what it raises stops add_many, the batches before added.
      if (!signal && end < inputs.size() && PyErr_CheckSignals() != 0) signal.emplace();
      if (signal) RaiseInterrupted(std::move(*signal), results, inputs);
    }
    return ResultList(results, inputs, errors == "raise");
  }

  py::list Query(py::handle text_arg, py::handle lang_arg) const {
    const std::string text = TextArg(text_arg, "text"), lang = LangArg(lang_arg, "lang");
    auto matches = WithoutGil([&] { return dedup_->Query(text, lang); });
    return MatchList(Value(std::move(matches)));
  }

  void Remove(py::handle id_arg) {
    const std::string id = TextArg(id_arg, "id");
    Check(ValidateDocumentId(id));
    absl::Status removed = WithoutGil([&] { return dedup_->Remove(id); });
    Check(removed);
  }

  py::list Pairs() const {
    auto pairs = WithoutGil([&] { return dedup_->Pairs(); });
    py::list out;
    for (const Pair& p : pairs) {
      py::dict pair;
      pair["id_a"] = p.id_a;
      pair["id_b"] = p.id_b;
      PutEvidence(pair, p.kind, p.score, p.jaccard, p.containment);
      pair["smaller"] = p.kind == MatchKind::kContained ? py::object(py::str(p.a_is_smaller ? "a" : "b")) : py::none();
      out.append(pair);
    }
    return out;
  }

  py::list Duplicates(const std::string& keep_name) const {
    const KeepPolicy keep = Value(ParseKeepPolicy(keep_name));
    auto duplicates = WithoutGil([&] { return dedup_->Duplicates(keep); });
    py::list out;
    for (const Duplicate& d : duplicates) {
      py::dict dict;
      dict["id"] = d.id;
      dict["kept"] = d.kept;
      dict["kind"] = MatchKindName(d.kind);
      dict["score"] = Score(d.score);
      dict["smaller"] = d.kind == MatchKind::kContained ? py::object(py::str(d.id_is_smaller ? "id" : "kept")) : py::none();
      out.append(dict);
    }
    return out;
  }

  py::list Clusters() const {
    auto clusters = WithoutGil([&] { return dedup_->Clusters(); });
    py::list out;
    for (const Cluster& c : clusters) {
      py::dict d;
      d["canonical"] = c.canonical;
      d["members"] = c.members;
      d["hops"] = c.hops;
      d["scores"] = c.scores;
      out.append(d);
    }
    return out;
  }

  py::dict Stats() const {
    py::dict d;
    size_t memory = 0, size = 0;
    std::optional<absl::StatusOr<Deduplicator::StoreStats>> store;
    {
      py::gil_scoped_release release;
      memory = dedup_->MemoryUsage();
      size = dedup_->size();
      if (stored_) store = dedup_->GetStoreStats();
    }
    d["documents"] = size;
    d["memory_bytes"] = memory;
    if (store) {
      const Deduplicator::StoreStats s = Value(*std::move(store));
      py::dict sd;
      sd["documents"] = s.documents;
      sd["live_documents"] = s.live_documents;
      sd["links"] = s.links;
      sd["live_links"] = s.live_links;
      sd["bytes_on_disk"] = s.file_bytes;
      sd["bytes_used"] = s.used_bytes;
      sd["format_version"] = s.format_version;
      sd["created_by"] = s.created_by;
      py::dict parameters;
      for (const auto& [name, value] : s.parameters) parameters[py::str(name)] = value;
      sd["parameters"] = parameters;
      d["store"] = sd;
    }
    return d;
  }

  bool Contains(py::handle id_arg) const { return dedup_->Contains(TextArg(id_arg, "id")); }
  size_t Size() const { return dedup_->size(); }

 private:
  // The fingerprints of inputs[begin, end) on n_threads threads (an id that cannot name a
  // document gets its error instead). Called without the GIL; the calling thread takes it
  // every 50 ms to run pending signal handlers: when one raises (Ctrl-C), the workers stop
  // and *signal holds the exception.
  std::vector<absl::StatusOr<Fingerprint>> Fingerprints(const std::vector<InputDocument>& inputs, size_t begin,
                                                        size_t end, size_t n_threads,
                                                        std::optional<py::error_already_set>* signal) const {
    std::vector<absl::StatusOr<Fingerprint>> out(end - begin, absl::UnknownError("not run"));
    std::atomic<size_t> next{begin};
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::condition_variable finished;
    size_t running = n_threads;
    std::vector<std::thread> pool;
    for (size_t t = 0; t < n_threads; ++t) {
      pool.emplace_back([&] {
        for (size_t i; !stop.load(std::memory_order_relaxed) && (i = next.fetch_add(1)) < end;) {
          const absl::Status id = ValidateDocumentId(inputs[i].id);
          out[i - begin] = id.ok() ? dedup_->fingerprinter().Compute(inputs[i].text, inputs[i].lang)
                                   : absl::StatusOr<Fingerprint>(id);
        }
        std::lock_guard lock(mu);
        if (--running == 0) finished.notify_all();
      });
    }
    {
      std::unique_lock lock(mu);
      while (!finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return running == 0; })) {
        lock.unlock();
        {
          py::gil_scoped_acquire acquire;
          if (PyErr_CheckSignals() != 0) signal->emplace();  // takes the exception the handler raised
        }
        lock.lock();
        if (signal->has_value()) {
          stop = true;
          break;
        }
      }
    }
    for (std::thread& thread : pool) thread.join();
    return out;
  }

  // add_many's answer for the documents done: their matches, or their errors (raised, the
  // first, with `raise`; else in their place), each error naming its document.
  // The documents of `docs`: itself, or for a pandas DataFrame (anything with `columns` and
  // `itertuples`) its rows as (id, text[, lang]) tuples of the columns `fields` names.
  static py::iterable Rows(const py::object& docs, const DocumentFields& fields) {
    if (!py::hasattr(docs, "columns") || !py::hasattr(docs, "itertuples")) return py::iterable(docs);
    const std::vector<std::string> columns = docs.attr("columns").attr("tolist")().cast<std::vector<std::string>>();
    const auto has = [&](const std::string& c) { return std::find(columns.begin(), columns.end(), c) != columns.end(); };
    for (const std::string* c : {&fields.id, &fields.text}) {
      if (!has(*c)) {
        std::string names;
        for (const std::string& name : columns) names += (names.empty() ? "'" : ", '") + name + "'";
        throw py::value_error("docs has no column '" + *c + "' (its columns: " + names + "); name the id and text "
                              "columns with id_field and text_field");
      }
    }
    std::vector<std::string> use = {fields.id, fields.text};
    if (has(fields.lang)) use.push_back(fields.lang);
    return docs[py::cast(use)].attr("itertuples")(py::arg("index") = false, py::arg("name") = py::none());
  }

  // Each document's result: its matches, or the exception saying why it was not added.
  // With `raise`, the first such exception is raised instead, once every document went
  // through add, carrying `results` (that list), `added` and `processed`, so that a caller
  // knows what was added and still gets every match.
  static py::list ResultList(const std::vector<absl::StatusOr<std::vector<Match>>>& results,
                             const std::vector<InputDocument>& inputs, bool raise) {
    py::list out;
    std::optional<py::object> first_error;
    size_t added = 0;
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok()) {
        out.append(MatchList(*results[i]));
        ++added;
        continue;
      }
      const absl::Status named(results[i].status().code(), "document '" + IdForMessage(inputs[i].id) +
                                                               "': " + std::string(results[i].status().message()));
      try {
        Raise(named);
      } catch (py::error_already_set& e) {
        out.append(e.value());
        if (!first_error) first_error = e.value();
      }
    }
    if (raise && first_error) {
      first_error->attr("results") = out;
      first_error->attr("added") = added;
      first_error->attr("processed") = results.size();
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(first_error->ptr())), first_error->ptr());
      throw py::error_already_set();
    }
    return out;
  }

  // Stops add_many on what a signal handler raised (KeyboardInterrupt for Ctrl-C), saying
  // what was done: the first len(results) documents went through add (each added, or
  // refused), the others were not touched. The exception gets `processed` (that number),
  // `added` (those added) and `results` (as add_many with errors='collect' gives them); a
  // KeyboardInterrupt also says it in its message.
  [[noreturn]] static void RaiseInterrupted(py::error_already_set signal,
                                            const std::vector<absl::StatusOr<std::vector<Match>>>& results,
                                            const std::vector<InputDocument>& inputs) {
    const size_t added = std::count_if(results.begin(), results.end(), [](const auto& r) { return r.ok(); });
    py::object exception = signal.value();
    exception.attr("processed") = results.size();
    exception.attr("added") = added;
    exception.attr("results") = ResultList(results, inputs, /*raise=*/false);
    if (signal.matches(PyExc_KeyboardInterrupt)) {
      exception.attr("args") = py::make_tuple(
          "add_many interrupted: the first " + std::to_string(results.size()) + " of " +
          std::to_string(inputs.size()) + " documents went through add (" + std::to_string(added) +
          " added; see .results), the other " + std::to_string(inputs.size() - results.size()) + " were not");
    }
    throw signal;
  }

  std::optional<Deduplicator> dedup_;
  bool stored_ = false;
};

}  // namespace

void RegisterDeduplicator(py::module_& m) {
  py::class_<PyDeduplicator>(m, "Deduplicator", R"(Finds near duplicates, trimmed copies and translations among documents.

Deduplicator(threshold=None, num_perm=None, translations=None, containment_threshold=None,
             translation_threshold=None, seed=None, max_bytes=None, shingle=None,
             strip_diacritics=None, replace_invalid=None, store=None, read_only=False)

The options are the command's flags (neardup.options() lists them with their defaults):
shingle is "N", "word:N" or "char:N" as --shingle takes it, max_bytes an int or a str with a
unit ("64MiB"). Options left as None take the library's defaults, or, when `store` names an
existing store, the store's own: options given must then agree with it
(FailedPreconditionError names each difference). With `store`, every add is durable when it
returns; `read_only` opens an existing store for queries beside its writer.
Each option is checked by the library (ValidateDedupOptions), as `neardup` checks its flags:
NaN, infinities and values out of range raise InvalidArgumentError with the command's
message ("translation_threshold must be in [0, 1], got nan"); a value of the wrong type
raises TypeError.

Texts, ids and language tags are str, or bytes holding their UTF-8: bytes must be valid
UTF-8 and give what the str they encode gives. A str with a lone surrogate, or bytes that
are not UTF-8, raise InvalidArgumentError (a ValueError) naming the argument; None, or
another type, raises TypeError naming it (lang=None means: detect it).
Thread-safe: calls release the GIL and may run from several threads.)")
      .def(py::init([](py::object threshold, py::object num_perm, std::optional<bool> translations,
                       py::object containment_threshold, py::object translation_threshold, py::object seed,
                       py::object max_bytes, py::object shingle, std::optional<bool> strip_diacritics,
                       std::optional<bool> replace_invalid, std::optional<std::string> store, bool read_only) {
             return new PyDeduplicator(PyOptions::From(threshold, num_perm, translations, containment_threshold,
                                                       translation_threshold, seed, max_bytes, shingle,
                                                       strip_diacritics, replace_invalid),
                                       store, read_only);
           }),
           py::kw_only(), py::arg("threshold") = py::none(), py::arg("num_perm") = py::none(),
           py::arg("translations") = py::none(), py::arg("containment_threshold") = py::none(),
           py::arg("translation_threshold") = py::none(), py::arg("seed") = py::none(),
           py::arg("max_bytes") = py::none(), py::arg("shingle") = py::none(),
           py::arg("strip_diacritics") = py::none(), py::arg("replace_invalid") = py::none(),
           py::arg("store") = py::none(), py::arg("read_only") = false)
      .def("add", &PyDeduplicator::Add, py::arg("id"), py::arg("text"), py::arg("lang") = "",
           R"(Adds a document; returns the earlier documents it duplicates or translates, as dicts
{id, kind ('near', 'contained' or 'translation'), score, jaccard, containment, id_is_smaller}
(jaccard and containment are None for translations; id_is_smaller, for contained matches,
whether `id` is inside the new document, else None). `lang` is the text's language code,
or '' (or None) to detect it. Raises InvalidArgumentError (bad UTF-8, no words, an id over
64 KiB: not added), AlreadyExistsError, or TypeError (see the class).)")
      .def(
          "add_many",
          [](PyDeduplicator& self, const py::object& docs, int threads, const std::string& errors,
             const std::string& id_field, const std::string& text_field, const std::string& lang_field) {
            return self.AddMany(docs, threads, errors, DocumentFields{id_field, text_field, lang_field});
          },
          py::arg("docs"), py::arg("threads") = 0, py::arg("errors") = "raise", py::kw_only(),
          py::arg("id_field") = "id", py::arg("text_field") = "text", py::arg("lang_field") = "lang",
           R"(Adds documents in order, exactly as add() one by one: in batches of 1,000, fingerprints
on `threads` threads (0 = one per core), then the batch added at once (one commit with a
store). `docs` is an iterable of (id, text), (id, text, lang) or mappings, or a pandas
DataFrame; mappings and DataFrames hold the id, text and (optional) language in the fields
id_field, text_field and lang_field ('id', 'text', 'lang'); a missing language (None, NaN)
is detected. It is read whole first, so give a large corpus in chunks. A document of the
wrong shape or type raises TypeError or ValueError naming it (docs[i]) before anything is
added. Returns each document's matches, in order. A document that cannot be added (bad
UTF-8, no words, an id added before) is skipped and the others are added:
errors='collect' puts the exception in its place in the list; errors='raise' (the default)
raises the first such exception once all are done, with `results` (the list
errors='collect' returns: every document's matches or exception), `added` and `processed`
attached, so nothing found is lost.

Ctrl-C (any exception a signal handler raises) is honoured between documents: add_many
stops, the batches before it added (and committed, with a store), the rest untouched. The
KeyboardInterrupt says how many went through add, and carries `processed` (the first
`processed` documents went through add: each added or refused), `added`, and `results`
(theirs, as errors='collect' gives them).)")
      .def("query", &PyDeduplicator::Query, py::arg("text"), py::arg("lang") = "",
           "The documents `text` duplicates or translates, as add() returns them, without adding it.")
      .def("remove", &PyDeduplicator::Remove, py::arg("id"), "Forgets a document and its links; NotFoundError if absent.")
      .def("pairs", &PyDeduplicator::Pairs,
           R"(Every live link in the order made, as dicts {id_a, id_b, kind, score, jaccard, containment,
smaller} (smaller: 'a' or 'b', which one of a contained pair is inside the other; else None):
what `neardup dedup` prints. A document keeps its best translation per language.)")
      .def("duplicates", &PyDeduplicator::Duplicates, py::arg("keep") = KeepPolicyName(KeepPolicy::kLongest),
           R"(What to drop so that each text is kept once, as dicts {id, kept, kind, score, smaller}, in
the order added: `id` is a copy ('near' or 'contained', `score` of their link) of the kept
document `kept`, in the same language; `smaller` says which of the two is inside the other
('id' or 'kept') for contained pairs, else None. keep='longest' (the default) keeps the
document of the most distinct shingles of each group of copies, keep='first' the first added.
Translations are never dropped. The same rule as `neardup dedup --keep`.)")
      .def("clusters", &PyDeduplicator::Clusters,
           "Groups of two or more linked documents, as dicts {canonical, members}, in insertion order.")
      .def("stats", &PyDeduplicator::Stats,
           "{documents, memory_bytes} and, with a store, 'store': {documents, live_documents, links, live_links, "
           "bytes_on_disk, bytes_used, format_version, created_by, parameters}.")
      .def("__contains__", &PyDeduplicator::Contains, py::arg("id"))
      .def("__len__", &PyDeduplicator::Size);
}

}  // namespace neardup::python

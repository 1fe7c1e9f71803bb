// The Python binding (pybind11): module neardup._neardup, wrapped by python/neardup/__init__.py.
//
// Every call into the library runs with the GIL released; Python objects are built after it is
// taken back. An absl::Status error becomes a Python exception of the matching class (below),
// with the status message as its text.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "neardup/neardup.h"
#include "neardup/version.h"
#include "seam/python.h"

namespace py = pybind11;

namespace neardup::python {
namespace {

// The exception classes, created at import: NeardupError, and one per status code that a
// caller may want to catch, each also a subclass of the builtin a Python user expects.
struct ErrorClasses {
  py::object base, invalid_argument, not_found, already_exists, failed_precondition, data_loss, unavailable,
      unimplemented, resource_exhausted, aborted;
};
ErrorClasses& Errors() {
  static ErrorClasses* classes = new ErrorClasses();  // leaked: module state lives until exit
  return *classes;
}

[[noreturn]] void Raise(const absl::Status& status) {
  // Codes a caller may want to tell apart; any other raises NeardupError itself.
  static constexpr std::pair<absl::StatusCode, py::object ErrorClasses::*> kClassOf[] = {
      {absl::StatusCode::kInvalidArgument, &ErrorClasses::invalid_argument},
      {absl::StatusCode::kOutOfRange, &ErrorClasses::invalid_argument},
      {absl::StatusCode::kNotFound, &ErrorClasses::not_found},
      {absl::StatusCode::kAlreadyExists, &ErrorClasses::already_exists},
      {absl::StatusCode::kFailedPrecondition, &ErrorClasses::failed_precondition},
      {absl::StatusCode::kDataLoss, &ErrorClasses::data_loss},
      {absl::StatusCode::kUnavailable, &ErrorClasses::unavailable},
      {absl::StatusCode::kUnimplemented, &ErrorClasses::unimplemented},
      {absl::StatusCode::kResourceExhausted, &ErrorClasses::resource_exhausted},
      {absl::StatusCode::kAborted, &ErrorClasses::aborted},
  };
  const ErrorClasses& e = Errors();
  py::object cls = e.base;
  for (const auto& [code, member] : kClassOf) {
    if (code == status.code()) cls = e.*member;
  }
  PyErr_SetString(cls.ptr(), std::string(status.message()).c_str());
  throw py::error_already_set();
}

void Check(const absl::Status& status) {
  if (!status.ok()) Raise(status);
}

template <typename T>
T Value(absl::StatusOr<T>&& result) {
  if (!result.ok()) Raise(result.status());
  return *std::move(result);
}

py::object Score(double x) { return py::float_(x); }

// f() with the GIL released: the library's work never holds up other Python threads.
template <typename F>
auto WithoutGil(F f) {
  py::gil_scoped_release release;
  return f();
}

// kind, score, jaccard and containment (None for translations, as dedup's JSON omits them).
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

// --- Arguments from Python ------------------------------------------------------------------
//
// Texts, ids and language tags (README, "From Python"): a str is taken as its UTF-8; a str
// holding a lone surrogate (which has no UTF-8) raises InvalidArgumentError (a ValueError)
// naming the argument and the index. bytes are taken as the UTF-8 of a text, unchanged: they
// must be valid UTF-8 (NUL bytes are left to the library, which refuses them in texts), else
// InvalidArgumentError naming the argument and the first bad byte. None, or anything else,
// raises TypeError naming the argument. So bytes are accepted exactly when they are some
// str's UTF-8, and give what that str gives.

[[noreturn]] void RaiseType(const std::string& message) {
  PyErr_SetString(PyExc_TypeError, message.c_str());
  throw py::error_already_set();
}

std::string TypeName(py::handle value) { return py::str(py::type::handle_of(value).attr("__name__")); }

std::string TextArg(py::handle value, const std::string& name) {
  if (PyUnicode_Check(value.ptr())) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
    if (data != nullptr) return std::string(data, static_cast<size_t>(size));
    PyErr_Clear();  // a lone surrogate: find it, to name it
    const Py_ssize_t length = PyUnicode_GetLength(value.ptr());
    for (Py_ssize_t i = 0; i < length; ++i) {
      const Py_UCS4 c = PyUnicode_ReadChar(value.ptr(), i);
      if (c >= 0xD800 && c <= 0xDFFF) {
        char code[8];
        std::snprintf(code, sizeof(code), "%04X", static_cast<unsigned>(c));
        Raise(absl::InvalidArgumentError(name + ": lone surrogate U+" + code + " at index " + std::to_string(i) +
                                         " (a str with one has no UTF-8)"));
      }
    }
    Raise(absl::InvalidArgumentError(name + ": not encodable as UTF-8"));
  }
  if (PyBytes_Check(value.ptr())) {
    std::string bytes(PyBytes_AS_STRING(value.ptr()), static_cast<size_t>(PyBytes_GET_SIZE(value.ptr())));
    // ValidateUtf8 also refuses NUL bytes, which an id may hold: check a copy without them
    // (same length, so the same offsets).
    std::string checked = bytes;
    std::replace(checked.begin(), checked.end(), '\0', ' ');
    if (const absl::Status valid = ValidateUtf8(checked); !valid.ok()) {
      Raise(absl::InvalidArgumentError(name + ": " + std::string(valid.message())));
    }
    return bytes;
  }
  RaiseType(name + " must be str or bytes, not " + (value.is_none() ? std::string("None") : TypeName(value)));
}

// A language tag: as a text, or None for "detect it".
std::string LangArg(py::handle value, const std::string& name) {
  return value.is_none() ? std::string() : TextArg(value, name);
}

// A number option: None keeps the default; an int or float (or anything with __float__, not a
// bool) is taken as a double, NaN and infinities included, for the library to judge.
std::optional<double> RealArg(py::handle value, const char* name) {
  if (value.is_none()) return std::nullopt;
  if (!PyBool_Check(value.ptr()) && (PyFloat_Check(value.ptr()) || PyLong_Check(value.ptr()) ||
                                     PyNumber_Check(value.ptr()))) {
    const double x = PyFloat_AsDouble(value.ptr());
    if (!(x == -1.0 && PyErr_Occurred())) return x;
    PyErr_Clear();  // an int too large for a double: out of every range
    Raise(InvalidOptionValue(name, std::string(py::str(value))));
  }
  RaiseType(std::string(name) + " must be a number, not " + TypeName(value));
}

// An integer option: None keeps the default; an int (or anything with __index__, not a bool)
// that T cannot hold is refused with the library's message for the option.
template <typename T>
std::optional<T> IntArg(py::handle value, const char* name) {
  if (value.is_none()) return std::nullopt;
  if (PyBool_Check(value.ptr()) || !PyIndex_Check(value.ptr())) {
    RaiseType(std::string(name) + " must be an integer, not " + TypeName(value));
  }
  const py::int_ n = py::reinterpret_steal<py::int_>(PyNumber_Index(value.ptr()));
  if (!n) throw py::error_already_set();
  int overflow = 0;
  const long long x = PyLong_AsLongLongAndOverflow(n.ptr(), &overflow);
  if (overflow == 0 && x >= 0 && static_cast<unsigned long long>(x) <= std::numeric_limits<T>::max()) {
    return static_cast<T>(x);
  }
  if (overflow == 0 && x < 0 && std::is_signed_v<T> && x >= static_cast<long long>(std::numeric_limits<T>::min())) {
    return static_cast<T>(x);
  }
  if (overflow > 0) {
    const unsigned long long u = PyLong_AsUnsignedLongLong(n.ptr());
    if (!PyErr_Occurred() && u <= std::numeric_limits<T>::max()) return static_cast<T>(u);
    PyErr_Clear();
  }
  Raise(InvalidOptionValue(name, std::string(py::reinterpret_steal<py::str>(PyObject_Str(n.ptr())))));
}

// The options a Python caller may set; None (std::nullopt) keeps the default, or, for an
// existing store, the store's own.
struct PyOptions {
  std::optional<double> threshold, containment_threshold, translation_threshold;
  std::optional<int> num_perm;
  std::optional<bool> translations, strip_diacritics, replace_invalid;
  std::optional<uint64_t> seed;
  std::optional<uint64_t> max_bytes;
  // Options given as text, parsed by the library (SetNamedOption) as the command parses its
  // flags: shingle ("word:5"), and max_bytes when given as a str ("64MiB").
  std::vector<std::pair<std::string, std::string>> texts;

  // From the keyword arguments (py::none() for those a function does not take).
  static PyOptions From(py::handle threshold, py::handle num_perm, std::optional<bool> translations,
                        py::handle containment_threshold, py::handle translation_threshold, py::handle seed,
                        py::handle max_bytes, py::handle shingle = py::none(),
                        std::optional<bool> strip_diacritics = std::nullopt,
                        std::optional<bool> replace_invalid = std::nullopt) {
    PyOptions o;
    o.threshold = RealArg(threshold, "threshold");
    o.containment_threshold = RealArg(containment_threshold, "containment_threshold");
    o.translation_threshold = RealArg(translation_threshold, "translation_threshold");
    o.num_perm = IntArg<int>(num_perm, "num_perm");
    o.translations = translations;
    o.seed = IntArg<uint64_t>(seed, "seed");
    if (PyUnicode_Check(max_bytes.ptr())) {
      o.texts.emplace_back("max_bytes", TextArg(max_bytes, "max_bytes"));
    } else {
      o.max_bytes = IntArg<uint64_t>(max_bytes, "max_bytes");
    }
    if (!shingle.is_none()) o.texts.emplace_back("shingle", TextArg(shingle, "shingle"));
    o.strip_diacritics = strip_diacritics;
    o.replace_invalid = replace_invalid;
    return o;
  }

  // Raises InvalidArgumentError for a text option that is not a value.
  void ApplyTo(DedupOptions* o) const {
    if (threshold) o->lsh.threshold = *threshold;
    if (containment_threshold) o->containment_threshold = *containment_threshold;
    if (translation_threshold) o->translation.threshold = *translation_threshold;
    if (num_perm) o->fingerprint.minhash.num_perm = *num_perm;
    if (translations) o->fingerprint.anchors = *translations;
    if (seed) o->fingerprint.minhash.seed = *seed;
    if (max_bytes) o->fingerprint.normalize.max_bytes = *max_bytes;
    if (strip_diacritics) o->fingerprint.normalize.strip_diacritics = *strip_diacritics;
    if (replace_invalid) o->fingerprint.normalize.invalid_utf8 = *replace_invalid ? InvalidUtf8::kReplace : InvalidUtf8::kReject;
    for (const auto& [name, text] : texts) Check(SetNamedOption(o, name, text));
  }
};

// One document given to add_many: (id, text) or (id, text, lang), or a mapping with "id",
// "text" and an optional "lang"; `index` is its place in `docs`, for messages.
struct InputDocument {
  std::string id, text, lang;
};

InputDocument ToDocument(const py::handle& item, size_t index) {
  const std::string where = "docs[" + std::to_string(index) + "]";
  InputDocument doc;
  if (PyMapping_Check(item.ptr()) && !PySequence_Check(item.ptr())) {
    const auto has = [&](const char* key) { return PyMapping_HasKeyString(item.ptr(), key) == 1; };
    if (!has("id") || !has("text")) throw py::value_error(where + ": a document mapping needs 'id' and 'text'");
    doc.id = TextArg(item["id"], where + "['id']");
    doc.text = TextArg(item["text"], where + "['text']");
    if (has("lang")) doc.lang = LangArg(item["lang"], where + "['lang']");
    return doc;
  }
  if (PyUnicode_Check(item.ptr()) || PyBytes_Check(item.ptr()) || !PySequence_Check(item.ptr())) {
    RaiseType(where + " must be (id, text), (id, text, lang) or a mapping with 'id' and 'text', not " +
              TypeName(item));
  }
  const py::sequence s = py::reinterpret_borrow<py::sequence>(item);
  if (s.size() != 2 && s.size() != 3) throw py::value_error(where + ": a document is (id, text) or (id, text, lang)");
  doc.id = TextArg(s[0], where + "[0] (id)");
  doc.text = TextArg(s[1], where + "[1] (text)");
  if (s.size() == 3) doc.lang = LangArg(s[2], where + "[2] (lang)");
  return doc;
}

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

  py::list AddMany(const py::iterable& docs, int threads, const std::string& errors) {
    if (errors != "raise" && errors != "collect") throw py::value_error("errors must be 'raise' or 'collect'");
    if (threads < 0) throw py::value_error("threads must be 0 (one per core) or more, got " + std::to_string(threads));
    // Every document is read and checked first: a bad argument raises before anything is added.
    std::vector<InputDocument> inputs;
    for (const py::handle& item : docs) inputs.push_back(ToDocument(item, inputs.size()));
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
      out.append(pair);
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
  static py::list ResultList(const std::vector<absl::StatusOr<std::vector<Match>>>& results,
                             const std::vector<InputDocument>& inputs, bool raise) {
    py::list out;
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok()) {
        out.append(MatchList(*results[i]));
        continue;
      }
      const absl::Status named(results[i].status().code(), "document '" + IdForMessage(inputs[i].id) +
                                                               "': " + std::string(results[i].status().message()));
      if (raise) Raise(named);
      try {
        Raise(named);
      } catch (py::error_already_set& e) {
        out.append(e.value());
      }
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

// Fingerprinters by (num_perm, seed, translations), made once: creating one sets up the
// pipeline's tables.
absl::StatusOr<const Fingerprinter*> CachedFingerprinter(int num_perm, uint64_t seed, bool anchors) {
  static std::mutex mu;
  static auto* cache = new std::map<std::tuple<int, uint64_t, bool>, Fingerprinter>();
  std::lock_guard lock(mu);
  const auto key = std::make_tuple(num_perm, seed, anchors);
  if (auto it = cache->find(key); it != cache->end()) return &it->second;
  FingerprintOptions options;
  options.minhash.num_perm = num_perm;
  options.minhash.seed = seed;
  options.anchors = anchors;
  absl::StatusOr<Fingerprinter> made = Fingerprinter::Create(options);
  if (!made.ok()) return made.status();
  return &cache->emplace(key, *std::move(made)).first->second;
}

py::array_t<uint64_t> SignatureOf(py::handle text_arg, py::handle num_perm_arg, py::handle seed_arg) {
  const std::string text = TextArg(text_arg, "text");
  DedupOptions options;  // checked as every other caller's, for the same messages
  PyOptions::From(py::none(), num_perm_arg, std::nullopt, py::none(), py::none(), seed_arg, py::none()).ApplyTo(&options);
  Check(ValidateDedupOptions(options));
  const int num_perm = options.fingerprint.minhash.num_perm;
  const uint64_t seed = options.fingerprint.minhash.seed;
  absl::StatusOr<Fingerprint> fp;
  {
    py::gil_scoped_release release;
    absl::StatusOr<const Fingerprinter*> fingerprinter = CachedFingerprinter(num_perm, seed, /*anchors=*/false);
    fp = fingerprinter.ok() ? (*fingerprinter)->Compute(text) : absl::StatusOr<Fingerprint>(fingerprinter.status());
  }
  const Fingerprint f = Value(std::move(fp));
  py::array_t<uint64_t> out(f.signature.values().size());
  std::copy(f.signature.values().begin(), f.signature.values().end(), out.mutable_data());
  return out;
}

py::dict Compare(py::handle a_arg, py::handle b_arg, py::handle lang_a_arg, py::handle lang_b_arg,
                 const PyOptions& options) {
  const std::string a = TextArg(a_arg, "a"), b = TextArg(b_arg, "b");
  const std::string lang_a = LangArg(lang_a_arg, "lang_a"), lang_b = LangArg(lang_b_arg, "lang_b");
  DedupOptions o;
  options.ApplyTo(&o);
  absl::StatusOr<Comparison> compared;
  {
    py::gil_scoped_release release;
    compared = neardup::Compare({.text = a, .lang = lang_a}, {.text = b, .lang = lang_b}, o);  // as `neardup compare`
  }
  const Comparison c = Value(std::move(compared));
  return VerdictDict(c.verdict, c.a.fingerprint, c.b.fingerprint);
}

// The Deduplicator in pieces, for the Dask path (neardup/dask.py), which runs them on workers
// and must reach the Deduplicator's answers. Signatures travel as their kept values
// (TruncateSignature, 4-byte little-endian words); anchor keys and document frequencies as
// native u64 and u32 arrays. The pieces:
//   - a document's fingerprint: text signature, and with translations its language, encoded
//     anchor profile, untrimmed translation signature and the keys its anchor weights count;
//   - band keys in the text index (index/band_key.h, banded as seam::TextIndexOptions
//     decides) or the translation index (DedupOptions::translation_lsh);
//   - containment candidates: pairs sharing enough sample keys among each key's
//     kMaxPostingScan newest holders (index/posting_table.h);
//   - the text verdict on a candidate pair (seam::JudgeTextSides, as Add applies it);
//   - the translation signature without its boilerplate tail, and the translation verdicts,
//     given the document frequencies of the keys they read as of the new document's time
//     (AnchorWeights::FromDocumentFrequencies).
class Pipeline {
 public:
  explicit Pipeline(const PyOptions& o) {
    o.ApplyTo(&options_);
    Check(ValidateDedupOptions(options_));  // the command's and the Deduplicator's messages
    FingerprintOptions fingerprint = options_.fingerprint;
    fingerprint.containment = seam::UsesContainmentSketches(options_);  // as Deduplicator::Create
    fingerprinter_.emplace(Value(Fingerprinter::Create(fingerprint)));
    lsh_ = seam::TextIndexOptions(options_);
    params_ = Value(ChooseLshParams(lsh_));
    translation_lsh_ = seam::TranslationIndexOptions(options_);
    translation_params_ = Value(ChooseLshParams(translation_lsh_));
    verdict_ = VerdictOptionsOf(options_);
    algorithm_ = options_.fingerprint.minhash.algorithm;
  }

  bool translations() const { return options_.fingerprint.anchors; }

  // Per document (its id, text, and language tag: "" or None to detect): the reason Add would
  // refuse it (a str: the library's message, or the argument's, as Deduplicator.add gives
  // them), or (kept values, set size, containment sample (u32 array), shingle filter; both
  // empty without sketches), and with translations on also (language, encoded profile,
  // translation kept values, translation set size, keys counted, tail keys).
  py::list Sketch(const py::sequence& ids, const py::sequence& texts, const py::sequence& langs) const {
    if (ids.size() != texts.size() || langs.size() != texts.size()) {
      Raise(absl::InvalidArgumentError("ids, texts and langs must be of one length"));
    }
    std::vector<absl::StatusOr<Fingerprint>> fps(texts.size(), absl::UnknownError("not run"));
    std::vector<std::string> id(texts.size()), text(texts.size()), lang(texts.size());
    std::vector<bool> usable(texts.size(), false);
    for (size_t i = 0; i < texts.size(); ++i) {
      try {  // an argument's error is the document's, never the partition's
        id[i] = TextArg(ids[i], "id");
        text[i] = TextArg(texts[i], "text");
        lang[i] = LangArg(langs[i], "lang");
        usable[i] = true;
      } catch (py::error_already_set& e) {
        fps[i] = absl::InvalidArgumentError(py::str(e.value()).cast<std::string>());
      }
    }
    {
      py::gil_scoped_release release;
      for (size_t i = 0; i < texts.size(); ++i) {
        if (!usable[i]) continue;
        const absl::Status valid = ValidateDocumentId(id[i]);
        fps[i] = valid.ok() ? fingerprinter_->Compute(text[i], lang[i]) : absl::StatusOr<Fingerprint>(valid);
      }
    }
    py::list out;
    for (size_t i = 0; i < fps.size(); ++i) {
      const absl::StatusOr<Fingerprint>& fp = fps[i];
      if (!fp.ok()) {
        out.append(py::str(std::string(fp.status().message())));
      } else if (fp->signature.set_size() == 0) {  // Deduplicator::Add's words
        out.append(py::str("document '" + id[i] + "' has no words to compare; not added"));
      } else if (!translations()) {
        out.append(py::make_tuple(KeptBytes(fp->signature), fp->signature.set_size(),
                                  ArrayBytes(std::span<const uint32_t>(fp->containment.sample)),
                                  py::bytes(fp->containment.filter)));
      } else {
        const std::vector<uint64_t> keys = AnchorWeights::CountedKeys(fp->anchors);
        out.append(py::make_tuple(KeptBytes(fp->signature), fp->signature.set_size(),
                                  ArrayBytes(std::span<const uint32_t>(fp->containment.sample)),
                                  py::bytes(fp->containment.filter), fp->language,
                                  py::bytes(seam::EncodeAnchorProfile(fp->anchors)),
                                  KeptBytes(fp->translation_signature), fp->translation_signature.set_size(),
                                  ArrayBytes(std::span<const uint64_t>(keys)),
                                  ArrayBytes(std::span<const uint64_t>(fp->anchors.tail_keys))));
      }
    }
    return out;
  }

  // The band keys of each kept-values blob in the text index, or the translation index: an
  // (n, num_bands) uint32 array.
  py::array_t<uint32_t> BandKeys(const std::vector<py::bytes>& kepts, bool translation) const {
    const LshParams& params = translation ? translation_params_ : params_;
    const size_t b = static_cast<size_t>(params.num_bands());
    py::array_t<uint32_t> out({kepts.size(), b});
    uint32_t* keys = out.mutable_data();
    for (size_t d = 0; d < kepts.size(); ++d) {
      const std::vector<uint32_t> kept = Kept(kepts[d]);
      for (size_t band = 0; band < b; ++band) {
        keys[d * b + band] = seam::BandKey(kept.data(), params, static_cast<int>(band));
      }
    }
    return out;
  }

  // The verdict of Deduplicator::Add on new document `a` and earlier document `b`, each with
  // its shingle filter (b"" without sketches): (linked, kind, score, jaccard, containment).
  py::tuple Judge(const py::bytes& a, uint64_t size_a, std::string_view filter_a, const py::bytes& b, uint64_t size_b,
                  std::string_view filter_b) const {
    const std::vector<uint64_t> va = Restored(a), vb = Restored(b);
    const Verdict v = Value(seam::JudgeTextSides({va, size_a, filter_a}, {vb, size_b, filter_b}, algorithm_, verdict_));
    return py::make_tuple(v.linked, MatchKindName(v.kind), v.score, v.text.jaccard, v.text.containment);
  }

  // For pairs sharing shared[i] sample keys, of samples of sizes_a[i] and sizes_b[i] keys:
  // whether the Deduplicator verifies them (seam::SharesEnoughSample).
  py::array_t<bool> SharesEnoughSample(const py::array_t<int64_t>& shared, const py::array_t<int64_t>& sizes_a,
                                       const py::array_t<int64_t>& sizes_b) const {
    if (shared.size() != sizes_a.size() || shared.size() != sizes_b.size()) {
      Raise(absl::InvalidArgumentError("three arrays of one length are needed"));
    }
    py::array_t<bool> out(shared.size());
    bool* enough = out.mutable_data();
    for (py::ssize_t i = 0; i < shared.size(); ++i) {
      enough[i] = seam::SharesEnoughSample(static_cast<uint32_t>(shared.at(i)), static_cast<size_t>(sizes_a.at(i)),
                                               static_cast<size_t>(sizes_b.at(i)));
    }
    return out;
  }
  bool uses_sketches() const { return seam::UsesContainmentSketches(options_); }

  // The similarity LshIndex::Query ranks candidates by, for each pair (kepts_a[i],
  // kepts_b[i]): the share of slots whose kept values are equal.
  py::array_t<double> Agreement(const std::vector<std::string_view>& kepts_a,
                                const std::vector<std::string_view>& kepts_b) const {
    if (kepts_a.size() != kepts_b.size()) Raise(absl::InvalidArgumentError("two lists of one length are needed"));
    py::array_t<double> out(kepts_a.size());
    double* share = out.mutable_data();
    std::vector<uint32_t> a, b;
    for (size_t i = 0; i < kepts_a.size(); ++i) {
      Kept(kepts_a[i], &a);
      Kept(kepts_b[i], &b);
      share[i] = static_cast<double>(seam::EqualKeptValues(a.data(), b.data(), params_.num_perm())) /
                 params_.num_perm();
    }
    return out;
  }

  // The translation signature a document is indexed and queried with, when the collection of
  // `num_documents` documents (it included) makes part of its tail boilerplate: (kept values,
  // set size); None when nothing is trimmed (the untrimmed signature stands). `keys` and
  // `frequencies` are the document frequencies of its tail keys at that time.
  py::object TrimmedTranslation(const py::bytes& profile, uint64_t num_documents, const py::bytes& keys,
                                const py::bytes& frequencies) const {
    const AnchorProfile p = Profile(profile);
    const std::vector<uint64_t> k = Array<uint64_t>(keys);
    const std::vector<uint32_t> f = Array<uint32_t>(frequencies);
    const AnchorWeights weights = AnchorWeights::FromDocumentFrequencies(num_documents, k, f);
    if (weights.BoilerplateTail(p) == 0) return py::none();
    const Signature s = fingerprinter_->TranslationSignature(p, &weights);
    return py::make_tuple(KeptBytes(s), s.set_size());
  }

  // Add's translation verdicts on new document `profile` against each of `candidates` (their
  // profiles), with the anchor weights of a collection of `num_documents` documents in which
  // keys[i] occurs in frequencies[i] documents (every key of the profiles must be given):
  // a list of (linked, score).
  py::list JudgeTranslations(const py::bytes& profile, uint64_t num_documents, const py::bytes& keys,
                             const py::bytes& frequencies, const std::vector<py::bytes>& candidates) const {
    const AnchorProfile p = Profile(profile);
    std::vector<AnchorProfile> others;
    for (const py::bytes& c : candidates) others.push_back(Profile(c));
    const std::vector<uint64_t> k = Array<uint64_t>(keys);
    const std::vector<uint32_t> f = Array<uint32_t>(frequencies);
    std::vector<Verdict> verdicts(others.size());
    {
      py::gil_scoped_release release;
      const AnchorWeights weights = AnchorWeights::FromDocumentFrequencies(num_documents, k, f);
      const seam::AnchorQuery query(p, weights, options_.translation);
      for (size_t i = 0; i < others.size(); ++i) {
        verdicts[i] = JudgeTranslation(query.CompareWith(others[i], seam::CompareDetail::kVerdict), verdict_);
      }
    }
    py::list out;
    for (const Verdict& v : verdicts) out.append(py::make_tuple(v.linked, v.score));
    return out;
  }

  int num_perm() const { return params_.num_perm(); }
  int num_bands() const { return params_.num_bands(); }
  uint32_t max_bucket_scan() const { return lsh_.max_bucket_scan; }
  uint32_t translation_bucket_scan() const { return translation_lsh_.max_bucket_scan; }

 private:
  static py::bytes KeptBytes(const Signature& s) {
    std::string kept(s.values().size() * 4, '\0');
    for (size_t i = 0; i < s.values().size(); ++i) {
      const uint32_t v = KeptBits(s.values()[i]);
      for (int b = 0; b < 4; ++b) kept[i * 4 + b] = static_cast<char>(v >> (8 * b));
    }
    return py::bytes(kept);
  }
  template <typename T>
  static py::bytes ArrayBytes(std::span<const T> values) {
    return py::bytes(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  template <typename T>
  static std::vector<T> Array(const py::bytes& bytes) {
    const std::string_view s = bytes;
    if (s.size() % sizeof(T) != 0) Raise(absl::InvalidArgumentError("an array's bytes are not whole values"));
    std::vector<T> out(s.size() / sizeof(T));
    std::memcpy(out.data(), s.data(), s.size());
    return out;
  }
  static AnchorProfile Profile(const py::bytes& bytes) {
    AnchorProfile p;
    Check(seam::DecodeAnchorProfile(std::string_view(bytes), &p));
    return p;
  }
  // Kept values from their little-endian bytes, into *kept.
  void Kept(std::string_view bytes, std::vector<uint32_t>* kept) const {
    if (bytes.size() != static_cast<size_t>(params_.num_perm()) * 4) {
      Raise(absl::InvalidArgumentError("kept values of another num_perm"));
    }
    kept->resize(params_.num_perm());
    for (size_t i = 0; i < kept->size(); ++i) {
      uint32_t v = 0;
      for (int b = 0; b < 4; ++b) v |= uint32_t{static_cast<unsigned char>(bytes[i * 4 + b])} << (8 * b);
      (*kept)[i] = v;
    }
  }
  std::vector<uint32_t> Kept(const py::bytes& bytes) const {
    std::vector<uint32_t> kept;
    Kept(std::string_view(bytes), &kept);
    return kept;
  }
  std::vector<uint64_t> Restored(const py::bytes& bytes) const {
    std::vector<uint64_t> out;
    for (uint32_t v : Kept(bytes)) out.push_back(FromKeptBits(v));
    return out;
  }

  DedupOptions options_;
  std::optional<Fingerprinter> fingerprinter_;
  LshOptions lsh_, translation_lsh_;
  LshParams params_, translation_params_;
  VerdictOptions verdict_;
  MinHashAlgorithm algorithm_ = MinHashAlgorithm::kOnePermutation;
};

py::object NewError(py::module_& m, const char* name, py::handle builtin, const char* doc) {
  py::object bases = builtin ? py::make_tuple(Errors().base, builtin) : py::make_tuple(Errors().base);
  py::object cls = py::reinterpret_steal<py::object>(
      PyErr_NewExceptionWithDoc((std::string("neardup.") + name).c_str(), doc, bases.ptr(), nullptr));
  if (!cls) throw py::error_already_set();
  m.attr(name) = cls;
  return cls;
}

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

}  // namespace link_replay

}  // namespace
}  // namespace neardup::python

PYBIND11_MODULE(_neardup, m) {
  using namespace neardup::python;
  namespace nd = neardup;
  m.doc() = "neardup's C++ core; import neardup, not this module.";
  m.attr("__version__") = nd::kVersionString;

  ErrorClasses& e = Errors();
  e.base = py::reinterpret_steal<py::object>(PyErr_NewExceptionWithDoc(
      "neardup.NeardupError", "Base class of neardup's errors; the message is the library's.", PyExc_Exception, nullptr));
  m.attr("NeardupError") = e.base;
  e.invalid_argument = NewError(m, "InvalidArgumentError", PyExc_ValueError,
                                "Bad input or options: invalid UTF-8, a document with no words, an option out of range.");
  e.not_found = NewError(m, "NotFoundError", PyExc_KeyError, "No such document id, or no such store (read-only).");
  e.already_exists = NewError(m, "AlreadyExistsError", PyExc_KeyError, "The document id was added before.");
  e.failed_precondition = NewError(m, "FailedPreconditionError", PyExc_RuntimeError,
                                   "The store was made with other options, or is read-only.");
  e.data_loss = NewError(m, "DataLossError", PyExc_OSError, "The store is damaged, or is not a store.");
  e.unavailable = NewError(m, "UnavailableError", PyExc_OSError, "Another process has the store open for writing.");
  e.unimplemented = NewError(m, "UnimplementedError", PyExc_NotImplementedError,
                             "The store was written by a newer neardup.");
  e.resource_exhausted = NewError(m, "ResourceExhaustedError", PyExc_MemoryError,
                                  "The store or index is full (2^32 documents, or its map).");
  e.aborted = NewError(m, "AbortedError", PyExc_RuntimeError,
                       "A batch's commit failed; reopen the store to continue from its last committed state.");

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
{id, kind ('near', 'contained' or 'translation'), score, jaccard, containment}
(jaccard and containment are None for translations). `lang` is the text's language code,
or '' (or None) to detect it. Raises InvalidArgumentError (bad UTF-8, no words, an id over
64 KiB: not added), AlreadyExistsError, or TypeError (see the class).)")
      .def("add_many", &PyDeduplicator::AddMany, py::arg("docs"), py::arg("threads") = 0, py::arg("errors") = "raise",
           R"(Adds documents in order, exactly as add() one by one: in batches of 1,000, fingerprints
on `threads` threads (0 = one per core), then the batch added at once (one commit with a
store). `docs` is an iterable of (id, text), (id, text, lang) or {"id", "text", "lang"}; it
is read whole first, so give a large corpus in chunks. A document of the wrong shape or
type raises TypeError or ValueError naming it (docs[i]) before anything is added. Returns
each document's matches, in order. A document that cannot be added is skipped:
errors='raise' raises the first such error once all are done; errors='collect' puts the
exception in its place.

Ctrl-C (any exception a signal handler raises) is honoured between documents: add_many
stops, the batches before it added (and committed, with a store), the rest untouched. The
KeyboardInterrupt says how many went through add, and carries `processed` (the first
`processed` documents went through add: each added or refused), `added`, and `results`
(theirs, as errors='collect' gives them).)")
      .def("query", &PyDeduplicator::Query, py::arg("text"), py::arg("lang") = "",
           "The documents `text` duplicates or translates, as add() returns them, without adding it.")
      .def("remove", &PyDeduplicator::Remove, py::arg("id"), "Forgets a document and its links; NotFoundError if absent.")
      .def("pairs", &PyDeduplicator::Pairs,
           R"(Every live link in the order made, as dicts {id_a, id_b, kind, score, jaccard, containment}:
what `neardup dedup` prints. A document keeps its best translation per language.)")
      .def("clusters", &PyDeduplicator::Clusters,
           "Groups of two or more linked documents, as dicts {canonical, members}, in insertion order.")
      .def("stats", &PyDeduplicator::Stats,
           "{documents, memory_bytes} and, with a store, 'store': {documents, live_documents, links, live_links, "
           "bytes_on_disk, bytes_used, format_version, created_by, parameters}.")
      .def("__contains__", &PyDeduplicator::Contains, py::arg("id"))
      .def("__len__", &PyDeduplicator::Size);

  py::class_<Pipeline>(m, "_Pipeline", "Internal: the Deduplicator in pieces, for neardup.dask.")
      .def(py::init([](py::object threshold, py::object num_perm, py::object containment_threshold,
                       py::object translation_threshold, bool translations, py::object seed, py::object max_bytes,
                       py::object shingle, bool strip_diacritics, bool replace_invalid) {
             return new Pipeline(PyOptions::From(threshold, num_perm, translations, containment_threshold,
                                                 translation_threshold, seed, max_bytes, shingle, strip_diacritics,
                                                 replace_invalid));
           }),
           py::kw_only(), py::arg("threshold") = py::none(), py::arg("num_perm") = py::none(),
           py::arg("containment_threshold") = py::none(), py::arg("translation_threshold") = py::none(),
           py::arg("translations") = false, py::arg("seed") = py::none(), py::arg("max_bytes") = py::none(),
           py::arg("shingle") = py::none(), py::arg("strip_diacritics") = false, py::arg("replace_invalid") = false)
      .def("sketch", &Pipeline::Sketch, py::arg("ids"), py::arg("texts"), py::arg("langs"))
      .def("band_keys", &Pipeline::BandKeys, py::arg("kepts"), py::arg("translation") = false)
      .def("judge", &Pipeline::Judge, py::arg("a"), py::arg("size_a"), py::arg("filter_a"), py::arg("b"),
           py::arg("size_b"), py::arg("filter_b"))
      .def("shares_enough_sample", &Pipeline::SharesEnoughSample, py::arg("shared"), py::arg("sizes_a"),
           py::arg("sizes_b"))
      .def_property_readonly("uses_sketches", &Pipeline::uses_sketches)
      .def_property_readonly("posting_scan", [](const Pipeline&) { return nd::seam::kMaxPostingScan; })
      .def("agreement", &Pipeline::Agreement, py::arg("kepts_a"), py::arg("kepts_b"))
      .def("trimmed_translation", &Pipeline::TrimmedTranslation, py::arg("profile"), py::arg("num_documents"),
           py::arg("keys"), py::arg("frequencies"))
      .def("judge_translations", &Pipeline::JudgeTranslations, py::arg("profile"), py::arg("num_documents"),
           py::arg("keys"), py::arg("frequencies"), py::arg("candidates"))
      .def_property_readonly("translations", &Pipeline::translations)
      .def_property_readonly("num_perm", &Pipeline::num_perm)
      .def_property_readonly("num_bands", &Pipeline::num_bands)
      .def_property_readonly("max_bucket_scan", &Pipeline::max_bucket_scan)
      .def_property_readonly("translation_bucket_scan", &Pipeline::translation_bucket_scan)
      // index/translation_candidates.h: which translation-index hits are verified.
      .def_property_readonly_static("min_translation_similarity",
                                    [](py::object) { return nd::seam::kMinTranslationSimilarity; })
      .def_property_readonly_static("max_candidates_per_language",
                                    [](py::object) { return nd::seam::kMaxCandidatesPerLanguage; })
      .def_property_readonly_static("max_translation_candidates",
                                    [](py::object) { return nd::seam::kMaxTranslationCandidates; });

  m.def("_choose_translations", &neardup::python::link_replay::ChooseTranslations, py::arg("n"), py::arg("text_a"), py::arg("text_b"),
        py::arg("text_kinds"), py::arg("text_scores"), py::arg("verified_a"), py::arg("verified_b"),
        py::arg("language_a"), py::arg("language_b"), py::arg("verified_scores"),
        "Internal, for neardup.dask: Add's choice of translations over documents numbered in input order "
        "(index/link_graph.h); the live translation links (a, b, score) in the order made.");
  m.def(
      "_text_link_order",
      [](const std::vector<int64_t>& a, const std::vector<int64_t>& b, const std::vector<std::string>& kinds,
         const std::vector<double>& scores) {
        std::vector<nd::MatchKind> kind(kinds.size(), nd::MatchKind::kNear);
        for (size_t i = 0; i < kinds.size(); ++i) {
          if (kinds[i] == "contained") kind[i] = nd::MatchKind::kContained;
        }
        std::vector<size_t> order(a.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
          if (b.at(x) != b.at(y)) return b[x] < b[y];
          return nd::seam::TextMatchPrecedes(kind[x], scores.at(x), a.at(x), kind[y], scores.at(y), a.at(y));
        });
        return order;
      },
      py::arg("a"), py::arg("b"), py::arg("kinds"), py::arg("scores"),
      "Internal, for neardup.dask: the order of text links (a, b, kind, score; b the later document) in "
      "which the Deduplicator makes them, by b, then as Add reports a document's matches (index/link_graph.h).");
  m.def("_clusters", &neardup::python::link_replay::Clusters, py::arg("n"), py::arg("a"), py::arg("b"), py::arg("kinds"),
        py::arg("scores"),
        "Internal, for neardup.dask: Deduplicator::Clusters over these links among n documents, as "
        "(members, hops, scores) by document number.");
  m.attr("MAX_ID_BYTES") = nd::kMaxIdBytes;
  m.def(
      "options",
      [] {
        py::list out;
        const nd::DedupOptions defaults;
        for (const nd::NamedOption& option : nd::NamedOptions()) {
          out.append(py::make_tuple(std::string(option.name), std::string(option.help),
                                    nd::NamedOptionValue(defaults, option.name)));
        }
        return out;
      },
      "The options the command, Deduplicator and neardup.dask take, as (name, help, default as text), in the "
      "library's order (neardup/dedup_options.h).");
  m.def(
      "_pair_line",
      [](const std::string& format, const std::string& id_a, const std::string& id_b, const std::string& kind,
         double score, double jaccard, double containment) {
        nd::Pair pair{id_a, id_b, nd::MatchKind::kNear, score, jaccard, containment};
        if (kind == "contained") pair.kind = nd::MatchKind::kContained;
        if (kind == "translation") pair.kind = nd::MatchKind::kTranslation;
        std::string line = nd::PairLine(format == "tsv" ? nd::ReportFormat::kTsv : nd::ReportFormat::kJsonLines, pair);
        line.pop_back();  // the newline
        return line;
      },
      py::arg("format"), py::arg("id_a"), py::arg("id_b"), py::arg("kind"), py::arg("score"), py::arg("jaccard"),
      py::arg("containment"), "Internal, for neardup.dask: a pair as `neardup dedup` prints it (neardup/report.h).");
  m.def(
      "_cluster_lines",
      [](const std::string& format, int number, const std::vector<std::string>& members,
         const std::vector<uint32_t>& hops, const std::vector<double>& scores) {
        const nd::Cluster cluster{members.empty() ? "" : members[0], members, hops, scores};
        std::string lines =
            nd::ClusterLines(format == "tsv" ? nd::ReportFormat::kTsv : nd::ReportFormat::kJsonLines, number, cluster);
        if (!lines.empty()) lines.pop_back();
        return lines;
      },
      py::arg("format"), py::arg("number"), py::arg("members"), py::arg("hops"), py::arg("scores"),
      "Internal, for neardup.dask: a cluster (canonical member first) as `neardup dedup --clusters` prints it.");
  m.def(
      "_option_error",
      [](const std::string& name, const std::string& value) {
        return std::string(nd::InvalidOptionValue(name, value).message());
      },
      py::arg("name"), py::arg("value"),
      "Internal: the library's message for option `name` given `value` (text that is not a value of its type).");
  m.def("signature", &SignatureOf, py::arg("text"), py::kw_only(), py::arg("num_perm") = 128,
        py::arg("seed") = nd::kDefaultSeed,
        R"(The MinHash signature of `text` (normalized, word 5-shingles) as a NumPy uint64 array of
`num_perm` values: the same on every run and machine. Raises InvalidArgumentError for bad
UTF-8 or options.)");
  m.def(
      "compare",
      [](py::handle a, py::handle b, py::handle lang_a, py::handle lang_b, py::object threshold,
         std::optional<bool> translations, py::object containment_threshold, py::object translation_threshold) {
        return Compare(a, b, lang_a, lang_b,
                       PyOptions::From(threshold, py::none(), translations, containment_threshold,
                                       translation_threshold, py::none(), py::none()));
      },
      py::arg("a"), py::arg("b"), py::kw_only(), py::arg("lang_a") = "", py::arg("lang_b") = "",
      py::arg("threshold") = py::none(), py::arg("translations") = py::none(),
      py::arg("containment_threshold") = py::none(), py::arg("translation_threshold") = py::none(),
      R"(The library's verdict on two texts, as `neardup compare` gives it: a dict with linked, kind,
score, text {jaccard, containment, containment_slots, a_is_smaller, containment_method,
containment_found, containment_error}, languages,
cross_language, undecided and translation (the anchor evidence, or None).)");
}

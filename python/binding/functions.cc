// The module's functions: options(), signature(), compare(), and the helpers the package needs.

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

py::object Compare(py::handle a_arg, py::handle b_arg, py::handle lang_a_arg, py::handle lang_b_arg,
                   const std::string& id_a, const std::string& id_b, const PyOptions& options) {
  const std::string a = TextArg(a_arg, "a"), b = TextArg(b_arg, "b");
  const std::string lang_a = LangArg(lang_a_arg, "lang_a"), lang_b = LangArg(lang_b_arg, "lang_b");
  DedupOptions o;
  options.ApplyTo(&o);
  absl::StatusOr<Comparison> compared;
  {
    py::gil_scoped_release release;
    compared = neardup::Compare({a, lang_a}, {b, lang_b}, o);  // as `neardup compare`
  }
  const Comparison c = Value(std::move(compared));
  // The command's JSON, read back: one shape, written once (report.h).
  return py::module_::import("json").attr("loads")(ComparisonJson(c, o, id_a, id_b));
}

}  // namespace

void RegisterFunctions(py::module_& m) {
  m.attr("MAX_ID_BYTES") = neardup::kMaxIdBytes;
  m.def(
      "_parse_jsonl_line",
      [](const py::bytes& line, bool first_line) {
        const std::string_view bytes(line);
        thread_local neardup::JsonlParser parser;  // its buffers reused from line to line
        neardup::JsonlLine parsed;
        {
          py::gil_scoped_release release;
          parsed = parser.Parse(bytes, first_line);
        }
        const char* kind = parsed.kind == neardup::JsonlLine::kBlank      ? "blank"
                           : parsed.kind == neardup::JsonlLine::kDocument ? "document"
                                                                          : "error";
        return py::make_tuple(kind, parsed.document.id, parsed.document.text, parsed.document.lang, parsed.error);
      },
      py::arg("line"), py::arg("first_line"),
      "Internal, for neardup.dask: one JSON Lines line (bytes, without its newline) read by the library's rule "
      "(neardup/jsonl.h), as (kind: 'blank', 'document' or 'error', id, text, lang, error).");
  m.def(
      "_off_help",
      [](const std::string& name) {
        for (const neardup::NamedOption& option : neardup::NamedOptions()) {
          if (option.name == name) return std::string(option.off_help);
        }
        return std::string();
      },
      py::arg("name"), "Internal: what turning switch `name` off does, for a --no-NAME flag's help.");
  m.def(
      "options",
      [] {
        py::list out;
        const neardup::DedupOptions defaults;
        for (const neardup::NamedOption& option : neardup::NamedOptions()) {
          out.append(py::make_tuple(std::string(option.name), std::string(option.help),
                                    neardup::NamedOptionValue(defaults, option.name)));
        }
        return out;
      },
      "The options the command, Deduplicator and neardup.dask take, as (name, help, default as text), in the "
      "library's order (neardup/dedup_options.h).");
  m.def(
      "_option_error",
      [](const std::string& name, const std::string& value) {
        return std::string(neardup::InvalidOptionValue(name, value).message());
      },
      py::arg("name"), py::arg("value"),
      "Internal: the library's message for option `name` given `value` (text that is not a value of its type).");
  m.def("signature", &SignatureOf, py::arg("text"), py::kw_only(), py::arg("num_perm") = neardup::MinHashOptions().num_perm,
        py::arg("seed") = neardup::kDefaultSeed,
        R"(The MinHash signature of `text` (normalized, word 5-shingles) as a NumPy uint64 array of
`num_perm` values: the same on every run and machine. Raises InvalidArgumentError for bad
UTF-8 or options.)");
  m.def(
      "compare",
      [](py::handle a, py::handle b, py::handle lang_a, py::handle lang_b, const std::string& id_a,
         const std::string& id_b, py::object threshold, std::optional<bool> translations,
         py::object containment_threshold, py::object translation_threshold) {
        return Compare(a, b, lang_a, lang_b, id_a, id_b,
                       PyOptions::From(threshold, py::none(), translations, containment_threshold,
                                       translation_threshold, py::none(), py::none()));
      },
      py::arg("a"), py::arg("b"), py::kw_only(), py::arg("lang_a") = "", py::arg("lang_b") = "",
      py::arg("id_a") = "a", py::arg("id_b") = "b", py::arg("threshold") = py::none(), py::arg("translations") = py::none(),
      py::arg("containment_threshold") = py::none(), py::arg("translation_threshold") = py::none(),
      R"(What `neardup compare --format json` prints for two texts, as Python objects: a dict with
a and b ({id, lang, bytes, tokens, shingles, anchors}; ids id_a and id_b), exact_jaccard,
exact_containment, the thresholds, and verdict ({kind: 'near', 'contained', 'translation',
'undecided' or None, score, the text evidence, and the translation evidence with its anchor
chain}). The same function and the same JSON as the command (neardup/report.h).)");
}

}  // namespace neardup::python

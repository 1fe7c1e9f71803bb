// File: python/binding/arguments.h
//
// Texts, ids and language tags (README, "From Python"): a str is taken as its UTF-8; a str
// holding a lone surrogate (which has no UTF-8) raises InvalidArgumentError (a ValueError)
// naming the argument and the index. bytes are taken as the UTF-8 of a text, unchanged: they
// must be valid UTF-8 (NUL bytes are left to the library, which refuses them in texts), else
// InvalidArgumentError naming the argument and the first bad byte. None, or anything else,
// raises TypeError naming the argument. So bytes are accepted exactly when they are some
// str's UTF-8, and give what that str gives.

#ifndef NEARDUP_PYTHON_BINDING_ARGUMENTS_H_
#define NEARDUP_PYTHON_BINDING_ARGUMENTS_H_

#include <pybind11/pybind11.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "errors.h"
#include "neardup/dedup_options.h"

namespace neardup::python {

namespace py = pybind11;

[[noreturn]] void RaiseType(const std::string& message);
std::string TypeName(py::handle value);
// A text, id or language tag (above), as UTF-8.
std::string TextArg(py::handle value, const std::string& name);
// A language tag: as a text, or None for "detect it".
std::string LangArg(py::handle value, const std::string& name);
// A number option: None keeps the default; an int or float (or anything with __float__, not a
// bool) is taken as a double, NaN and infinities included, for the library to judge.
std::optional<double> RealArg(py::handle value, const char* name);

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

// One document given to add_many: (id, text) or (id, text, lang), or a mapping with the
// fields `fields` names (by default "id", "text" and an optional "lang"); `index` is its place
// in `docs`, for messages. A lang that is None or NaN (pandas' missing value) is detected.
struct InputDocument {
  std::string id, text, lang;
};
struct DocumentFields {
  std::string id = "id", text = "text", lang = "lang";
};

InputDocument ToDocument(const py::handle& item, size_t index, const DocumentFields& fields = {});

}  // namespace neardup::python

#endif  // NEARDUP_PYTHON_BINDING_ARGUMENTS_H_

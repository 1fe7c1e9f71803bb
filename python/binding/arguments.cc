#include "arguments.h"

#include <cmath>

#include <algorithm>

#include "neardup/utf8.h"

namespace neardup::python {

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

std::string LangArg(py::handle value, const std::string& name) {
  return value.is_none() ? std::string() : TextArg(value, name);
}

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

namespace {

// A missing language: None, or the NaN pandas puts in an empty cell.
bool MissingLang(py::handle value) {
  return value.is_none() || (PyFloat_Check(value.ptr()) && std::isnan(PyFloat_AsDouble(value.ptr())));
}

}  // namespace

InputDocument ToDocument(const py::handle& item, size_t index, const DocumentFields& fields) {
  const std::string where = "docs[" + std::to_string(index) + "]";
  InputDocument doc;
  if (PyMapping_Check(item.ptr()) && !PySequence_Check(item.ptr())) {
    const auto has = [&](const std::string& key) { return PyMapping_HasKeyString(item.ptr(), key.c_str()) == 1; };
    if (!has(fields.id) || !has(fields.text)) {
      throw py::value_error(where + ": a document mapping needs '" + fields.id + "' and '" + fields.text + "'");
    }
    doc.id = TextArg(item[py::str(fields.id)], where + "['" + fields.id + "']");
    doc.text = TextArg(item[py::str(fields.text)], where + "['" + fields.text + "']");
    if (has(fields.lang)) {
      const py::object lang = item[py::str(fields.lang)];
      if (!MissingLang(lang)) doc.lang = LangArg(lang, where + "['" + fields.lang + "']");
    }
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
  if (s.size() == 3 && !MissingLang(s[2])) doc.lang = LangArg(s[2], where + "[2] (lang)");
  return doc;
}

}  // namespace neardup::python

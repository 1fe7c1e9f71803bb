// File: python/binding/errors.h
//
// Library errors as Python exceptions: NeardupError, and one subclass per status code a caller
// may want to catch, each also a subclass of the builtin a Python user expects.

#ifndef NEARDUP_PYTHON_BINDING_ERRORS_H_
#define NEARDUP_PYTHON_BINDING_ERRORS_H_

#include <pybind11/pybind11.h>
// Every part of the binding sees the same conversions of standard containers (pybind11 asks
// that they agree across translation units).
#include <pybind11/stl.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace neardup::python {

namespace py = pybind11;

// The exception classes, created at import: NeardupError, and one per status code that a
// caller may want to catch, each also a subclass of the builtin a Python user expects.
struct ErrorClasses {
  py::object base, invalid_argument, not_found, already_exists, failed_precondition, data_loss, unavailable,
      unimplemented, resource_exhausted, aborted;
};
ErrorClasses& Errors();

// Creates the classes in module `m` (at import).
void RegisterErrors(py::module_& m);

// Raises the class of `status`'s code with its message.
[[noreturn]] void Raise(const absl::Status& status);
void Check(const absl::Status& status);

template <typename T>
T Value(absl::StatusOr<T>&& result) {
  if (!result.ok()) Raise(result.status());
  return *std::move(result);
}

// A score as Python sees it.
inline py::object Score(double x) { return py::float_(x); }

// f() with the GIL released: the library's work never holds up other Python threads.
template <typename F>
auto WithoutGil(F f) {
  py::gil_scoped_release release;
  return f();
}

}  // namespace neardup::python

#endif  // NEARDUP_PYTHON_BINDING_ERRORS_H_

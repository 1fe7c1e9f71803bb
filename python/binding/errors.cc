#include "errors.h"

#include <string>

namespace neardup::python {
namespace {

py::object NewError(py::module_& m, const char* name, py::handle builtin, const char* doc) {
  py::object bases = builtin ? py::make_tuple(Errors().base, builtin) : py::make_tuple(Errors().base);
  py::object cls = py::reinterpret_steal<py::object>(
      PyErr_NewExceptionWithDoc((std::string("neardup.") + name).c_str(), doc, bases.ptr(), nullptr));
  if (!cls) throw py::error_already_set();
  m.attr(name) = cls;
  return cls;
}

}  // namespace

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


void RegisterErrors(py::module_& m) {
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
}

}  // namespace neardup::python

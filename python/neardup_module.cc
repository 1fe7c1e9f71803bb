// The Python binding (pybind11): module neardup._neardup, wrapped by python/neardup/__init__.py.
// Its parts are in python/binding/, one concern a file (register.h lists them). An
// absl::Status error becomes a Python exception of the matching class (binding/errors.h), with
// the status message as its text.

#include <pybind11/pybind11.h>

#include "binding/register.h"
#include "neardup/version.h"

PYBIND11_MODULE(_neardup, m) {
  using namespace neardup::python;
  m.doc() = "neardup's C++ core; import neardup, not this module.";
  m.attr("__version__") = neardup::kVersionString;
  RegisterErrors(m);
  RegisterDeduplicator(m);
  RegisterDaskPipeline(m);
  RegisterLinkReplay(m);
  RegisterFunctions(m);
  RegisterAllocator(m);
}

// File: python/binding/register.h
//
// The module neardup._neardup is made of these, one file each; neardup_module.cc calls them in
// order at import. Every call into the library runs with the GIL released; Python objects are
// built after it is taken back.

#ifndef NEARDUP_PYTHON_BINDING_REGISTER_H_
#define NEARDUP_PYTHON_BINDING_REGISTER_H_

#include <pybind11/pybind11.h>

namespace neardup::python {

namespace py = pybind11;

void RegisterErrors(py::module_& m);        // errors.cc: NeardupError and its subclasses
void RegisterDeduplicator(py::module_& m);  // deduplicator.cc: Deduplicator
void RegisterDaskPipeline(py::module_& m);  // dask_pipeline.cc: _Pipeline, for neardup.dask
void RegisterLinkReplay(py::module_& m);    // link_replay.cc: Add's link rules and the output lines, for neardup.dask
void RegisterFunctions(py::module_& m);     // functions.cc: options, signature, compare, ...
void RegisterAllocator(py::module_& m);     // allocator.cc: _worker_allocator, for neardup.dask

}  // namespace neardup::python

#endif  // NEARDUP_PYTHON_BINDING_REGISTER_H_

//===- LLMCompilerModule.cpp - the llm_compiler Python module ------------===//
//
// pybind11 bindings of the compiler's C++ API (libLLMCompiler.so), imported
// as `llm_compiler` (python-bindings/llm_compiler/__init__.py re-exports
// this extension, `llm_compiler._llm_compiler`):
//
//   Context            an MLIRContext with the compiler's dialects, passes
//                      and LLVM IR translations registered
//   import_onnx        an ONNX file (path) or model bytes -> Module
//   Module             parse(text) / str(); run_passes("canonicalize,cse"),
//                      run_pipeline("llm-cpu-pipeline", "target-cpu=host"),
//                      emit("obj" | "ptx" | "npu-asm" | ..., path),
//                      summary(), clone()
//   compile            Module -> CPUModel (CPU pipeline + LLVM JIT); GPU and
//                      NPU code is compiled with run_pipeline + emit and run
//                      by llm-run-cuda / npu-sim
//   CPUModel           inputs/outputs (name, dtype, shape); model(*arrays,
//                      **named) runs it on numpy arrays and returns a list of
//                      numpy arrays
//   CompilerError      raised (a RuntimeError) when MLIR reports errors; its
//                      `diagnostics` attribute lists them ("loc: error: ...")
//
// Inputs are handed to the compiled code without a copy when they are
// C-contiguous, aligned numpy arrays of the input's dtype (a Tensor view
// over the array's memory); anything else is converted first. Outputs are
// numpy arrays that take over the result Tensors' buffers (no copy). The GIL
// is released while passes, compilation and the model run.
//
//===----------------------------------------------------------------------===//

#include "llm/Import/ONNXImporter.h"
#include "llm/InitAll.h"
#include "llm/Pipelines/Pipelines.h"
#include "llm/Runtime/Tensor.h"
#include "llm/Target/CPU/CPURunner.h"
#include "llm/Target/CPU/CPUTarget.h"
#include "llm/Target/NPU/NPUTarget.h"
#include "llm/Target/NVPTX/NVPTXTarget.h"
#include "llm/Version.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;
using namespace mlir;

namespace {

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

/// llm_compiler.CompilerError, created when the module is initialized.
py::handle compilerErrorType;

/// Raises CompilerError(message + diagnostics) with a `diagnostics` list.
[[noreturn]] void raiseCompilerError(const std::string &message,
                                     const std::vector<std::string> &diags) {
  std::string text = message;
  for (const std::string &diag : diags)
    text += "\n" + diag;
  py::object error = py::reinterpret_borrow<py::object>(compilerErrorType)(text);
  error.attr("diagnostics") = py::cast(diags);
  PyErr_SetObject(compilerErrorType.ptr(), error.ptr());
  throw py::error_already_set();
}

/// Records the diagnostics reported on a context while it lives (they would
/// otherwise go to stderr), formatted as "loc: error: message" with notes
/// on lines of their own.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(MLIRContext *context)
      : handler(context, [this](Diagnostic &diag) {
          record(diag);
          return success();
        }) {}

  const std::vector<std::string> &getDiagnostics() const { return diags; }

  /// Raises CompilerError(message) with what was collected.
  [[noreturn]] void raise(const std::string &message) const {
    raiseCompilerError(message, diags);
  }

private:
  void record(Diagnostic &diag) {
    std::string text;
    llvm::raw_string_ostream os(text);
    printLocation(diag.getLocation(), os);
    os << ": ";
    switch (diag.getSeverity()) {
    case DiagnosticSeverity::Error:
      os << "error: ";
      break;
    case DiagnosticSeverity::Warning:
      os << "warning: ";
      break;
    case DiagnosticSeverity::Note:
      os << "note: ";
      break;
    case DiagnosticSeverity::Remark:
      os << "remark: ";
      break;
    }
    os << diag;
    for (Diagnostic &note : diag.getNotes()) {
      os << "\n";
      printLocation(note.getLocation(), os);
      os << ": note: " << note;
    }
    diags.push_back(std::move(text));
  }

  /// "file:line:col" where the location has one (ONNX node locations do,
  /// inside their name and op type), else MLIR's form of the location.
  static void printLocation(Location loc, llvm::raw_ostream &os) {
    if (auto fileLoc = loc->findInstanceOf<FileLineColLoc>())
      os << fileLoc.getFilename().getValue() << ":" << fileLoc.getLine() << ":"
         << fileLoc.getColumn();
    else
      os << loc;
  }

  std::vector<std::string> diags;
  ScopedDiagnosticHandler handler;
};

//===----------------------------------------------------------------------===//
// Context and Module
//===----------------------------------------------------------------------===//

/// An MLIRContext with everything the compiler uses registered.
class ContextHandle {
public:
  ContextHandle() {
    static std::once_flag passesOnce;
    std::call_once(passesOnce, [] { llm::registerAllPasses(); });
    DialectRegistry registry;
    llm::registerAllDialects(registry);
    llm::registerONNXImporterDialects(registry);
    llm::registerCPUTranslations(registry);
    context = std::make_unique<MLIRContext>(registry);
  }
  MLIRContext *get() { return context.get(); }

private:
  std::unique_ptr<MLIRContext> context;
};

/// A module and the context it lives in (kept alive by the module).
class ModuleHandle {
public:
  ModuleHandle(std::shared_ptr<ContextHandle> context, OwningOpRef<ModuleOp> module)
      : context(std::move(context)), module(std::move(module)) {}

  ModuleOp get() { return *module; }
  MLIRContext *getContext() { return context->get(); }
  const std::shared_ptr<ContextHandle> &getPyContext() const { return context; }

  std::string str() {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    return text;
  }

  ModuleHandle clone() { return ModuleHandle(context, OwningOpRef<ModuleOp>(module->clone())); }

  void runPasses(const std::string &pipeline) {
    DiagnosticCollector diags(getContext());
    PassManager pm(getContext(), ModuleOp::getOperationName());
    std::string parseErrors;
    llvm::raw_string_ostream errorStream(parseErrors);
    if (failed(parsePassPipeline(pipeline, pm, errorStream)))
      raiseCompilerError("cannot parse the pass pipeline '" + pipeline +
                             "': " + llvm::StringRef(parseErrors).trim().str(),
                         {});
    LogicalResult result = failure();
    {
      py::gil_scoped_release release;
      result = pm.run(*module);
    }
    if (failed(result))
      diags.raise("running '" + pipeline + "' failed:");
  }

  void emit(const std::string &kind, const std::string &path,
            const std::string &targetCPU, unsigned optLevel) {
    // The GPU and NPU artifacts of modules their pipelines lowered.
    std::optional<llm::GPUArtifactKind> gpu = llm::parseGPUArtifactKind(kind);
    std::optional<llm::NPUArtifactKind> npu = llm::parseNPUArtifactKind(kind);
    if (gpu || npu) {
      DiagnosticCollector diags(getContext());
      LogicalResult result = failure();
      {
        py::gil_scoped_release release;
        result = gpu ? llm::emitGPUArtifact(*module, *gpu, path, "")
                     : llm::emitNPUArtifact(*module, *npu, path);
      }
      if (failed(result))
        diags.raise("emitting " + kind + " to '" + path + "' failed:");
      return;
    }
    std::optional<llm::ArtifactKind> artifact = llm::parseArtifactKind(kind);
    if (!artifact || *artifact == llm::ArtifactKind::MLIR)
      throw py::value_error("emit: kind '" + kind +
                            "' is not one of llvm, asm, obj, shared, ptx, "
                            "cubin, npu-asm, npu-bin");
    if (optLevel > 3)
      throw py::value_error("emit: opt_level must be 0-3");
    DiagnosticCollector diags(getContext());
    llm::CPUCodegenOptions options;
    options.cpu = targetCPU;
    options.optLevel = optLevel;
    LogicalResult result = failure();
    {
      py::gil_scoped_release release;
      result = llm::emitArtifact(*module, *artifact, path, options);
    }
    if (failed(result))
      diags.raise("emitting " + kind + " to '" + path + "' failed:");
  }

  std::string summary() {
    std::string text;
    llvm::raw_string_ostream os(text);
    llm::printModelSummary(*module, os);
    return text;
  }

private:
  std::shared_ptr<ContextHandle> context;
  OwningOpRef<ModuleOp> module;
};

std::shared_ptr<ContextHandle> orNewContext(std::shared_ptr<ContextHandle> context) {
  return context ? std::move(context) : std::make_shared<ContextHandle>();
}

ModuleHandle parseModule(const std::string &text,
                     std::shared_ptr<ContextHandle> context,
                     const std::string &name) {
  context = orNewContext(std::move(context));
  DiagnosticCollector diags(context->get());
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(
      text, ParserConfig(context->get()), name);
  if (!module)
    diags.raise("cannot parse '" + name + "':");
  return ModuleHandle(context, std::move(module));
}

ModuleHandle importONNX(py::object model, std::shared_ptr<ContextHandle> context,
                    std::optional<std::string> name, const std::string &format,
                    int64_t inlineLimit) {
  context = orNewContext(std::move(context));
  llm::ONNXImportOptions options;
  options.inlineElementsLimit = inlineLimit;
  if (format == "auto")
    options.format = llm::ONNXImportOptions::Format::Auto;
  else if (format == "binary")
    options.format = llm::ONNXImportOptions::Format::Binary;
  else if (format == "text")
    options.format = llm::ONNXImportOptions::Format::Text;
  else
    throw py::value_error("import_onnx: format '" + format +
                          "' is not one of auto, binary, text");

  DiagnosticCollector diags(context->get());
  OwningOpRef<ModuleOp> module;
  std::string label;
  if (py::isinstance<py::bytes>(model) || py::isinstance<py::bytearray>(model)) {
    // The bytes object's own buffer (no copy); a bytearray is copied once.
    py::bytes bytes = py::isinstance<py::bytes>(model)
                          ? py::reinterpret_borrow<py::bytes>(model)
                          : py::bytes(py::module_::import("builtins")
                                          .attr("bytes")(model));
    char *data = nullptr;
    Py_ssize_t size = 0;
    if (PyBytes_AsStringAndSize(bytes.ptr(), &data, &size) != 0)
      throw py::error_already_set();
    label = name.value_or("<bytes>");
    llvm::MemoryBufferRef ref(llvm::StringRef(data, size), label);
    py::gil_scoped_release release;
    module = llm::importONNX(ref, context->get(), options);
  } else {
    // A path: str or os.PathLike.
    std::string path = py::str(py::module_::import("os").attr("fspath")(model));
    label = path;
    py::gil_scoped_release release;
    module = llm::importONNXFile(path, context->get(), options);
  }
  if (!module)
    diags.raise("cannot import the ONNX model '" + label + "':");
  return ModuleHandle(context, std::move(module));
}

//===----------------------------------------------------------------------===//
// Compiled CPU models
//===----------------------------------------------------------------------===//

/// The numpy dtype that holds a runtime element type (bf16 as its uint16
/// bit patterns, as numpy has no bfloat16).
py::dtype numpyDType(llm::DType dtype) {
  switch (dtype) {
  case llm::DType::F16:
    return py::dtype("float16");
  case llm::DType::BF16:
    return py::dtype("uint16");
  case llm::DType::F32:
    return py::dtype("float32");
  case llm::DType::F64:
    return py::dtype("float64");
  case llm::DType::I8:
    return py::dtype("int8");
  case llm::DType::I16:
    return py::dtype("int16");
  case llm::DType::I32:
    return py::dtype("int32");
  case llm::DType::I64:
    return py::dtype("int64");
  case llm::DType::U8:
    return py::dtype("uint8");
  case llm::DType::U16:
    return py::dtype("uint16");
  case llm::DType::U32:
    return py::dtype("uint32");
  case llm::DType::U64:
    return py::dtype("uint64");
  case llm::DType::Bool:
    return py::dtype("bool");
  }
  return py::dtype("float32");
}

/// One input or output as Python sees it.
py::dict describeTensor(const llm::TensorSignature &tensor) {
  py::dict info;
  info["name"] = tensor.name;
  info["dtype"] = numpyDType(tensor.dtype);
  info["element_type"] = llm::getDTypeName(tensor.dtype).str();
  py::list shape;
  for (size_t i = 0; i < tensor.shape.size(); ++i) {
    if (tensor.shape[i] >= 0)
      shape.append(tensor.shape[i]);
    else if (i < tensor.dimNames.size() && !tensor.dimNames[i].empty())
      shape.append(tensor.dimNames[i]);
    else
      shape.append(py::none());
  }
  info["shape"] = py::tuple(shape);
  return info;
}

/// A model compiled for the host CPU by the JIT.
class CPUModelHandle {
public:
  explicit CPUModelHandle(std::unique_ptr<llm::CPUJITModel> model)
      : model(std::move(model)) {}

  py::list inputs() const {
    py::list result;
    for (const auto &input : model->getSignature().inputs)
      result.append(describeTensor(input));
    return result;
  }
  py::list outputs() const {
    py::list result;
    for (const auto &output : model->getSignature().outputs)
      result.append(describeTensor(output));
    return result;
  }

  py::list call(py::args args, py::kwargs kwargs) {
    const llm::ModelSignature &signature = model->getSignature();
    size_t numInputs = signature.inputs.size();
    std::vector<py::object> given(numInputs);
    if (args.size() > numInputs)
      throw py::type_error("the model takes " + std::to_string(numInputs) +
                           " inputs, " + std::to_string(args.size()) +
                           " were given");
    for (size_t i = 0; i < args.size(); ++i)
      given[i] = args[i];
    for (auto item : kwargs) {
      std::string key = py::str(item.first);
      int index = signature.findInput(key);
      if (index < 0)
        throw py::type_error("the model has no input named '" + key + "'");
      if (given[index])
        throw py::type_error("input '" + key + "' is given twice");
      given[index] = py::reinterpret_borrow<py::object>(item.second);
    }

    // Views over the arrays' memory where the layout allows, else over a
    // converted copy; `arrays` keeps either alive during the call.
    std::vector<py::array> arrays;
    std::vector<llm::Tensor> tensors;
    for (size_t i = 0; i < numInputs; ++i) {
      const llm::TensorSignature &spec = signature.inputs[i];
      if (!given[i])
        throw py::type_error("input '" + spec.name + "' is missing");
      py::dtype want = numpyDType(spec.dtype);
      py::array array;
      if (py::isinstance<py::array>(given[i])) {
        array = py::reinterpret_borrow<py::array>(given[i]);
        if (!array.dtype().equal(want))
          throw py::type_error(
              "input '" + spec.name + "' must be " + std::string(py::str(want)) +
              " (" + spec.describe() + "), not " +
              std::string(py::str(array.dtype())));
        array = py::array::ensure(array, py::array::c_style);
      } else {
        // Python scalars and (nested) lists take the input's dtype.
        array = py::array::ensure(
            py::module_::import("numpy").attr("asarray")(given[i], want),
            py::array::c_style);
      }
      if (!array)
        throw py::error_already_set();
      // Compiled code may rely on element alignment; numpy copies have it.
      if (!(array.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_))
        array = py::array::ensure(py::module_::import("numpy").attr("array")(
            array, py::arg("copy") = true, py::arg("order") = "C"));
      std::vector<int64_t> shape(array.shape(), array.shape() + array.ndim());
      tensors.push_back(llm::Tensor::view(spec.dtype, shape,
                                          const_cast<void *>(array.data())));
      arrays.push_back(std::move(array));
    }
    std::vector<const llm::Tensor *> pointers;
    for (const llm::Tensor &tensor : tensors)
      pointers.push_back(&tensor);
    if (llvm::Error error = llm::checkInputs(signature, pointers))
      throw py::value_error(llvm::toString(std::move(error)));

    llvm::Expected<std::vector<llm::Tensor>> results =
        std::vector<llm::Tensor>();
    {
      py::gil_scoped_release release;
      results = model->run(pointers);
    }
    if (!results)
      raiseCompilerError(llvm::toString(results.takeError()), {});

    // Each numpy array owns its Tensor through a capsule.
    py::list outputs;
    for (llm::Tensor &result : *results) {
      auto *owned = new llm::Tensor(std::move(result));
      py::capsule base(owned, [](void *p) {
        delete static_cast<llm::Tensor *>(p);
      });
      std::vector<py::ssize_t> shape(owned->getShape().begin(),
                                     owned->getShape().end());
      outputs.append(py::array(numpyDType(owned->getDType()), shape,
                               owned->data(), base));
    }
    return outputs;
  }

private:
  std::unique_ptr<llm::CPUJITModel> model;
};

CPUModelHandle compile(ModuleHandle &module, const std::string &target,
                   const std::string &targetCPU, unsigned optLevel,
                   const std::string &function) {
  if (target == "cuda" || target == "nvptx" || target == "npu")
    throw py::value_error("compile: target '" + target +
                          "' is not built yet; 'cpu' is the one available");
  if (target != "cpu")
    throw py::value_error("compile: unknown target '" + target +
                          "' (cpu; cuda and npu are planned)");
  if (optLevel > 3)
    throw py::value_error("compile: opt_level must be 0-3");
  llm::CPUPipelineOptions options;
  options.targetCPU = targetCPU;
  if (auto problem = llm::checkCPUPipelineOptions(options))
    throw py::value_error("compile: " + *problem);

  DiagnosticCollector diags(module.getContext());
  OwningOpRef<ModuleOp> lowered(module.get().clone());
  func::FuncOp entry = llm::findEntryFunction(*lowered, function);
  if (!entry)
    diags.raise("compile: no entry function:");
  FailureOr<llm::ModelSignature> signature = llm::getModelSignature(entry);
  if (failed(signature))
    diags.raise("compile: unsupported model interface:");

  LogicalResult result = failure();
  {
    py::gil_scoped_release release;
    PassManager pm(module.getContext());
    if (succeeded(llm::buildCPUPipeline(pm, options)))
      result = pm.run(*lowered);
  }
  if (failed(result))
    diags.raise("compile: the CPU pipeline failed:");
  llvm::Expected<std::unique_ptr<llm::CPUJITModel>> model =
      std::unique_ptr<llm::CPUJITModel>();
  {
    py::gil_scoped_release release;
    model = llm::CPUJITModel::create(*lowered, *signature, optLevel);
  }
  if (!model)
    raiseCompilerError("compile: " + llvm::toString(model.takeError()),
                       diags.getDiagnostics());
  return CPUModelHandle(std::move(*model));
}

} // namespace

PYBIND11_MODULE(_llm_compiler, m) {
  m.doc() = "The LLM compiler: import ONNX, run passes and pipelines, "
            "compile for the CPU and run on numpy arrays";
  m.attr("__version__") = llm::getVersion();

  compilerErrorType = PyErr_NewExceptionWithDoc(
      "llm_compiler.CompilerError",
      "MLIR reported errors; `diagnostics` lists them as "
      "'location: severity: message' strings.",
      PyExc_RuntimeError, nullptr);
  m.attr("CompilerError") = py::handle(compilerErrorType);

  py::class_<ContextHandle, std::shared_ptr<ContextHandle>>(
      m, "Context",
      "An MLIR context with the compiler's dialects, passes and LLVM IR "
      "translations registered. Modules keep their context alive.")
      .def(py::init<>());

  py::class_<ModuleHandle>(m, "Module", "A builtin.module and its context.")
      .def_static("parse", &parseModule, py::arg("text"),
                  py::arg("context") = nullptr, py::arg("name") = "<string>",
                  "Parses MLIR text (CompilerError on syntax errors).")
      .def("__str__", &ModuleHandle::str, "The module as MLIR text.")
      .def_property_readonly("context", &ModuleHandle::getPyContext)
      .def("clone", &ModuleHandle::clone, "A deep copy in the same context.")
      .def("run_passes", &ModuleHandle::runPasses, py::arg("pipeline"),
           "Runs a textual pass pipeline in place, e.g. 'canonicalize,cse' "
           "or 'llm-cpu-pipeline{target-cpu=host}' (no builtin.module "
           "anchor).")
      .def(
          "run_pipeline",
          [](ModuleHandle &self, const std::string &name,
             const std::string &options) {
            self.runPasses(options.empty() ? name : name + "{" + options + "}");
          },
          py::arg("name"), py::arg("options") = "",
          "Runs one registered pass or pipeline by name with an options "
          "string, e.g. run_pipeline('llm-cpu-pipeline', "
          "'target-cpu=x86-64-v3').")
      .def("emit", &ModuleHandle::emit, py::arg("kind"), py::arg("path"),
           py::arg("target_cpu") = "", py::arg("opt_level") = 2,
           "Writes a module lowered to the LLVM dialect as 'llvm' IR, 'asm', "
           "an 'obj' file or a 'shared' library, one lowered by "
           "llm-nvptx-pipeline as 'ptx' or 'cubin' (ptxas from PATH), or one "
           "lowered by llm-npu-pipeline as 'npu-asm' or 'npu-bin' (as llm-opt "
           "--emit).")
      .def("summary", &ModuleHandle::summary,
           "Inputs, outputs, op counts and parameters, as llm-opt "
           "--llm-summary prints them.");

  m.def("import_onnx", &importONNX, py::arg("model"),
        py::arg("context") = nullptr, py::kw_only(),
        py::arg("name") = py::none(), py::arg("format") = "auto",
        py::arg("inline_limit") = 16,
        "Imports an ONNX model from a path (str or os.PathLike) or from "
        "bytes ('name' names it in locations and, with format='auto', "
        "tells text from binary by its suffix).");

  py::class_<CPUModelHandle>(m, "CPUModel",
                         "A model compiled for the host CPU (JIT).")
      .def_property_readonly("inputs", &CPUModelHandle::inputs,
                             "[{'name', 'dtype', 'element_type', 'shape'}]; "
                             "dynamic dims are their ONNX symbol or None.")
      .def_property_readonly("outputs", &CPUModelHandle::outputs)
      .def("__call__", &CPUModelHandle::call,
           "Runs the model: inputs positionally and/or by name, numpy "
           "arrays of the input's dtype (others are converted); returns the "
           "outputs as a list of numpy arrays.");

  m.def("compile", &compile, py::arg("module"), py::kw_only(),
        py::arg("target") = "cpu", py::arg("target_cpu") = "host",
        py::arg("opt_level") = 2, py::arg("function") = "",
        "Compiles a module of transformer ops (the module itself is not "
        "changed) for the target and returns a runnable model.");
}

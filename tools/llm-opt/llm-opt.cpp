//===- llm-opt.cpp - the compiler's mlir-opt --------------------------------===//
//
// `llm-opt FILE` has mlir-opt semantics (any registered pass or
// --pass-pipeline, -split-input-file, -verify-diagnostics, ...) over our
// dialects and passes and only the upstream ones our pipelines use.
//
// FILE may also be an ONNX model: `.onnx` (binary protobuf) or `.onnxtxt`
// (protobuf text format). It is imported first (lib/Import/ONNX), in its own
// context whose diagnostics refer to the model file, so `-verify-diagnostics`
// checks `# expected-error @+1 {{...}}` comments of an .onnxtxt against the
// importer's errors, and `-split-input-file` splits an .onnxtxt at `# -----`.
// The imported module is then handed to MlirOptMain as a bytecode buffer
// (locations and weight blobs included), so everything after the import is
// exactly mlir-opt.
//
// `--llm-summary` prints a summary of the module (inputs/outputs, op counts,
// parameters) to stderr after the pass pipeline.
//
// `--onnx-import-only` imports (binary models without copying their weights,
// as llm-run and the APIs do), verifies, prints the --llm-summary if asked
// and writes nothing else: what benchmarks/import.py times.
//
// `--emit=llvm|asm|obj|shared -o FILE` writes an artifact instead of MLIR:
// after the pass pipeline (which must have lowered the module to the LLVM
// dialect, e.g. --llm-cpu-pipeline) the module is translated to LLVM IR,
// optimized at --opt-level for the CPU the pipeline recorded, and written as
// LLVM IR, assembly, an object file or a shared library (lib/Target/CPU;
// the C ABI is in docs/cpu.md). `--emit=ptx|cubin -o FILE` writes the PTX
// of the kernels the NVPTX pipeline compiled, or the cubin ptxas makes of it
// (lib/Target/NVPTX; docs/nvptx.md). `--emit=npu-asm|npu-bin -o FILE` writes
// the NPU program of --llm-npu-pipeline as assembly or a binary
// (lib/Target/NPU; docs/npu.md). `--emit=mlir` (the default) prints MLIR.
//
//===----------------------------------------------------------------------===//

#include "llm/Import/ONNXImporter.h"
#include "llm/InitAll.h"
#include "llm/Target/CPU/CPUTarget.h"
#include "llm/Pipelines/Pipelines.h"
#include "llm/Target/CPU/CPURunner.h"
#include "llm/Target/NPU/NPUTarget.h"
#include "llm/Target/NVPTX/CUDAArtifact.h"
#include "llm/Target/NVPTX/NVPTXTarget.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/ToolUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <utility>

#ifndef LLM_VERSION
#define LLM_VERSION "unknown"
#endif

using namespace mlir;

static llvm::cl::opt<bool>
    printSummary("llm-summary",
                 llvm::cl::desc("Print a summary of the module (inputs, "
                                "outputs, op counts, parameters) to stderr "
                                "after the pass pipeline"),
                 llvm::cl::init(false));

static llvm::cl::opt<int64_t> onnxInlineLimit(
    "onnx-inline-limit",
    llvm::cl::desc("ONNX import: constants with at most this many elements "
                   "become dense<...>, larger ones dense_resource<...>"),
    llvm::cl::init(16));

static llvm::cl::opt<bool> onnxImportOnly(
    "onnx-import-only",
    llvm::cl::desc("Import the ONNX model (binary models zero-copy: the "
                   "weights stay in the memory-mapped file), verify it, print "
                   "the --llm-summary if asked, and write nothing else; for "
                   "timing the importer (benchmarks/import.py)"),
    llvm::cl::init(false));

static llvm::cl::opt<std::string>
    emitKind("emit",
             llvm::cl::desc("What to write to -o: mlir (default), llvm (LLVM "
                            "IR), asm, obj (ELF object) or shared (shared "
                            "library), which need a module lowered to the "
                            "LLVM dialect (e.g. --llm-cpu-pipeline); ptx or "
                            "cubin (ptxas), which need --llm-nvptx-pipeline; "
                            "npu-asm or npu-bin, which need "
                            "--llm-npu-pipeline"),
             llvm::cl::value_desc(
                 "mlir|llvm|asm|obj|shared|ptx|cubin|npu-asm|npu-bin"),
             llvm::cl::init("mlir"));

static llvm::cl::opt<unsigned>
    emitOptLevel("opt-level",
                 llvm::cl::desc("LLVM optimization level (0-3) of --emit "
                                "artifacts"),
                 llvm::cl::init(2));

static llvm::cl::opt<std::string>
    cudaPath("cuda-path",
             llvm::cl::desc("CUDA toolkit whose bin/ptxas --emit=cubin runs "
                            "(else ptxas on PATH)"),
             llvm::cl::init("/usr/local/cuda"));

namespace {
/// Prints llm::printModelSummary to stderr; appended to the pipeline by
/// --llm-summary (a tool option, not a registered pass).
struct SummaryPass
    : public PassWrapper<SummaryPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SummaryPass)
  StringRef getArgument() const override { return "llm-summary"; }
  StringRef getDescription() const override {
    return "Print a summary of the module to stderr";
  }
  void runOnOperation() override {
    llm::printModelSummary(getOperation(), llvm::errs());
    markAllAnalysesPreserved();
  }
};

/// Writes the module as an --emit artifact (llm::emitArtifact); appended to
/// the pipeline when --emit is not mlir.
struct EmitArtifactPass
    : public PassWrapper<EmitArtifactPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(EmitArtifactPass)
  EmitArtifactPass(llm::ArtifactKind kind, std::string outputPath)
      : kind(kind), outputPath(std::move(outputPath)) {}
  StringRef getArgument() const override { return "llm-emit-artifact"; }
  StringRef getDescription() const override {
    return "Write the module as LLVM IR, assembly, object or shared library";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    OpPassManager host("builtin.module");
    llm::buildNVPTXHostPipeline(host);
    host.getDependentDialects(registry);
  }
  void runOnOperation() override {
    llm::CPUCodegenOptions options;
    options.optLevel = emitOptLevel;
    ModuleOp module = getOperation();
    // GPU models (--llm-nvptx-pipeline): lower the host code for our CUDA
    // runtime, embed the signature (docs/nvptx.md).
    if (llm::hasGPUKernels(module)) {
      if (failed(emitGPUModel(module, options)))
        return signalPassFailure();
    } else if (failed(llm::emitArtifact(module, kind, outputPath, options))) {
      return signalPassFailure();
    }
    markAllAnalysesPreserved();
  }
  LogicalResult emitGPUModel(ModuleOp module,
                             const llm::CPUCodegenOptions &options) {
    if (!llm::hasUnloweredGPUHostCode(module))
      return module.emitError()
             << "--emit=" << emitKind
             << " of a GPU model needs its host code unlowered (it reads the "
                "model's signature from it): drop lower-host=true";
    func::FuncOp entry = llm::findEntryFunction(module);
    if (!entry)
      return failure();
    FailureOr<llm::ModelSignature> signature = llm::getModelSignature(entry);
    if (failed(signature))
      return failure();
    OpPassManager host("builtin.module");
    llm::buildNVPTXHostPipeline(host);
    if (failed(runPipeline(host, module)))
      return failure();
    return llm::emitCUDAArtifact(module, *signature, kind, outputPath,
                                 options);
  }
  llm::ArtifactKind kind;
  std::string outputPath;
};

/// Writes the kernels' PTX or cubin (llm::emitGPUArtifact); appended to the
/// pipeline by --emit=ptx|cubin.
struct EmitGPUArtifactPass
    : public PassWrapper<EmitGPUArtifactPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(EmitGPUArtifactPass)
  EmitGPUArtifactPass(llm::GPUArtifactKind kind, std::string outputPath)
      : kind(kind), outputPath(std::move(outputPath)) {}
  StringRef getArgument() const override { return "llm-emit-gpu-artifact"; }
  StringRef getDescription() const override {
    return "Write the kernels' PTX or cubin";
  }
  void runOnOperation() override {
    if (failed(llm::emitGPUArtifact(getOperation(), kind, outputPath,
                                    cudaPath)))
      return signalPassFailure();
    markAllAnalysesPreserved();
  }
  llm::GPUArtifactKind kind;
  std::string outputPath;
};
} // namespace

namespace {
/// Writes the NPU program (llm::emitNPUArtifact); appended to the pipeline
/// by --emit=npu-asm|npu-bin.
struct EmitNPUArtifactPass
    : public PassWrapper<EmitNPUArtifactPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(EmitNPUArtifactPass)
  EmitNPUArtifactPass(llm::NPUArtifactKind kind, std::string outputPath)
      : kind(kind), outputPath(std::move(outputPath)) {}
  StringRef getArgument() const override { return "llm-emit-npu-artifact"; }
  StringRef getDescription() const override {
    return "Write the NPU program as assembly or a binary";
  }
  void runOnOperation() override {
    if (failed(llm::emitNPUArtifact(getOperation(), kind, outputPath)))
      return signalPassFailure();
    markAllAnalysesPreserved();
  }
  llm::NPUArtifactKind kind;
  std::string outputPath;
};
} // namespace

/// Imports one ONNX buffer (a whole file, or a chunk of a split .onnxtxt)
/// and runs the mlir-opt processing on the result.
static LogicalResult processONNX(std::unique_ptr<llvm::MemoryBuffer> buffer,
                                 llvm::raw_ostream &os,
                                 DialectRegistry &registry,
                                 const MlirOptMainConfig &config,
                                 llm::ONNXImportOptions::Format format,
                                 StringRef modelDir) {
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  llm::ONNXImportOptions options;
  options.format = format;
  options.externalDataDir = modelDir.str();
  options.inlineElementsLimit = onnxInlineLimit;
  llvm::MemoryBufferRef ref = buffer->getMemBufferRef();
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());

  OwningOpRef<ModuleOp> module;
  if (config.shouldVerifyDiagnostics()) {
    SourceMgrDiagnosticVerifierHandler handler(sourceMgr, &context,
                                               config.verifyDiagnosticsLevel());
    module = llm::importONNX(ref, &context, options);
    if (failed(handler.verify()))
      return failure();
    if (!module)
      return success(); // the expected import errors were produced
  } else {
    SourceMgrDiagnosticHandler handler(sourceMgr, &context);
    module = llm::importONNX(ref, &context, options);
    if (!module)
      return failure();
  }

  std::string bytecode;
  llvm::raw_string_ostream bytecodeStream(bytecode);
  if (failed(writeBytecodeToFile(*module, bytecodeStream))) {
    llvm::errs() << ref.getBufferIdentifier()
                 << ": cannot serialize the imported module\n";
    return failure();
  }
  module = nullptr;
  auto mlirBuffer = llvm::MemoryBuffer::getMemBuffer(
      bytecode, ref.getBufferIdentifier(), /*RequiresNullTerminator=*/false);
  MlirOptMainConfig chunkConfig = config;
  chunkConfig.splitInputFile("");
  return MlirOptMain(os, std::move(mlirBuffer), registry, chunkConfig);
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  llvm::cl::AddExtraVersionPrinter([](llvm::raw_ostream &os) {
    os << "LLM compiler (llm-opt) version " << LLM_VERSION << "\n";
  });
  DialectRegistry registry;
  llm::registerAllDialects(registry);
  llm::registerONNXImporterDialects(registry);
  llm::registerAllPasses();
  llm::registerCPUTranslations(registry);

  auto [inputFilename, outputFilename] = registerAndParseCLIOptions(
      argc, argv, "LLM compiler optimizer driver\n", registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  if (printSummary) {
    MlirOptMainConfig base = config;
    config.setPassPipelineSetupFn([base](PassManager &pm) -> LogicalResult {
      if (failed(base.setupPassPipeline(pm)))
        return failure();
      pm.addPass(std::make_unique<SummaryPass>());
      return success();
    });
  }

  std::optional<llm::ArtifactKind> artifact = llm::parseArtifactKind(emitKind);
  std::optional<llm::GPUArtifactKind> gpuArtifact =
      llm::parseGPUArtifactKind(emitKind);
  std::optional<llm::NPUArtifactKind> npuArtifact =
      llm::parseNPUArtifactKind(emitKind);
  if (!artifact && !gpuArtifact && !npuArtifact) {
    llvm::errs() << "llm-opt: --emit=" << emitKind
                 << " is not one of mlir, llvm, asm, obj, shared, ptx, cubin, "
                    "npu-asm, npu-bin\n";
    return EXIT_FAILURE;
  }
  bool emitsArtifact = gpuArtifact || npuArtifact ||
                       *artifact != llm::ArtifactKind::MLIR;
  if (emitsArtifact) {
    if (!config.inputSplitMarker().empty()) {
      llvm::errs() << "llm-opt: --emit=" << emitKind
                   << " writes one artifact and cannot be combined with "
                      "-split-input-file\n";
      return EXIT_FAILURE;
    }
    MlirOptMainConfig base = config;
    std::string path = outputFilename;
    config.setPassPipelineSetupFn(
        [base, artifact, gpuArtifact, npuArtifact,
         path](PassManager &pm) -> LogicalResult {
          if (failed(base.setupPassPipeline(pm)))
            return failure();
          if (npuArtifact)
            pm.addPass(
                std::make_unique<EmitNPUArtifactPass>(*npuArtifact, path));
          else if (gpuArtifact)
            pm.addPass(
                std::make_unique<EmitGPUArtifactPass>(*gpuArtifact, path));
          else
            pm.addPass(std::make_unique<EmitArtifactPass>(*artifact, path));
          return success();
        });
  }

  std::string errorMessage;
  auto input = openInputFile(inputFilename, &errorMessage);
  if (!input) {
    llvm::errs() << errorMessage << "\n";
    return EXIT_FAILURE;
  }
  // With --emit the artifact pass writes the output file; the MLIR goes
  // nowhere.
  auto output = openOutputFile(emitsArtifact ? "-" : outputFilename.c_str(),
                               &errorMessage);
  if (!output) {
    llvm::errs() << errorMessage << "\n";
    return EXIT_FAILURE;
  }

  // The format follows the file name (split chunks are named differently).
  auto format = llvm::sys::path::extension(inputFilename) == ".onnxtxt"
                    ? llm::ONNXImportOptions::Format::Text
                    : llm::ONNXImportOptions::Format::Binary;
  llvm::raw_ostream &mlirOutput = emitsArtifact ? llvm::nulls() : output->os();
  // External tensor data is read from the model's directory (also for the
  // chunks of a split file, whose buffers have other names).
  std::string modelDir = llvm::sys::path::parent_path(inputFilename).str();
  if (modelDir.empty())
    modelDir = ".";
  LogicalResult result = failure();
  if (onnxImportOnly) {
    if (!llm::isONNXFileName(inputFilename)) {
      llvm::errs() << "llm-opt: --onnx-import-only needs an .onnx or "
                      ".onnxtxt input\n";
      return EXIT_FAILURE;
    }
    MLIRContext context(registry, MLIRContext::Threading::DISABLED);
    llm::ONNXImportOptions options;
    options.format = format;
    options.externalDataDir = modelDir;
    options.inlineElementsLimit = onnxInlineLimit;
    llvm::SourceMgr sourceMgr;
    SourceMgrDiagnosticHandler handler(sourceMgr, &context);
    OwningOpRef<ModuleOp> module =
        llm::importONNXFile(inputFilename, &context, options);
    if (!module || failed(verify(*module)))
      return EXIT_FAILURE;
    // Nothing is printed: printing the weights (even elided, which MLIR
    // decides after hex-encoding them) would cost more than the import.
    if (printSummary)
      llm::printModelSummary(*module, llvm::errs());
    return EXIT_SUCCESS;
  }
  if (!llm::isONNXFileName(inputFilename)) {
    result = MlirOptMain(mlirOutput, std::move(input), registry, config);
  } else if (!config.inputSplitMarker().empty() &&
             format == llm::ONNXImportOptions::Format::Text) {
    // Text models split at `# -----` (a protobuf text-format comment).
    result = splitAndProcessBuffer(
        std::move(input),
        [&](std::unique_ptr<llvm::MemoryBuffer> chunk, llvm::raw_ostream &os) {
          return processONNX(std::move(chunk), os, registry, config, format,
                             modelDir);
        },
        output->os(), "# -----", std::as_const(config).outputSplitMarker());
  } else {
    result = processONNX(std::move(input), mlirOutput, registry, config,
                         format, modelDir);
  }
  if (failed(result))
    return EXIT_FAILURE;
  output->keep();
  return EXIT_SUCCESS;
}

//===- NVPTXTarget.cpp - PTX and cubin artifacts -------------------------===//
//
// Writes the PTX the NVPTX pipeline embedded in its gpu.binary, or runs the
// CUDA toolkit's ptxas on it to make a cubin; registers what the pipeline
// needs. See include/llm/Target/NVPTX/NVPTXTarget.h.
//
//===----------------------------------------------------------------------===//

#include "llm/Target/NVPTX/NVPTXTarget.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVM.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::llm;

std::optional<GPUArtifactKind> llm::parseGPUArtifactKind(StringRef name) {
  return llvm::StringSwitch<std::optional<GPUArtifactKind>>(name)
      .Case("ptx", GPUArtifactKind::PTX)
      .Case("cubin", GPUArtifactKind::Cubin)
      .Default(std::nullopt);
}

void llm::registerNVPTXTarget(DialectRegistry &registry) {
  registry.insert<gpu::GPUDialect, NVVM::NVVMDialect>();
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  gpu::registerOffloadingLLVMTranslationInterfaceExternalModels(registry);
  registerNVVMDialectTranslation(registry);
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  index::registerConvertIndexToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  registerConvertNVVMToLLVMInterface(registry);
  ub::registerConvertUBToLLVMInterface(registry);
  // Vector loads/stores of the fused norm kernels (NormToGPU.cpp).
  vector::registerConvertVectorToLLVMInterface(registry);
  NVVM::registerConvertGpuToNVVMInterface(registry);
}

FailureOr<KernelPTX> llm::getKernelPTX(ModuleOp module) {
  SmallVector<gpu::BinaryOp> binaries =
      llvm::to_vector(module.getOps<gpu::BinaryOp>());
  if (binaries.size() != 1) {
    InFlightDiagnostic diag = emitError(module.getLoc())
                              << "--emit=ptx|cubin needs exactly one "
                                 "gpu.binary (the kernels' PTX), found "
                              << binaries.size();
    if (binaries.empty())
      diag << "; compile with --llm-nvptx-pipeline first";
    else
      diag << ": merge the kernels into one gpu.module "
              "(llm-merge-gpu-modules) before gpu-module-to-binary";
    return failure();
  }
  gpu::BinaryOp binary = binaries.front();
  ArrayAttr objects = binary.getObjects();
  auto object = objects.size() == 1 ? dyn_cast<gpu::ObjectAttr>(objects[0])
                                    : gpu::ObjectAttr();
  auto target =
      object ? dyn_cast<NVVM::NVVMTargetAttr>(object.getTarget()) : nullptr;
  if (!object || !target ||
      object.getFormat() != gpu::CompilationTarget::Assembly) {
    emitError(binary.getLoc()) << "--emit=ptx|cubin needs one object in isa "
                          "format for an NVVM target (gpu-module-to-binary"
                          "{format=isa}), found "
                       << objects;
    return failure();
  }
  StringRef ptx = object.getObject().getValue();
  // Math functions come from libdevice; without it (no CUDA toolkit found by
  // the pipeline) the PTX calls undefined functions.
  size_t missing = ptx.find(".extern .func");
  if (missing != StringRef::npos) {
    StringRef line = ptx.substr(missing).take_until(
        [](char c) { return c == '\n'; });
    emitError(binary.getLoc())
        << "the kernels call functions that were not linked (" << line.trim()
        << "): libdevice was not found; give the CUDA toolkit with "
           "--llm-nvptx-pipeline=\"cuda-path=DIR\"";
    return failure();
  }
  return KernelPTX{ptx.str(), target.getChip().str()};
}

std::optional<std::string> llm::findPTXAS(StringRef cudaPath) {
  if (!cudaPath.empty()) {
    SmallString<256> path(cudaPath);
    llvm::sys::path::append(path, "bin", "ptxas");
    if (llvm::sys::fs::can_execute(path))
      return path.str().str();
  }
  if (llvm::ErrorOr<std::string> onPath = llvm::sys::findProgramByName("ptxas"))
    return *onPath;
  return std::nullopt;
}

/// Runs `ptxas -arch=<chip> -o outputPath <ptx file>`.
static LogicalResult assemblePTX(ModuleOp module, const KernelPTX &kernels,
                                 StringRef outputPath, StringRef cudaPath) {
  std::optional<std::string> ptxas = findPTXAS(cudaPath);
  if (!ptxas)
    return emitError(module.getLoc())
           << "--emit=cubin needs ptxas (the CUDA toolkit's PTX assembler), "
              "which is neither in "
           << (cudaPath.empty() ? "<no --cuda-path>" : cudaPath)
           << "/bin nor on PATH: install the CUDA toolkit and pass "
              "--cuda-path=DIR, or write PTX with --emit=ptx";
  if (outputPath == "-")
    return emitError(module.getLoc()) << "--emit=cubin writes a binary file: give "
                                 "it with -o FILE";

  SmallString<128> ptxPath, logPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("llm-kernels", "ptx", ptxPath))
    return emitError(module.getLoc()) << "cannot create a temporary file: "
                              << ec.message();
  llvm::FileRemover ptxRemover(ptxPath);
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("llm-ptxas", "log", logPath))
    return emitError(module.getLoc()) << "cannot create a temporary file: "
                              << ec.message();
  llvm::FileRemover logRemover(logPath);
  {
    std::error_code ec;
    llvm::raw_fd_ostream ptxFile(ptxPath, ec);
    if (ec)
      return emitError(module.getLoc()) << "cannot write " << ptxPath << ": "
                                << ec.message();
    ptxFile << kernels.ptx;
  }

  std::string arch = "-arch=" + kernels.chip;
  SmallVector<StringRef> args = {*ptxas, arch, "-o", outputPath, ptxPath};
  std::optional<StringRef> redirects[] = {std::nullopt, logPath, logPath};
  std::string errorMessage;
  int status = llvm::sys::ExecuteAndWait(*ptxas, args, std::nullopt,
                                         redirects, 0, 0, &errorMessage);
  if (status != 0) {
    std::string log;
    if (auto buffer = llvm::MemoryBuffer::getFile(logPath))
      log = (*buffer)->getBuffer().trim().str();
    return emitError(module.getLoc())
           << *ptxas << " " << arch << " failed ("
           << (errorMessage.empty() ? "exit status " + std::to_string(status)
                                    : errorMessage)
           << ")" << (log.empty() ? "" : ":\n") << log;
  }
  return success();
}

LogicalResult llm::emitGPUArtifact(ModuleOp module, GPUArtifactKind kind,
                                   StringRef outputPath, StringRef cudaPath) {
  FailureOr<KernelPTX> kernels = getKernelPTX(module);
  if (failed(kernels))
    return failure();
  if (kind == GPUArtifactKind::Cubin)
    return assemblePTX(module, *kernels, outputPath, cudaPath);
  std::string errorMessage;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputPath, &errorMessage);
  if (!output)
    return emitError(module.getLoc()) << errorMessage;
  output->os() << kernels->ptx;
  output->keep();
  return success();
}

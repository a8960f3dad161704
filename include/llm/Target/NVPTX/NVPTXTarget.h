//===- NVPTXTarget.h - PTX and cubin artifacts ------------------*- C++ -*-===//
//
// The back end of the NVPTX target. The NVPTX pipeline leaves one
// `gpu.binary` whose object is the PTX of all kernels of the model (format
// `isa`, see include/llm/Pipelines/Pipelines.h); this writes it out:
//
//   ptx    the PTX module as text (.ptx), one file with every kernel
//   cubin  the PTX assembled by the CUDA toolkit's `ptxas` for the chip the
//          pipeline compiled for (-arch=<chip>); ptxas is looked up in
//          <cuda-path>/bin, then on PATH, and its absence is an error that
//          names it.
//
// It also registers what the pipeline needs in a DialectRegistry: the GPU
// and NVVM dialects, the NVVM target attribute's serialization model, the
// LLVM IR translations gpu-module-to-binary uses and the dialect-to-LLVM
// interfaces convert-gpu-to-nvvm uses.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TARGET_NVPTX_NVPTXTARGET_H
#define LLM_TARGET_NVPTX_NVPTXTARGET_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>

namespace mlir {
class DialectRegistry;
namespace llm {

/// What `llm-opt --emit=ptx|cubin` writes.
enum class GPUArtifactKind { PTX, Cubin };

/// Parses an --emit value: ptx or cubin (nullopt for anything else).
std::optional<GPUArtifactKind> parseGPUArtifactKind(StringRef name);

/// Registers the GPU and NVVM dialects, the NVVM target model, the LLVM IR
/// translations (builtin, LLVM, GPU, NVVM) and the ConvertToLLVM interfaces
/// of the dialects in kernels (arith, cf, func, index, math, memref, ub).
void registerNVPTXTarget(DialectRegistry &registry);

/// The PTX of the module's kernels and the chip it was compiled for.
struct KernelPTX {
  std::string ptx;
  std::string chip;
};

/// Reads the PTX from the module's only `gpu.binary` (an object in `isa`
/// format for an NVVM target). Emits an error on the module, saying what
/// was found instead, and fails otherwise.
FailureOr<KernelPTX> getKernelPTX(ModuleOp module);

/// The ptxas to run: <cudaPath>/bin/ptxas if it exists, else `ptxas` on
/// PATH; nullopt if neither exists.
std::optional<std::string> findPTXAS(StringRef cudaPath);

/// Writes the module's PTX (`kind` PTX) or the cubin ptxas makes of it
/// (`kind` Cubin) to `outputPath` ("-" is stdout, PTX only). Errors (no
/// kernels, no ptxas, ptxas failing with its messages) are emitted on the
/// module.
LogicalResult emitGPUArtifact(ModuleOp module, GPUArtifactKind kind,
                              StringRef outputPath, StringRef cudaPath);

} // namespace llm
} // namespace mlir

#endif // LLM_TARGET_NVPTX_NVPTXTARGET_H

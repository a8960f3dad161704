//===- CUDAArtifact.h - compiled GPU models as host libraries ---*- C++ -*-===//
//
// A model compiled by the NVPTX pipeline as one host artifact: the host code
// (lowered by buildNVPTXHostPipeline to the LLVM dialect, calling our CUDA
// runtime) with the kernels' PTX embedded (the gpu.binary, loaded by a
// global constructor), compiled for a generic x86-64 CPU (it runs on the
// GPU machine, not here) and, for `shared`, linked against
// libLLMCUDARuntime.so only (plus libc). The C ABI is the CPU target's
// (docs/cpu.md: `_mlir_ciface_<f>`, malloc'ed results); the model's
// interface is embedded as the NUL-terminated string `llm_model_signature`,
// which llm-run-cuda reads:
//
//   llm-model-signature 1
//   entry <function name>
//   input <name> <dtype> <rank> <dim>... <dim name>...
//   output <name> <dtype> <rank> <dim>... <dim name>...
//
// one line each, fields separated by one space; a dynamic dim is `?`, a dim
// without a symbolic name `-`; names escape `%`, spaces and control
// characters as %XX. dtypes are getDTypeName's (f32, i64, bool, ...).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TARGET_NVPTX_CUDAARTIFACT_H
#define LLM_TARGET_NVPTX_CUDAARTIFACT_H

#include "llm/Runtime/ModelSignature.h"
#include "llm/Target/CPU/CPUTarget.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>

namespace mlir {
namespace llm {

/// Whether `module` holds kernels (a gpu.binary) launched by host code that
/// is not lowered yet (func.func at the module level).
bool hasUnloweredGPUHostCode(ModuleOp module);

/// Whether `module` holds kernels (a gpu.binary).
bool hasGPUKernels(ModuleOp module);

/// The `llm_model_signature` text of `signature` (format above).
std::string serializeModelSignature(const ModelSignature &signature);

/// libLLMCUDARuntime.so: $LLM_CUDA_RUNTIME if set, else next to the
/// running tool (`<bin>/../lib`), else nullopt.
std::optional<std::string> findCUDARuntimeLibrary();

/// Writes `module` (host code lowered by buildNVPTXHostPipeline, with its
/// gpu.binary) as LLVM IR, assembly, an object or a shared library, with
/// `signature` embedded as `llm_model_signature`. The host code is compiled
/// for `options.cpu` (default: the generic `x86-64`); shared libraries are
/// linked with `-lLLMCUDARuntime` and rpath `$ORIGIN` and the runtime's
/// directory. Errors are emitted on the module.
LogicalResult emitCUDAArtifact(ModuleOp module,
                               const ModelSignature &signature,
                               ArtifactKind kind, StringRef outputPath,
                               const CPUCodegenOptions &options);

} // namespace llm
} // namespace mlir

#endif // LLM_TARGET_NVPTX_CUDAARTIFACT_H

//===- RunCUDA.h - llm-run --target=cuda ------------------------*- C++ -*-===//
//
// The CUDA side of llm-run: the model goes through --llm-nvptx-pipeline and
// the host lowering (buildNVPTXHostPipeline), and the host code is
// JIT-compiled like a CPU model (CPUJITModel), its mgpu* calls resolved to
// our CUDA runtime (libLLMCUDARuntime.so, linked into llm-run).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TOOLS_LLM_RUN_RUNCUDA_H
#define LLM_TOOLS_LLM_RUN_RUNCUDA_H

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Error.h"

namespace mlir {
namespace llm {

/// Initializes CUDA (driver, device, context); the error says why it is not
/// usable (no driver, no device, cuInit failing).
llvm::Error initCUDA();

/// Adds the NVPTX pipeline with `options` (its --pipeline-options syntax)
/// and the host lowering to `pm`; the error names a bad option.
llvm::Error buildCUDAPipeline(PassManager &pm, StringRef options);

/// The CUDA error recorded since the last call (a failed module load,
/// launch or kernel), cleared.
llvm::Error takeCUDAError();

/// The device in use, for messages.
std::string getCUDADeviceName();

} // namespace llm
} // namespace mlir

#endif // LLM_TOOLS_LLM_RUN_RUNCUDA_H

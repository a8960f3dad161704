//===- RunNPU.h - llm-run --target=npu ---------------------------*- C++ -*-===//
//
// The NPU part of llm-run: compiles a model with the NPU pipeline and runs
// the program on the simulator library (lib/Target/NPU), with the same
// interface as the CPU's JIT model so that llm-run's input binding,
// reporting and comparison serve both.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TOOLS_LLM_RUN_RUNNPU_H
#define LLM_TOOLS_LLM_RUN_RUNNPU_H

#include "llm/Runtime/ModelSignature.h"
#include "llm/Runtime/Tensor.h"
#include "llm/Target/NPU/Program.h"

#include "mlir/IR/BuiltinOps.h"

#include <memory>
#include <vector>

namespace mlir {
namespace llm {

class NPUModel {
public:
  /// Compiles `module` (transformer ops) with --llm-npu-pipeline and the
  /// given options string and exports the program. Errors name the problem
  /// (the pipeline's diagnostics go to the context's handler).
  static llvm::Expected<std::unique_ptr<NPUModel>>
  compile(ModuleOp module, ModelSignature signature,
          StringRef pipelineOptions);

  const ModelSignature &getSignature() const { return signature; }

  /// Runs the program on the simulator and prints its statistics (cycles,
  /// array utilization, DMA traffic, per-queue stalls). `seconds` receives
  /// the simulated time at the NPU's nominal 1 GHz.
  llvm::Expected<std::vector<Tensor>> run(ArrayRef<const Tensor *> inputs,
                                          double *seconds = nullptr);

private:
  NPUModel() = default;
  ModelSignature signature;
  npu::Program program;
};

/// Default --rtol/--atol of bf16 NPU results (see docs/npu.md, "Accuracy").
constexpr double kNPUBF16Tolerance = 2.0 / 64.0;

} // namespace llm
} // namespace mlir

#endif // LLM_TOOLS_LLM_RUN_RUNNPU_H

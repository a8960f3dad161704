//===- CPURunner.h - run compiled models on the host CPU --------*- C++ -*-===//
//
// Runs a model the CPU pipeline lowered to the LLVM dialect, in process:
// JIT-compiles it with mlir::ExecutionEngine (LLVM O2 for the host CPU) and
// calls its `_mlir_ciface_<name>` wrapper with memref descriptors built over
// runtime Tensors.
//
// The model's interface (ModelSignature) is read from the `func.func` before
// lowering: input/output names (the importer's `onnx.name` argument and
// result attributes), element types, shapes with dynamic dims and the names
// of symbolic dims (`onnx.dim_params`). Inputs are checked against it
// (element type, rank, static dims, equal sizes for dims with the same
// symbol) before a call, so a wrong input is an error message, not a crash.
// Outputs are read with the ONNX declared type where the importer recorded
// one (`onnx.declared_type`: declared more static than computed), and the
// results of a call are checked against it.
//
// Results come back as memref descriptors whose buffers the callee
// allocated (malloc) and whose ownership passes to the caller: they are
// copied into Tensors and freed.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TARGET_CPU_CPURUNNER_H
#define LLM_TARGET_CPU_CPURUNNER_H

#include "llm/Runtime/ModelSignature.h"
#include "llm/Runtime/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class TargetMachine;
} // namespace llvm

namespace mlir {
class ExecutionEngine;
namespace func {
class FuncOp;
} // namespace func
namespace llm {

class HugePageMemoryMapper;

/// The entry function of a module: `name` if given, else the only public
/// function definition, else `main`. Emits an error and returns null if
/// there is none (or several without `name`).
func::FuncOp findEntryFunction(ModuleOp module, StringRef name = "");

/// Reads the signature of `func` (tensor arguments and results of supported
/// element types, or ranked memrefs for a bufferized function; anything else
/// is an error emitted on the function).
FailureOr<ModelSignature> getModelSignature(func::FuncOp func);

/// Checks `inputs` (in signature order) against the signature: count,
/// element types, ranks, static dims, equal sizes of same-named symbolic
/// dims. The error names the input and says what differs.
llvm::Error checkInputs(const ModelSignature &signature,
                        ArrayRef<const Tensor *> inputs);

/// Checks the results of a run (in signature order) against the static
/// dims of the signature's outputs: an ONNX output declared more static than
/// what the graph computes (`onnx.declared_type`) is only checked here, after
/// the run, since the compiled code does not assume the declared sizes. The
/// error names the output and the dim.
llvm::Error checkOutputs(const ModelSignature &signature,
                         ArrayRef<Tensor> outputs);

/// Makes glibc's malloc keep freed memory in the process for later calls:
/// a compiled model mallocs its temporaries (megabytes per call for a
/// transformer block) and frees them before it returns; by default glibc
/// serves blocks of 128 KiB and more by mmap and returns them (and the top
/// of the heap) to the kernel at free, so every call page-faults and clears
/// its temporaries again (~19% of a GPT-2 block call, docs/cpu.md). Raises
/// M_MMAP_THRESHOLD and M_TRIM_THRESHOLD to 1 GiB; both are needed. Process
/// wide: llm-run calls it; an embedding program decides for itself (the same
/// two mallopt calls, or MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ in
/// the environment). Returns false if the C library refused (or is not
/// glibc).
bool keepHeapBetweenCalls();

/// A JIT-compiled model.
class CPUJITModel {
public:
  /// JIT-compiles `loweredModule` (LLVM dialect, with the C-interface
  /// wrapper of `signature.functionName`) at LLVM `optLevel` for the CPU
  /// the pipeline recorded on it (the host by default; another CPU's code
  /// runs if the host supports its instructions).
  /// The module's context must have the LLVM IR translations registered
  /// (registerCPUTranslations). The module is not needed afterwards.
  static llvm::Expected<std::unique_ptr<CPUJITModel>>
  create(ModuleOp loweredModule, ModelSignature signature,
         unsigned optLevel = 2);
  ~CPUJITModel();

  const ModelSignature &getSignature() const { return signature; }

  /// Runs the model on `inputs` (signature order; checked by checkInputs),
  /// then checks the results with checkOutputs.
  /// `seconds`, if given, receives the time of the call itself.
  llvm::Expected<std::vector<Tensor>> run(ArrayRef<const Tensor *> inputs,
                                          double *seconds = nullptr);

  /// Threads the parallel regions of the compiled code use in later run()
  /// calls (omp_set_num_threads before each call); 0 (the default) leaves
  /// the OpenMP runtime's setting (OMP_NUM_THREADS, else all cores). No
  /// effect on code compiled with threads=1.
  void setThreads(int threads) { numThreads = threads; }

private:
  CPUJITModel() = default;
  ModelSignature signature;
  std::unique_ptr<llvm::TargetMachine> targetMachine;
  /// The JIT's section memory (weights in huge pages); outlives `engine`.
  std::unique_ptr<HugePageMemoryMapper> memoryMapper;
  std::unique_ptr<ExecutionEngine> engine;
  /// omp_set_num_threads of the loaded OpenMP runtime (null without one).
  void (*ompSetNumThreads)(int) = nullptr;
  int numThreads = 0;
};

} // namespace llm
} // namespace mlir

#endif // LLM_TARGET_CPU_CPURUNNER_H

//===- KernelLaunch.h - kernels that replace an op, and their launch -----===//
//
// What convert-transformer-to-gpu (attention) and
// convert-transformer-norms-to-gpu (norms, softmax) share when they replace
// an op by a hand-built kernel: the element types the kernels take, the
// kernel itself (a gpu.func with the gpu.kernel attribute and a known block
// size, alone in a gpu.module of its name, as gpu-kernel-outlining names its
// modules; llm-merge-gpu-modules merges them later), its launch, and the
// output buffers returned to the tensor world.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_CONVERSION_GPUCOMMON_KERNELLAUNCH_H
#define LLM_CONVERSION_GPUCOMMON_KERNELLAUNCH_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

#include <string>

namespace mlir::llm {

/// True for the element types the hand-built kernels read and write: f16
/// and bf16 (computed in f32: extended on load, truncated on store) and f32.
bool isKernelFloat(Type type);

/// `<function>_<suffix>`: the name of the kernel replacing `op`, after the
/// function around it ("llm" outside one).
std::string kernelName(Operation *op, StringRef suffix);

/// Creates the kernel `name` taking `argumentTypes`, with
/// `workgroupBuffers` (workgroup-memory memrefs) and a known block size of
/// `threads` x 1 x 1, alone in a new gpu.module at the end of the module
/// of `moduleSymbols` (renamed on a clash; the kernel takes the module's
/// name), which becomes a `gpu.container_module`. `buildBody` emits the body at `b`'s insertion point, in the
/// entry block; a gpu.return follows. `b`'s insertion point is restored.
gpu::GPUFuncOp
createKernel(OpBuilder &b, Location loc, SymbolTable &moduleSymbols,
             StringRef name, TypeRange argumentTypes,
             TypeRange workgroupBuffers, int64_t threads,
             function_ref<void(gpu::GPUFuncOp kernel)> buildBody);

/// Launches `kernel` (made by createKernel) with `operands` on `grid`
/// blocks of its known block size.
void launchKernel(OpBuilder &b, Location loc, gpu::GPUFuncOp kernel,
                  const gpu::KernelDim3 &grid, ValueRange operands);

/// The buffer a kernel wrote (a memref.alloc) as a tensor of `type`, for
/// the ops after the launch: `bufferization.to_tensor restrict writable`,
/// so one-shot bufferization and the deallocation pipeline treat it as any
/// other buffer.
Value kernelResult(OpBuilder &b, Location loc, TensorType type, Value buffer);

} // namespace mlir::llm

#endif // LLM_CONVERSION_GPUCOMMON_KERNELLAUNCH_H

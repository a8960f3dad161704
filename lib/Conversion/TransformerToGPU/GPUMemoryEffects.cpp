//===- GPUMemoryEffects.cpp - memory effects of gpu ops -------------------===//
//
// External MemoryEffectOpInterface models for the gpu ops that
// convert-transformer-to-gpu leaves in host functions before bufferization:
// gpu.launch_func reads and writes each of its memref operands (the kernel
// may do either) and memory in general (pointer operands after the host
// lowering). The ownership-based deallocation, run after one-shot
// bufferization, rejects ops with memref operands and unknown memory
// effects; with this model it treats a launch like any other buffer user.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/TransformerToGPU/TransformerToGPU.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace {
struct LaunchFuncMemoryEffects
    : public MemoryEffectOpInterface::ExternalModel<LaunchFuncMemoryEffects,
                                                    gpu::LaunchFuncOp> {
  void
  getEffects(Operation *op,
             SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
                 &effects) const {
    // Kernels may touch memory they reach through pointers (after the host
    // lowering, operands are !llvm.ptr): never trivially dead.
    effects.emplace_back(MemoryEffects::Read::get());
    effects.emplace_back(MemoryEffects::Write::get());
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isa<MemRefType>(operand.get().getType()))
        continue;
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
      effects.emplace_back(MemoryEffects::Write::get(), &operand,
                           SideEffects::DefaultResource::get());
    }
  }
};
} // namespace

void llm::registerGPUMemoryEffects(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, gpu::GPUDialect *) {
    gpu::LaunchFuncOp::attachInterface<LaunchFuncMemoryEffects>(*context);
  });
}

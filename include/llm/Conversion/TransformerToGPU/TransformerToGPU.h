//===- TransformerToGPU.h - transformer ops to fused GPU kernels -*- C++
//-*-===//
//
// convert-transformer-to-gpu (lib/Conversion/TransformerToGPU) launches its
// kernels (gpu.launch_func) from tensor-level code, before bufferization; the
// deallocation pipeline then needs the launches' memory effects.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_CONVERSION_TRANSFORMERTOGPU_TRANSFORMERTOGPU_H
#define LLM_CONVERSION_TRANSFORMERTOGPU_TRANSFORMERTOGPU_H

namespace mlir {
class DialectRegistry;
namespace llm {

/// Declares that `gpu.launch_func` reads and writes its memref operands, so
/// the ownership-based deallocation accepts launches (upstream gives the op
/// no memory-effect interface, which that pass rejects).
void registerGPUMemoryEffects(DialectRegistry &registry);

} // namespace llm
} // namespace mlir

#endif // LLM_CONVERSION_TRANSFORMERTOGPU_TRANSFORMERTOGPU_H

//===- Semantics.h - what NPU compute instructions do -----------*- C++ -*-===//
//
// Internal to the simulator: the functional effect of the compute-queue
// instructions (matmul and the vector unit) on local memory, and their
// timing. DMA needs the DRAM registers and is executed by the simulator.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_TARGET_NPU_SEMANTICS_H
#define LLM_LIB_TARGET_NPU_SEMANTICS_H

#include "llm/Target/NPU/ISA.h"

namespace mlir {
namespace llm {
namespace npu {

/// Executes a valid compute-queue instruction on `local` (kLocalEnd bytes,
/// unified addresses). Reads every source before writing.
void executeCompute(const Instruction &inst, uint8_t *local);

/// Cycles the vector unit is busy with a vector instruction (including its
/// pipeline latency).
uint64_t getVectorCycles(const Instruction &inst, uint64_t latency,
                         uint64_t transcendentalLatency);

} // namespace npu
} // namespace llm
} // namespace mlir

#endif // LLM_LIB_TARGET_NPU_SEMANTICS_H

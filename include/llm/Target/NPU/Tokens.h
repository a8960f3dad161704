//===- Tokens.h - dependency tokens for straight-line NPU code --*- C++ -*-===//
//
// Code generators write NPU programs as if one instruction ran after the
// other; insertDependencyTokens then sets the wait/signal masks
// (docs/npu.md, "Queues and dependency tokens") that make the three queues
// respect exactly the cross-queue dependencies the program has: a read
// after a write, a write after a read or a write of the same local bytes
// (4-byte granules), and of the same DRAM bursts (a load after a store, a
// store after a load). Each token is consumed by the instruction it was
// created for, and a dependency that an earlier token already implies
// (transitively, through what the producer itself waited for) adds none, so
// double-buffered code keeps its overlap.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TARGET_NPU_TOKENS_H
#define LLM_TARGET_NPU_TOKENS_H

#include "llm/Target/NPU/ISA.h"

#include <vector>

namespace mlir {
namespace llm {
namespace npu {

/// Replaces the wait/signal masks of `instructions` (in program order; a
/// final halt is skipped) with the tokens the dependencies need.
void insertDependencyTokens(std::vector<Instruction> &instructions);

} // namespace npu
} // namespace llm
} // namespace mlir

#endif // LLM_TARGET_NPU_TOKENS_H

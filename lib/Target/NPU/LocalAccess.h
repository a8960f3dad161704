//===- LocalAccess.h - local-memory operands of NPU instructions -*- C++ -*-===//
//
// Internal: the local-memory rows an instruction reads or writes, derived
// once from its fields. The validator checks them (inside one memory,
// aligned), the simulator's race detector tracks them.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_TARGET_NPU_LOCALACCESS_H
#define LLM_LIB_TARGET_NPU_LOCALACCESS_H

#include "llm/Target/NPU/ISA.h"

#include "llvm/ADT/SmallVector.h"

namespace mlir {
namespace llm {
namespace npu {

enum class Region : uint8_t { Any, Scratchpad, Accumulator };

/// `rows` rows of `rowBytes` bytes at unified local address addr + i*stride.
struct LocalAccess {
  const char *what; ///< "destination", "source A", "C", ...
  uint64_t addr, rows, stride, rowBytes;
  unsigned align;
  Region region;
  bool isWrite;
};

/// The local-memory operands of an instruction (nothing for halt/sync).
llvm::SmallVector<LocalAccess, 3> getLocalAccesses(const Instruction &inst);

} // namespace npu
} // namespace llm
} // namespace mlir

#endif // LLM_LIB_TARGET_NPU_LOCALACCESS_H

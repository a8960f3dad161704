//===- PackedWeights.h - constant B packed into register panels -*- C++ -*-===//
//
// The contract between llm-pack-constant-weights, which packs the constant
// B of an f32 matmul at compile time, and the passes that read the packed
// copy (llm-tile-contractions, llm-parallelize-outer-loops).
//
// The packed copy of B[K, N] is a private constant memref.global of shape
// [N / NR, K, NR]: panel p holds columns p*NR .. p*NR+NR-1, row after row,
// so a register tile's KC x NR micro-panel is one contiguous block. The
// matmul keeps its B operand (its semantics do not change) and names the
// packed global in the discardable attribute `llm.packed_b`:
//
//   linalg.matmul {llm.packed_b = {panels = @__llm_packed_b, nr = 64 : i64}}
//       ins(%a, %w : memref<128x768xf32>, memref<768x768xf32>) outs(...)
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TILING_PACKEDWEIGHTS_H
#define LLM_TILING_PACKEDWEIGHTS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

#include <optional>

namespace mlir {
namespace llm {

/// The attribute naming the packed copy of an op's B operand.
inline constexpr llvm::StringLiteral kPackedWeightsAttrName = "llm.packed_b";

/// The packed copy of an op's B: the global [N / NR, K, NR] and NR.
struct PackedWeights {
  FlatSymbolRefAttr panels;
  int64_t nr = 0;
};

/// The packed weights `op` names, if any (and well-formed).
std::optional<PackedWeights> getPackedWeights(Operation *op);

/// Records `packed` on `op`.
void setPackedWeights(Operation *op, const PackedWeights &packed);

} // namespace llm
} // namespace mlir

#endif // LLM_TILING_PACKEDWEIGHTS_H

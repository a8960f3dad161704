//===- ContractionMatch.h - recognise tileable contractions ----*- C++ -*-===//
//
// Finds the linalg ops the contraction tiling handles: a multiply-add
// reduction (ContractionOpInterface) over exactly one m, one n and one k
// loop plus any number of batch loops, whose B and C operands have n as their
// innermost (contiguous) dim, so that register tiles vectorize along n.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TILING_CONTRACTIONMATCH_H
#define LLM_TILING_CONTRACTIONMATCH_H

#include "llm/Tiling/CostModel.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace mlir {
namespace llm {

/// The loops of a matched contraction and its static sizes.
struct ContractionMatch {
  SmallVector<unsigned> batchDims;
  unsigned mDim = 0, nDim = 0, kDim = 0;
  ContractionShape shape;
};

/// Matches `op` (tensor or buffer semantics) as described above; nullopt if
/// it is not such a contraction, or if its operands are not all of one
/// float element type.
std::optional<ContractionMatch> matchContraction(linalg::LinalgOp op);

} // namespace llm
} // namespace mlir

#endif // LLM_TILING_CONTRACTIONMATCH_H

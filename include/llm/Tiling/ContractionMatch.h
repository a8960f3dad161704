//===- ContractionMatch.h - recognise tileable contractions ----*- C++ -*-===//
//
// Finds the linalg ops the contraction tiling handles: a multiply-add
// reduction (ContractionOpInterface) over exactly one m, one n and one k
// loop plus any number of batch loops, whose B and C operands have n as their
// innermost (contiguous) dim, so that register tiles vectorize along n;
// and the integer (8-bit x 8-bit -> i32, with zero points) contractions
// that the int8 micro-kernels (Int8Contractions.cpp) handle.
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
/// float element type. `requireContiguousN = false` also accepts any other
/// operand layout (transposed A or B, e.g. a linear layer's [N, K] weight),
/// for code generators that read operands through their indexing maps (the
/// GPU matmul).
std::optional<ContractionMatch> matchContraction(linalg::LinalgOp op,
                                                 bool requireContiguousN = true);

/// An integer contraction as convert-transformer-to-linalg lowers
/// `transformer.quantized_matmul`: a generic over loops (batch..., m, n, k)
/// with C [batch..., m, n] (identity map, i32) and
///
///   C[..., m, n] += (ext(A[..., m, k]) - ext(azp)) * (ext(B[.., k, n]) - ext(bzp))
///
/// where A and B are 8-bit, `ext` is `extui` or `extsi` to i32 and the zero
/// points are optional inputs read through maps that do not use k (and, for
/// azp, not n; for bzp, not m).
struct IntegerContractionMatch {
  /// Loop dims: m = rank - 2, n = rank - 1, k = rank (C's rank).
  unsigned mDim = 0, nDim = 0, kDim = 0;
  /// DPS input positions of the zero points; -1 when absent.
  int aZeroPoint = -1, bZeroPoint = -1;
  /// Extension kinds of the operands (true: zero-extended).
  bool aUnsigned = false, bUnsigned = false;
  bool aZeroPointUnsigned = false, bZeroPointUnsigned = false;
  /// Per-tensor zero points that constant folding moved into the body
  /// (`ext(x) - c`), as their i32 values.
  std::optional<int32_t> aZeroPointConstant, bZeroPointConstant;
};

/// Matches `op` (tensor or buffer semantics) as described above.
std::optional<IntegerContractionMatch>
matchIntegerContraction(linalg::GenericOp op);

} // namespace llm
} // namespace mlir

#endif // LLM_TILING_CONTRACTIONMATCH_H

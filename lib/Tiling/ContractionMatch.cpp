//===- ContractionMatch.cpp - recognise tileable contractions -------------===//
//
// Implements matchContraction (ContractionMatch.h).
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/ContractionMatch.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::llm;

/// True if the innermost result of `map` is the loop dim `dim`.
static bool innermostIs(AffineMap map, unsigned dim) {
  if (map.getNumResults() == 0)
    return false;
  auto expr = dyn_cast<AffineDimExpr>(map.getResults().back());
  return expr && expr.getPosition() == dim;
}

std::optional<ContractionMatch> llm::matchContraction(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  Type elementType;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<ShapedType>(operand.get().getType());
    if (!type || !type.hasRank() || !isa<FloatType>(type.getElementType()))
      return std::nullopt;
    if (elementType && type.getElementType() != elementType)
      return std::nullopt;
    elementType = type.getElementType();
  }
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1)
    return std::nullopt;
  ContractionMatch match;
  match.batchDims.assign(dims->batch.begin(), dims->batch.end());
  match.mDim = dims->m.front();
  match.nDim = dims->n.front();
  match.kDim = dims->k.front();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!innermostIs(maps[1], match.nDim) || !innermostIs(maps[2], match.nDim))
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  match.shape.m = ranges[match.mDim];
  match.shape.n = ranges[match.nDim];
  match.shape.k = ranges[match.kDim];
  match.shape.elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  return match;
}

//===- ViewTransposedOperands.cpp - --llm-view-transposed-operands -------===//
//
// A contraction whose B is stored transposed ([batch..., N, K], k
// innermost) and is not a constant is rewritten to read B through a
// `memref.transpose` view with n innermost, so that the thread split and
// the CPU contraction tiling treat it like any other contraction; the
// tiling then packs the view into register panels per cache block
// (PackTransposedOperands.cpp). See Passes.td for the IR before and after.
//
//===----------------------------------------------------------------------===//

#include "PackTransposedOperands.h"

#include "llm/Tiling/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMVIEWTRANSPOSEDOPERANDSPASS
#include "llm/Tiling/Passes.h.inc"
} // namespace mlir::llm

using namespace mlir;
using namespace mlir::llm;

/// The position of loop dim `dim` among the results of `map`.
static std::optional<unsigned> resultPosition(AffineMap map, unsigned dim) {
  return map.getResultPosition(getAffineDimExpr(dim, map.getContext()));
}

bool llm::isTransposedBContraction(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics())
    return false;
  std::optional<ContractionMatch> match =
      matchContraction(op, /*requireContiguousN=*/false);
  if (!match)
    return false;
  for (Value operand : op->getOperands())
    if (!cast<MemRefType>(operand.getType()).getElementType().isF32())
      return false;
  OpOperand *bOperand = op.getDpsInputOperand(1);
  AffineMap bMap = op.getMatchingIndexingMap(bOperand);
  AffineMap cMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (cMap.getNumResults() == 0 ||
      cMap.getResults().back() !=
          getAffineDimExpr(match->nDim, op.getContext()))
    return false;
  std::optional<unsigned> kPos = resultPosition(bMap, match->kDim);
  std::optional<unsigned> nPos = resultPosition(bMap, match->nDim);
  if (!kPos || !nPos || *kPos != bMap.getNumResults() - 1 ||
      !bMap.isProjectedPermutation())
    return false;
  // The panels are copied with vector loads along k: unit stride.
  auto bType = cast<MemRefType>(bOperand->get().getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(bType.getStridesAndOffset(strides, offset)) &&
         !strides.empty() && strides.back() == 1;
}

linalg::LinalgOp llm::viewTransposedB(RewriterBase &rewriter,
                                      linalg::LinalgOp op) {
  std::optional<ContractionMatch> match =
      matchContraction(op, /*requireContiguousN=*/false);
  assert(match && "not a contraction");
  MLIRContext *ctx = op.getContext();
  Location loc = op.getLoc();
  OpOperand *bOperand = op.getDpsInputOperand(1);
  AffineMap bMap = op.getMatchingIndexingMap(bOperand);
  unsigned kPos = *resultPosition(bMap, match->kDim);
  unsigned nPos = *resultPosition(bMap, match->nDim);
  // Batch dims in their order, then k, then n.
  SmallVector<unsigned> perm;
  for (unsigned d = 0; d < bMap.getNumResults(); ++d)
    if (d != kPos && d != nPos)
      perm.push_back(d);
  perm.append({kPos, nPos});
  rewriter.setInsertionPoint(op);
  Value view = memref::TransposeOp::create(
      rewriter, loc, bOperand->get(),
      AffineMapAttr::get(AffineMap::getPermutationMap(perm, ctx)));

  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<AffineExpr> bExprs;
  for (unsigned d : perm)
    bExprs.push_back(bMap.getResult(d));
  maps[1] = AffineMap::get(bMap.getNumDims(), bMap.getNumSymbols(), bExprs,
                           ctx);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, ValueRange{op.getDpsInputs()[0], view},
      op.getDpsInits(), maps, op.getIteratorTypesArray());
  rewriter.cloneRegionBefore(op->getRegion(0), generic.getRegion(),
                             generic.getRegion().end());
  generic->setDiscardableAttrs(op->getDiscardableAttrDictionary());
  rewriter.eraseOp(op);
  return cast<linalg::LinalgOp>(generic.getOperation());
}

namespace mlir::llm {
namespace {

struct ViewTransposedOperandsPass
    : impl::LLMViewTransposedOperandsPassBase<ViewTransposedOperandsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isTransposedBContraction(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops)
      viewTransposedB(rewriter, op);
  }
};

} // namespace
} // namespace mlir::llm

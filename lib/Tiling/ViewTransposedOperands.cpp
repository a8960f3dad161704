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

#include "TilingUtils.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

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

/// True if no op strictly between `from` and `to` (same block) may write
/// memory of `root`'s allocation.
static bool noWritesBetween(Operation *from, Operation *to, Value root) {
  for (Operation *op = from->getNextNode(); op && op != to;
       op = op->getNextNode()) {
    if (isPure(op))
      continue;
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    // A linalg op's effects are its operands' (its body is scalar code);
    // other ops with regions may hide writes.
    if (!effects || (op->getNumRegions() != 0 && !isa<linalg::LinalgOp>(op)))
      return false;
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances) {
      if (!isa<MemoryEffects::Write, MemoryEffects::Free>(effect.getEffect()))
        continue;
      Value value = effect.getValue();
      if (!value || rootBuffer(value) == root)
        return false;
    }
  }
  return true;
}

bool llm::foldTransposeIntoB(RewriterBase &rewriter, linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() ||
      !matchContraction(op, /*requireContiguousN=*/false))
    return false;
  OpOperand *bOperand = op.getDpsInputOperand(1);
  Value t = bOperand->get();
  auto alloc = t.getDefiningOp<memref::AllocOp>();
  if (!alloc || !alloc.getType().getElementType().isF32())
    return false;
  linalg::TransposeOp transpose;
  SmallVector<Operation *> deallocs;
  for (OpOperand &use : t.getUses()) {
    Operation *user = use.getOwner();
    if (user == op && &use == bOperand)
      continue;
    if (isa<memref::DeallocOp>(user)) {
      deallocs.push_back(user);
      continue;
    }
    auto candidate = dyn_cast<linalg::TransposeOp>(user);
    if (!candidate || transpose || candidate.getInit() != t)
      return false;
    transpose = candidate;
  }
  // The contraction must not write X (it would read X while writing it).
  if (!transpose ||
      rootBuffer(op.getDpsInitOperand(0)->get()) ==
          rootBuffer(transpose.getInput()) ||
      transpose->getBlock() != op->getBlock() ||
      !transpose->isBeforeInBlock(op) ||
      !noWritesBetween(transpose, op, rootBuffer(transpose.getInput())))
    return false;
  for (Operation *dealloc : deallocs)
    if (dealloc->getBlock() != op->getBlock() || dealloc->isBeforeInBlock(op))
      return false;
  // transpose: out dim i = in dim permutation[i], as memref.transpose with
  // the permutation map (d_permutation[0], ...).
  Value input = transpose.getInput();
  auto inputType = dyn_cast<MemRefType>(input.getType());
  if (!inputType || !inputType.getElementType().isF32())
    return false;
  SmallVector<unsigned> perm;
  for (int64_t d : transpose.getPermutation())
    perm.push_back(d);
  AffineMap permMap = AffineMap::getPermutationMap(perm, op.getContext());
  rewriter.setInsertionPoint(op);
  auto view = memref::TransposeOp::create(rewriter, op.getLoc(), input,
                                          AffineMapAttr::get(permMap));
  // The tiling needs unit stride along n (the usual case) or along k (a
  // transposed view it packs).
  std::optional<ContractionMatch> match =
      matchContraction(op, /*requireContiguousN=*/false);
  AffineMap bMap = op.getMatchingIndexingMap(bOperand);
  std::optional<unsigned> kPos = resultPosition(bMap, match->kDim);
  std::optional<unsigned> nPos = resultPosition(bMap, match->nDim);
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!kPos || !nPos ||
      failed(view.getType().getStridesAndOffset(strides, offset)) ||
      (strides[*kPos] != 1 && strides[*nPos] != 1)) {
    rewriter.eraseOp(view);
    return false;
  }
  rewriter.modifyOpInPlace(op, [&] { bOperand->set(view); });
  rewriter.eraseOp(transpose);
  for (Operation *dealloc : deallocs)
    rewriter.eraseOp(dealloc);
  rewriter.eraseOp(alloc);
  return true;
}

namespace mlir::llm {
namespace {

struct ViewTransposedOperandsPass
    : impl::LLMViewTransposedOperandsPassBase<ViewTransposedOperandsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> contractions;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureBufferSemantics() &&
          matchContraction(op, /*requireContiguousN=*/false))
        contractions.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : contractions) {
      foldTransposeIntoB(rewriter, op);
      if (isTransposedBContraction(op))
        viewTransposedB(rewriter, op);
    }
  }
};

} // namespace
} // namespace mlir::llm

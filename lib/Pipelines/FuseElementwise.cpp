//===- FuseElementwise.cpp - --llm-fuse-elementwise
//------------------------===//
//
// Elementwise fusion of linalg ops on tensors with a rule against
// recomputation: upstream's fusion patterns (elementwise producer into
// consumer, reshape propagation by expansion, constant folding) under a
// control function that only fuses a producer whose result the consumer
// reads through a permutation of its loops, and never moves reshapes into
// or out of a contraction. See Passes.td for why.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMFUSEELEMENTWISEPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {

/// True for linalg ops with a reduction loop (matmuls, reductions).
bool hasReduction(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumReductionLoops() > 0;
}

/// The fusion rule (see the file comment). `fused` is the consumer's operand
/// whose producer would be fused (or the reshape folded).
bool shouldFuse(OpOperand *fused) {
  Operation *producer = fused->get().getDefiningOp();
  Operation *consumer = fused->getOwner();
  if (!producer || !producer->hasOneUse())
    return false;
  // Reshape propagation: keep contractions (and every op with a reduction)
  // in the form the lowering built them.
  if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(producer) ||
      isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(consumer))
    return !hasReduction(producer) && !hasReduction(consumer);
  if (auto linalgConsumer = dyn_cast<linalg::LinalgOp>(consumer)) {
    AffineMap map = linalgConsumer.getMatchingIndexingMap(fused);
    if (!map.isPermutation())
      return false;
    if (linalg::isaContractionOpInterface(linalgConsumer))
      return false;
  }
  return true;
}

struct FuseElementwisePass
    : impl::LLMFuseElementwisePassBase<FuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::ControlFusionFn control = shouldFuse;
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, control);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, control);
    if (failed(applyPatternsGreedily(
            getOperation(), std::move(patterns),
            GreedyRewriteConfig().setUseTopDownTraversal())))
      return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::llm

//===- FinishOpenMPLoops.cpp - llm-finish-openmp-loops --------------------===//
//
// Post-processing of convert-scf-to-openmp for the CPU pipeline (see
// Passes.td): the `memref.alloca_scope` around each worksharing loop body is
// inlined, with its allocas hoisted to the start of the `omp.parallel`
// region (once per thread), so that convert-scf-to-cf may turn the loops in
// the body into several blocks; and each `omp.parallel` only forks when its
// loop has more than one iteration (`if` clause).
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMFINISHOPENMPLOOPSPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {

/// Inlines the alloca scopes of `loop`'s body, hoisting their allocas to
/// the start of `parallel`'s region.
LogicalResult inlineAllocaScopes(RewriterBase &rewriter,
                                 omp::ParallelOp parallel,
                                 omp::LoopNestOp loop) {
  SmallVector<memref::AllocaScopeOp> scopes;
  for (Operation &op : loop.getRegion().getOps())
    if (auto scope = dyn_cast<memref::AllocaScopeOp>(op))
      scopes.push_back(scope);
  Block &parallelEntry = parallel.getRegion().front();
  for (memref::AllocaScopeOp scope : scopes) {
    if (scope.getNumResults() != 0)
      return scope.emitError("llm-finish-openmp-loops: alloca scope with "
                             "results");
    // The allocas of this scope (not of scopes nested in it).
    SmallVector<memref::AllocaOp> allocas;
    scope.getBodyRegion().walk([&](memref::AllocaOp alloca) {
      if (alloca->getParentWithTrait<OpTrait::AutomaticAllocationScope>() ==
          scope.getOperation())
        allocas.push_back(alloca);
    });
    for (memref::AllocaOp alloca : allocas) {
      for (Value operand : alloca->getOperands())
        if (parallel->isAncestor(operand.getParentBlock()->getParentOp()))
          return alloca.emitError("llm-finish-openmp-loops: an alloca whose "
                                  "size depends on the parallel loop");
      rewriter.moveOpBefore(alloca, &parallelEntry, parallelEntry.begin());
    }
    Block &body = scope.getBodyRegion().front();
    rewriter.eraseOp(body.getTerminator());
    rewriter.inlineBlockBefore(&body, scope);
    rewriter.eraseOp(scope);
  }
  return success();
}

/// `if (more than one iteration)` on `parallel` when the bounds of `loop`
/// are defined outside it.
void forkOnlyForSeveralIterations(RewriterBase &rewriter,
                                  omp::ParallelOp parallel,
                                  omp::LoopNestOp loop) {
  if (parallel.getIfExpr())
    return;
  for (Value bound : loop->getOperands())
    if (parallel->isAncestor(bound.getParentBlock()->getParentOp()))
      return;
  Location loc = parallel.getLoc();
  rewriter.setInsertionPoint(parallel);
  Value several;
  auto lbs = loop.getLoopLowerBounds(), ubs = loop.getLoopUpperBounds(),
       steps = loop.getLoopSteps();
  // Iterations of the collapsed nest: more than one iff some dim has a
  // second iteration (and none is empty: then nothing runs anyway).
  for (auto [lb, ub, step] : llvm::zip(lbs, ubs, steps)) {
    Value second = arith::AddIOp::create(rewriter, loc, lb, step);
    Value hasSecond = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::slt, second, ub);
    several = several ? arith::OrIOp::create(rewriter, loc, several, hasSecond)
                            .getResult()
                      : hasSecond;
  }
  if (several)
    parallel.getIfExprMutable().assign(several);
}

struct FinishOpenMPLoopsPass
    : impl::LLMFinishOpenMPLoopsPassBase<FinishOpenMPLoopsPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<omp::ParallelOp> parallels;
    getOperation().walk([&](omp::ParallelOp op) { parallels.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (omp::ParallelOp parallel : parallels) {
      SmallVector<omp::LoopNestOp> loops;
      parallel.walk([&](omp::LoopNestOp loop) { loops.push_back(loop); });
      for (omp::LoopNestOp loop : loops)
        if (failed(inlineAllocaScopes(rewriter, parallel, loop)))
          return signalPassFailure();
      if (loops.size() == 1)
        forkOnlyForSeveralIterations(rewriter, parallel, loops.front());
    }
  }
};

} // namespace
} // namespace mlir::llm

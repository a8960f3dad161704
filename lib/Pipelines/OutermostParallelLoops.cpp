//===- OutermostParallelLoops.cpp - llm-outermost-parallel-loops ----------===//
//
// The step between the parallel loops of the tiling and OpenMP: the
// outermost `scf.forall` of each loop nest becomes an `scf.parallel` (which
// convert-scf-to-openmp turns into a parallel region with a worksharing
// loop), every forall nested in it becomes sequential `scf.for` loops. One
// fork/join per loop nest, no nested parallel regions. With threads=1 all
// foralls are sequential and the module needs no OpenMP runtime.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMOUTERMOSTPARALLELLOOPSPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {
struct OutermostParallelLoopsPass
    : impl::LLMOutermostParallelLoopsPassBase<OutermostParallelLoopsPass> {
  using Base::Base;
  void runOnOperation() override {
    if (threads < 1) {
      getOperation().emitError("llm-outermost-parallel-loops: threads must "
                               "be at least 1, got ")
          << static_cast<int64_t>(threads);
      return signalPassFailure();
    }
    // Post-order: the foralls inside a loop are rewritten before it, while
    // the outer op is still in place.
    SmallVector<scf::ForallOp> foralls;
    getOperation().walk([&](scf::ForallOp op) { foralls.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (scf::ForallOp op : foralls) {
      if (op.getNumResults() != 0) {
        op.emitError("llm-outermost-parallel-loops: scf.forall on tensors "
                     "(run it after bufferization)");
        return signalPassFailure();
      }
      bool nested = op->getParentOfType<scf::ParallelOp>() ||
                    op->getParentOfType<scf::ForallOp>();
      rewriter.setInsertionPoint(op);
      LogicalResult converted =
          threads == 1 || nested ? scf::forallToForLoop(rewriter, op)
                                 : scf::forallToParallelLoop(rewriter, op);
      if (failed(converted)) {
        op.emitError("llm-outermost-parallel-loops: cannot convert");
        return signalPassFailure();
      }
    }
  }
};
} // namespace
} // namespace mlir::llm

//===- UnshareFills.cpp - llm-unshare-fills -------------------------------===//
//
// Gives every use of a tensor `linalg.fill` with several uses its own fill
// (and its own `tensor.empty`), placed right before the use. CSE merges the identical
// zero fills that start two matmuls of one shape; one-shot bufferization then
// lets the first matmul accumulate into the fill's buffer and gives the
// second a copy of the zeros, made at the fill (an allocation and a copy per
// call, and a matmul whose C is not the fresh zero-filled buffer that the
// kernels' epilogue fusion recognises, ContractionEpilogue.h). See
// Passes.td.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMUNSHAREFILLSPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {
struct LLMUnshareFillsPass
    : impl::LLMUnshareFillsPassBase<LLMUnshareFillsPass> {
  void runOnOperation() override {
    SmallVector<linalg::FillOp> shared;
    getOperation().walk([&](linalg::FillOp fill) {
      if (fill.hasPureTensorSemantics() && !fill->getResult(0).hasOneUse() &&
          !fill->getResult(0).use_empty())
        shared.push_back(fill);
    });
    OpBuilder b(&getContext());
    for (linalg::FillOp fill : shared) {
      Value result = fill->getResult(0);
      SmallVector<OpOperand *> uses = llvm::map_to_vector(
          result.getUses(), [](OpOperand &use) { return &use; });
      // Every use gets a clone right before it; the original goes.
      Value init = fill.getOutputs()[0];
      for (OpOperand *use : uses) {
        b.setInsertionPoint(use->getOwner());
        IRMapping mapping;
        if (auto empty = init.getDefiningOp<tensor::EmptyOp>())
          mapping.map(init, b.clone(*empty)->getResult(0));
        use->set(b.clone(*fill, mapping)->getResult(0));
      }
      fill.erase();
      if (Operation *empty = init.getDefiningOp<tensor::EmptyOp>();
          empty && empty->use_empty())
        empty->erase();
    }
  }
};
} // namespace
} // namespace mlir::llm

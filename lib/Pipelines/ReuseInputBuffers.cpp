//===- ReuseInputBuffers.cpp - --llm-reuse-input-buffers ------------------===//
//
// Destination reuse before one-shot bufferization (see Passes.td): an
// elementwise linalg.generic that writes a fresh tensor.empty and consumes
// the last use of a tensor of its result's type (computed by a linalg op in
// the same block) writes into that tensor instead. One-shot bufferization
// gives every tensor.empty destination a new buffer and only reuses buffers
// along destination chains, so without this the bias add after a matmul
// (and the GELU, the residual add) keeps two live buffers of the matmul's
// size. The input's block argument becomes the output's; the payload is
// unchanged, so every element is computed exactly as before. Generics with
// an integer input (dequantizing epilogues of the int8 kernels) are left
// alone.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMREUSEINPUTBUFFERSPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {

/// True if `value` is a tensor a linalg op computed in `block` (seen through
/// single-use reshapes), i.e. a buffer bufferization allocated for the
/// function and that no one reads after its single use.
bool isLocalTemporary(Value value, Block *block) {
  while (true) {
    Operation *def = value.getDefiningOp();
    if (!def || def->getBlock() != block || !value.hasOneUse())
      return false;
    if (isa<linalg::LinalgOp>(def))
      return true;
    if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def))
      return false;
    value = def->getOperand(0);
  }
}

/// The input of `op` whose tensor the output can take over, if any.
OpOperand *findReusableInput(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumResults() != 1 ||
      op.getNumReductionLoops() != 0 || !op.hasPureTensorSemantics())
    return nullptr;
  OpOperand *init = op.getDpsInitOperand(0);
  if (!init->get().getDefiningOp<tensor::EmptyOp>() ||
      op.payloadUsesValueFromOperand(init))
    return nullptr;
  // Dequantizing epilogues (an integer input) are left alone: the int8
  // kernels fuse them into their register tiles (Int8Epilogue.cpp), which
  // wants a separate output that the body does not read.
  for (Value input : op.getDpsInputs())
    if (isa<IntegerType>(getElementTypeOrSelf(input.getType())))
      return nullptr;
  AffineMap outMap = op.getMatchingIndexingMap(init);
  for (OpOperand *input : op.getDpsInputOperands())
    if (input->get().getType() == op.getResult(0).getType() &&
        op.getMatchingIndexingMap(input) == outMap &&
        isLocalTemporary(input->get(), op->getBlock()))
      return input;
  return nullptr;
}

/// Makes `input` the output of `op`: its block argument replaces the
/// (unused) output argument, its indexing map goes.
void reuseInput(RewriterBase &rewriter, linalg::GenericOp op,
                OpOperand *input) {
  unsigned index = input->getOperandNumber();
  Value tensor = input->get();
  Block *body = op.getBody();
  BlockArgument inputArg = body->getArgument(index);
  BlockArgument outputArg = body->getArgument(op.getNumDpsInputs());
  Operation *empty = op.getDpsInitOperand(0)->get().getDefiningOp();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  maps.erase(maps.begin() + index);
  rewriter.modifyOpInPlace(op, [&] {
    rewriter.replaceAllUsesWith(inputArg, outputArg);
    body->eraseArgument(index);
    op.getOutputsMutable()[0].assign(tensor);
    op.getInputsMutable().erase(index);
    op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
  });
  if (empty->use_empty())
    rewriter.eraseOp(empty);
}

struct ReuseInputBuffersPass
    : impl::LLMReuseInputBuffersPassBase<ReuseInputBuffersPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk([&](linalg::GenericOp op) { generics.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : generics)
      if (OpOperand *input = findReusableInput(op))
        reuseInput(rewriter, op, input);
  }
};

} // namespace
} // namespace mlir::llm

//===- VectorizeElementwise.cpp - --llm-vectorize-elementwise
//--------------===//
//
// Vectorizes elementwise linalg.generic ops on buffers (the GELU, bias and
// residual adds, normalize and softmax-divide steps of a transformer) along
// their innermost loop: every loop is tiled by 1 except the innermost, tiled
// by one vector register of lanes; each tile is versioned on its run-time
// size, full tiles are vectorized with linalg::vectorize, and the last
// (size % lanes) elements of a row stay a linalg op for the loop lowering.
// Reductions, ops that index (linalg.index, tensor.extract) and ops whose
// innermost loop is not contiguous in their output are left alone. First,
// math.powf with a small constant exponent becomes multiplications
// (populateMathAlgebraicSimplificationPatterns) in every op.
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/Passes.h"
#include "llm/Tiling/TargetDescription.h"

#include "TilingUtils.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMVECTORIZEELEMENTWISEPASS
#include "llm/Tiling/Passes.h.inc"

namespace {

/// True for the generics this pass vectorizes: all loops parallel, a body
/// of arith/math ops only, float or integer scalars, and an output whose
/// innermost dim is the innermost loop (contiguous vector stores).
bool isVectorizableElementwise(linalg::GenericOp op, int64_t lanes) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() == 0 ||
      op.getNumReductionLoops() != 0 || op.getNumDpsInits() != 1)
    return false;
  for (Operation &inner : op.getBody()->without_terminator())
    if (!isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()))
      return false;
  unsigned innermost = op.getNumLoops() - 1;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!outMap.isPermutation() ||
      outMap.getResult(outMap.getNumResults() - 1) !=
          getAffineDimExpr(innermost, op.getContext()))
    return false;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    // i1 is a byte per element in memory but a bit per lane in a vector.
    if (!type || !type.getElementType().isIntOrFloat() ||
        type.getElementType().getIntOrFloatBitWidth() % 8 != 0)
      return false;
  }
  int64_t size = op.getStaticLoopRanges()[innermost];
  return ShapedType::isDynamic(size) || size >= lanes;
}

/// Bytes of the widest element type of `op`'s operands: vectors get the
/// lanes of that type, so that each is at most one register.
int64_t widestBytes(linalg::GenericOp op) {
  int64_t bytes = 1;
  for (Value operand : op->getOperands()) {
    Type type = getElementTypeOrSelf(operand.getType());
    if (type.isIntOrFloat())
      bytes = std::max<int64_t>(bytes, type.getIntOrFloatBitWidth() / 8);
  }
  return bytes;
}

struct VectorizeElementwisePass
    : impl::LLMVectorizeElementwisePassBase<VectorizeElementwisePass> {
  using LLMVectorizeElementwisePassBase::LLMVectorizeElementwisePassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    FailureOr<TargetDescription> target =
        resolvePassTarget(func, "llm-vectorize-elementwise", cpu, targetDesc);
    if (failed(target))
      return signalPassFailure();

    // powf with a small integer exponent (x^3 in the tanh GELU) -> mulf,
    // rsqrt/sqrt forms: no libm call per element.
    {
      RewritePatternSet patterns(&getContext());
      populateMathAlgebraicSimplificationPatterns(patterns);
      if (failed(applyPatternsGreedily(func, std::move(patterns))))
        return signalPassFailure();
    }

    SmallVector<linalg::GenericOp> ops;
    func.walk([&](linalg::GenericOp op) {
      if (isVectorizableElementwise(op, target->vectorLanes(widestBytes(op))))
        ops.push_back(op);
    });
    if (ops.empty())
      return;

    IRRewriter rewriter(&getContext());
    int64_t registerLanes = target->vectorLanes(4);
    for (linalg::GenericOp op : ops) {
      int64_t lanes = target->vectorLanes(widestBytes(op));
      unsigned loops = op.getNumLoops();
      SmallVector<int64_t> sizes(loops, 1);
      sizes.back() = lanes;
      SmallVector<int64_t> order =
          llvm::to_vector(llvm::seq<int64_t>(0, loops));
      FailureOr<linalg::LinalgOp> tiled = tileLoops(rewriter, op, sizes, order);
      if (failed(tiled)) {
        op.emitError("llm-vectorize-elementwise: tiling failed");
        return signalPassFailure();
      }
      Location loc = tiled->getLoc();
      rewriter.setInsertionPoint(*tiled);
      SmallVector<Range> ranges = tiled->createLoopRanges(rewriter, loc);
      OpFoldResult width = ranges.back().size;
      SmallVector<int64_t> full(loops, 1);
      full.back() = lanes;
      linalg::LinalgOp vectorTile;
      if (getConstantIntValue(width) == lanes) {
        vectorTile = cloneWithStaticLoopSizes(rewriter, *tiled, full);
        rewriter.eraseOp(*tiled);
      } else {
        Value isFull = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::eq,
            getValueOrCreateConstantIndexOp(rewriter, loc, width),
            arith::ConstantIndexOp::create(rewriter, loc, lanes));
        auto ifOp =
            scf::IfOp::create(rewriter, loc, isFull, /*withElseRegion=*/true);
        rewriter.setInsertionPointToStart(ifOp.thenBlock());
        vectorTile = cloneWithStaticLoopSizes(rewriter, *tiled, full);
        rewriter.setInsertionPointToStart(ifOp.elseBlock());
        rewriter.clone(*tiled->getOperation());
        rewriter.eraseOp(*tiled);
      }
      rewriter.setInsertionPoint(vectorTile);
      if (failed(linalg::vectorize(rewriter, vectorTile))) {
        vectorTile.emitError("llm-vectorize-elementwise: vectorization failed");
        return signalPassFailure();
      }
      rewriter.eraseOp(vectorTile);
    }
    if (failed(lowerVectorTiles(func, registerLanes))) {
      func.emitError("llm-vectorize-elementwise: vector lowering failed");
      return signalPassFailure();
    }
  }
};

} // namespace
} // namespace mlir::llm

//===- TilingUtils.cpp - helpers shared by the tiling passes
//---------------===//
//
// Implements TilingUtils.h.
//
//===----------------------------------------------------------------------===//

#include "TilingUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

using namespace mlir;
using namespace mlir::llm;

/// Tiles the loops of `op` by `sizes` (0: not tiled) in the loop order
/// `interchange`, erases `op` and returns the tiled op in the innermost loop.
FailureOr<linalg::LinalgOp>
llm::tileLoops(RewriterBase &rewriter, linalg::LinalgOp op,
               ArrayRef<int64_t> sizes, ArrayRef<int64_t> interchange,
               SmallVectorImpl<LoopLikeOpInterface> *loops) {
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), sizes));
  options.setInterchange(interchange);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled) || tiled->tiledOps.empty())
    return failure();
  rewriter.eraseOp(op);
  if (loops)
    loops->assign(tiled->loops.begin(), tiled->loops.end());
  return cast<linalg::LinalgOp>(tiled->tiledOps.back());
}

linalg::LinalgOp llm::cloneWithStaticLoopSizes(RewriterBase &rewriter,
                                               linalg::LinalgOp op,
                                               ArrayRef<int64_t> loopSizes) {
  Location loc = op.getLoc();
  SmallVector<Value> operands;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type) {
      operands.push_back(operand.get());
      continue;
    }
    AffineMap map = op.getMatchingIndexingMap(&operand);
    SmallVector<int64_t> shape(type.getShape());
    for (auto [i, expr] : llvm::enumerate(map.getResults())) {
      auto dim = dyn_cast<AffineDimExpr>(expr);
      if (dim && !ShapedType::isDynamic(loopSizes[dim.getPosition()]))
        shape[i] = loopSizes[dim.getPosition()];
    }
    auto staticType = MemRefType::get(shape, type.getElementType(),
                                      type.getLayout(), type.getMemorySpace());
    Value value = operand.get();
    if (staticType != type)
      value = memref::CastOp::create(rewriter, loc, staticType, value);
    operands.push_back(value);
  }
  return cast<linalg::LinalgOp>(
      mlir::clone(rewriter, op, TypeRange{}, operands));
}

/// The vector shape each op of the micro-kernel is unrolled to: one vector
/// register (`lanes` elements of the innermost dim, 1 elsewhere).
static std::optional<SmallVector<int64_t>> nativeShape(Operation *op,
                                                       int64_t lanes) {
  auto lanesOf = [&](ArrayRef<int64_t> shape) {
    SmallVector<int64_t> native(shape.size(), 1);
    if (!shape.empty())
      native.back() = std::min(lanes, shape.back());
    return native;
  };
  if (auto contract = dyn_cast<vector::ContractionOp>(op)) {
    SmallVector<int64_t> bounds;
    contract.getIterationBounds(bounds);
    SmallVector<int64_t> native(bounds.size(), 1);
    AffineMap accMap = contract.getIndexingMapsArray().back();
    if (accMap.getNumResults() == 0)
      return std::nullopt;
    unsigned n = cast<AffineDimExpr>(accMap.getResults().back()).getPosition();
    native[n] = std::min(lanes, bounds[n]);
    return native;
  }
  if (auto read = dyn_cast<vector::TransferReadOp>(op))
    return lanesOf(read.getVectorType().getShape());
  if (auto write = dyn_cast<vector::TransferWriteOp>(op))
    return lanesOf(write.getVectorType().getShape());
  return std::nullopt;
}

/// Adds the canonicalization patterns of the dialects and ops the
/// micro-kernel is made of.
static void addCanonicalizations(RewritePatternSet &patterns,
                                 MLIRContext *context) {
  for (Dialect *dialect : context->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : context->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, context);
}

bool llm::isLastDimReduction(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() < 1)
    return false;
  unsigned rank = op.getNumLoops();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned d = 0; d < rank; ++d)
    if ((iterators[d] == utils::IteratorType::reduction) != (d + 1 == rank))
      return false;
  return true;
}

/// buildRowLoops from loop dim `dim` on, inside the loops of `rows`.
static void buildRowLoopsFrom(
    OpBuilder &b, Location loc, unsigned dim, unsigned rank, bool parallelRows,
    function_ref<Value(OpBuilder &, Location, unsigned)> upperBound,
    function_ref<void(OpBuilder &, Location, ValueRange)> body,
    SmallVectorImpl<Value> &rows) {
  if (dim + 1 >= rank) {
    body(b, loc, rows);
    return;
  }
  auto inner = [&](OpBuilder &ib, Location il, Value iv) {
    rows.push_back(iv);
    buildRowLoopsFrom(ib, il, dim + 1, rank, parallelRows, upperBound, body,
                      rows);
    rows.pop_back();
  };
  if (parallelRows && dim + 2 == rank) {
    // The rows on threads: one forall iteration per row.
    OpFoldResult size = upperBound(b, loc, dim);
    auto forall = scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{size},
                                        ValueRange{}, std::nullopt);
    OpBuilder fb = OpBuilder::atBlockBegin(forall.getBody());
    inner(fb, loc, forall.getInductionVar(0));
    return;
  }
  scf::ForOp::create(b, loc, arith::ConstantIndexOp::create(b, loc, 0),
                     upperBound(b, loc, dim),
                     arith::ConstantIndexOp::create(b, loc, 1), ValueRange{},
                     [&](OpBuilder &nb, Location nl, Value iv, ValueRange) {
                       inner(nb, nl, iv);
                       scf::YieldOp::create(nb, nl);
                     });
}

void llm::buildRowLoops(
    OpBuilder &b, Location loc, unsigned rank, bool parallelRows,
    function_ref<Value(OpBuilder &, Location, unsigned)> upperBound,
    function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  SmallVector<Value> rows;
  buildRowLoopsFrom(b, loc, 0, rank, parallelRows, upperBound, body, rows);
}

/// The nearest enclosing point outside any sequential loop (or branch) of
/// `op`: an allocation placed there runs once per function call or once per
/// parallel iteration, never once per loop iteration.
static Operation *outsideSequentialLoops(Operation *op) {
  while (isa_and_nonnull<scf::ForOp, scf::IfOp, scf::WhileOp>(
      op->getParentOp()))
    op = op->getParentOp();
  return op;
}

Value llm::createPackingBuffer(RewriterBase &rewriter, Location loc,
                               Operation *user, MemRefType type) {
  OpBuilder::InsertionGuard guard(rewriter);
  Operation *nest = outsideSequentialLoops(user);
  rewriter.setInsertionPoint(nest);
  Value buffer = memref::AllocOp::create(rewriter, loc, type, ValueRange{},
                                         ValueRange{},
                                         rewriter.getI64IntegerAttr(64));
  rewriter.setInsertionPointAfter(nest);
  memref::DeallocOp::create(rewriter, loc, buffer);
  return buffer;
}

Value llm::rootBuffer(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    auto view = dyn_cast<ViewLikeOpInterface>(def);
    if (!view)
      break;
    value = view.getViewSource();
  }
  return value;
}

/// True if `op` (in the body of a loop) may read or write `root` other
/// than through `read` / `write` or transfers disjoint from them.
static bool touchesRoot(Operation *op, Value root, vector::TransferReadOp read,
                        vector::TransferWriteOp write) {
  if (op == read || op == write)
    return false;
  if (auto transfer = dyn_cast<VectorTransferOpInterface>(op)) {
    if (rootBuffer(transfer.getBase()) != root)
      return false;
    // Another view of the same buffer: its indices do not compare.
    if (transfer.getBase() != read.getBase())
      return true;
    return !vector::isDisjointTransferSet(
        transfer, cast<VectorTransferOpInterface>(read.getOperation()),
        /*testDynamicValueUsingBounds=*/true);
  }
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return op->getNumRegions() != 0 || !isPure(op);
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  for (MemoryEffects::EffectInstance &instance : instances) {
    Value value = instance.getValue();
    if (!value || rootBuffer(value) == root)
      return true;
  }
  return false;
}

/// Hoists one transfer_read / transfer_write pair of `loop` that reads and
/// writes the same loop-invariant location (an accumulator) out of the
/// loop, carrying the value as an iter_arg. Returns true if it did.
static bool hoistOneAccumulator(RewriterBase &rewriter, scf::ForOp loop) {
  Block *body = loop.getBody();
  for (auto read : body->getOps<vector::TransferReadOp>()) {
    if (!isa<MemRefType>(read.getBase().getType()) || read.getMask() ||
        !llvm::all_of(read->getOperands(), [&](Value operand) {
          return loop.isDefinedOutsideOfLoop(operand);
        }))
      continue;
    Value root = rootBuffer(read.getBase());
    vector::TransferWriteOp write;
    for (auto candidate : body->getOps<vector::TransferWriteOp>()) {
      if (candidate.getBase() == read.getBase() &&
          candidate.getIndices() == read.getIndices() &&
          candidate.getVectorType() == read.getVectorType() &&
          candidate.getPermutationMap() == read.getPermutationMap() &&
          !candidate.getMask() && read->isBeforeInBlock(candidate)) {
        write = candidate;
        break;
      }
    }
    if (!write)
      continue;
    if (llvm::any_of(body->without_terminator(), [&](Operation &op) {
          return touchesRoot(&op, root, read, write);
        }))
      continue;
    rewriter.moveOpBefore(read, loop);
    rewriter.moveOpAfter(write, loop);
    NewYieldValuesFn yieldWritten =
        [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
          return SmallVector<Value>{write.getVector()};
        };
    FailureOr<LoopLikeOpInterface> newLoop = loop.replaceWithAdditionalYields(
        rewriter, read.getVector(), /*replaceInitOperandUsesInLoop=*/true,
        yieldWritten);
    if (failed(newLoop))
      return false;
    rewriter.modifyOpInPlace(write, [&] {
      write.getValueToStoreMutable().assign(
          newLoop->getLoopResults()->back());
    });
    return true;
  }
  return false;
}

/// Keeps accumulators in registers: hoists every loop-invariant
/// read/write pair (hoistOneAccumulator) out of its loop, innermost loops
/// first, until none is left. Unlike linalg::hoistRedundantVectorTransfers
/// it accepts buffers that also have views elsewhere in the function (a
/// matmul's result is usually reshaped afterwards): only the accesses inside
/// the loop matter, compared through the buffers they are views of.
/// Distinct allocations or function arguments are taken not to alias (the
/// compiled functions' arguments are distinct tensors).
static void hoistAccumulators(func::FuncOp func) {
  IRRewriter rewriter(func.getContext());
  bool changed = true;
  while (changed) {
    changed = false;
    func.walk([&](scf::ForOp loop) {
      if (hoistOneAccumulator(rewriter, loop)) {
        changed = true;
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
  }
}

LogicalResult llm::lowerVectorTiles(func::FuncOp func, int64_t lanes) {
  MLIRContext *context = func.getContext();
  {
    RewritePatternSet patterns(context);
    vector::populateVectorUnrollPatterns(
        patterns,
        vector::UnrollVectorOptions().setNativeShapeFn(
            [lanes](Operation *op) { return nativeShape(op, lanes); }));
    addCanonicalizations(patterns, context);
    // Not converging within the driver's iteration limit leaves valid IR
    // (the later lowering handles any transfer left): not an error.
    (void)applyPatternsGreedily(func, std::move(patterns));
  }
  {
    RewritePatternSet patterns(context);
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    memref::populateFoldMemRefAliasOpPatterns(patterns);
    addCanonicalizations(patterns, context);
    // Not converging within the driver's iteration limit leaves valid IR
    // (the later lowering handles any transfer left): not an error.
    (void)applyPatternsGreedily(func, std::move(patterns));
  }
  IRRewriter rewriter(context);
  DominanceInfo dominance(func);
  eliminateCommonSubExpressions(rewriter, dominance, func);
  func.walk([](LoopLikeOpInterface loop) { moveLoopInvariantCode(loop); });
  hoistAccumulators(func);
  {
    RewritePatternSet patterns(context);
    vector::populateVectorTransferLoweringPatterns(patterns,
                                                   /*maxTransferRank=*/1);
    addCanonicalizations(patterns, context);
    // Not converging within the driver's iteration limit leaves valid IR
    // (the later lowering handles any transfer left): not an error.
    (void)applyPatternsGreedily(func, std::move(patterns));
  }
  return success();
}

namespace mlir::llm {

/// The global a `memref.get_global` reads, if it is a constant with data.
std::optional<std::pair<memref::GlobalOp, ElementsAttr>>
getConstantGlobal(Value value) {
  auto getGlobal = value.getDefiningOp<memref::GetGlobalOp>();
  if (!getGlobal)
    return std::nullopt;
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      getGlobal, getGlobal.getNameAttr());
  if (!global || !global.getConstant() || !global.getInitialValue())
    return std::nullopt;
  auto data = dyn_cast<ElementsAttr>(*global.getInitialValue());
  if (!data)
    return std::nullopt;
  return std::make_pair(global, data);
}

/// A private constant global holding `data` with `type`, named after `base`.
memref::GlobalOp createGlobal(OpBuilder &b, Location loc,
                              SymbolTable &symbols, StringRef base, MemRefType type,
                              DenseElementsAttr data) {
  auto global = memref::GlobalOp::create(
      b, loc, base, b.getStringAttr("private"), type, data, /*constant=*/true,
      b.getI64IntegerAttr(64));
  symbols.insert(global);
  return global;
}

/// `x + y` on index values, folded when both are constants.
OpFoldResult addIndex(OpBuilder &b, Location loc, OpFoldResult x,
                      OpFoldResult y) {
  std::optional<int64_t> cx = getConstantIntValue(x);
  std::optional<int64_t> cy = getConstantIntValue(y);
  if (cx && cy)
    return b.getIndexAttr(*cx + *cy);
  if (cx == 0)
    return y;
  if (cy == 0)
    return x;
  return arith::AddIOp::create(b, loc,
                               getValueOrCreateConstantIndexOp(b, loc, x),
                               getValueOrCreateConstantIndexOp(b, loc, y))
      .getResult();
}

/// The offsets, per dim, of `view` in `root` when `view` is `root` through
/// memref.casts and rank-preserving unit-stride subviews (what tiling made
/// of an operand); nullopt otherwise. A view reaching `copy` continues from
/// `copyOf`, which holds the same elements at the same indices (a packed A
/// block).
std::optional<SmallVector<OpFoldResult>>
offsetsIn(OpBuilder &b, Location loc, Value view, Value root, Value copy,
          Value copyOf) {
  unsigned rank = cast<MemRefType>(root.getType()).getRank();
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
  while (view != root) {
    if (copy && view == copy) {
      view = copyOf;
      continue;
    }
    if (auto castOp = view.getDefiningOp<memref::CastOp>()) {
      view = castOp.getSource();
      continue;
    }
    auto subview = view.getDefiningOp<memref::SubViewOp>();
    if (!subview || subview.getSourceType().getRank() != rank ||
        subview.getType().getRank() != rank ||
        !llvm::all_of(subview.getStaticStrides(),
                      [](int64_t stride) { return stride == 1; }))
      return std::nullopt;
    for (auto [d, offset] : llvm::enumerate(subview.getMixedOffsets()))
      offsets[d] = addIndex(b, loc, offsets[d], offset);
    view = subview.getSource();
  }
  return offsets;
}

} // namespace mlir::llm

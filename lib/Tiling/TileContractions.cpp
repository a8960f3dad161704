//===- TileContractions.cpp - --llm-tile-contractions ---------------------===//
//
// Tiles f32 linalg contractions on buffers into the cache- and
// register-blocked loop nest of the cost model and vectorizes the register
// tiles into an FMA micro-kernel whose accumulators stay in registers. See
// Passes.td for the IR before and after, and docs/tiling.md for the
// reasoning. Everything is upstream machinery: scf::tileUsingSCF,
// linalg::vectorize, vector unrolling, contraction -> outer product ->
// vector.fma lowering, memref alias folding, CSE, LICM and
// hoisting of the accumulators (TilingUtils.h).
//
// Edge tiles are handled by versioning, not masking: each register tile
// checks its run-time size and only full tiles (static shapes after a
// memref.cast) take the vector kernel; the others are retiled with the next,
// smaller tile of the cascade MR x NR -> 1 x NR -> 1 x lanes, and what
// remains (fewer than `lanes` columns) becomes scalar loops.
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/ContractionMatch.h"
#include "llm/Tiling/CostModel.h"
#include "llm/Tiling/Passes.h"
#include "llm/Tiling/TargetDescription.h"

#include "TilingUtils.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMTILECONTRACTIONSPASS
#include "llm/Tiling/Passes.h.inc"

namespace {

/// One register tile size of the edge cascade: rows of m x columns of n.
struct RegisterTile {
  int64_t rows, cols;
};

/// Loop order [batch..., n, then, rest] for the tiling calls.
SmallVector<int64_t> loopOrder(const ContractionMatch &match,
                               ArrayRef<unsigned> inner) {
  SmallVector<int64_t> order(match.batchDims.begin(), match.batchDims.end());
  order.push_back(match.nDim);
  for (unsigned dim : inner)
    order.push_back(dim);
  return order;
}

/// Loop sizes of a full rows x cols register tile: batch dims 1, m rows,
/// n cols, k (the full KC block) left as it is.
SmallVector<int64_t> staticSizes(linalg::LinalgOp op,
                                 const ContractionMatch &match,
                                 RegisterTile tile) {
  SmallVector<int64_t> sizes(op.getNumLoops(), ShapedType::kDynamic);
  for (unsigned dim : match.batchDims)
    sizes[dim] = 1;
  sizes[match.mDim] = tile.rows;
  sizes[match.nDim] = tile.cols;
  return sizes;
}

/// Tiles `op` (an edge or whole tile) by levels.front() in n, m order and
/// versions every tile on its run-time size: full tiles are cloned with
/// static shapes and collected in `fullTiles`, the others recurse on the
/// rest of the cascade. With the cascade exhausted, `op` (fewer columns than
/// a vector) becomes scalar loops right here, so that no subview of C is
/// left once subviews are folded into the loads and stores.
LogicalResult tileWithCascade(RewriterBase &rewriter, linalg::LinalgOp op,
                              const ContractionMatch &match,
                              ArrayRef<RegisterTile> levels,
                              SmallVectorImpl<linalg::LinalgOp> &fullTiles) {
  if (levels.empty()) {
    rewriter.setInsertionPoint(op);
    if (failed(linalg::linalgOpToLoops(rewriter, op)))
      return failure();
    rewriter.eraseOp(op);
    return success();
  }
  RegisterTile tile = levels.front();
  SmallVector<int64_t> sizes(op.getNumLoops(), 0);
  for (unsigned dim : match.batchDims)
    sizes[dim] = 1;
  sizes[match.mDim] = tile.rows;
  sizes[match.nDim] = tile.cols;
  FailureOr<linalg::LinalgOp> tiled = tileLoops(
      rewriter, op, sizes, loopOrder(match, {match.mDim, match.kDim}));
  if (failed(tiled))
    return failure();

  Location loc = tiled->getLoc();
  rewriter.setInsertionPoint(*tiled);
  SmallVector<Range> ranges = tiled->createLoopRanges(rewriter, loc);
  OpFoldResult rows = ranges[match.mDim].size;
  OpFoldResult cols = ranges[match.nDim].size;
  std::optional<int64_t> staticRows = getConstantIntValue(rows);
  std::optional<int64_t> staticCols = getConstantIntValue(cols);
  bool knownFull = staticRows == tile.rows && staticCols == tile.cols;
  bool knownPartial = (staticRows && *staticRows != tile.rows) ||
                      (staticCols && *staticCols != tile.cols);
  if (knownFull) {
    fullTiles.push_back(cloneWithStaticLoopSizes(
        rewriter, *tiled, staticSizes(*tiled, match, tile)));
    rewriter.eraseOp(*tiled);
    return success();
  }
  if (knownPartial)
    return tileWithCascade(rewriter, *tiled, match, levels.drop_front(),
                           fullTiles);

  auto isFull = [&](OpFoldResult size, int64_t expected) {
    return arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::eq,
        getValueOrCreateConstantIndexOp(rewriter, loc, size),
        arith::ConstantIndexOp::create(rewriter, loc, expected));
  };
  Value full = arith::AndIOp::create(rewriter, loc, isFull(rows, tile.rows),
                                     isFull(cols, tile.cols));
  auto ifOp = scf::IfOp::create(rewriter, loc, full, /*withElseRegion=*/true);
  rewriter.setInsertionPointToStart(ifOp.thenBlock());
  fullTiles.push_back(cloneWithStaticLoopSizes(
      rewriter, *tiled, staticSizes(*tiled, match, tile)));
  rewriter.setInsertionPointToStart(ifOp.elseBlock());
  auto edge = cast<linalg::LinalgOp>(rewriter.clone(*tiled->getOperation()));
  rewriter.eraseOp(*tiled);
  return tileWithCascade(rewriter, edge, match, levels.drop_front(), fullTiles);
}

/// The micro-kernel of a full register tile: a k loop of step 1 around the
/// tile's contraction, vectorized into a vector.contract.
LogicalResult vectorizeFullTile(RewriterBase &rewriter, linalg::LinalgOp op,
                                const ContractionMatch &match) {
  SmallVector<int64_t> sizes(op.getNumLoops(), 0);
  sizes[match.kDim] = 1;
  SmallVector<int64_t> order =
      llvm::to_vector(llvm::seq<int64_t>(0, op.getNumLoops()));
  FailureOr<linalg::LinalgOp> step = tileLoops(rewriter, op, sizes, order);
  if (failed(step))
    return failure();
  rewriter.setInsertionPoint(*step);
  FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
      rewriter, *step, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
      /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
      /*assumeDynamicDimsMatchVecSizes=*/false,
      /*createNamedContraction=*/true);
  if (failed(vectorized))
    return failure();
  rewriter.eraseOp(*step);
  return success();
}

struct TileContractionsPass
    : impl::LLMTileContractionsPassBase<TileContractionsPass> {
  using LLMTileContractionsPassBase::LLMTileContractionsPassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    FailureOr<TargetDescription> target =
        resolvePassTarget(func, "llm-tile-contractions", cpu, targetDesc);
    if (failed(target))
      return signalPassFailure();

    SmallVector<std::pair<linalg::LinalgOp, ContractionMatch>> contractions;
    func.walk([&](linalg::LinalgOp op) {
      if (!op.hasPureBufferSemantics())
        return;
      if (std::optional<ContractionMatch> match = matchContraction(op))
        contractions.emplace_back(op, *match);
    });
    if (contractions.empty())
      return;

    IRRewriter rewriter(&getContext());
    int64_t lanes = 0;
    for (auto &[op, match] : contractions) {
      ContractionTiles tiles = chooseContractionTiles(*target, match.shape);
      lanes = tiles.lanes;
      // Cache tiles: n (NC), k (KC), m (MC).
      SmallVector<int64_t> sizes(op.getNumLoops(), 0);
      for (unsigned dim : match.batchDims)
        sizes[dim] = 1;
      sizes[match.nDim] = tiles.nc;
      sizes[match.kDim] = tiles.kc;
      sizes[match.mDim] = tiles.mc;
      FailureOr<linalg::LinalgOp> block = tileLoops(
          rewriter, op, sizes, loopOrder(match, {match.kDim, match.mDim}));
      if (failed(block)) {
        op.emitError("llm-tile-contractions: cache tiling failed");
        return signalPassFailure();
      }
      SmallVector<linalg::LinalgOp> fullTiles;
      SmallVector<RegisterTile> cascade = {
          {tiles.mr, tiles.nr}, {1, tiles.nr}, {1, tiles.lanes}};
      if (tiles.nr == tiles.lanes)
        cascade.erase(cascade.begin() + 1);
      if (failed(
              tileWithCascade(rewriter, *block, match, cascade, fullTiles))) {
        func.emitError("llm-tile-contractions: register tiling failed");
        return signalPassFailure();
      }
      for (linalg::LinalgOp tile : fullTiles) {
        if (failed(vectorizeFullTile(rewriter, tile, match))) {
          tile.emitError("llm-tile-contractions: vectorization failed");
          return signalPassFailure();
        }
      }
    }
    if (failed(lowerVectorTiles(func, lanes))) {
      func.emitError("llm-tile-contractions: micro-kernel lowering failed");
      return signalPassFailure();
    }
  }
};

} // namespace
} // namespace mlir::llm

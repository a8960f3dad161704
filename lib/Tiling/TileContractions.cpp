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
// Epilogue fusion (fuse-epilogues): when C is a zero-filled buffer read only
// by one elementwise consumer (ContractionEpilogue.h), every register tile,
// vector or scalar, starts from zero in the first k block instead of reading
// the fill, and after the last k block applies the consumer's body to its
// accumulators and stores the result into the consumer's output; the k
// blocks in between keep their partial sums in that output (or in C when an
// input of the consumer shares its buffer). The fill, the consumer and
// (usually) C go. See fuseIntoTile.
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/ContractionMatch.h"
#include "llm/Tiling/CostModel.h"
#include "llm/Tiling/PackedWeights.h"
#include "llm/Tiling/Passes.h"
#include "llm/Tiling/TargetDescription.h"

#include "ContractionEpilogue.h"
#include "PanelPrefetch.h"
#include "PackTransposedOperands.h"
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
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

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

/// A buffer of one B micro-panel (KC x NR, batch dims 1), filled per
/// register-tile column in the n loop and read by the full MR x NR tiles.
struct PackedPanel {
  Value buffer;
  /// With constant panels too large for the caches: what the full tiles
  /// prefetch of the next micro-panel (PanelPrefetch.h).
  std::optional<PanelPrefetch> prefetch;
};

/// How the register tiles of one contraction get B: from weights packed at
/// compile time (`constant`), else by copying micro-panels (`copy`).
struct PanelPlan {
  const ContractionTiles *tiles = nullptr;
  std::optional<PackedWeights> constant;
  bool copy = false;
  /// A transposed B packed per cache block (PackTransposedOperands.h).
  const TransposedPanels *transposed = nullptr;
  /// Constant panels: the full tiles prefetch the next micro-panel
  /// (shouldPrefetchPanels), recorded per full tile in `prefetches`.
  bool prefetchNext = false;
  int64_t lineBytes = 64;
  DenseMap<Operation *, PanelPrefetch> *prefetches = nullptr;
};

/// The packed panels a register tile reads (readConstantPanels): the
/// global's get_global, the panel index and the k offset of the tile.
struct ConstantPanelView {
  Value panels, panel, kOffset;
};

/// Makes `tiled` (in the n loop of the register tiles) read its B tile from
/// the compile-time packed panels of `packed`: B's tile is a chain of unit-
/// stride subviews of the weight [K, N]; their offsets add up to (k0, n0),
/// and with n0 a multiple of NR (the cache and thread splits keep whole
/// panels: NC and the thread chunks are multiples of NR) the tile is
/// panels[n0 / NR][k0 : k0 + kSize][0 : nSize]. Every tile of the cascade,
/// edges included, then reads the panels. Returns false (nothing changed)
/// when B's tile is not such a chain.
static bool readConstantPanels(RewriterBase &rewriter, linalg::LinalgOp tiled,
                               scf::ForOp mLoop, unsigned kPos, unsigned nPos,
                               const PackedWeights &packed,
                               ConstantPanelView *read = nullptr) {
  OpOperand *bOperand = tiled.getDpsInputOperand(1);
  Value b = bOperand->get();
  auto bType = cast<MemRefType>(b.getType());
  if (bType.getRank() != 2)
    return false;
  SmallVector<memref::SubViewOp> chain;
  Value root = b;
  while (auto subview = root.getDefiningOp<memref::SubViewOp>()) {
    if (subview.getSourceType().getRank() != 2 ||
        !llvm::all_of(subview.getStaticStrides(),
                      [](int64_t stride) { return stride == 1; }))
      return false;
    chain.push_back(subview);
    root = subview.getSource();
  }
  auto getGlobal = root.getDefiningOp<memref::GetGlobalOp>();
  auto panelsGlobal = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      tiled, packed.panels);
  if (!getGlobal || !panelsGlobal)
    return false;
  MemRefType panelsType = panelsGlobal.getType();
  auto rootType = cast<MemRefType>(root.getType());
  if (panelsType.getRank() != 3 || panelsType.getDimSize(2) != packed.nr ||
      rootType.getDimSize(kPos) != panelsType.getDimSize(1) ||
      rootType.getDimSize(nPos) != panelsType.getDimSize(0) * packed.nr)
    return false;

  Location loc = tiled.getLoc();
  rewriter.setInsertionPoint(mLoop);
  Value kOffset = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value nOffset = kOffset;
  for (memref::SubViewOp subview : chain) {
    SmallVector<OpFoldResult> offsets = subview.getMixedOffsets();
    kOffset = arith::AddIOp::create(
        rewriter, loc, kOffset,
        getValueOrCreateConstantIndexOp(rewriter, loc, offsets[kPos]));
    nOffset = arith::AddIOp::create(
        rewriter, loc, nOffset,
        getValueOrCreateConstantIndexOp(rewriter, loc, offsets[nPos]));
  }
  Value panel = arith::DivUIOp::create(
      rewriter, loc, nOffset,
      arith::ConstantIndexOp::create(rewriter, loc, packed.nr));
  Value panels = memref::GetGlobalOp::create(rewriter, loc, panelsType,
                                             packed.panels.getValue());
  SmallVector<OpFoldResult> sizes = {
      rewriter.getIndexAttr(1),
      memref::getMixedSize(rewriter, loc, b, kPos),
      memref::getMixedSize(rewriter, loc, b, nPos)};
  SmallVector<OpFoldResult> offsets = {panel, kOffset,
                                       rewriter.getIndexAttr(0)};
  SmallVector<OpFoldResult> strides(3, rewriter.getIndexAttr(1));
  auto viewType = memref::SubViewOp::inferRankReducedResultType(
      bType.getShape(), panelsType, offsets, sizes, strides);
  Value view = memref::SubViewOp::create(rewriter, loc, viewType, panels,
                                         offsets, sizes, strides);
  rewriter.modifyOpInPlace(tiled, [&] { bOperand->set(view); });
  if (read)
    *read = {panels, panel, kOffset};
  return true;
}

/// B for the register tiles of one cache block. `tiled` is the MR x NR tile
/// in the loops `loops` (..., n loop, m loop); B's tile (KC x NR, strided by
/// B's row length) only depends on the n loop. With compile-time packed
/// weights the tile reads their panel (readConstantPanels). Otherwise, with
/// `plan.copy`, B's tile is copied right before the m loop into a contiguous
/// KC x NR buffer that the full tiles of every m step then read. A strided
/// panel maps its rows to a few L1 sets (a row stride of 3-16 KiB is a
/// multiple of the set stride), so it is evicted between m steps; a
/// contiguous one stays in L1. The copy runs only for full panels (NR
/// columns) of blocks with at least MR rows (else no full tile reads it:
/// M = 1 streams B once, unpacked). Returns the copy's buffer, or null.
static PackedPanel packBMicroPanels(RewriterBase &rewriter,
                                    linalg::LinalgOp tiled,
                                    ArrayRef<LoopLikeOpInterface> loops,
                                    const ContractionMatch &match,
                                    const PanelPlan &plan) {
  const ContractionTiles &tiles = *plan.tiles;
  if (loops.size() < 2)
    return {};
  LoopLikeOpInterface outer = loops[loops.size() - 2], inner = loops.back();
  auto nLoop = dyn_cast<scf::ForOp>(outer.getOperation());
  auto mLoop = dyn_cast<scf::ForOp>(inner.getOperation());
  if (!nLoop || !mLoop || mLoop->getParentOp() != nLoop)
    return {};
  moveLoopInvariantCode(inner);
  OpOperand *bOperand = tiled.getDpsInputOperand(1);
  Value b = bOperand->get();
  auto bType = dyn_cast<MemRefType>(b.getType());
  if (!bType || !mLoop.isDefinedOutsideOfLoop(b))
    return {};
  AffineMap map = tiled.getMatchingIndexingMap(bOperand);
  std::optional<unsigned> kPos = map.getResultPosition(
      getAffineDimExpr(match.kDim, rewriter.getContext()));
  std::optional<unsigned> nPos = map.getResultPosition(
      getAffineDimExpr(match.nDim, rewriter.getContext()));
  if (!kPos || !nPos || *nPos != map.getNumResults() - 1)
    return {};
  ConstantPanelView read;
  if (plan.constant && readConstantPanels(rewriter, tiled, mLoop, *kPos, *nPos,
                                          *plan.constant, &read)) {
    if (!plan.prefetchNext)
      return {};
    Location loc = tiled.getLoc();
    rewriter.setInsertionPoint(mLoop);
    Value kSize = memref::DimOp::create(
        rewriter, loc, tiled.getDpsInputOperand(1)->get(), *kPos);
    return {Value(),
            planPanelPrefetch(rewriter, loc, mLoop, read.panels, read.panel,
                              read.kOffset, kSize, plan.lineBytes)};
  }
  if (!plan.copy)
    return {};
  SmallVector<int64_t> shape(bType.getRank(), 1);
  shape[*kPos] = tiles.kc;
  shape[*nPos] = tiles.nr;
  for (auto [d, size] : llvm::enumerate(bType.getShape()))
    if (!ShapedType::isDynamic(size) && size > shape[d])
      return {};

  Location loc = tiled.getLoc();
  Value buffer = createPackingBuffer(
      rewriter, loc, nLoop, MemRefType::get(shape, bType.getElementType()));

  rewriter.setInsertionPoint(mLoop);
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  Value kSize = memref::DimOp::create(rewriter, loc, b, *kPos);
  Value nSize = memref::DimOp::create(rewriter, loc, b, *nPos);
  Value rows = arith::SubIOp::create(rewriter, loc, mLoop.getUpperBound(),
                                     mLoop.getLowerBound());
  Value fullPanel = arith::AndIOp::create(
      rewriter, loc,
      arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq, nSize,
                            index(tiles.nr)),
      arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge, rows,
                            index(tiles.mr)));
  auto ifOp = scf::IfOp::create(rewriter, loc, fullPanel,
                                /*withElseRegion=*/false);
  rewriter.setInsertionPointToStart(ifOp.thenBlock());
  auto copyLoop = scf::ForOp::create(rewriter, loc, index(0), kSize, index(1));
  rewriter.setInsertionPointToStart(copyLoop.getBody());
  auto vectorType = VectorType::get({tiles.lanes}, bType.getElementType());
  for (int64_t col = 0; col < tiles.nr; col += tiles.lanes) {
    SmallVector<Value> indices(shape.size(), index(0));
    indices[*kPos] = copyLoop.getInductionVar();
    indices[*nPos] = index(col);
    Value v = vector::LoadOp::create(rewriter, loc, vectorType, b, indices);
    vector::StoreOp::create(rewriter, loc, v, buffer, indices);
  }
  return {buffer, std::nullopt};
}

/// Makes the full tile `full` read B from the packed panel (its first k rows
/// and NR columns) instead of the strided B tile.
static void readPackedPanel(RewriterBase &rewriter, linalg::LinalgOp full,
                            const PackedPanel &panel) {
  OpOperand *bOperand = full.getDpsInputOperand(1);
  Value b = bOperand->get();
  auto bType = cast<MemRefType>(b.getType());
  Location loc = full.getLoc();
  rewriter.setInsertionPoint(full);
  SmallVector<OpFoldResult> offsets(bType.getRank(), rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(bType.getRank(), rewriter.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes;
  for (auto [d, size] : llvm::enumerate(bType.getShape()))
    sizes.push_back(ShapedType::isDynamic(size)
                        ? OpFoldResult(memref::DimOp::create(rewriter, loc, b,
                                                             d)
                                           .getResult())
                        : OpFoldResult(rewriter.getIndexAttr(size)));
  Value view = memref::SubViewOp::create(rewriter, loc, panel.buffer, offsets,
                                         sizes, strides);
  rewriter.modifyOpInPlace(full, [&] { bOperand->set(view); });
}

/// Copies the A block of `block` (the MC x KC cache tile in the m0 loop)
/// into a 64-byte-aligned heap buffer whose rows are KC rounded up to the
/// lanes plus one cache line apart, and makes `block` read A from there, so
/// that every register tile of the block (full tiles and edges) does. In
/// A's own layout the rows are K * 4 bytes apart; for K a multiple of 1024
/// that is a multiple of the L2 way size divided by a power of two, so the
/// MC rows of the block share a few cache sets and the block is evicted
/// before the next register panel reuses it. The padded stride spreads the
/// rows over all sets. The buffer is placed outside any sequential loop
/// (once per call or per thread chunk) and refilled per block: the copy is
/// MC x KC loads and stores against 2 NC MC KC FLOPs. Returns the view of
/// the buffer that `block` now reads (null: nothing changed, A is not a 2-D
/// [m, k] operand, k innermost).
static Value packABlock(RewriterBase &rewriter, linalg::LinalgOp block,
                        const ContractionMatch &match,
                        const ContractionTiles &tiles) {
  OpOperand *aOperand = block.getDpsInputOperand(0);
  Value a = aOperand->get();
  auto aType = dyn_cast<MemRefType>(a.getType());
  MLIRContext *ctx = rewriter.getContext();
  AffineMap map = block.getMatchingIndexingMap(aOperand);
  if (!aType || aType.getRank() != 2 || map.getNumResults() != 2 ||
      map.getResult(0) != getAffineDimExpr(match.mDim, ctx) ||
      map.getResult(1) != getAffineDimExpr(match.kDim, ctx))
    return {};
  // The block's sizes are at most the cache tiles (tileUsingSCF's
  // min(tile, rest)), or static.
  auto bound = [&](unsigned d, int64_t tile) {
    int64_t size = aType.getDimSize(d);
    return ShapedType::isDynamic(size) ? tile : size;
  };
  int64_t lanes = tiles.lanes;
  int64_t rowsBound = bound(0, tiles.mc);
  int64_t eltBytes = aType.getElementTypeBitWidth() / 8;
  int64_t pad = std::max<int64_t>(lanes, 64 / std::max<int64_t>(1, eltBytes));
  int64_t stride = (bound(1, tiles.kc) + lanes - 1) / lanes * lanes + pad;

  Location loc = block.getLoc();
  Value buffer = createPackingBuffer(
      rewriter, loc, block,
      MemRefType::get({rowsBound, stride}, aType.getElementType()));

  rewriter.setInsertionPoint(block);
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  Value rows = memref::DimOp::create(rewriter, loc, a, 0);
  Value cols = memref::DimOp::create(rewriter, loc, a, 1);
  Value vecCols = arith::SubIOp::create(
      rewriter, loc, cols,
      arith::RemUIOp::create(rewriter, loc, cols, index(lanes)));
  auto rowLoop = scf::ForOp::create(rewriter, loc, index(0), rows, index(1));
  rewriter.setInsertionPointToStart(rowLoop.getBody());
  Value row = rowLoop.getInductionVar();
  auto vecLoop =
      scf::ForOp::create(rewriter, loc, index(0), vecCols, index(lanes));
  rewriter.setInsertionPointToStart(vecLoop.getBody());
  auto vectorType = VectorType::get({lanes}, aType.getElementType());
  SmallVector<Value, 2> vecAt = {row, vecLoop.getInductionVar()};
  Value v = vector::LoadOp::create(rewriter, loc, vectorType, a, vecAt);
  vector::StoreOp::create(rewriter, loc, v, buffer, vecAt);
  rewriter.setInsertionPointAfter(vecLoop);
  auto tailLoop = scf::ForOp::create(rewriter, loc, vecCols, cols, index(1));
  rewriter.setInsertionPointToStart(tailLoop.getBody());
  SmallVector<Value, 2> tailAt = {row, tailLoop.getInductionVar()};
  Value x = memref::LoadOp::create(rewriter, loc, a, tailAt);
  memref::StoreOp::create(rewriter, loc, x, buffer, tailAt);

  rewriter.setInsertionPoint(block);
  SmallVector<OpFoldResult> offsets(2, rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(2, rewriter.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes = memref::getMixedSizes(rewriter, loc, a);
  Value view = memref::SubViewOp::create(rewriter, loc, buffer, offsets,
                                         sizes, strides);
  rewriter.modifyOpInPlace(block, [&] { aOperand->set(view); });
  return view;
}

/// Tiles `op` (an edge or whole tile) by levels.front() in n, m order and
/// versions every tile on its run-time size: full tiles are cloned with
/// static shapes and collected in `fullTiles`, the others recurse on the
/// rest of the cascade. With the cascade exhausted, `op` (fewer columns than
/// a vector) becomes scalar loops right here, so that no subview of C is
/// left once subviews are folded into the loads and stores. With `packFor`
/// (first level only), B comes from packed panels (packBMicroPanels).
LogicalResult tileWithCascade(RewriterBase &rewriter, linalg::LinalgOp op,
                              const ContractionMatch &match,
                              ArrayRef<RegisterTile> levels,
                              SmallVectorImpl<linalg::LinalgOp> &fullTiles,
                              const PanelPlan *packFor = nullptr,
                              SmallVectorImpl<linalg::LinalgOp> *scalarTiles =
                                  nullptr) {
  if (levels.empty()) {
    // With `scalarTiles` the caller lowers the tile (with its epilogue).
    if (scalarTiles) {
      scalarTiles->push_back(op);
      return success();
    }
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
  SmallVector<LoopLikeOpInterface> loops;
  FailureOr<linalg::LinalgOp> tiled =
      tileLoops(rewriter, op, sizes, loopOrder(match, {match.mDim, match.kDim}),
                &loops);
  if (failed(tiled))
    return failure();
  PackedPanel panel;
  if (packFor && packFor->transposed) {
    if (failed(readTransposedPanels(rewriter, *tiled, *packFor->transposed)))
      return failure();
  } else if (packFor) {
    panel = packBMicroPanels(rewriter, *tiled, loops, match, *packFor);
  }

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
    if (panel.buffer)
      readPackedPanel(rewriter, fullTiles.back(), panel);
    if (panel.prefetch && packFor->prefetches)
      (*packFor->prefetches)[fullTiles.back()] = *panel.prefetch;
    rewriter.eraseOp(*tiled);
    return success();
  }
  if (knownPartial)
    return tileWithCascade(rewriter, *tiled, match, levels.drop_front(),
                           fullTiles, nullptr, scalarTiles);

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
  if (panel.buffer)
    readPackedPanel(rewriter, fullTiles.back(), panel);
  if (panel.prefetch && packFor->prefetches)
    (*packFor->prefetches)[fullTiles.back()] = *panel.prefetch;
  rewriter.setInsertionPointToStart(ifOp.elseBlock());
  auto edge = cast<linalg::LinalgOp>(rewriter.clone(*tiled->getOperation()));
  rewriter.eraseOp(*tiled);
  return tileWithCascade(rewriter, edge, match, levels.drop_front(), fullTiles,
                         nullptr, scalarTiles);
}

/// The micro-kernel of a full register tile: a k loop of step 1 around the
/// tile's contraction, vectorized into a vector.contract; with `prefetch`,
/// the loop also prefetches a line of the next micro-panel per k step.
LogicalResult vectorizeFullTile(RewriterBase &rewriter, linalg::LinalgOp op,
                                const ContractionMatch &match,
                                const PanelPrefetch *prefetch = nullptr) {
  SmallVector<int64_t> sizes(op.getNumLoops(), 0);
  sizes[match.kDim] = 1;
  SmallVector<int64_t> order =
      llvm::to_vector(llvm::seq<int64_t>(0, op.getNumLoops()));
  FailureOr<linalg::LinalgOp> step = tileLoops(rewriter, op, sizes, order);
  if (failed(step))
    return failure();
  if (prefetch)
    if (auto kLoop = dyn_cast<scf::ForOp>((*step)->getParentOp()))
      emitPanelPrefetch(rewriter, kLoop, *prefetch);
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

/// An elementwise consumer fused into the register tiles of one f32
/// contraction (ContractionEpilogue.h).
struct FusedEpilogue {
  ContractionEpilogue epi;
  /// The contraction's C (after retargeting) and A: every tile's C and A
  /// are views of them, whose offsets place the tile.
  Value c, a;
  /// A's dim indexed by k, C's dim indexed by m.
  unsigned aKPos = 0, cMPos = 0;
  /// The contraction's K.
  OpFoldResult k;
  /// C stays as the buffer of the partial sums (an in-place consumer, or an
  /// output that cannot hold them); else the output holds them and C goes.
  bool keepC = false;
  /// With pack-a: the view of the packing buffer that the A block was
  /// replaced with, and that A block (a view of `a` at the same offsets).
  Value packedA, aBlock;
};


/// The consumer's output seen with C's type, to hold the partial sums of
/// the k blocks before the last; null when that cannot be: an input of the
/// consumer shares the output's buffer (it would read partial sums), or the
/// output does not reshape to C's type.
static Value outputAsC(RewriterBase &rewriter, Location loc,
                       const ContractionEpilogue &epi, Value c) {
  linalg::GenericOp consumer = epi.consumer;
  Value out = consumer.getDpsInits()[0];
  Value outRoot = rootBuffer(out);
  for (auto [i, input] : llvm::enumerate(consumer.getDpsInputs()))
    if (static_cast<int>(i) != epi.cInput && rootBuffer(input) == outRoot)
      return {};
  Value view = out;
  if (memref::ExpandShapeOp expand = epi.view) {
    SmallVector<ReassociationIndices> groups =
        expand.getReassociationIndices();
    if (!memref::CollapseShapeOp::isGuaranteedCollapsible(
            cast<MemRefType>(out.getType()), groups))
      return {};
    view = memref::CollapseShapeOp::create(rewriter, loc, out, groups);
  }
  auto viewType = cast<MemRefType>(view.getType());
  auto cType = cast<MemRefType>(c.getType());
  if (viewType.getShape() == cType.getShape())
    return view;
  if (!memref::CastOp::areCastCompatible(viewType, cType))
    return {};
  return memref::CastOp::create(rewriter, loc, cType, view);
}

/// Matches the epilogue of `op` (ContractionEpilogue.h, f32 form) and makes
/// `op` accumulate into the consumer's output when it can (outputAsC).
static std::optional<FusedEpilogue>
prepareEpilogue(RewriterBase &rewriter, linalg::LinalgOp op,
                const ContractionMatch &match) {
  MLIRContext *ctx = op.getContext();
  OpOperand *aOperand = op.getDpsInputOperand(0);
  OpOperand *cOperand = op.getDpsInitOperand(0);
  std::optional<unsigned> aKPos =
      op.getMatchingIndexingMap(aOperand).getResultPosition(
          getAffineDimExpr(match.kDim, ctx));
  std::optional<unsigned> cMPos =
      op.getMatchingIndexingMap(cOperand).getResultPosition(
          getAffineDimExpr(match.mDim, ctx));
  if (!aKPos || !cMPos)
    return std::nullopt;
  std::optional<ContractionEpilogue> epi = matchContractionEpilogue(
      op, EpilogueMatchOptions{/*allowUnitExpand=*/true, /*allowFloat=*/true,
                               /*allowInPlace=*/true, /*allowChunk=*/true});
  if (!epi)
    return std::nullopt;
  // The consumer's results are stored while the contraction still reads
  // its operands: they must be other buffers.
  Value outRoot = rootBuffer(epi->consumer.getDpsInits()[0]);
  for (Value input : op.getDpsInputs())
    if (rootBuffer(input) == outRoot)
      return std::nullopt;

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  FusedEpilogue fused{*epi,
                      cOperand->get(),
                      aOperand->get(),
                      *aKPos,
                      *cMPos,
                      memref::getMixedSize(rewriter, loc, aOperand->get(),
                                           *aKPos),
                      /*keepC=*/false,
                      /*packedA=*/Value(),
                      /*aBlock=*/Value()};
  if (fused.epi.inPlace) {
    // The consumer's output is C: the partial sums stay there.
    fused.keepC = true;
  } else if (Value partial = outputAsC(rewriter, loc, fused.epi, fused.c)) {
    rewriter.modifyOpInPlace(op, [&] { cOperand->set(partial); });
    fused.c = partial;
  } else {
    fused.keepC = true;
  }
  return fused;
}

/// Where register tile `tile` sits: its C offsets, and whether it runs the
/// first and the last k block of the contraction.
struct TilePlace {
  SmallVector<OpFoldResult> cOffsets;
  Value first, last;
};

static std::optional<TilePlace> placeTile(RewriterBase &rewriter,
                                          linalg::LinalgOp tile,
                                          const FusedEpilogue &fused) {
  Location loc = tile.getLoc();
  rewriter.setInsertionPoint(tile);
  Value tileA = tile.getDpsInputs()[0];
  std::optional<SmallVector<OpFoldResult>> cOffsets =
      offsetsIn(rewriter, loc, tile.getDpsInits()[0], fused.c);
  std::optional<SmallVector<OpFoldResult>> aOffsets =
      offsetsIn(rewriter, loc, tileA, fused.a, fused.packedA, fused.aBlock);
  if (!cOffsets || !aOffsets)
    return std::nullopt;
  OpFoldResult k0 = (*aOffsets)[fused.aKPos];
  OpFoldResult kEnd = addIndex(
      rewriter, loc, k0, memref::getMixedSize(rewriter, loc, tileA,
                                              fused.aKPos));
  auto equal = [&](OpFoldResult x, OpFoldResult y) {
    return arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::eq,
        getValueOrCreateConstantIndexOp(rewriter, loc, x),
        getValueOrCreateConstantIndexOp(rewriter, loc, y));
  };
  return TilePlace{*cOffsets, equal(k0, rewriter.getIndexAttr(0)),
                   equal(kEnd, fused.k)};
}

/// C's indices of the element at (`row`, `col`) of a tile at `place`
/// (dims other than m and n: the tile's offset).
static SmallVector<Value> cIndicesAt(OpBuilder &b, Location loc,
                                     const FusedEpilogue &fused,
                                     const TilePlace &place, Value row,
                                     Value col) {
  SmallVector<Value> indices;
  unsigned nPos = place.cOffsets.size() - 1;
  for (auto [d, offset] : llvm::enumerate(place.cOffsets)) {
    OpFoldResult index = offset;
    if (d == fused.cMPos)
      index = addIndex(b, loc, offset, row);
    else if (d == nPos)
      index = addIndex(b, loc, offset, col);
    indices.push_back(getValueOrCreateConstantIndexOp(b, loc, index));
  }
  return indices;
}

/// Fuses the epilogue into the full register tile `tile` (static C tile of
/// rows x cols, cols a multiple of `lanes`), before it is vectorized:
///
///   scf.if %first { vector.store zeros into the C tile }
///   <tile>                           (the k loop of the micro-kernel)
///   scf.if %last { per row and vector: vector.load of the C tile, the
///                  consumer's body, vector.store into its output }
///
/// After vectorization the accumulators are hoisted out of the k loop
/// between the two branches (lowerVectorTiles), so the zeros and the
/// stored accumulators reach the epilogue through L1 stores and loads of
/// the same addresses that LLVM forwards; with one k block both branches
/// fold away.
static LogicalResult fuseIntoVectorTile(RewriterBase &rewriter,
                                        linalg::LinalgOp tile,
                                        const FusedEpilogue &fused,
                                        int64_t lanes) {
  std::optional<TilePlace> place = placeTile(rewriter, tile, fused);
  Value tileC = tile.getDpsInits()[0];
  auto type = cast<MemRefType>(tileC.getType());
  ArrayRef<int64_t> shape = type.getShape();
  if (!place || !type.hasStaticShape() || shape.back() % lanes != 0)
    return failure();
  Location loc = tile.getLoc();
  unsigned nPos = shape.size() - 1;
  int64_t rows = shape[fused.cMPos], cols = shape.back();
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  auto tileIndices = [&](int64_t r, int64_t col) {
    SmallVector<Value> indices(shape.size(), index(0));
    indices[fused.cMPos] = index(r);
    indices[nPos] = index(col);
    return indices;
  };
  auto vectorType = VectorType::get({lanes}, type.getElementType());

  auto first = scf::IfOp::create(rewriter, loc, place->first,
                                 /*withElseRegion=*/false);
  rewriter.setInsertionPointToStart(first.thenBlock());
  Value zeros = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(vectorType, rewriter.getF32FloatAttr(0)));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t col = 0; col < cols; col += lanes)
      vector::StoreOp::create(rewriter, loc, zeros, tileC,
                              tileIndices(r, col));

  rewriter.setInsertionPointAfter(tile);
  auto last = scf::IfOp::create(rewriter, loc, place->last,
                                /*withElseRegion=*/false);
  rewriter.setInsertionPointToStart(last.thenBlock());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t col = 0; col < cols; col += lanes) {
      Value acc = vector::LoadOp::create(rewriter, loc, vectorType, tileC,
                                         tileIndices(r, col));
      SmallVector<Value> cIndices =
          cIndicesAt(rewriter, loc, fused, *place, index(r), index(col));
      emitEpilogueStore(rewriter, loc, fused.epi,
                        epilogueLoopIndices(rewriter, loc, fused.epi,
                                            cIndices),
                        acc, /*mask=*/Value());
    }
  return success();
}

/// Lowers the scalar edge tile `tile` (fewer columns than a vector) to
/// loops, with the epilogue when `fused`: zeros stored into its C tile in
/// the first k block, the consumer's body applied element by element after
/// the last.
static LogicalResult lowerScalarTile(RewriterBase &rewriter,
                                     linalg::LinalgOp tile,
                                     const FusedEpilogue *fused) {
  Location loc = tile.getLoc();
  std::optional<TilePlace> place;
  Value tileC = tile.getDpsInits()[0];
  if (fused) {
    place = placeTile(rewriter, tile, *fused);
    if (!place)
      return failure();
    auto first = scf::IfOp::create(rewriter, loc, place->first,
                                   /*withElseRegion=*/false);
    rewriter.setInsertionPointToStart(first.thenBlock());
    Value zero = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getF32FloatAttr(0));
    auto fill = linalg::FillOp::create(rewriter, loc, zero, tileC);
    if (failed(linalg::linalgOpToLoops(rewriter, fill)))
      return failure();
    rewriter.eraseOp(fill);
  }
  rewriter.setInsertionPoint(tile);
  if (failed(linalg::linalgOpToLoops(rewriter, tile)))
    return failure();
  rewriter.eraseOp(tile);
  if (!fused)
    return success();

  auto last = scf::IfOp::create(rewriter, loc, place->last,
                                /*withElseRegion=*/false);
  rewriter.setInsertionPointToStart(last.thenBlock());
  auto type = cast<MemRefType>(tileC.getType());
  unsigned nPos = type.getRank() - 1;
  for (auto [d, size] : llvm::enumerate(type.getShape()))
    if (d != fused->cMPos && d != nPos && size != 1)
      return failure();
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  Value rows = memref::DimOp::create(rewriter, loc, tileC, fused->cMPos);
  Value cols = memref::DimOp::create(rewriter, loc, tileC, nPos);
  auto rowLoop = scf::ForOp::create(rewriter, loc, zero, rows, one);
  rewriter.setInsertionPointToStart(rowLoop.getBody());
  auto colLoop = scf::ForOp::create(rewriter, loc, zero, cols, one);
  rewriter.setInsertionPointToStart(colLoop.getBody());
  Value row = rowLoop.getInductionVar(), col = colLoop.getInductionVar();
  SmallVector<Value> tileIndices(type.getRank(), zero);
  tileIndices[fused->cMPos] = row;
  tileIndices[nPos] = col;
  Value acc = memref::LoadOp::create(rewriter, loc, tileC, tileIndices);
  SmallVector<Value> cIndices =
      cIndicesAt(rewriter, loc, *fused, *place, row, col);
  emitEpilogueStore(rewriter, loc, fused->epi,
                    epilogueLoopIndices(rewriter, loc, fused->epi, cIndices),
                    acc, /*mask=*/Value());
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
    SmallVector<linalg::LinalgOp> transposedB;
    func.walk([&](linalg::LinalgOp op) {
      if (!op.hasPureBufferSemantics())
        return;
      if (std::optional<ContractionMatch> match = matchContraction(op))
        contractions.emplace_back(op, *match);
      else if (isTransposedBContraction(op))
        transposedB.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    // A transposed B (not a constant) is read through a transposed view
    // (llm-view-transposed-operands does this first in the CPU pipeline)
    // and packed into register panels per cache block
    // (PackTransposedOperands.h).
    for (linalg::LinalgOp op : transposedB) {
      linalg::LinalgOp viewed = viewTransposedB(rewriter, op);
      std::optional<ContractionMatch> match = matchContraction(viewed);
      if (!match) {
        viewed.emitError("llm-tile-contractions: transposed B not matched");
        return signalPassFailure();
      }
      contractions.emplace_back(viewed, *match);
    }
    if (contractions.empty())
      return;

    int64_t lanes = 0;
    for (auto &[op, match] : contractions) {
      bool readsTransposedView = readsTransposedB(op, match);
      ContractionTiles tiles = chooseContractionTiles(*target, match.shape);
      // Weights packed at compile time impose their panel width.
      std::optional<PackedWeights> packed = getPackedWeights(op);
      if (packed) {
        ContractionTiles fixed =
            chooseContractionTiles(*target, match.shape, packed->nr);
        if (fixed.mr > 0)
          tiles = fixed;
        else
          packed.reset();
      }
      // At most one register tile of rows (M = 1, decode): no m step reuses
      // a B micro-panel, so nothing needs to stay in L1; one k block over
      // the whole K keeps C in registers throughout and reads B as one
      // stream per panel (contiguous when packed) instead of KC-row pieces
      // of many panels in turn, which the prefetchers did not follow.
      if (!ShapedType::isDynamic(match.shape.m) &&
          !ShapedType::isDynamic(match.shape.k) &&
          match.shape.m <= tiles.mr)
        tiles.kc = match.shape.k;
      lanes = tiles.lanes;
      std::optional<FusedEpilogue> fused;
      if (fuseEpilogues)
        fused = prepareEpilogue(rewriter, op, match);
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
      std::optional<TransposedPanels> transposed;
      if (readsTransposedView) {
        transposed = packTransposedBBlock(rewriter, *block, match, tiles);
        if (!transposed) {
          block->emitError("llm-tile-contractions: transposed B not packed");
          return signalPassFailure();
        }
      }
      // A fused epilogue places its tiles by their A views (placeTile),
      // seen through the packed A block.
      if (packA && tiles.packA) {
        Value aBlock = block->getDpsInputs()[0];
        Value packedA = packABlock(rewriter, *block, match, tiles);
        if (fused && packedA) {
          fused->packedA = packedA;
          fused->aBlock = aBlock;
        }
      }
      SmallVector<linalg::LinalgOp> fullTiles, scalarTiles;
      SmallVector<RegisterTile> cascade = {
          {tiles.mr, tiles.nr}, {1, tiles.nr}, {1, tiles.lanes}};
      if (tiles.nr == tiles.lanes)
        cascade.erase(cascade.begin() + 1);
      PanelPlan plan{&tiles, packed, packB && !transposed};
      plan.transposed = transposed ? &*transposed : nullptr;
      DenseMap<Operation *, PanelPrefetch> prefetches;
      if (packed)
        if (auto global =
                SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
                    func, packed->panels))
          plan.prefetchNext =
              prefetchPanels && shouldPrefetchPanels(*target, global.getType());
      plan.lineBytes = target->lineBytes;
      plan.prefetches = &prefetches;
      if (failed(tileWithCascade(rewriter, *block, match, cascade, fullTiles,
                                 &plan, &scalarTiles))) {
        func.emitError("llm-tile-contractions: register tiling failed");
        return signalPassFailure();
      }
      for (linalg::LinalgOp tile : scalarTiles) {
        if (failed(lowerScalarTile(rewriter, tile, fused ? &*fused : nullptr))) {
          func.emitError("llm-tile-contractions: edge tile lowering failed");
          return signalPassFailure();
        }
      }
      for (linalg::LinalgOp tile : fullTiles) {
        if (fused &&
            failed(fuseIntoVectorTile(rewriter, tile, *fused, tiles.lanes))) {
          tile.emitError("llm-tile-contractions: epilogue fusion failed");
          return signalPassFailure();
        }
        auto prefetch = prefetches.find(tile);
        const PanelPrefetch *tilePrefetch =
            prefetch == prefetches.end() ? nullptr : &prefetch->second;
        ContractionMatch tileMatch = match;
        linalg::LinalgOp kernel = asNamedMatmul(rewriter, tile, tileMatch);
        if (failed(vectorizeFullTile(rewriter, kernel, tileMatch,
                                     tilePrefetch))) {
          kernel.emitError("llm-tile-contractions: vectorization failed");
          return signalPassFailure();
        }
      }
      if (fused)
        eraseFusedEpilogue(fused->epi, /*eraseC=*/!fused->keepC);
    }
    if (failed(lowerVectorTiles(func, lanes))) {
      func.emitError("llm-tile-contractions: micro-kernel lowering failed");
      return signalPassFailure();
    }
  }
};

} // namespace
} // namespace mlir::llm

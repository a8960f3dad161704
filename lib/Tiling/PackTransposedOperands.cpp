//===- PackTransposedOperands.cpp - run-time panels of a transposed B -----===//
//
// llm-tile-contractions' path for a contraction whose B is stored
// transposed, [batch..., N, K] with k innermost (linalg.matmul_transpose_b
// of a linear layer whose weight is an argument, the Q K^T generic of the
// naive attention lowering), and is not a compile-time constant (those are
// transposed when llm-pack-constant-weights packs them). The register-tile
// micro-kernel reads NR consecutive columns of one k row of B per step; in
// the transposed layout those are NR elements K * 4 bytes apart, so the
// vector kernel did not apply and the op took the scalar loop lowering
// (~2.5 GFLOP/s on 128 x 3072 x 768).
//
// Three steps:
//  1. viewTransposedB: the op becomes a linalg.generic reading B through a
//     `memref.transpose` view [batch..., K, N], so that n is B's innermost
//     loop dim and the usual cache tiling (NC, KC, MC) applies to it;
//  2. packTransposedBBlock: per (n0, k0) cache block, before the m loop, the
//     block's B (NC x KC of the original layout) is copied transposed into
//     a heap buffer of [NC / NR] panels of [KC, NR], the layout of the
//     compile-time packed weights, lanes x lanes elements at a time
//     (lanes row loads, a register transpose by vector.shuffle, lanes
//     stores), with scalar copies for the K % lanes and N % lanes edges;
//  3. readTransposedPanels: each register tile (n1 loop) reads its panel
//     panels[n1 / NR][k : k + kSize][0 : nSize], so every tile of the edge
//     cascade (full MR x NR, 1 x NR, 1 x lanes, scalar columns) reads
//     contiguous rows and the strided view is never read by a kernel.
//
// The copy runs once per (n0, k0) block, so B is read and written once per
// call (per thread chunk with threads), against 2 M FLOPs per element of B.
//
//===----------------------------------------------------------------------===//

#include "PackTransposedOperands.h"

#include "TilingUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

using namespace mlir;
using namespace mlir::llm;

/// The position of loop dim `dim` among the results of `map`.
static std::optional<unsigned> resultPosition(AffineMap map, unsigned dim) {
  return map.getResultPosition(getAffineDimExpr(dim, map.getContext()));
}

bool llm::readsTransposedB(linalg::LinalgOp op, const ContractionMatch &match) {
  OpOperand *bOperand = op.getDpsInputOperand(1);
  auto bType = dyn_cast<MemRefType>(bOperand->get().getType());
  AffineMap bMap = op.getMatchingIndexingMap(bOperand);
  std::optional<unsigned> kPos = resultPosition(bMap, match.kDim);
  std::optional<unsigned> nPos = resultPosition(bMap, match.nDim);
  SmallVector<int64_t> strides;
  int64_t offset;
  return bType && kPos && nPos && *nPos == bMap.getNumResults() - 1 &&
         succeeded(bType.getStridesAndOffset(strides, offset)) &&
         strides[*kPos] == 1 && strides[*nPos] != 1;
}

/// Transposes the `rows` (lanes vectors of lanes elements, lanes a power of
/// two) in registers: at each scale w = lanes/2 .. 1 the off-diagonal w x w
/// blocks of every 2w x 2w block swap, which is one two-source shuffle per
/// row (vpermt2ps on AVX-512).
static void transposeInRegisters(OpBuilder &b, Location loc,
                                 MutableArrayRef<Value> rows) {
  int64_t lanes = rows.size();
  for (int64_t w = lanes / 2; w >= 1; w /= 2) {
    SmallVector<int64_t> lowMask, highMask;
    for (int64_t c = 0; c < lanes; ++c) {
      // Row i (bit w clear) takes row i + w's columns c - w where c has bit
      // w set; row i + w takes row i's columns c + w where c has it clear.
      lowMask.push_back((c & w) ? lanes + c - w : c);
      highMask.push_back((c & w) ? lanes + c : c + w);
    }
    for (int64_t i = 0; i < lanes; ++i) {
      if (i & w)
        continue;
      Value x = rows[i], y = rows[i + w];
      rows[i] = vector::ShuffleOp::create(b, loc, x, y, lowMask);
      rows[i + w] = vector::ShuffleOp::create(b, loc, x, y, highMask);
    }
  }
}

std::optional<TransposedPanels>
llm::packTransposedBBlock(RewriterBase &rewriter, linalg::LinalgOp block,
                          const ContractionMatch &match,
                          const ContractionTiles &tiles) {
  OpOperand *bOperand = block.getDpsInputOperand(1);
  Value blockB = bOperand->get();
  auto bType = dyn_cast<MemRefType>(blockB.getType());
  AffineMap bMap = block.getMatchingIndexingMap(bOperand);
  std::optional<unsigned> kPos = resultPosition(bMap, match.kDim);
  std::optional<unsigned> nPos = resultPosition(bMap, match.nDim);
  int64_t rank = bMap.getNumResults();
  int64_t lanes = tiles.lanes, nr = tiles.nr;
  if (!bType || !kPos || !nPos || *kPos != rank - 2 || *nPos != rank - 1 ||
      lanes <= 0 || !llvm::isPowerOf2_64(lanes) || nr % lanes != 0)
    return std::nullopt;
  for (int64_t d = 0; d < rank - 2; ++d)
    if (bType.getDimSize(d) != 1)
      return std::nullopt;

  // The block's B only depends on the n0 and k0 loops: hoist it out of the
  // m loop and copy the panels right before that loop.
  if (auto loop = dyn_cast<scf::ForOp>(block->getParentOp()))
    moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
  Operation *anchor = block;
  while (auto loop = dyn_cast<scf::ForOp>(anchor->getParentOp())) {
    if (!loop.isDefinedOutsideOfLoop(blockB))
      break;
    anchor = loop;
  }

  auto bound = [&](unsigned d, int64_t tile) {
    int64_t size = bType.getDimSize(d);
    return ShapedType::isDynamic(size) ? tile : size;
  };
  int64_t kBound = bound(*kPos, tiles.kc);
  int64_t nBound = bound(*nPos, tiles.nc);
  // [panels, 1 x (batch dims - 1), KC, NR].
  SmallVector<int64_t> shape = {(nBound + nr - 1) / nr};
  for (int64_t d = 1; d < rank - 2; ++d)
    shape.push_back(1);
  shape.append({kBound, nr});
  Location loc = block.getLoc();
  Value panels = createPackingBuffer(
      rewriter, loc, anchor, MemRefType::get(shape, bType.getElementType()));

  rewriter.setInsertionPoint(anchor);
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  // B's block in its stored layout [1..., n, k], k contiguous.
  SmallVector<unsigned> back = llvm::to_vector(llvm::seq<unsigned>(0, rank));
  std::swap(back[rank - 2], back[rank - 1]);
  Value stored = memref::TransposeOp::create(
      rewriter, loc, blockB,
      AffineMapAttr::get(
          AffineMap::getPermutationMap(back, rewriter.getContext())));
  Value kSize = memref::DimOp::create(rewriter, loc, blockB, *kPos);
  Value nSize = memref::DimOp::create(rewriter, loc, blockB, *nPos);
  auto roundDown = [&](Value size) -> Value {
    return arith::SubIOp::create(
        rewriter, loc, size,
        arith::RemUIOp::create(rewriter, loc, size, index(lanes)));
  };
  Value kFull = roundDown(kSize), nFull = roundDown(nSize);
  auto storedAt = [&](Value n, Value k) {
    SmallVector<Value> indices(rank - 2, index(0));
    indices.append({n, k});
    return indices;
  };
  // panels[n / NR][0...][k][n % NR].
  auto panelAt = [&](OpBuilder &b, Value n, Value k) {
    SmallVector<Value> indices = {
        arith::DivUIOp::create(b, loc, n, index(nr)).getResult()};
    for (int64_t d = 1; d < rank - 2; ++d)
      indices.push_back(index(0));
    indices.append({k, arith::RemUIOp::create(b, loc, n, index(nr))});
    return indices;
  };
  auto scalarCopy = [&](OpBuilder &b, Value n, Value k) {
    Value x = memref::LoadOp::create(b, loc, stored, storedAt(n, k));
    memref::StoreOp::create(b, loc, x, panels, panelAt(b, n, k));
  };

  // Full lanes x lanes blocks, then the k edge of each lanes rows.
  auto nLoop = scf::ForOp::create(rewriter, loc, index(0), nFull,
                                  index(lanes));
  rewriter.setInsertionPointToStart(nLoop.getBody());
  Value n = nLoop.getInductionVar();
  auto kLoop = scf::ForOp::create(rewriter, loc, index(0), kFull,
                                  index(lanes));
  rewriter.setInsertionPointToStart(kLoop.getBody());
  Value k = kLoop.getInductionVar();
  auto vectorType = VectorType::get({lanes}, bType.getElementType());
  SmallVector<Value> rows;
  for (int64_t i = 0; i < lanes; ++i) {
    Value row = arith::AddIOp::create(rewriter, loc, n, index(i));
    rows.push_back(vector::LoadOp::create(rewriter, loc, vectorType, stored,
                                          storedAt(row, k)));
  }
  transposeInRegisters(rewriter, loc, rows);
  for (int64_t i = 0; i < lanes; ++i) {
    Value col = arith::AddIOp::create(rewriter, loc, k, index(i));
    vector::StoreOp::create(rewriter, loc, rows[i], panels,
                            panelAt(rewriter, n, col));
  }
  rewriter.setInsertionPointAfter(kLoop);
  auto kEdge = scf::ForOp::create(rewriter, loc, kFull, kSize, index(1));
  rewriter.setInsertionPointToStart(kEdge.getBody());
  auto rowLoop = scf::ForOp::create(rewriter, loc, index(0), index(lanes),
                                    index(1));
  rewriter.setInsertionPointToStart(rowLoop.getBody());
  scalarCopy(rewriter,
             arith::AddIOp::create(rewriter, loc, n,
                                   rowLoop.getInductionVar()),
             kEdge.getInductionVar());

  // The last N % lanes rows of the stored layout, element by element.
  rewriter.setInsertionPointAfter(nLoop);
  auto nEdge = scf::ForOp::create(rewriter, loc, nFull, nSize, index(1));
  rewriter.setInsertionPointToStart(nEdge.getBody());
  auto edgeK = scf::ForOp::create(rewriter, loc, index(0), kSize, index(1));
  rewriter.setInsertionPointToStart(edgeK.getBody());
  scalarCopy(rewriter, nEdge.getInductionVar(), edgeK.getInductionVar());

  return TransposedPanels{blockB, panels, nr, *kPos, *nPos};
}

LogicalResult llm::readTransposedPanels(RewriterBase &rewriter,
                                        linalg::LinalgOp tiled,
                                        const TransposedPanels &panels) {
  OpOperand *bOperand = tiled.getDpsInputOperand(1);
  Value b = bOperand->get();
  auto bType = cast<MemRefType>(b.getType());
  Location loc = tiled.getLoc();
  rewriter.setInsertionPoint(tiled);
  // The tile's offsets in the block's B: casts and unit-stride subviews.
  std::optional<SmallVector<OpFoldResult>> tileOffsets =
      offsetsIn(rewriter, loc, b, panels.blockB);
  if (!tileOffsets)
    return failure();
  Value kOffset = getValueOrCreateConstantIndexOp(rewriter, loc,
                                                 (*tileOffsets)[panels.kPos]);
  Value nOffset = getValueOrCreateConstantIndexOp(rewriter, loc,
                                                 (*tileOffsets)[panels.nPos]);
  // n1 is a multiple of NR: the register tiling steps by NR from the block's
  // first column, and the panels start there.
  Value panel = arith::DivUIOp::create(
      rewriter, loc, nOffset,
      arith::ConstantIndexOp::create(rewriter, loc, panels.nr));
  auto panelsType = cast<MemRefType>(panels.panels.getType());
  SmallVector<OpFoldResult> offsets = {panel};
  SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(1)};
  for (int64_t d = 1; d < panelsType.getRank() - 2; ++d) {
    offsets.push_back(rewriter.getIndexAttr(0));
    sizes.push_back(rewriter.getIndexAttr(1));
  }
  offsets.append({kOffset, rewriter.getIndexAttr(0)});
  sizes.append({memref::getMixedSize(rewriter, loc, b, panels.kPos),
                memref::getMixedSize(rewriter, loc, b, panels.nPos)});
  SmallVector<OpFoldResult> strides(panelsType.getRank(),
                                    rewriter.getIndexAttr(1));
  auto viewType = memref::SubViewOp::inferRankReducedResultType(
      bType.getShape(), panelsType, offsets, sizes, strides);
  Value view = memref::SubViewOp::create(rewriter, loc, viewType,
                                         panels.panels, offsets, sizes,
                                         strides);
  rewriter.modifyOpInPlace(tiled, [&] { bOperand->set(view); });
  return success();
}

linalg::LinalgOp llm::asNamedMatmul(RewriterBase &rewriter,
                                    linalg::LinalgOp tile,
                                    ContractionMatch &match) {
  if (!isa<linalg::GenericOp>(tile.getOperation()) ||
      tile.getNumLoops() != match.batchDims.size() + 3)
    return tile;
  MLIRContext *ctx = tile.getContext();
  // The non-batch results each operand must have, in order.
  AffineExpr m = getAffineDimExpr(match.mDim, ctx),
             n = getAffineDimExpr(match.nDim, ctx),
             k = getAffineDimExpr(match.kDim, ctx);
  SmallVector<SmallVector<AffineExpr, 2>> expected = {{m, k}, {k, n}, {m, n}};
  Location loc = tile.getLoc();
  SmallVector<std::pair<MemRefType, SmallVector<unsigned>>> kept;
  for (auto [i, operand] : llvm::enumerate(tile->getOpOperands())) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type || !type.getElementType().isF32())
      return tile;
    AffineMap map = tile.getMatchingIndexingMap(&operand);
    SmallVector<AffineExpr, 2> rest;
    SmallVector<unsigned> positions;
    for (auto [pos, expr] : llvm::enumerate(map.getResults())) {
      if (expr == m || expr == n || expr == k) {
        rest.push_back(expr);
        positions.push_back(pos);
      } else if (type.getDimSize(pos) != 1) {
        return tile;
      }
    }
    if (rest != expected[i])
      return tile;
    kept.emplace_back(type, positions);
  }
  rewriter.setInsertionPoint(tile);
  SmallVector<Value> views;
  for (auto [operand, typeAndKept] : llvm::zip(tile->getOperands(), kept)) {
    auto [type, positions] = typeAndKept;
    if (type.getRank() == 2) {
      views.push_back(operand);
      continue;
    }
    SmallVector<int64_t> shape;
    for (unsigned pos : positions)
      shape.push_back(type.getDimSize(pos));
    SmallVector<OpFoldResult> offsets(type.getRank(), rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(type.getRank(), rewriter.getIndexAttr(1));
    SmallVector<OpFoldResult> sizes =
        memref::getMixedSizes(rewriter, loc, operand);
    auto viewType = memref::SubViewOp::inferRankReducedResultType(
        shape, type, offsets, sizes, strides);
    views.push_back(memref::SubViewOp::create(rewriter, loc, viewType,
                                              operand, offsets, sizes,
                                              strides));
  }
  auto matmul = linalg::MatmulOp::create(
      rewriter, loc, ValueRange{views[0], views[1]}, ValueRange{views[2]});
  rewriter.eraseOp(tile);
  ContractionMatch named = match;
  named.batchDims.clear();
  named.mDim = 0;
  named.nDim = 1;
  named.kDim = 2;
  match = named;
  return cast<linalg::LinalgOp>(matmul.getOperation());
}

//===- AttentionToLinalg.cpp - flash-style lowering of attention ----------===//
//
// Lowers `transformer.attention` the way FlashAttention computes it: the
// `[Sq, T]` score matrix is never materialised. For each batch, query head
// and tile of `tile-q` queries, an `scf.for` walks the keys in tiles of
// `tile-kv`, carrying an accumulator `acc [tq, Dv]`, the running row maximum
// `m [tq]` and the running softmax denominator `l [tq]` (online softmax):
//
//   S     = Q_tile @ K_tile^T                        (linalg.matmul)
//   S     = scale * S, mask added / selected, causal -> -inf (linalg.generic)
//   m'    = max(m, rowmax(S))
//   P     = exp(S - m')                              (linalg.generic)
//   alpha = exp(m - m'),  l' = alpha * l + rowsum(P)
//   acc'  = alpha * acc + P @ V_tile                 (linalg.matmul)
//
// and the tile's output is `acc / l`. Causal attention stops the key loop at
// the last key the tile's last query sees, so the tiles above the diagonal
// are skipped; only the diagonal tiles select. A fully masked row keeps
// `m = -inf` (the exponent uses 0 instead, so no NaN appears before the
// final division, which gives NaN like the naive lowering). Grouped-query
// attention reads KV head `h / (Hq / Hkv)` for query head `h`; the KV cache
// is concatenated first and returned as the present key/value. Query length
// 1 (a decode step) is the same loop with one query tile.
//
// The two contractions are plain `linalg.matmul`s on tiles (K^T `[D, T]` is
// built once per head, outside the query-tile loop, and sliced into
// `[D, tk]` tiles), so the matmul tiling and
// vectorization of the CPU pipeline applies to them; everything else is a
// small elementwise or row-reduction generic. Memory is O(tile-q x tile-kv)
// per head instead of O(Sq x T).
//
// The pattern takes precedence over the naive lowering (NNToLinalg.cpp),
// which `convert-transformer-to-linalg{flash-attention=false}` keeps for
// comparison.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/TransformerToLinalg/TransformerToLinalg.h"

#include "LoweringUtils.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"

#include <limits>

using namespace mlir;
using namespace mlir::llm;

namespace {

using utils::IteratorType;

/// A `tensor.empty` of `sizes` filled with `value`.
Value createFilledTile(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                       Type elementType, double value) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, elementType);
  return createFill(b, loc, empty,
                    createScalarConstant(b, loc, elementType, value));
}

/// `min(step, remaining)` as `affine.min`, whose constant upper bound the
/// tiling cost model sees (ValueBounds), so the tiles' contractions get a
/// register tile planned for `step` rows/columns.
Value tileSize(OpBuilder &b, Location loc, Value step, Value remaining) {
  MLIRContext *context = b.getContext();
  AffineMap map = AffineMap::get(
      2, 0, {getAffineDimExpr(0, context), getAffineDimExpr(1, context)},
      context);
  return affine::AffineMinOp::create(b, loc, map, ValueRange{step, remaining});
}

/// The float type the online softmax accumulates in (f32 for f16/bf16).
Type getAccumulatorFloatType(Type elementType) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (floatType && floatType.getWidth() < 32)
    return Float32Type::get(elementType.getContext());
  return elementType;
}

/// `x == -inf ? 0 : x`: the row maximum used as exponent offset, so that a
/// row with no visible key so far gives exp(-inf) = 0 instead of NaN.
Value safeMax(OpBuilder &b, Location loc, Value max) {
  Type type = max.getType();
  Value negInf = createScalarConstant(
      b, loc, type, -std::numeric_limits<double>::infinity());
  Value isNegInf =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, max, negInf);
  return arith::SelectOp::create(b, loc, isNegInf,
                                 createScalarConstant(b, loc, type, 0.0), max);
}

struct FlashAttentionLowering
    : OpRewritePattern<transformer::AttentionOp> {
  FlashAttentionLowering(MLIRContext *context, int64_t tileQ, int64_t tileKV,
                         bool parallel)
      : OpRewritePattern(context, /*benefit=*/2), tileQ(tileQ), tileKV(tileKV),
        parallel(parallel) {}

  LogicalResult matchAndRewrite(transformer::AttentionOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value query = op.getQuery(), key = op.getKey(), value = op.getValue();
    auto queryType = cast<RankedTensorType>(query.getType());
    auto outputType = cast<RankedTensorType>(op.getOutput().getType());
    Type elementType = queryType.getElementType();
    Type accType = getAccumulatorFloatType(elementType);
    Value mask = op.getMask();
    if (mask && cast<RankedTensorType>(mask.getType()).getRank() == 0)
      return rewriter.notifyMatchFailure(op, "rank-0 mask");
    // KV cache: keys = concat(past_key, key) along the sequence.
    SmallVector<Value> present;
    if (Value pastKey = op.getPastKey()) {
      key =
          tensor::ConcatOp::create(rewriter, loc, 2, ValueRange{pastKey, key});
      value = tensor::ConcatOp::create(rewriter, loc, 2,
                                       ValueRange{op.getPastValue(), value});
      auto cast = [&](Value v, Type type) -> Value {
        return v.getType() == type
                   ? v
                   : tensor::CastOp::create(rewriter, loc, type, v).getResult();
      };
      key = cast(key, op.getPresentKey().getType());
      value = cast(value, op.getPresentValue().getType());
      present = {key, value};
    }

    auto dimOf = [&](Value v, int64_t d) -> Value {
      return getValueOrCreateConstantIndexOp(
          rewriter, loc, tensor::getMixedSize(rewriter, loc, v, d));
    };
    Value batch = dimOf(query, 0), qHeads = dimOf(query, 1);
    Value qLen = dimOf(query, 2), headDim = dimOf(query, 3);
    Value total = dimOf(key, 2);
    Value kvHeads =
        op.getNumKvHeads()
            ? arith::ConstantIndexOp::create(
                  rewriter, loc, static_cast<int64_t>(*op.getNumKvHeads()))
                  .getResult()
            : dimOf(key, 1);
    Value group = arith::DivUIOp::create(rewriter, loc, qHeads, kvHeads);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value stepQ = arith::ConstantIndexOp::create(rewriter, loc, tileQ);
    Value stepKV = arith::ConstantIndexOp::create(rewriter, loc, tileKV);
    // Key j is visible from query i when j <= i + (T - Sq).
    Value offset = arith::SubIOp::create(rewriter, loc, total, qLen);
    bool causal = op.getCausal();

    Value scale;
    if (std::optional<double> s = op.getEffectiveScale()) {
      scale = createScalarConstant(rewriter, loc, accType, *s);
    } else {
      Value asFloat = arith::SIToFPOp::create(
          rewriter, loc, accType,
          arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(),
                                     headDim));
      scale = math::RsqrtOp::create(rewriter, loc, asFloat);
    }

    // The mask as rank 4 (leading unit dims), dims of size 1 broadcast.
    RankedTensorType maskType;
    Type maskElementType;
    bool boolMask = false;
    if (mask) {
      maskType = cast<RankedTensorType>(mask.getType());
      maskElementType = maskType.getElementType();
      boolMask = maskElementType.isInteger(1);
      if (maskType.getRank() < 4) {
        int64_t missing = 4 - maskType.getRank();
        SmallVector<ReassociationIndices> reassociation;
        for (int64_t d = 0; d < maskType.getRank(); ++d) {
          ReassociationIndices group;
          if (d == 0)
            for (int64_t u = 0; u < missing; ++u)
              group.push_back(u);
          group.push_back(d + missing);
          reassociation.push_back(group);
        }
        SmallVector<int64_t> shape(missing, 1);
        llvm::append_range(shape, maskType.getShape());
        SmallVector<OpFoldResult> sizes(missing, rewriter.getIndexAttr(1));
        llvm::append_range(sizes, tensor::getMixedSizes(rewriter, loc, mask));
        maskType = RankedTensorType::get(shape, maskElementType);
        mask = tensor::ExpandShapeOp::create(rewriter, loc, maskType, mask,
                                             reassociation, sizes);
      }
    }
    auto broadcastDim = [&](int64_t d) {
      return maskType.getDimSize(d) == 1;
    };

    // Static sizes stay attributes so that the tiles' types are as static
    // as the operands'.
    OpFoldResult dOfr = tensor::getMixedSize(rewriter, loc, query, 3);
    OpFoldResult dkOfr = tensor::getMixedSize(rewriter, loc, key, 3);
    OpFoldResult dvOfr = tensor::getMixedSize(rewriter, loc, value, 3);
    int64_t staticD = queryType.getDimSize(3);
    int64_t staticDk = cast<RankedTensorType>(key.getType()).getDimSize(3);
    int64_t staticDv = cast<RankedTensorType>(value.getType()).getDimSize(3);
    Value outInit = tensor::EmptyOp::create(
        rewriter, loc,
        ArrayRef<OpFoldResult>{tensor::getMixedSize(rewriter, loc, query, 0),
                               tensor::getMixedSize(rewriter, loc, query, 1),
                               tensor::getMixedSize(rewriter, loc, query, 2),
                               dvOfr},
        elementType);
    AffineMap id2 = rewriter.getMultiDimIdentityMap(2);
    AffineExpr i = getAffineDimExpr(0, context), j = getAffineDimExpr(1, context);
    AffineMap rowMap = AffineMap::get(2, 0, {i}, context);
    AffineMap id1 = rewriter.getMultiDimIdentityMap(1);
    SmallVector<IteratorType> parallel2(2, IteratorType::parallel);
    SmallVector<IteratorType> rowReduce = {IteratorType::parallel,
                                           IteratorType::reduction};
    double negInfValue = -std::numeric_limits<double>::infinity();

    // One head (batch bIdx, query head hIdx): the query-tile loop writing
    // into `outTensor`, the whole 4-D output (sequential) or this head's
    // [Sq, Dv] rows (`perHead`, the parallel form). Returns the result.
    auto headBody = [&](OpBuilder &b, Location l, Value bIdx, Value hIdx,
                        Value outTensor, bool perHead) -> Value {
                Value kvHead = arith::DivUIOp::create(b, l, hIdx, group);
                // K^T of this head, [Dk, T], once for all its query tiles
                // (O(T x Dk), never O(Sq x T)): the score matmuls then read
                // B tiles row-major, as the tiling's micro-kernel wants.
                OpFoldResult unit = b.getIndexAttr(1);
                Value keyHead = tensor::ExtractSliceOp::create(
                    b, l,
                    RankedTensorType::get({ShapedType::kDynamic, staticDk},
                                          elementType),
                    key,
                    ArrayRef<OpFoldResult>{bIdx, kvHead, b.getIndexAttr(0),
                                           b.getIndexAttr(0)},
                    ArrayRef<OpFoldResult>{unit, unit, OpFoldResult(total),
                                           dkOfr},
                    ArrayRef<OpFoldResult>(SmallVector<OpFoldResult>(4, unit)));
                Value keyT =
                    linalg::TransposeOp::create(
                        b, l, keyHead,
                        tensor::EmptyOp::create(
                            b, l, ArrayRef<OpFoldResult>{dkOfr, total},
                            elementType),
                        ArrayRef<int64_t>{1, 0})
                        .getResult()[0];
                auto qLoop = scf::ForOp::create(
                    b, l, zero, qLen, stepQ, ValueRange{outTensor},
                    [&](OpBuilder &b, Location l, Value q0, ValueRange qArgs) {
                      Value remainingQ = arith::SubIOp::create(b, l, qLen, q0);
                      Value tq = tileSize(b, l, stepQ, remainingQ);
                      OpFoldResult tqOfr = tq;
                      OpFoldResult oneAttr = b.getIndexAttr(1),
                                   zeroAttr = b.getIndexAttr(0);
                      auto slice2D = [&](Value source, ArrayRef<OpFoldResult> offsets,
                                         ArrayRef<OpFoldResult> sizes,
                                         ArrayRef<int64_t> shape) -> Value {
                        auto type = RankedTensorType::get(
                            shape, getElementTypeOrSelf(source.getType()));
                        return tensor::ExtractSliceOp::create(
                            b, l, type, source, offsets, sizes,
                            SmallVector<OpFoldResult>(4, oneAttr));
                      };
                      int64_t dyn = ShapedType::kDynamic;
                      Value qTile = slice2D(
                          query, {bIdx, hIdx, q0, zeroAttr},
                          {oneAttr, oneAttr, tqOfr, dOfr}, {dyn, staticD});

                      Value accInit = createFilledTile(b, l, {tqOfr, dvOfr},
                                                       accType, 0.0);
                      Value maxInit =
                          createFilledTile(b, l, {tqOfr}, accType, negInfValue);
                      Value sumInit = createFilledTile(b, l, {tqOfr}, accType, 0.0);

                      // Causal: keys past the tile's last query are masked
                      // for every query of the tile; skip those tiles.
                      Value kvEnd = total;
                      if (causal) {
                        Value last = arith::AddIOp::create(
                            b, l, arith::AddIOp::create(b, l, q0, tq), offset);
                        kvEnd = arith::MaxSIOp::create(
                            b, l, zero, arith::MinSIOp::create(b, l, total, last));
                      }

                      auto kvLoop = scf::ForOp::create(
                          b, l, zero, kvEnd, stepKV,
                          ValueRange{accInit, maxInit, sumInit},
                          [&](OpBuilder &b, Location l, Value k0,
                              ValueRange kvArgs) {
                            Value acc = kvArgs[0], maxOld = kvArgs[1],
                                  sumOld = kvArgs[2];
                            Value remainingKV =
                                arith::SubIOp::create(b, l, kvEnd, k0);
                            Value tk = tileSize(b, l, stepKV, remainingKV);
                            OpFoldResult tkOfr = tk;
                            Value vTile = slice2D(
                                value, {bIdx, kvHead, k0, zeroAttr},
                                {oneAttr, oneAttr, tkOfr, dvOfr}, {dyn, staticDv});

                            // S = Q_tile @ K_tile^T (a slice of K^T).
                            Value kT = tensor::ExtractSliceOp::create(
                                b, l,
                                RankedTensorType::get({staticDk, dyn},
                                                      elementType),
                                keyT,
                                ArrayRef<OpFoldResult>{zeroAttr, k0},
                                ArrayRef<OpFoldResult>{dkOfr, tkOfr},
                                ArrayRef<OpFoldResult>{oneAttr, oneAttr});
                            Value sInit =
                                createFilledTile(b, l, {tqOfr, tkOfr}, accType, 0.0);
                            Value scores =
                                linalg::MatmulOp::create(b, l, ValueRange{qTile, kT},
                                                         ValueRange{sInit})
                                    .getResult(0);

                            // Scale, mask, causal mask.
                            SmallVector<Value> inputs = {scores};
                            SmallVector<AffineMap> maps = {id2};
                            if (mask) {
                              SmallVector<OpFoldResult> offsets = {
                                  broadcastDim(0) ? zeroAttr : OpFoldResult(bIdx),
                                  broadcastDim(1) ? zeroAttr : OpFoldResult(hIdx),
                                  broadcastDim(2) ? zeroAttr : OpFoldResult(q0),
                                  broadcastDim(3) ? zeroAttr : OpFoldResult(k0)};
                              SmallVector<OpFoldResult> sizes = {
                                  oneAttr, oneAttr,
                                  broadcastDim(2) ? oneAttr : tqOfr,
                                  broadcastDim(3) ? oneAttr : tkOfr};
                              inputs.push_back(slice2D(
                                  mask, offsets, sizes,
                                  {broadcastDim(2) ? 1 : dyn,
                                   broadcastDim(3) ? 1 : dyn}));
                              AffineExpr c0 = getAffineConstantExpr(0, context);
                              maps.push_back(AffineMap::get(
                                  2, 0,
                                  {broadcastDim(2) ? c0 : i,
                                   broadcastDim(3) ? c0 : j},
                                  context));
                            }
                            maps.push_back(id2);
                            Value masked =
                                linalg::GenericOp::create(
                                    b, l, sInit.getType(), inputs,
                                    ValueRange{tensor::EmptyOp::create(
                                        b, l, ArrayRef<OpFoldResult>{tqOfr, tkOfr},
                                        accType)},
                                    maps, parallel2,
                                    [&](OpBuilder &nb, Location nl, ValueRange args) {
                                      Value s = arith::MulFOp::create(nb, nl, args[0],
                                                                      scale);
                                      Value negInf = createScalarConstant(
                                          nb, nl, accType, negInfValue);
                                      if (mask && boolMask)
                                        s = arith::SelectOp::create(nb, nl, args[1], s,
                                                                    negInf);
                                      else if (mask)
                                        s = arith::AddFOp::create(
                                            nb, nl, s,
                                            convertScalar(nb, nl, args[1],
                                                          maskElementType, accType));
                                      if (causal) {
                                        Value row = arith::AddIOp::create(
                                            nb, nl, linalg::IndexOp::create(nb, nl, 0),
                                            q0);
                                        Value col = arith::AddIOp::create(
                                            nb, nl, linalg::IndexOp::create(nb, nl, 1),
                                            k0);
                                        Value limit =
                                            arith::AddIOp::create(nb, nl, row, offset);
                                        Value future = arith::CmpIOp::create(
                                            nb, nl, arith::CmpIPredicate::sgt, col,
                                            limit);
                                        s = arith::SelectOp::create(nb, nl, future,
                                                                    negInf, s);
                                      }
                                      linalg::YieldOp::create(nb, nl, s);
                                    })
                                    .getResult(0);

                            // The running statistics are updated in place
                            // (each generic writes into the loop-carried
                            // tensor it reads), so that bufferization keeps
                            // one buffer per loop-carried value.
                            auto rowGeneric = [&](ValueRange ins, ValueRange outs,
                                                  ArrayRef<AffineMap> maps,
                                                  ArrayRef<IteratorType> iterators,
                                                  auto body) {
                              return linalg::GenericOp::create(
                                  b, l, TypeRange(outs), ins, outs, maps, iterators,
                                  body);
                            };

                            // rowmax(S).
                            Value tileMax =
                                rowGeneric(masked,
                                           createFilledTile(b, l, {tqOfr}, accType,
                                                            negInfValue),
                                           {id2, rowMap}, rowReduce,
                                           [&](OpBuilder &nb, Location nl,
                                               ValueRange args) {
                                             linalg::YieldOp::create(
                                                 nb, nl,
                                                 Value(arith::MaximumFOp::create(
                                                     nb, nl, args[0], args[1])));
                                           })
                                    .getResult(0);

                            // m' = max(m, rowmax(S)), alpha = exp(m - m').
                            Value rowEmpty = tensor::EmptyOp::create(
                                b, l, ArrayRef<OpFoldResult>{tqOfr}, accType);
                            auto update = rowGeneric(
                                tileMax, ValueRange{rowEmpty, maxOld}, {id1, id1, id1},
                                {IteratorType::parallel},
                                [&](OpBuilder &nb, Location nl, ValueRange args) {
                                  Value maxNew = arith::MaximumFOp::create(
                                      nb, nl, args[2], args[0]);
                                  Value alpha = math::ExpOp::create(
                                      nb, nl,
                                      arith::SubFOp::create(nb, nl, args[2],
                                                            safeMax(nb, nl, maxNew)));
                                  linalg::YieldOp::create(nb, nl,
                                                          ValueRange{alpha, maxNew});
                                });
                            Value alpha = update.getResult(0);
                            Value maxNew = update.getResult(1);

                            // P = exp(S - m').
                            Value probs =
                                rowGeneric(ValueRange{masked, maxNew},
                                           ValueRange{tensor::EmptyOp::create(
                                               b, l,
                                               ArrayRef<OpFoldResult>{tqOfr, tkOfr},
                                               accType)},
                                           {id2, rowMap, id2}, parallel2,
                                           [&](OpBuilder &nb, Location nl,
                                               ValueRange args) {
                                             Value d = arith::SubFOp::create(
                                                 nb, nl, args[0],
                                                 safeMax(nb, nl, args[1]));
                                             linalg::YieldOp::create(
                                                 nb, nl,
                                                 Value(math::ExpOp::create(nb, nl, d)));
                                           })
                                    .getResult(0);

                            // l' = alpha * l + rowsum(P).
                            auto multiplyRows = [&](Value target, AffineMap map,
                                                    ArrayRef<IteratorType> iterators) {
                              return rowGeneric(
                                         alpha, target, {map, map == id1 ? id1 : id2},
                                         iterators,
                                         [&](OpBuilder &nb, Location nl,
                                             ValueRange args) {
                                           linalg::YieldOp::create(
                                               nb, nl,
                                               Value(arith::MulFOp::create(
                                                   nb, nl, args[1], args[0])));
                                         })
                                  .getResult(0);
                            };
                            Value sumScaled = multiplyRows(
                                sumOld, id1, {IteratorType::parallel});
                            Value sumNew =
                                rowGeneric(probs, sumScaled, {id2, rowMap}, rowReduce,
                                           [&](OpBuilder &nb, Location nl,
                                               ValueRange args) {
                                             linalg::YieldOp::create(
                                                 nb, nl,
                                                 Value(arith::AddFOp::create(
                                                     nb, nl, args[0], args[1])));
                                           })
                                    .getResult(0);

                            // acc' = alpha * acc + P @ V_tile.
                            Value scaled = multiplyRows(acc, rowMap, parallel2);
                            Value accNew =
                                linalg::MatmulOp::create(b, l, ValueRange{probs, vTile},
                                                         ValueRange{scaled})
                                    .getResult(0);
                            scf::YieldOp::create(b, l,
                                                 ValueRange{accNew, maxNew, sumNew});
                          });

                      // out_tile = acc / l, in the element type.
                      Value acc = kvLoop.getResult(0), sum = kvLoop.getResult(2);
                      Value outTile =
                          linalg::GenericOp::create(
                              b, l,
                              RankedTensorType::get({dyn, staticDv}, elementType),
                              ValueRange{acc, sum},
                              ValueRange{tensor::EmptyOp::create(
                                  b, l, ArrayRef<OpFoldResult>{tqOfr, dvOfr},
                                  elementType)},
                              ArrayRef<AffineMap>{id2, rowMap, id2}, parallel2,
                              [&](OpBuilder &nb, Location nl, ValueRange args) {
                                Value o = arith::DivFOp::create(nb, nl, args[0], args[1]);
                                linalg::YieldOp::create(
                                    nb, nl, convertScalar(nb, nl, o, accType, elementType));
                              })
                              .getResult(0);
                      Value updated =
                          perHead
                              ? tensor::InsertSliceOp::create(
                                    b, l, outTile, qArgs[0],
                                    ArrayRef<OpFoldResult>{q0, zeroAttr},
                                    ArrayRef<OpFoldResult>{tqOfr, dvOfr},
                                    SmallVector<OpFoldResult>(2, oneAttr))
                              : tensor::InsertSliceOp::create(
                                    b, l, outTile, qArgs[0],
                                    ArrayRef<OpFoldResult>{bIdx, hIdx, q0,
                                                           zeroAttr},
                                    ArrayRef<OpFoldResult>{oneAttr, oneAttr,
                                                           tqOfr, dvOfr},
                                    SmallVector<OpFoldResult>(4, oneAttr));
                      scf::YieldOp::create(b, l, updated);
                    });
                return qLoop.getResult(0);
    };

    Value out;
    if (!parallel) {
      auto batchLoop = scf::ForOp::create(
          rewriter, loc, zero, batch, one, ValueRange{outInit},
          [&](OpBuilder &b, Location l, Value bIdx, ValueRange bArgs) {
            auto headLoop = scf::ForOp::create(
                b, l, zero, qHeads, one, bArgs,
                [&](OpBuilder &b, Location l, Value hIdx, ValueRange hArgs) {
                  scf::YieldOp::create(
                      b, l, headBody(b, l, bIdx, hIdx, hArgs[0], false));
                });
            scf::YieldOp::create(b, l, headLoop.getResults());
          });
      out = batchLoop.getResult(0);
    } else {
      // One scf.forall over (batch, head): iterations write disjoint rows.
      auto forall = scf::ForallOp::create(
          rewriter, loc, ArrayRef<OpFoldResult>{batch, qHeads},
          ValueRange{outInit}, std::nullopt);
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(forall.getTerminator());
      Value bIdx = forall.getInductionVars()[0];
      Value hIdx = forall.getInductionVars()[1];
      Value shared = forall.getRegionIterArgs()[0];
      OpFoldResult unit = rewriter.getIndexAttr(1),
                   zeroIdx = rewriter.getIndexAttr(0);
      SmallVector<OpFoldResult> offsets = {bIdx, hIdx, zeroIdx, zeroIdx};
      SmallVector<OpFoldResult> sizes = {unit, unit, OpFoldResult(qLen),
                                         dvOfr};
      SmallVector<OpFoldResult> strides(4, unit);
      Value headOut = tensor::ExtractSliceOp::create(
          rewriter, loc,
          RankedTensorType::get({ShapedType::kDynamic, staticDv}, elementType),
          shared, offsets, sizes, strides);
      Value headResult = headBody(rewriter, loc, bIdx, hIdx, headOut, true);
      rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
      tensor::ParallelInsertSliceOp::create(rewriter, loc, headResult, shared,
                                            offsets, sizes, strides);
      out = forall.getResult(0);
    }
    if (out.getType() != outputType)
      out = tensor::CastOp::create(rewriter, loc, outputType, out);
    SmallVector<Value> results = {out};
    results.append(present);
    rewriter.replaceOp(op, results);
    return success();
  }

private:
  int64_t tileQ, tileKV;
  bool parallel;
};

} // namespace

void mlir::llm::populateTransformerAttentionToLinalgPatterns(
    RewritePatternSet &patterns, int64_t tileQ, int64_t tileKV, bool parallel) {
  patterns.add<FlashAttentionLowering>(patterns.getContext(), tileQ, tileKV,
                                       parallel);
}

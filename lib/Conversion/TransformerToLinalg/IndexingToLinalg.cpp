//===- IndexingToLinalg.cpp - lower the transformer indexing ops ----------===//
//
// Lowers the indexing op group to upstream linalg/tensor/scf:
//   gather_elements -> linalg.generic over the result (the indices' shape)
//                      reading the index and doing a tensor.extract of the
//                      data with the index in place of the axis coordinate
//                      (negative indices count from the end of the axis);
//   cumsum          -> linalg.generic with one extra reduction dim `k` over
//                      the axis: result[..j..] += select(k <= j, x[..k..], 0)
//                      (`<` exclusive, `>=` / `>` reverse). Quadratic in the
//                      axis length, but a plain tileable linalg op, which the
//                      cumsums exporters emit (position ids over a sequence)
//                      can afford;
//   scatter_nd      -> an scf.for nest over the index tuples
//                      (indices.shape[:-1]) carrying the result tensor,
//                      initialised with the data: each step reads the tuple,
//                      normalises negative entries, and writes the update slice
//                      with tensor.insert_slice (or tensor.insert for scalar
//                      slices), combined with the current slice for the
//                      add/mul/max/min reductions. The loop keeps ONNX's
//                      sequential order, so duplicate tuples accumulate.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/TransformerToLinalg/TransformerToLinalg.h"

#include "LoweringUtils.h"

#include "Transformer/IR/TransformerOps.h"
#include "Transformer/IR/TransformerShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::llm;
namespace tf = mlir::llm::transformer;

namespace {

/// Dim `d` of `v` as an `index` value.
Value dimValue(OpBuilder &b, Location loc, Value v, int64_t d) {
  return getValueOrCreateConstantIndexOp(b, loc,
                                         tensor::getMixedSize(b, loc, v, d));
}

//===----------------------------------------------------------------------===//
// gather_elements
//===----------------------------------------------------------------------===//

struct GatherElementsLowering : OpRewritePattern<tf::GatherElementsOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tf::GatherElementsOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = op.getData();
    int64_t rank = op.getType().getRank();
    int64_t axis =
        *tf::normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    FailureOr<Value> init = createEmptyForResult(rewriter, op);
    if (failed(init))
      return failure();
    Value axisSize = dimValue(rewriter, loc, data, axis);
    SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{op.getType()}, ValueRange{op.getIndices()},
        ValueRange{*init}, maps, iterators,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          SmallVector<Value> coordinates;
          for (int64_t d = 0; d < rank; ++d)
            coordinates.push_back(
                d == axis ? wrapIndex(b, bodyLoc, args[0], axisSize)
                          : Value(linalg::IndexOp::create(b, bodyLoc, d)));
          linalg::YieldOp::create(
              b, bodyLoc,
              tensor::ExtractOp::create(b, bodyLoc, data, coordinates)
                  .getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// cumsum
//===----------------------------------------------------------------------===//

/// `lhs + rhs` on signless scalars of `elementType`'s kind.
Value addScalars(OpBuilder &b, Location loc, Type elementType, Value lhs,
                 Value rhs) {
  if (isa<FloatType>(elementType))
    return arith::AddFOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, lhs, rhs);
}

struct CumSumLowering : OpRewritePattern<tf::CumSumOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tf::CumSumOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type elementType = type.getElementType();
    int64_t rank = type.getRank();
    int64_t axis =
        *tf::normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    FailureOr<Value> empty = createEmptyForResult(rewriter, op);
    if (failed(empty))
      return failure();
    Value zero = castFromSignless(
        rewriter, loc, createScalarConstant(rewriter, loc, elementType, 0.0),
        elementType);
    Value init = createFill(rewriter, loc, *empty, zero);

    // Iteration space: the result dims, then k (the summed position).
    MLIRContext *context = rewriter.getContext();
    SmallVector<AffineExpr> inputExprs, outputExprs;
    for (int64_t d = 0; d < rank; ++d) {
      outputExprs.push_back(getAffineDimExpr(d, context));
      inputExprs.push_back(getAffineDimExpr(d == axis ? rank : d, context));
    }
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank + 1, 0, inputExprs, context),
        AffineMap::get(rank + 1, 0, outputExprs, context)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    arith::CmpIPredicate predicate =
        op.getReverse()
            ? (op.getExclusive() ? arith::CmpIPredicate::ugt
                                 : arith::CmpIPredicate::uge)
            : (op.getExclusive() ? arith::CmpIPredicate::ult
                                 : arith::CmpIPredicate::ule);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{op.getInput()},
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Value j = linalg::IndexOp::create(b, bodyLoc, axis);
          Value k = linalg::IndexOp::create(b, bodyLoc, rank);
          Value taken =
              arith::CmpIOp::create(b, bodyLoc, predicate, k, j);
          Value element = castToSignless(b, bodyLoc, args[0]);
          Value accumulator = castToSignless(b, bodyLoc, args[1]);
          Value zeroElement =
              createScalarConstant(b, bodyLoc, elementType, 0.0);
          Value addend = arith::SelectOp::create(b, bodyLoc, taken, element,
                                                 zeroElement);
          Value sum =
              addScalars(b, bodyLoc, elementType, accumulator, addend);
          linalg::YieldOp::create(
              b, bodyLoc, castFromSignless(b, bodyLoc, sum, elementType));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// scatter_nd
//===----------------------------------------------------------------------===//

/// The scalar reduction of scatter_nd (`reduction` other than "none") on
/// signless scalars of `elementType`'s kind.
Value combineScalars(OpBuilder &b, Location loc, StringRef reduction,
                     Type elementType, Value current, Value update) {
  if (isa<FloatType>(elementType)) {
    if (reduction == "add")
      return arith::AddFOp::create(b, loc, current, update);
    if (reduction == "mul")
      return arith::MulFOp::create(b, loc, current, update);
    if (reduction == "max")
      return arith::MaximumFOp::create(b, loc, current, update);
    return arith::MinimumFOp::create(b, loc, current, update);
  }
  bool isUnsigned = isUnsignedLike(elementType);
  if (reduction == "add")
    return arith::AddIOp::create(b, loc, current, update);
  if (reduction == "mul")
    return arith::MulIOp::create(b, loc, current, update);
  if (reduction == "max")
    return isUnsigned ? Value(arith::MaxUIOp::create(b, loc, current, update))
                      : Value(arith::MaxSIOp::create(b, loc, current, update));
  return isUnsigned ? Value(arith::MinUIOp::create(b, loc, current, update))
                    : Value(arith::MinSIOp::create(b, loc, current, update));
}

struct ScatterNDLowering : OpRewritePattern<tf::ScatterNDOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tf::ScatterNDOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = op.getData(), indices = op.getIndices(),
          updates = op.getUpdates();
    RankedTensorType dataType = op.getData().getType();
    Type elementType = dataType.getElementType();
    int64_t r = dataType.getRank();
    int64_t q = op.getIndices().getType().getRank();
    int64_t k = op.getIndices().getType().getDimSize(q - 1);
    StringRef reduction = op.getReduction();

    // The data's sizes: the first k are what indices address (negative
    // entries wrap), the rest the size of each written slice.
    SmallVector<OpFoldResult> dataSizes =
        tensor::getMixedSizes(rewriter, loc, data);
    SmallVector<OpFoldResult> sliceSizes(ArrayRef(dataSizes).drop_front(k));
    SmallVector<int64_t> sliceShape(dataType.getShape().drop_front(k));
    auto sliceType = RankedTensorType::get(sliceShape, elementType);

    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> lbs(q - 1, zero), steps(q - 1, one), ubs;
    for (int64_t d = 0; d + 1 < q; ++d)
      ubs.push_back(dimValue(rewriter, loc, indices, d));

    auto body = [&](OpBuilder &b, Location bodyLoc, ValueRange ivs,
                    ValueRange iterArgs) -> scf::ValueVector {
      Value acc = iterArgs[0];
      // The index tuple, each entry wrapped into its dim.
      SmallVector<Value> position;
      SmallVector<Value> coordinates(ivs.begin(), ivs.end());
      coordinates.push_back(Value());
      for (int64_t j = 0; j < k; ++j) {
        coordinates.back() = arith::ConstantIndexOp::create(b, bodyLoc, j);
        Value raw = tensor::ExtractOp::create(b, bodyLoc, indices, coordinates);
        position.push_back(wrapIndex(
            b, bodyLoc, raw,
            getValueOrCreateConstantIndexOp(b, bodyLoc, dataSizes[j])));
      }

      if (k == r) {
        // Scalar slices: one element per tuple.
        Value update = tensor::ExtractOp::create(b, bodyLoc, updates, ivs);
        if (reduction != "none") {
          Value current = tensor::ExtractOp::create(b, bodyLoc, acc, position);
          update = castFromSignless(
              b, bodyLoc,
              combineScalars(b, bodyLoc, reduction, elementType,
                             castToSignless(b, bodyLoc, current),
                             castToSignless(b, bodyLoc, update)),
              elementType);
        }
        return {tensor::InsertOp::create(b, bodyLoc, update, acc, position)
                    .getResult()};
      }

      // updates[ivs..., :...] and data[position..., :...], both rank-reduced
      // to the slice shape.
      SmallVector<OpFoldResult> updateOffsets(ivs.begin(), ivs.end());
      SmallVector<OpFoldResult> updateSizes(ivs.size(), b.getIndexAttr(1));
      SmallVector<OpFoldResult> dataOffsets(position.begin(), position.end());
      SmallVector<OpFoldResult> dataSliceSizes(k, b.getIndexAttr(1));
      for (OpFoldResult size : sliceSizes) {
        updateOffsets.push_back(b.getIndexAttr(0));
        updateSizes.push_back(size);
        dataOffsets.push_back(b.getIndexAttr(0));
        dataSliceSizes.push_back(size);
      }
      SmallVector<OpFoldResult> updateStrides(updateSizes.size(),
                                              b.getIndexAttr(1));
      SmallVector<OpFoldResult> dataStrides(r, b.getIndexAttr(1));
      Value slice = tensor::ExtractSliceOp::create(
          b, bodyLoc, sliceType, updates, updateOffsets, updateSizes,
          updateStrides);
      if (reduction != "none") {
        Value current = tensor::ExtractSliceOp::create(
            b, bodyLoc, sliceType, acc, dataOffsets, dataSliceSizes,
            dataStrides);
        Value empty =
            tensor::EmptyOp::create(b, bodyLoc, sliceSizes, elementType);
        slice = buildElementwiseGeneric(
            b, bodyLoc, ValueRange{current, slice}, empty,
            [&](OpBuilder &sb, Location sl, ValueRange args) {
              return castFromSignless(
                  sb, sl,
                  combineScalars(sb, sl, reduction, elementType,
                                 castToSignless(sb, sl, args[0]),
                                 castToSignless(sb, sl, args[1])),
                  elementType);
            });
      }
      return {tensor::InsertSliceOp::create(b, bodyLoc, slice, acc,
                                            dataOffsets, dataSliceSizes,
                                            dataStrides)
                  .getResult()};
    };
    scf::LoopNest nest = scf::buildLoopNest(rewriter, loc, lbs, ubs, steps,
                                            ValueRange{data}, body);
    rewriter.replaceOp(op, nest.results.front());
    return success();
  }
};

} // namespace

void mlir::llm::populateTransformerIndexingToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<GatherElementsLowering, CumSumLowering, ScatterNDLowering>(
      patterns.getContext());
}

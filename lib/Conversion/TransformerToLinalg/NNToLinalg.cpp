//===- NNToLinalg.cpp - lower the transformer NN ops to linalg ------------===//
//
// Lowers the neural-network op group to linalg/tensor/arith/math on tensors:
//
// - `matmul`: `linalg.matmul` (rank 2), `linalg.batch_matmul` (equal batch
//   dims; more than one batch dim is collapsed to one with
//   `tensor.collapse_shape` and expanded back), a `linalg.matmul` on the
//   collapsed `[batch * M, K]` lhs when the rhs is a plain matrix
//   (`[B, S, K] x [K, N]`), and otherwise a contraction `linalg.generic` whose
//   indexing maps broadcast the batch dims.
// - `linear`: the leading dims of the input are collapsed to `[M, K]`, then
//   `linalg.matmul` with the transposed-B indexing maps (the weight stays
//   `[N, K]`), a broadcast generic adds the bias in place, and the result is
//   expanded back (`linalg.matvec` for a 1-D input).
//   Dims are only collapsed when the expand_shape back splits them into at
//   most one dynamic dim (LLVM 22's expand-strided-metadata crashes on more,
//   llvm/llvm-project#186830); `[?, ?, K]` inputs, like signed/unsigned
//   integer element types (which the named ops' arith bodies cannot take),
//   get a contraction generic over the uncollapsed dims instead.
// - `softmax` / `log_softmax`: three generics (max, sum of exp(x - max),
//   normalize), numerically stable; `layer_norm` (mean, biased variance in a
//   second pass, normalize with the affine parameters) and `rms_norm` (mean
//   of squares, normalize): reductions over the dims `[axis, rank)`.
// - `gelu` (erf and tanh forms), `silu`: one elementwise generic.
// - `rotary_embedding`: one generic over the input that reads the partner
//   element of each pair and the cos/sin entry with `linalg.index` +
//   `tensor.extract` (the pair index is not an affine projection of the
//   iteration space); elements past `rotary_dim` pass through.
// - `attention` (the naive form; a flash-style lowering replaces it later):
//   the KV cache is `tensor.concat`enated (and returned as the present
//   key/value), grouped-query attention expands the query heads to
//   `[B, Hkv, G, Sq, D]` so that each group reads its KV head through a plain
//   indexing map, then `scale * Q K^T`, mask (added, or `select` to -inf for
//   `i1`), causal mask, softmax over the keys and the product with V.
// - `embedding`: a generic over the result that extracts table rows.
//
// Reductions, activations and the whole attention compute in f32 for
// narrower float types (f16, bf16) and round once at the end; matmul and
// linear accumulate in their element type. Dynamic result sizes come from
// the ops' ReifyRankedShapedTypeOpInterface (getResultSizes); temporaries
// take their sizes from the operands. Broadcasting follows the pass's rule:
// a static 1 broadcasts, a dynamic dim is assumed not to.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/TransformerToLinalg/TransformerToLinalg.h"

#include "LoweringUtils.h"

#include "Transformer/IR/TransformerOps.h"
#include "Transformer/IR/TransformerShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::llm;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

using utils::IteratorType;

/// The float type reductions accumulate in: f32 for narrower floats, the
/// type itself otherwise.
Type getAccumulatorType(Type elementType) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (floatType && floatType.getWidth() < 32)
    return Float32Type::get(elementType.getContext());
  return elementType;
}

/// The affine map from a rank-`rank` iteration space to the dims that are not
/// in `dropped` (a reduction's output map).
AffineMap getDropDimsMap(MLIRContext *context, int64_t rank,
                         ArrayRef<int64_t> dropped) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(dropped, d))
      exprs.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(rank, 0, exprs, context);
}

/// `sizes` without the entries at `dropped`.
SmallVector<OpFoldResult> dropSizes(ArrayRef<OpFoldResult> sizes,
                                    ArrayRef<int64_t> dropped) {
  SmallVector<OpFoldResult> result;
  for (auto [d, size] : llvm::enumerate(sizes))
    if (!llvm::is_contained(dropped, static_cast<int64_t>(d)))
      result.push_back(size);
  return result;
}

/// Iterator types of a rank-`rank` space: reduction at `reduced`, else
/// parallel.
SmallVector<IteratorType> getIterators(int64_t rank,
                                       ArrayRef<int64_t> reduced = {}) {
  SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
  for (int64_t d : reduced)
    iterators[d] = IteratorType::reduction;
  return iterators;
}

/// A `tensor.empty` of `sizes` filled with `value` (a double converted to
/// `elementType`).
Value createFilled(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                   Type elementType, double value) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, elementType);
  return createFill(b, loc, empty,
                    createScalarConstant(b, loc, elementType, value));
}

/// An index value for `size` (an `arith.constant` when static).
Value getIndexValue(OpBuilder &b, Location loc, OpFoldResult size) {
  return getValueOrCreateConstantIndexOp(b, loc, size);
}

/// The product of the sizes of `dims` of `value`, as a float of `type`
/// (a constant when they are static).
Value getElementCountAsFloat(OpBuilder &b, Location loc, Value value,
                             ArrayRef<int64_t> dims, Type type) {
  auto tensorType = cast<RankedTensorType>(value.getType());
  int64_t staticCount = 1;
  Value dynamicCount;
  for (int64_t d : dims) {
    if (!tensorType.isDynamicDim(d)) {
      staticCount *= tensorType.getDimSize(d);
      continue;
    }
    Value size = tensor::DimOp::create(b, loc, value, d);
    dynamicCount =
        dynamicCount ? arith::MulIOp::create(b, loc, dynamicCount, size) : size;
  }
  if (!dynamicCount)
    return createScalarConstant(b, loc, type, static_cast<double>(staticCount));
  if (staticCount != 1)
    dynamicCount = arith::MulIOp::create(
        b, loc, dynamicCount,
        arith::ConstantIndexOp::create(b, loc, staticCount));
  Value count =
      arith::IndexCastOp::create(b, loc, b.getI64Type(), dynamicCount);
  return arith::SIToFPOp::create(b, loc, type, count);
}

/// Scalar `lhs + rhs` / `lhs * rhs` for float or signless integer operands.
Value createAdd(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::AddFOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, lhs, rhs);
}
Value createMul(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::MulFOp::create(b, loc, lhs, rhs);
  return arith::MulIOp::create(b, loc, lhs, rhs);
}

/// Body of a contraction generic: `acc + lhs * rhs` on the block arguments
/// (cast to signless and back for signed/unsigned integer element types).
void yieldMulAdd(OpBuilder &b, Location loc, ValueRange args) {
  Type accType = args[2].getType();
  Value lhs = castToSignless(b, loc, args[0]);
  Value rhs = castToSignless(b, loc, args[1]);
  Value acc = castToSignless(b, loc, args[2]);
  Value sum = createAdd(b, loc, createMul(b, loc, lhs, rhs), acc);
  linalg::YieldOp::create(b, loc, castFromSignless(b, loc, sum, accType));
}

/// True when the linalg named contractions can take `elementType`: their
/// bodies use arith ops, which need floats or signless integers.
bool fitsNamedOps(Type elementType) {
  return isa<FloatType>(elementType) || elementType.isSignlessInteger();
}

/// The indexing-map results that read the batch dims `operandBatch` of an
/// operand, right-aligned against the iteration dims `[0, resultBatch.size())`
/// with numpy broadcasting (a static 1 against a non-1 reads index 0).
SmallVector<AffineExpr> getBatchExprs(MLIRContext *context,
                                      ArrayRef<int64_t> operandBatch,
                                      ArrayRef<int64_t> resultBatch) {
  SmallVector<AffineExpr> exprs;
  int64_t offset = resultBatch.size() - operandBatch.size();
  for (auto [i, dim] : llvm::enumerate(operandBatch)) {
    int64_t resultDim = resultBatch[offset + i];
    if (dim == 1 && resultDim != 1)
      exprs.push_back(getAffineConstantExpr(0, context));
    else
      exprs.push_back(getAffineDimExpr(offset + i, context));
  }
  return exprs;
}

/// The reassociation that collapses the first `leading` dims of a rank-`rank`
/// shape into one and keeps the others.
SmallVector<ReassociationIndices> collapseLeading(int64_t rank,
                                                  int64_t leading) {
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices first;
  for (int64_t d = 0; d < leading; ++d)
    first.push_back(d);
  groups.push_back(first);
  for (int64_t d = leading; d < rank; ++d)
    groups.push_back({d});
  return groups;
}

/// True when `tensor.expand_shape` may split one dim into the dims
/// `shape`: at most one of them is dynamic. Upstream LLVM 22's
/// expand-strided-metadata crashes on a memref.expand_shape group with
/// several dynamic dims (llvm/llvm-project#186830, fixed in LLVM 23), so the
/// lowerings only collapse dims that they can expand back, and use a
/// contraction generic over the uncollapsed dims otherwise.
bool canExpandInto(ArrayRef<int64_t> shape) {
  return llvm::count_if(shape, ShapedType::isDynamic) <= 1;
}

/// Converts every element of `input` to `elementType` (a copy generic); the
/// input unchanged when it already has that element type.
Value convertTensor(OpBuilder &b, Location loc, Value input,
                    ArrayRef<OpFoldResult> sizes, Type elementType) {
  Type from = getElementTypeOrSelf(input.getType());
  if (from == elementType)
    return input;
  Value init = tensor::EmptyOp::create(b, loc, sizes, elementType);
  return buildElementwiseGeneric(
      b, loc, input, init, [&](OpBuilder &nb, Location nl, ValueRange args) {
        return convertScalar(nb, nl, args[0], from, elementType);
      });
}

/// `tensor.cast` of `value` to `type` when the types differ (a result type
/// more or less static than what the lowering computed).
Value castTo(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

/// softmax (or log_softmax when `isLog`) of `input` along `axis`, of shape
/// `sizes`: `m = max(x)`, `s = sum(exp(x - m))`, then `exp(x - m) / s` or
/// `x - m - log(s)`. The max and sum are computed in the accumulator type;
/// the result has `resultElementType`.
Value buildSoftmax(OpBuilder &b, Location loc, Value input, int64_t axis,
                   bool isLog, ArrayRef<OpFoldResult> sizes,
                   Type resultElementType) {
  MLIRContext *context = b.getContext();
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  Type elementType = type.getElementType();
  Type accType = getAccumulatorType(elementType);
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap reducedMap = getDropDimsMap(context, rank, {axis});
  SmallVector<OpFoldResult> reducedSizes = dropSizes(sizes, {axis});
  SmallVector<IteratorType> reduceIterators = getIterators(rank, {axis});

  // m = max(x) along the axis.
  Value maxInit = createFilled(b, loc, reducedSizes, accType,
                               -std::numeric_limits<double>::infinity());
  Value max =
      linalg::GenericOp::create(
          b, loc, maxInit.getType(), input, maxInit,
          ArrayRef<AffineMap>{identity, reducedMap}, reduceIterators,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value x = convertScalar(nb, nl, args[0], elementType, accType);
            linalg::YieldOp::create(
                nb, nl, Value(arith::MaximumFOp::create(nb, nl, x, args[1])));
          })
          .getResult(0);

  // s = sum(exp(x - m)) along the axis.
  Value sumInit = createFilled(b, loc, reducedSizes, accType, 0.0);
  Value sum =
      linalg::GenericOp::create(
          b, loc, sumInit.getType(), ValueRange{input, max}, sumInit,
          ArrayRef<AffineMap>{identity, reducedMap, reducedMap},
          reduceIterators,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value x = convertScalar(nb, nl, args[0], elementType, accType);
            Value shifted = arith::SubFOp::create(nb, nl, x, args[1]);
            Value e = math::ExpOp::create(nb, nl, shifted);
            linalg::YieldOp::create(
                nb, nl, Value(arith::AddFOp::create(nb, nl, e, args[2])));
          })
          .getResult(0);

  // Normalize.
  Value init = tensor::EmptyOp::create(b, loc, sizes, resultElementType);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{input, max, sum}, init,
             ArrayRef<AffineMap>{identity, reducedMap, reducedMap, identity},
             getIterators(rank),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value x = convertScalar(nb, nl, args[0], elementType, accType);
               Value shifted = arith::SubFOp::create(nb, nl, x, args[1]);
               Value y;
               if (isLog) {
                 Value logSum = math::LogOp::create(nb, nl, args[2]);
                 y = arith::SubFOp::create(nb, nl, shifted, logSum);
               } else {
                 Value e = math::ExpOp::create(nb, nl, shifted);
                 y = arith::DivFOp::create(nb, nl, e, args[2]);
               }
               linalg::YieldOp::create(
                   nb, nl,
                   convertScalar(nb, nl, y, accType, resultElementType));
             })
      .getResult(0);
}

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

/// True when the batch dims of the two operands (right-aligned, same count)
/// need no broadcasting: no pair where exactly one side is a static 1.
bool sameBatchDims(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs) {
  if (lhs.size() != rhs.size())
    return false;
  for (auto [l, r] : llvm::zip_equal(lhs, rhs))
    if ((l == 1) != (r == 1))
      return false;
  return true;
}

struct MatmulLowering : OpRewritePattern<transformer::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = op.getLhs(), rhs = op.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    RankedTensorType resultType = op.getType();
    Type elementType = resultType.getElementType();
    bool named = fitsNamedOps(elementType);
    FailureOr<SmallVector<OpFoldResult>> sizes = getResultSizes(rewriter, op);
    if (failed(sizes))
      return failure();
    int64_t lhsRank = lhsType.getRank(), rhsRank = rhsType.getRank();
    int64_t rank = resultType.getRank();
    Value zero = castFromSignless(
        rewriter, loc, createScalarConstant(rewriter, loc, elementType, 0.0),
        elementType);
    ArrayRef<int64_t> lhsBatch = lhsType.getShape().drop_back(2);
    ArrayRef<int64_t> rhsBatch = rhsType.getShape().drop_back(2);

    // [M, K] x [K, N].
    if (named && lhsRank == 2 && rhsRank == 2) {
      Value init = createFill(
          rewriter, loc,
          tensor::EmptyOp::create(rewriter, loc, *sizes, elementType), zero);
      rewriter.replaceOp(op, linalg::MatmulOp::create(
                                 rewriter, loc, ValueRange{lhs, rhs}, init)
                                 .getResult(0));
      return success();
    }

    // [batch..., M, K] x [K, N]: one matmul on [batch * M, K].
    if (named && rhsRank == 2 &&
        canExpandInto(resultType.getShape().drop_back())) {
      Value collapsed = tensor::CollapseShapeOp::create(
          rewriter, loc, lhs, collapseLeading(lhsRank, lhsRank - 1));
      SmallVector<OpFoldResult> flatSizes = {
          tensor::getMixedSize(rewriter, loc, collapsed, 0), sizes->back()};
      Value init = createFill(
          rewriter, loc,
          tensor::EmptyOp::create(rewriter, loc, flatSizes, elementType), zero);
      Value product = linalg::MatmulOp::create(rewriter, loc,
                                               ValueRange{collapsed, rhs}, init)
                          .getResult(0);
      rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
          op, resultType, product, collapseLeading(rank, rank - 1), *sizes);
      return success();
    }

    // [batch..., M, K] x [batch..., K, N] with the same batch dims.
    if (named && sameBatchDims(lhsBatch, rhsBatch) &&
        canExpandInto(resultType.getShape().drop_back(2))) {
      int64_t batchRank = lhsBatch.size();
      Value lhs3 = lhs, rhs3 = rhs;
      SmallVector<OpFoldResult> sizes3(*sizes);
      if (batchRank > 1) {
        lhs3 = tensor::CollapseShapeOp::create(
            rewriter, loc, lhs, collapseLeading(lhsRank, batchRank));
        rhs3 = tensor::CollapseShapeOp::create(
            rewriter, loc, rhs, collapseLeading(rhsRank, batchRank));
        sizes3 = {tensor::getMixedSize(rewriter, loc, lhs3, 0),
                  (*sizes)[rank - 2], (*sizes)[rank - 1]};
      }
      Value init = createFill(
          rewriter, loc,
          tensor::EmptyOp::create(rewriter, loc, sizes3, elementType), zero);
      Value product = linalg::BatchMatmulOp::create(
                          rewriter, loc, ValueRange{lhs3, rhs3}, init)
                          .getResult(0);
      if (batchRank > 1)
        product = tensor::ExpandShapeOp::create(
            rewriter, loc, resultType, product,
            collapseLeading(rank, batchRank), *sizes);
      rewriter.replaceOp(op, castTo(rewriter, loc, product, resultType));
      return success();
    }

    // Broadcast batch dims, several dynamic ones, or signed/unsigned
    // integers: a contraction generic over (batch..., m, n, k).
    MLIRContext *context = rewriter.getContext();
    int64_t loops = rank + 1;
    ArrayRef<int64_t> resultBatch = resultType.getShape().drop_back(2);
    AffineExpr m = getAffineDimExpr(rank - 2, context);
    AffineExpr n = getAffineDimExpr(rank - 1, context);
    AffineExpr k = getAffineDimExpr(rank, context);
    SmallVector<AffineExpr> lhsExprs =
        getBatchExprs(context, lhsBatch, resultBatch);
    lhsExprs.append({m, k});
    SmallVector<AffineExpr> rhsExprs =
        getBatchExprs(context, rhsBatch, resultBatch);
    rhsExprs.append({k, n});
    SmallVector<AffineExpr> outExprs;
    for (int64_t d = 0; d < rank; ++d)
      outExprs.push_back(getAffineDimExpr(d, context));
    AffineMap outMap = AffineMap::get(loops, 0, outExprs, context);
    Value init = createFill(
        rewriter, loc,
        tensor::EmptyOp::create(rewriter, loc, *sizes, elementType), zero);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{lhs, rhs}, init,
        ArrayRef<AffineMap>{AffineMap::get(loops, 0, lhsExprs, context),
                            AffineMap::get(loops, 0, rhsExprs, context),
                            outMap},
        getIterators(loops, {rank}), yieldMulAdd);
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// linear
//===----------------------------------------------------------------------===//

struct LinearLowering : OpRewritePattern<transformer::LinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::LinearOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput(), weight = op.getWeight(), bias = op.getBias();
    auto inputType = cast<RankedTensorType>(input.getType());
    RankedTensorType resultType = op.getType();
    Type elementType = resultType.getElementType();
    bool named = fitsNamedOps(elementType);
    FailureOr<SmallVector<OpFoldResult>> sizes = getResultSizes(rewriter, op);
    if (failed(sizes))
      return failure();
    int64_t rank = inputType.getRank();
    Value zero = castFromSignless(
        rewriter, loc, createScalarConstant(rewriter, loc, elementType, 0.0),
        elementType);

    Value product;
    bool collapse =
        named && rank > 2 && canExpandInto(resultType.getShape().drop_back());
    if (named && rank == 1) {
      // y[n] = sum_k W[n, k] x[k].
      Value init = createFill(
          rewriter, loc,
          tensor::EmptyOp::create(rewriter, loc, *sizes, elementType), zero);
      product = linalg::MatvecOp::create(rewriter, loc,
                                         ValueRange{weight, input}, init)
                    .getResult(0);
    } else if ((named && rank == 2) || collapse) {
      // [M, K] x [N, K]^T with the leading dims collapsed into M.
      Value input2 = input;
      if (rank > 2)
        input2 = tensor::CollapseShapeOp::create(
            rewriter, loc, input, collapseLeading(rank, rank - 1));
      SmallVector<OpFoldResult> sizes2 = {
          tensor::getMixedSize(rewriter, loc, input2, 0), sizes->back()};
      Value init = createFill(
          rewriter, loc,
          tensor::EmptyOp::create(rewriter, loc, sizes2, elementType), zero);
      product = linalg::MatmulTransposeBOp::create(
                    rewriter, loc, ValueRange{input2, weight}, init)
                    .getResult(0);
    } else {
      // Several dynamic leading dims (or signed/unsigned integers): a
      // contraction generic over (leading..., n, k).
      MLIRContext *context = rewriter.getContext();
      int64_t loops = rank + 1;
      SmallVector<AffineExpr> inputExprs, outExprs;
      for (int64_t d = 0; d < rank; ++d)
        outExprs.push_back(getAffineDimExpr(d, context));
      inputExprs.assign(outExprs.begin(), outExprs.end() - 1);
      AffineExpr n = getAffineDimExpr(rank - 1, context);
      AffineExpr k = getAffineDimExpr(rank, context);
      inputExprs.push_back(k);
      Value init = createFill(
          rewriter, loc,
          tensor::EmptyOp::create(rewriter, loc, *sizes, elementType), zero);
      product =
          linalg::GenericOp::create(
              rewriter, loc, init.getType(), ValueRange{input, weight}, init,
              ArrayRef<AffineMap>{AffineMap::get(loops, 0, inputExprs, context),
                                  AffineMap::get(loops, 0, {n, k}, context),
                                  AffineMap::get(loops, 0, outExprs, context)},
              getIterators(loops, {rank}), yieldMulAdd)
              .getResult(0);
    }

    if (bias) {
      // product[..., n] += bias[n], in place on the matmul's result.
      auto productType = cast<RankedTensorType>(product.getType());
      int64_t productRank = productType.getRank();
      MLIRContext *context = rewriter.getContext();
      AffineMap biasMap = getBroadcastIndexingMap(
          context, cast<RankedTensorType>(bias.getType()),
          productType.getShape());
      product =
          linalg::GenericOp::create(
              rewriter, loc, productType, bias, product,
              ArrayRef<AffineMap>{biasMap,
                                  rewriter.getMultiDimIdentityMap(productRank)},
              getIterators(productRank),
              [&](OpBuilder &nb, Location nl, ValueRange args) {
                Value sum = createAdd(nb, nl, castToSignless(nb, nl, args[1]),
                                      castToSignless(nb, nl, args[0]));
                linalg::YieldOp::create(
                    nb, nl, castFromSignless(nb, nl, sum, elementType));
              })
              .getResult(0);
    }

    if (collapse)
      product = tensor::ExpandShapeOp::create(
          rewriter, loc, resultType, product, collapseLeading(rank, rank - 1),
          *sizes);
    rewriter.replaceOp(op, castTo(rewriter, loc, product, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// softmax, log_softmax
//===----------------------------------------------------------------------===//

template <typename OpTy, bool IsLog>
struct SoftmaxLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    std::optional<int64_t> axis = transformer::normalizeAxis(
        static_cast<int64_t>(op.getAxis()), type.getRank());
    if (!axis)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    FailureOr<SmallVector<OpFoldResult>> sizes = getResultSizes(rewriter, op);
    if (failed(sizes))
      return failure();
    rewriter.replaceOp(op,
                       buildSoftmax(rewriter, op.getLoc(), op.getInput(), *axis,
                                    IsLog, *sizes, type.getElementType()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// layer_norm, rms_norm
//===----------------------------------------------------------------------===//

/// Lowers a normalization over the dims [axis, rank) of `input`:
/// - layer norm (`isRMS` false): `sum = sum(x)`, `sq = sum((x - mean)^2)`,
///   `y = (x - mean) * rsqrt(sq / N + eps) * scale + bias`;
/// - RMS norm: `sq = sum(x^2)`, `y = x * rsqrt(sq / N + eps) * scale`.
/// Sums are in the accumulator type.
FailureOr<Value> buildNorm(PatternRewriter &rewriter, Operation *op,
                           Value input, Value scale, Value bias, int64_t axis,
                           double epsilon, bool isRMS) {
  Location loc = op->getLoc();
  MLIRContext *context = rewriter.getContext();
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  std::optional<int64_t> normalized = transformer::normalizeAxis(axis, rank);
  if (!normalized)
    return rewriter.notifyMatchFailure(op, "axis out of range");
  FailureOr<SmallVector<OpFoldResult>> sizes = getResultSizes(rewriter, op);
  if (failed(sizes))
    return failure();
  Type elementType = type.getElementType();
  Type accType = getAccumulatorType(elementType);

  SmallVector<int64_t> normDims;
  for (int64_t d = *normalized; d < rank; ++d)
    normDims.push_back(d);
  AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
  AffineMap reducedMap = getDropDimsMap(context, rank, normDims);
  SmallVector<OpFoldResult> reducedSizes = dropSizes(*sizes, normDims);
  SmallVector<IteratorType> reduceIterators = getIterators(rank, normDims);
  Value count = getElementCountAsFloat(rewriter, loc, input, normDims, accType);
  Value invCount = arith::DivFOp::create(
      rewriter, loc, createScalarConstant(rewriter, loc, accType, 1.0), count);
  Value eps = createScalarConstant(rewriter, loc, accType, epsilon);

  // mean (layer norm only): sum(x) / N.
  Value sum;
  if (!isRMS) {
    Value sumInit = createFilled(rewriter, loc, reducedSizes, accType, 0.0);
    sum = linalg::GenericOp::create(
              rewriter, loc, sumInit.getType(), input, sumInit,
              ArrayRef<AffineMap>{identity, reducedMap}, reduceIterators,
              [&](OpBuilder &nb, Location nl, ValueRange args) {
                Value x = convertScalar(nb, nl, args[0], elementType, accType);
                linalg::YieldOp::create(
                    nb, nl, Value(arith::AddFOp::create(nb, nl, x, args[1])));
              })
              .getResult(0);
  }

  // Sum of squares: of (x - mean) for layer norm, of x for RMS norm.
  SmallVector<Value> sqInputs = {input};
  SmallVector<AffineMap> sqMaps = {identity};
  if (sum) {
    sqInputs.push_back(sum);
    sqMaps.push_back(reducedMap);
  }
  sqMaps.push_back(reducedMap);
  Value sqInit = createFilled(rewriter, loc, reducedSizes, accType, 0.0);
  Value sumSquares =
      linalg::GenericOp::create(
          rewriter, loc, sqInit.getType(), sqInputs, sqInit, sqMaps,
          reduceIterators,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value x = convertScalar(nb, nl, args[0], elementType, accType);
            if (sum) {
              Value mean = arith::MulFOp::create(nb, nl, args[1], invCount);
              x = arith::SubFOp::create(nb, nl, x, mean);
            }
            Value square = arith::MulFOp::create(nb, nl, x, x);
            linalg::YieldOp::create(
                nb, nl,
                Value(arith::AddFOp::create(nb, nl, square, args.back())));
          })
          .getResult(0);

  // Normalize and apply the affine parameters.
  SmallVector<Value> inputs = {input, sumSquares};
  SmallVector<AffineMap> maps = {identity, reducedMap};
  if (sum) {
    inputs.push_back(sum);
    maps.push_back(reducedMap);
  }
  for (Value param : {scale, bias}) {
    if (!param)
      continue;
    inputs.push_back(param);
    maps.push_back(getBroadcastIndexingMap(
        context, cast<RankedTensorType>(param.getType()), type.getShape()));
  }
  maps.push_back(identity);
  Value init = tensor::EmptyOp::create(rewriter, loc, *sizes, elementType);
  return linalg::GenericOp::create(
             rewriter, loc, init.getType(), inputs, init, maps,
             getIterators(rank),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               unsigned next = 2;
               Value x = convertScalar(nb, nl, args[0], elementType, accType);
               if (sum) {
                 Value mean =
                     arith::MulFOp::create(nb, nl, args[next++], invCount);
                 x = arith::SubFOp::create(nb, nl, x, mean);
               }
               Value variance =
                   arith::MulFOp::create(nb, nl, args[1], invCount);
               Value rstd = math::RsqrtOp::create(
                   nb, nl, arith::AddFOp::create(nb, nl, variance, eps));
               Value y = arith::MulFOp::create(nb, nl, x, rstd);
               if (scale)
                 y = arith::MulFOp::create(
                     nb, nl, y,
                     convertScalar(nb, nl, args[next++], elementType, accType));
               if (bias)
                 y = arith::AddFOp::create(
                     nb, nl, y,
                     convertScalar(nb, nl, args[next++], elementType, accType));
               linalg::YieldOp::create(
                   nb, nl, convertScalar(nb, nl, y, accType, elementType));
             })
      .getResult(0);
}

struct LayerNormLowering : OpRewritePattern<transformer::LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<Value> result =
        buildNorm(rewriter, op, op.getInput(), op.getScale(), op.getBias(),
                  static_cast<int64_t>(op.getAxis()),
                  op.getEpsilon().convertToDouble(), /*isRMS=*/false);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

struct RMSNormLowering : OpRewritePattern<transformer::RMSNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::RMSNormOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<Value> result =
        buildNorm(rewriter, op, op.getInput(), op.getScale(), Value(),
                  static_cast<int64_t>(op.getAxis()),
                  op.getEpsilon().convertToDouble(), /*isRMS=*/true);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// gelu, silu
//===----------------------------------------------------------------------===//

/// Lowers a float activation to one elementwise generic whose body computes
/// `fn(x)` in the accumulator type.
template <typename OpTy>
LogicalResult
lowerActivation(OpTy op, PatternRewriter &rewriter,
                function_ref<Value(OpBuilder &, Location, Value)> fn) {
  FailureOr<Value> init = createEmptyForResult(rewriter, op);
  if (failed(init))
    return failure();
  Type elementType = getElementTypeOrSelf(op.getType());
  Type accType = getAccumulatorType(elementType);
  rewriter.replaceOp(op, buildElementwiseGeneric(
                             rewriter, op.getLoc(), op.getInput(), *init,
                             [&](OpBuilder &b, Location loc, ValueRange args) {
                               Value x = convertScalar(b, loc, args[0],
                                                       elementType, accType);
                               return convertScalar(b, loc, fn(b, loc, x),
                                                    accType, elementType);
                             }));
  return success();
}

struct GeluLowering : OpRewritePattern<transformer::GeluOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::GeluOp op,
                                PatternRewriter &rewriter) const override {
    bool isTanh = op.getApproximation() == transformer::GeluApproximation::Tanh;
    return lowerActivation(
        op, rewriter, [&](OpBuilder &b, Location loc, Value x) -> Value {
          Type type = x.getType();
          Value half = createScalarConstant(b, loc, type, 0.5);
          Value one = createScalarConstant(b, loc, type, 1.0);
          Value inner;
          if (isTanh) {
            // tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))
            Value x3 = arith::MulFOp::create(
                b, loc, arith::MulFOp::create(b, loc, x, x), x);
            Value cubic = arith::MulFOp::create(
                b, loc, createScalarConstant(b, loc, type, 0.044715), x3);
            Value sum = arith::AddFOp::create(b, loc, x, cubic);
            Value scaled = arith::MulFOp::create(
                b, loc,
                createScalarConstant(b, loc, type, std::sqrt(2.0 / M_PI)), sum);
            inner = math::TanhOp::create(b, loc, scaled);
          } else {
            // erf(x / sqrt(2))
            Value scaled = arith::MulFOp::create(
                b, loc, x, createScalarConstant(b, loc, type, M_SQRT1_2));
            inner = math::ErfOp::create(b, loc, scaled);
          }
          Value onePlus = arith::AddFOp::create(b, loc, one, inner);
          Value halfX = arith::MulFOp::create(b, loc, half, x);
          return arith::MulFOp::create(b, loc, halfX, onePlus);
        });
  }
};

struct SiluLowering : OpRewritePattern<transformer::SiluOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::SiluOp op,
                                PatternRewriter &rewriter) const override {
    return lowerActivation(
        op, rewriter, [&](OpBuilder &b, Location loc, Value x) -> Value {
          // x / (1 + exp(-x))
          Value one = createScalarConstant(b, loc, x.getType(), 1.0);
          Value e =
              math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
          Value denominator = arith::AddFOp::create(b, loc, one, e);
          return arith::DivFOp::create(b, loc, x, denominator);
        });
  }
};

//===----------------------------------------------------------------------===//
// rotary_embedding
//===----------------------------------------------------------------------===//

struct RotaryEmbeddingLowering
    : OpRewritePattern<transformer::RotaryEmbeddingOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::RotaryEmbeddingOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput(), cos = op.getCos(), sin = op.getSin();
    RankedTensorType inputType = op.getInput().getType();
    auto tableType = cast<RankedTensorType>(cos.getType());
    int64_t rank = inputType.getRank();
    int64_t tableRank = tableType.getRank();
    int64_t last = rank - 1;
    Type elementType = inputType.getElementType();
    Type accType = getAccumulatorType(elementType);
    bool interleaved = op.getMode() == transformer::RotaryMode::Interleaved;
    FailureOr<Value> init = createEmptyForResult(rewriter, op);
    if (failed(init))
      return failure();

    // The rotated width R (and R / 2) as index values; whether the last dim
    // has elements past it that pass through.
    int64_t rotaryDim = op.getEffectiveRotaryDim();
    int64_t headDim = inputType.getDimSize(last);
    bool partial = ShapedType::isDynamic(headDim) || rotaryDim != headDim;
    Value rotary, half;
    if (ShapedType::isDynamic(rotaryDim)) {
      rotary = tensor::DimOp::create(rewriter, loc, input, last);
      half = arith::DivUIOp::create(
          rewriter, loc, rotary,
          arith::ConstantIndexOp::create(rewriter, loc, 2));
      partial = false;
    } else {
      rotary = arith::ConstantIndexOp::create(rewriter, loc, rotaryDim);
      half = arith::ConstantIndexOp::create(rewriter, loc, rotaryDim / 2);
    }

    ArrayRef<int64_t> inputShape = inputType.getShape();
    ArrayRef<int64_t> tableShape = tableType.getShape();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, init->getType(), input, *init,
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank),
                            rewriter.getMultiDimIdentityMap(rank)},
        getIterators(rank), [&](OpBuilder &b, Location nl, ValueRange args) {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d)
            indices.push_back(linalg::IndexOp::create(b, nl, d));
          Value d = indices[last];
          Value one = arith::ConstantIndexOp::create(b, nl, 1);
          Value zero = arith::ConstantIndexOp::create(b, nl, 0);
          // `first`: the element is the first of its pair (it subtracts).
          Value first, tableIndex, partner;
          if (interleaved) {
            Value two = arith::ConstantIndexOp::create(b, nl, 2);
            Value parity = arith::RemUIOp::create(b, nl, d, two);
            first = arith::CmpIOp::create(b, nl, arith::CmpIPredicate::eq,
                                          parity, zero);
            tableIndex = arith::DivUIOp::create(b, nl, d, two);
            partner = arith::SelectOp::create(
                b, nl, first, arith::AddIOp::create(b, nl, d, one),
                arith::SubIOp::create(b, nl, d, one));
          } else {
            first = arith::CmpIOp::create(b, nl, arith::CmpIPredicate::ult, d,
                                          half);
            Value minusHalf = arith::SubIOp::create(b, nl, d, half);
            tableIndex = arith::SelectOp::create(b, nl, first, d, minusHalf);
            partner = arith::SelectOp::create(
                b, nl, first, arith::AddIOp::create(b, nl, d, half), minusHalf);
          }
          // Past the rotated part: keep the indices in bounds (the value is
          // not used).
          Value rotated;
          if (partial) {
            rotated = arith::CmpIOp::create(b, nl, arith::CmpIPredicate::ult, d,
                                            rotary);
            tableIndex =
                arith::SelectOp::create(b, nl, rotated, tableIndex, zero);
            partner = arith::SelectOp::create(b, nl, rotated, partner, d);
          }
          SmallVector<Value> partnerIndices(indices);
          partnerIndices[last] = partner;
          Value other = tensor::ExtractOp::create(b, nl, input, partnerIndices);
          // cos/sin: leading dims broadcast (right-aligned) against the
          // input's leading dims.
          SmallVector<Value> tableIndices;
          for (int64_t j = 0; j < tableRank - 1; ++j) {
            int64_t inputDim = last - (tableRank - 1) + j;
            bool broadcast = tableShape[j] == 1 && inputShape[inputDim] != 1;
            tableIndices.push_back(broadcast ? zero : indices[inputDim]);
          }
          tableIndices.push_back(tableIndex);
          Value c = convertScalar(
              b, nl, tensor::ExtractOp::create(b, nl, cos, tableIndices),
              elementType, accType);
          Value s = convertScalar(
              b, nl, tensor::ExtractOp::create(b, nl, sin, tableIndices),
              elementType, accType);
          Value x = convertScalar(b, nl, args[0], elementType, accType);
          Value y = convertScalar(b, nl, other, elementType, accType);
          // first: x*c - y*s; second: x*c + y*s.
          Value xc = arith::MulFOp::create(b, nl, x, c);
          Value ys = arith::MulFOp::create(b, nl, y, s);
          Value result = arith::SelectOp::create(
              b, nl, first, arith::SubFOp::create(b, nl, xc, ys),
              arith::AddFOp::create(b, nl, xc, ys));
          result = convertScalar(b, nl, result, accType, elementType);
          if (partial)
            result = arith::SelectOp::create(b, nl, rotated, result, args[0]);
          linalg::YieldOp::create(b, nl, result);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attention
//===----------------------------------------------------------------------===//

struct AttentionLowering : OpRewritePattern<transformer::AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::AttentionOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value query = op.getQuery(), key = op.getKey(), value = op.getValue();
    auto queryType = cast<RankedTensorType>(query.getType());
    auto keyType = cast<RankedTensorType>(key.getType());
    auto outputType = cast<RankedTensorType>(op.getOutput().getType());
    Type elementType = queryType.getElementType();
    Type accType = getAccumulatorType(elementType);
    FailureOr<SmallVector<OpFoldResult>> outSizes =
        getResultSizes(rewriter, op, 0);
    if (failed(outSizes))
      return failure();

    // KV cache: keys = concat(past_key, key) along the sequence.
    SmallVector<Value> present;
    if (Value pastKey = op.getPastKey()) {
      key =
          tensor::ConcatOp::create(rewriter, loc, 2, ValueRange{pastKey, key});
      value = tensor::ConcatOp::create(rewriter, loc, 2,
                                       ValueRange{op.getPastValue(), value});
      key = castTo(rewriter, loc, key, op.getPresentKey().getType());
      value = castTo(rewriter, loc, value, op.getPresentValue().getType());
      present = {key, value};
    }

    OpFoldResult batch = (*outSizes)[0];
    OpFoldResult qHeads = (*outSizes)[1];
    OpFoldResult qLen = (*outSizes)[2];
    OpFoldResult vDim = (*outSizes)[3];
    OpFoldResult total = tensor::getMixedSize(rewriter, loc, key, 2);

    // Grouped-query attention: G = Hq / Hkv query heads per KV head.
    int64_t staticQHeads = queryType.getDimSize(1);
    int64_t staticKVHeads = keyType.getDimSize(1);
    if (std::optional<uint64_t> attr = op.getNumKvHeads())
      staticKVHeads = static_cast<int64_t>(*attr);
    bool staticGroups = !ShapedType::isDynamic(staticQHeads) &&
                        !ShapedType::isDynamic(staticKVHeads);
    int64_t staticGroup =
        staticGroups ? staticQHeads / staticKVHeads : ShapedType::kDynamic;
    bool grouped = staticGroup != 1;
    OpFoldResult kvHeads = ShapedType::isDynamic(staticKVHeads)
                               ? tensor::getMixedSize(rewriter, loc, key, 1)
                               : rewriter.getIndexAttr(staticKVHeads);
    OpFoldResult group;
    if (staticGroups)
      group = rewriter.getIndexAttr(staticGroup);
    else
      group = arith::DivUIOp::create(rewriter, loc,
                                     getIndexValue(rewriter, loc, qHeads),
                                     getIndexValue(rewriter, loc, kvHeads))
                  .getResult();

    // Query as [B, Hkv, G, Sq, D] when grouped (expand_shape needs the
    // collapsed dim dynamic when the group sizes are).
    Value q = query;
    SmallVector<ReassociationIndices> headSplit = {{0}, {1, 2}, {3}, {4}};
    if (grouped) {
      if (!staticGroups && !queryType.isDynamicDim(1)) {
        SmallVector<int64_t> shape(queryType.getShape());
        shape[1] = ShapedType::kDynamic;
        q = tensor::CastOp::create(
            rewriter, loc, RankedTensorType::get(shape, elementType), q);
      }
      SmallVector<int64_t> shape = {queryType.getDimSize(0), staticKVHeads,
                                    staticGroup, queryType.getDimSize(2),
                                    queryType.getDimSize(3)};
      q = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get(shape, elementType), q,
          headSplit,
          ArrayRef<OpFoldResult>{
              tensor::getMixedSize(rewriter, loc, query, 0), kvHeads, group,
              tensor::getMixedSize(rewriter, loc, query, 2),
              tensor::getMixedSize(rewriter, loc, query, 3)});
    }

    // Dims of the iteration spaces: (b, h, [g,] i, j-or-e, reduction).
    int64_t headDims = grouped ? 2 : 1;
    int64_t loops = 4 + headDims;
    auto dim = [&](int64_t d) { return getAffineDimExpr(d, context); };
    AffineExpr b = dim(0), h = dim(1);
    SmallVector<AffineExpr> heads = {h};
    if (grouped)
      heads.push_back(dim(2));
    AffineExpr i = dim(1 + headDims), j = dim(2 + headDims),
               r = dim(3 + headDims);
    auto map = [&](ArrayRef<AffineExpr> prefix, ArrayRef<AffineExpr> suffix) {
      SmallVector<AffineExpr> exprs(prefix);
      exprs.append(suffix.begin(), suffix.end());
      return AffineMap::get(loops, 0, exprs, context);
    };
    SmallVector<AffineExpr> bHeads = {b};
    bHeads.append(heads);
    SmallVector<OpFoldResult> headSizes = {batch};
    if (grouped)
      headSizes.append({kvHeads, group});
    else
      headSizes.push_back(qHeads);
    SmallVector<IteratorType> contractionIterators =
        getIterators(loops, {loops - 1});

    // scores[b, h, (g,) i, j] = sum_d q[b, h, (g,) i, d] * k[b, h, j, d].
    SmallVector<OpFoldResult> scoreSizes(headSizes);
    scoreSizes.append({qLen, total});
    Value scoreInit = createFilled(rewriter, loc, scoreSizes, accType, 0.0);
    Value scores =
        linalg::GenericOp::create(
            rewriter, loc, scoreInit.getType(), ValueRange{q, key}, scoreInit,
            ArrayRef<AffineMap>{map(bHeads, {i, r}), map({b, h}, {j, r}),
                                map(bHeads, {i, j})},
            contractionIterators,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value qv = convertScalar(nb, nl, args[0], elementType, accType);
              Value kv = convertScalar(nb, nl, args[1], elementType, accType);
              Value product = arith::MulFOp::create(nb, nl, qv, kv);
              linalg::YieldOp::create(
                  nb, nl,
                  Value(arith::AddFOp::create(nb, nl, product, args[2])));
            })
            .getResult(0);
    if (grouped)
      scores =
          tensor::CollapseShapeOp::create(rewriter, loc, scores, headSplit);

    // Scale, mask, causal mask on the [B, Hq, Sq, T] scores.
    auto scoresType = cast<RankedTensorType>(scores.getType());
    SmallVector<OpFoldResult> scores4Sizes =
        tensor::getMixedSizes(rewriter, loc, scores);
    Value scale;
    if (std::optional<double> s = op.getEffectiveScale()) {
      scale = createScalarConstant(rewriter, loc, accType, *s);
    } else {
      Value headDim = tensor::DimOp::create(rewriter, loc, query, 3);
      Value asFloat = arith::SIToFPOp::create(
          rewriter, loc, accType,
          arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(),
                                     headDim));
      scale = math::RsqrtOp::create(rewriter, loc, asFloat);
    }
    Value mask = op.getMask();
    bool boolMask = mask && getElementTypeOrSelf(mask.getType()).isInteger(1);
    bool causal = op.getCausal();
    Value offset;
    if (causal)
      offset = arith::SubIOp::create(rewriter, loc,
                                     getIndexValue(rewriter, loc, total),
                                     getIndexValue(rewriter, loc, qLen));
    Value negInf = createScalarConstant(
        rewriter, loc, accType, -std::numeric_limits<double>::infinity());
    SmallVector<Value> maskInputs = {scores};
    SmallVector<AffineMap> maskMaps = {rewriter.getMultiDimIdentityMap(4)};
    if (mask) {
      maskInputs.push_back(mask);
      maskMaps.push_back(getBroadcastIndexingMap(
          context, cast<RankedTensorType>(mask.getType()),
          scoresType.getShape()));
    }
    maskMaps.push_back(rewriter.getMultiDimIdentityMap(4));
    Type maskElementType = mask ? getElementTypeOrSelf(mask.getType()) : Type();
    Value maskedInit =
        tensor::EmptyOp::create(rewriter, loc, scores4Sizes, accType);
    Value masked =
        linalg::GenericOp::create(
            rewriter, loc, scoresType, maskInputs, maskedInit, maskMaps,
            getIterators(4),
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value s = arith::MulFOp::create(nb, nl, args[0], scale);
              if (mask && boolMask)
                s = arith::SelectOp::create(nb, nl, args[1], s, negInf);
              else if (mask)
                s = arith::AddFOp::create(
                    nb, nl, s,
                    convertScalar(nb, nl, args[1], maskElementType, accType));
              if (causal) {
                // Key j is in the future of query i when j > i + (T - Sq).
                Value row = linalg::IndexOp::create(nb, nl, 2);
                Value col = linalg::IndexOp::create(nb, nl, 3);
                Value limit = arith::AddIOp::create(nb, nl, row, offset);
                Value future = arith::CmpIOp::create(
                    nb, nl, arith::CmpIPredicate::sgt, col, limit);
                s = arith::SelectOp::create(nb, nl, future, negInf, s);
              }
              linalg::YieldOp::create(nb, nl, s);
            })
            .getResult(0);

    Value probs = buildSoftmax(rewriter, loc, masked, 3, /*isLog=*/false,
                               scores4Sizes, accType);
    if (grouped)
      probs = tensor::ExpandShapeOp::create(
          rewriter, loc,
          cast<RankedTensorType>(scoreInit.getType()).clone(accType), probs,
          headSplit, scoreSizes);

    // out[b, h, (g,) i, e] = sum_j p[b, h, (g,) i, j] * v[b, h, j, e].
    SmallVector<OpFoldResult> outSizesN(headSizes);
    outSizesN.append({qLen, vDim});
    Value outInit = createFilled(rewriter, loc, outSizesN, accType, 0.0);
    Value out =
        linalg::GenericOp::create(
            rewriter, loc, outInit.getType(), ValueRange{probs, value}, outInit,
            ArrayRef<AffineMap>{map(bHeads, {i, r}), map({b, h}, {r, j}),
                                map(bHeads, {i, j})},
            contractionIterators,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value vv = convertScalar(nb, nl, args[1], elementType, accType);
              Value product = arith::MulFOp::create(nb, nl, args[0], vv);
              linalg::YieldOp::create(
                  nb, nl,
                  Value(arith::AddFOp::create(nb, nl, product, args[2])));
            })
            .getResult(0);
    if (grouped)
      out = tensor::CollapseShapeOp::create(rewriter, loc, out, headSplit);
    out = convertTensor(rewriter, loc, out, *outSizes, elementType);

    SmallVector<Value> results = {castTo(rewriter, loc, out, outputType)};
    results.append(present);
    rewriter.replaceOp(op, results);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// embedding
//===----------------------------------------------------------------------===//

struct EmbeddingLowering : OpRewritePattern<transformer::EmbeddingOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::EmbeddingOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value table = op.getTable(), indices = op.getIndices();
    RankedTensorType resultType = op.getType();
    int64_t rank = resultType.getRank();
    Type indexElementType = getElementTypeOrSelf(indices.getType());
    FailureOr<Value> init = createEmptyForResult(rewriter, op);
    if (failed(init))
      return failure();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, indices, *init,
        ArrayRef<AffineMap>{
            getDropDimsMap(rewriter.getContext(), rank, {rank - 1}),
            rewriter.getMultiDimIdentityMap(rank)},
        getIterators(rank), [&](OpBuilder &b, Location nl, ValueRange args) {
          Value id = castToSignless(b, nl, args[0]);
          Value row = isUnsignedLike(indexElementType)
                          ? Value(arith::IndexCastUIOp::create(
                                b, nl, b.getIndexType(), id))
                          : Value(arith::IndexCastOp::create(
                                b, nl, b.getIndexType(), id));
          Value col = linalg::IndexOp::create(b, nl, rank - 1);
          linalg::YieldOp::create(b, nl,
                                  Value(tensor::ExtractOp::create(
                                      b, nl, table, ValueRange{row, col})));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void mlir::llm::populateTransformerNNToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MatmulLowering, LinearLowering,
               SoftmaxLowering<transformer::SoftmaxOp, false>,
               SoftmaxLowering<transformer::LogSoftmaxOp, true>,
               LayerNormLowering, RMSNormLowering, GeluLowering, SiluLowering,
               RotaryEmbeddingLowering, AttentionLowering, EmbeddingLowering>(
      patterns.getContext());
}

//===- QuantToLinalg.cpp - lower the transformer quantization ops ---------===//
//
// Lowers the quantization op group to linalg/tensor/arith/math on tensors:
//
// - `quantize`: `saturate(roundeven(x / scale) + zero_point)` (ONNX
//   QuantizeLinear: round half to even with `math.roundeven`, clamp to the
//   integer range, then `fptosi`/`fptoui`); `dequantize`:
//   `(q - zero_point) * scale` with the difference taken exactly in i32.
//   One elementwise generic each. Per-tensor and per-axis scales / zero
//   points are read through indexing maps (`() `/ `(d_axis)`); blocked ones
//   through `tensor.extract` at `index(axis) / block_size`, which is not an
//   affine projection of the iteration space.
// - `dynamic_quantize`: a reduction generic (min and max, or max |x| for the
//   symmetric signed form) over all dims or over `axis`, an elementwise
//   generic computing the scale and zero point (ONNX DynamicQuantizeLinear:
//   the range widened to include 0, `scale = (max - min) / 255`,
//   `zp = saturate(roundeven(-min / scale))`; symmetric: `max|x| / 127`),
//   then the quantizing generic. An all-zero range gets scale 0 and
//   quantizes to the zero point (the division uses 1 instead of 0). Per-row
//   scales are expanded back to the input's rank with `tensor.expand_shape`.
// - `quantized_matmul`: a contraction generic over (batch..., m, n, k) that
//   extends both 8-bit operands to i32, subtracts the zero points and
//   accumulates in i32; batch dims broadcast through the indexing maps.
// - `quantized_linear`: a contraction generic over (leading..., n, k) that
//   dequantizes the weight element inside the body
//   (`(w - zp) * scale[n, k / group_size]`, the grouped scale read with
//   `tensor.extract`, per-channel scales through an indexing map), then a
//   generic that adds the bias (and rounds to the result type when
//   accumulating f16/bf16 in f32). The leading dims stay uncollapsed, so
//   dynamic batch and sequence need no expand_shape.
//
// Quantized tensors may be `ui8`/`ui4`/`si8`/...: arith takes signless
// integers only, so body arguments are cast to signless (castToSignless) and
// results back, and signedness picks `extsi`/`extui`, `sitofp`/`uitofp` and
// `fptosi`/`fptoui` (through convertScalar).
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/TransformerToLinalg/TransformerToLinalg.h"

#include "LoweringUtils.h"

#include "Transformer/IR/TransformerOps.h"
#include "Transformer/IR/TransformerShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <limits>

using namespace mlir;
using namespace mlir::llm;

namespace {

using utils::IteratorType;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// The wider of two float types (the first on a tie).
Type widerFloat(Type a, Type b) {
  return cast<FloatType>(b).getWidth() > cast<FloatType>(a).getWidth() ? b : a;
}

/// The float type sums accumulate in: f32 for narrower floats.
Type getAccumulatorType(Type elementType) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (floatType && floatType.getWidth() < 32)
    return Float32Type::get(elementType.getContext());
  return elementType;
}

/// The saturation range [min, max] of integer type `type` (signless is
/// signed).
std::pair<double, double> getIntegerRange(Type type) {
  auto intType = cast<IntegerType>(type);
  unsigned width = intType.getWidth();
  if (intType.isUnsigned())
    return {0.0, static_cast<double>((uint64_t(1) << width) - 1)};
  double half = static_cast<double>(uint64_t(1) << (width - 1));
  return {-half, half - 1.0};
}

/// `min(max(value, lo), hi)` on floats.
Value clampFloat(OpBuilder &b, Location loc, Value value, double lo,
                 double hi) {
  Type type = value.getType();
  Value low = arith::MaximumFOp::create(b, loc, value,
                                        createScalarConstant(b, loc, type, lo));
  return arith::MinimumFOp::create(b, loc, low,
                                   createScalarConstant(b, loc, type, hi));
}

/// Converts the signless float `value` (already rounded and clamped) to the
/// integer element type `type` and casts it to that (possibly unsigned)
/// type.
Value floatToQuantized(OpBuilder &b, Location loc, Value value, Type type) {
  Value integer = convertScalar(b, loc, value, value.getType(), type);
  return castFromSignless(b, loc, integer, type);
}

/// The integer block argument `value` of (possibly signed/unsigned) type
/// `type`, extended to i32 per its signedness.
Value extendToI32(OpBuilder &b, Location loc, Value value, Type type) {
  return convertScalar(b, loc, castToSignless(b, loc, value), type,
                       b.getI32Type());
}

/// A constant zero point with `ui8`/`si8`/... elements as the constant of
/// the same bits with signless elements (other values unchanged).
/// Elementwise fusion folds scalar and splat constant inputs of a generic
/// into its body as `arith.constant`, which takes signless integers only
/// (`arith.constant 128 : ui8` is invalid); the bodies extend zero points by
/// the op's element type, not the block argument's, so a signless input
/// computes the same.
Value signlessConstant(OpBuilder &b, Location loc, Value value) {
  DenseIntElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return value;
  auto intType = dyn_cast<IntegerType>(attr.getElementType());
  if (!intType || intType.isSignless())
    return value;
  return arith::ConstantOp::create(
      b, loc,
      attr.bitcast(IntegerType::get(b.getContext(), intType.getWidth())));
}

SmallVector<IteratorType> getIterators(int64_t rank,
                                       ArrayRef<int64_t> reduced = {}) {
  SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
  for (int64_t d : reduced)
    iterators[d] = IteratorType::reduction;
  return iterators;
}

/// The affine map from a rank-`rank` space to the dims not in `dropped`.
AffineMap getDropDimsMap(MLIRContext *context, int64_t rank,
                         ArrayRef<int64_t> dropped) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(dropped, d))
      exprs.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(rank, 0, exprs, context);
}

/// A `tensor.empty` of `sizes` filled with `value`.
Value createFilled(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                   Type elementType, double value) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, elementType);
  return createFill(b, loc, empty,
                    createScalarConstant(b, loc, elementType, value));
}

//===----------------------------------------------------------------------===//
// quantize, dequantize
//===----------------------------------------------------------------------===//

/// Body of a quantize/dequantize generic: the data element and the scale and
/// zero point that apply to it (null zero point when absent), as the raw
/// block arguments / extracted elements.
using QuantBody = function_ref<Value(OpBuilder &, Location, Value data,
                                     Value scale, Value zeroPoint)>;

/// An elementwise generic over `init` (the shape of `input`) that reads each
/// element of `input` with its scale and zero point: per-tensor (a scale of
/// rank 0 or one element), per-axis (1-D along `axis`) or blocked (the
/// input's rank, `index(axis) / blockSize` along `axis`).
Value buildQuantGeneric(OpBuilder &b, Location loc, Value input, Value scale,
                        Value zeroPoint, int64_t axis, int64_t blockSize,
                        Value init, QuantBody body) {
  MLIRContext *context = b.getContext();
  zeroPoint = signlessConstant(b, loc, zeroPoint);
  auto inputType = cast<RankedTensorType>(input.getType());
  auto scaleType = cast<RankedTensorType>(scale.getType());
  int64_t rank = inputType.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<Value> inputs = {input};
  SmallVector<AffineMap> maps = {identity};
  bool blocked = blockSize > 0;
  if (!blocked) {
    AffineMap paramMap;
    if (scaleType.getRank() == 0)
      paramMap = AffineMap::get(rank, 0, {}, context);
    else if (scaleType.getDimSize(0) == 1)
      paramMap =
          AffineMap::get(rank, 0, getAffineConstantExpr(0, context), context);
    else
      paramMap =
          AffineMap::get(rank, 0, getAffineDimExpr(axis, context), context);
    inputs.push_back(scale);
    maps.push_back(paramMap);
    if (zeroPoint) {
      inputs.push_back(zeroPoint);
      maps.push_back(paramMap);
    }
  }
  maps.push_back(identity);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, getIterators(rank),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value s, zp;
        if (blocked) {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d)
            indices.push_back(linalg::IndexOp::create(nb, nl, d));
          indices[axis] = arith::DivUIOp::create(
              nb, nl, indices[axis],
              arith::ConstantIndexOp::create(nb, nl, blockSize));
          s = tensor::ExtractOp::create(nb, nl, scale, indices);
          if (zeroPoint)
            zp = tensor::ExtractOp::create(nb, nl, zeroPoint, indices);
        } else {
          s = args[1];
          if (zeroPoint)
            zp = args[2];
        }
        linalg::YieldOp::create(nb, nl, body(nb, nl, args[0], s, zp));
      });
  return generic.getResult(0);
}

struct QuantizeLowering : OpRewritePattern<transformer::QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    Type inputElement = inputType.getElementType();
    Type scaleElement = getElementTypeOrSelf(op.getScale().getType());
    Type resultElement = getElementTypeOrSelf(op.getType());
    Type zpElement = resultElement;
    Type computeType = widerFloat(inputElement, scaleElement);
    std::pair<double, double> range = getIntegerRange(resultElement);
    double qmin = range.first, qmax = range.second;
    std::optional<int64_t> axis = transformer::normalizeAxis(
        static_cast<int64_t>(op.getAxis()), inputType.getRank());
    auto blockSize = static_cast<int64_t>(op.getBlockSize());
    FailureOr<Value> init = createEmptyForResult(rewriter, op);
    if (failed(init))
      return failure();
    Value result = buildQuantGeneric(
        rewriter, op.getLoc(), op.getInput(), op.getScale(), op.getZeroPoint(),
        axis.value_or(0), blockSize, *init,
        [&](OpBuilder &b, Location loc, Value x, Value s, Value zp) {
          Value xf = convertScalar(b, loc, x, inputElement, computeType);
          Value sf = convertScalar(b, loc, s, scaleElement, computeType);
          Value v = math::RoundEvenOp::create(
              b, loc, arith::DivFOp::create(b, loc, xf, sf));
          if (zp)
            v = arith::AddFOp::create(b, loc, v,
                                      convertScalar(b, loc,
                                                    castToSignless(b, loc, zp),
                                                    zpElement, computeType));
          v = clampFloat(b, loc, v, qmin, qmax);
          return floatToQuantized(b, loc, v, resultElement);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct DequantizeLowering : OpRewritePattern<transformer::DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    Type inputElement = inputType.getElementType();
    Type scaleElement = getElementTypeOrSelf(op.getScale().getType());
    Type resultElement = getElementTypeOrSelf(op.getType());
    Type computeType = widerFloat(resultElement, scaleElement);
    std::optional<int64_t> axis = transformer::normalizeAxis(
        static_cast<int64_t>(op.getAxis()), inputType.getRank());
    auto blockSize = static_cast<int64_t>(op.getBlockSize());
    FailureOr<Value> init = createEmptyForResult(rewriter, op);
    if (failed(init))
      return failure();
    Value result = buildQuantGeneric(
        rewriter, op.getLoc(), op.getInput(), op.getScale(), op.getZeroPoint(),
        axis.value_or(0), blockSize, *init,
        [&](OpBuilder &b, Location loc, Value q, Value s, Value zp) {
          Value qi = extendToI32(b, loc, q, inputElement);
          if (zp)
            qi = arith::SubIOp::create(b, loc, qi,
                                       extendToI32(b, loc, zp, inputElement));
          Value qf = convertScalar(b, loc, qi, b.getI32Type(), computeType);
          Value sf = convertScalar(b, loc, s, scaleElement, computeType);
          Value v = arith::MulFOp::create(b, loc, qf, sf);
          return convertScalar(b, loc, v, computeType, resultElement);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// dynamic_quantize
//===----------------------------------------------------------------------===//

struct DynamicQuantizeLowering
    : OpRewritePattern<transformer::DynamicQuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::DynamicQuantizeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value input = op.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    Type inputElement = inputType.getElementType();
    Type computeType = getAccumulatorType(inputElement);
    auto outputType = cast<RankedTensorType>(op.getOutput().getType());
    Type outputElement = outputType.getElementType();
    auto scaleType = cast<RankedTensorType>(op.getScale().getType());
    Type scaleElement = scaleType.getElementType();
    bool asymmetric = outputElement.isUnsignedInteger();
    Value zeroPointResult = op.getZeroPoint();
    Type zpElement = zeroPointResult
                         ? getElementTypeOrSelf(zeroPointResult.getType())
                         : Type();

    // Reduced dims: all (per-tensor) or the axis (per-row).
    SmallVector<int64_t> reduced;
    std::optional<int64_t> axis;
    if (std::optional<uint64_t> attr = op.getAxis()) {
      axis = transformer::normalizeAxis(static_cast<int64_t>(*attr), rank);
      if (!axis)
        return rewriter.notifyMatchFailure(op, "axis out of range");
      reduced.push_back(*axis);
    } else {
      for (int64_t d = 0; d < rank; ++d)
        reduced.push_back(d);
    }
    FailureOr<SmallVector<OpFoldResult>> sizes =
        getResultSizes(rewriter, op, 0);
    if (failed(sizes))
      return failure();
    SmallVector<OpFoldResult> reducedSizes;
    for (int64_t d = 0; d < rank; ++d)
      if (!llvm::is_contained(reduced, d))
        reducedSizes.push_back((*sizes)[d]);
    int64_t reducedRank = reducedSizes.size();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reducedMap = getDropDimsMap(context, rank, reduced);
    AffineMap reducedIdentity = rewriter.getMultiDimIdentityMap(reducedRank);
    double inf = std::numeric_limits<double>::infinity();

    // The range: (min, max), or max |x| for the symmetric form.
    SmallVector<Value> rangeInits;
    if (asymmetric)
      rangeInits = {
          createFilled(rewriter, loc, reducedSizes, computeType, inf),
          createFilled(rewriter, loc, reducedSizes, computeType, -inf)};
    else
      rangeInits = {
          createFilled(rewriter, loc, reducedSizes, computeType, 0.0)};
    SmallVector<AffineMap> rangeMaps = {identity};
    rangeMaps.append(rangeInits.size(), reducedMap);
    auto range = linalg::GenericOp::create(
        rewriter, loc, ValueRange(rangeInits).getTypes(), input, rangeInits,
        rangeMaps, getIterators(rank, reduced),
        [&](OpBuilder &b, Location nl, ValueRange args) {
          Value x = convertScalar(b, nl, args[0], inputElement, computeType);
          if (asymmetric) {
            linalg::YieldOp::create(
                b, nl,
                ValueRange{arith::MinimumFOp::create(b, nl, x, args[1]),
                           arith::MaximumFOp::create(b, nl, x, args[2])});
            return;
          }
          Value absX = math::AbsFOp::create(b, nl, x);
          linalg::YieldOp::create(
              b, nl, Value(arith::MaximumFOp::create(b, nl, absX, args[1])));
        });

    // Scale (and zero point) per reduced element.
    SmallVector<Value> paramInits = {
        tensor::EmptyOp::create(rewriter, loc, reducedSizes, scaleElement)};
    if (asymmetric)
      paramInits.push_back(
          tensor::EmptyOp::create(rewriter, loc, reducedSizes, zpElement));
    SmallVector<AffineMap> paramMaps(range.getNumResults() + paramInits.size(),
                                     reducedIdentity);
    auto params = linalg::GenericOp::create(
        rewriter, loc, ValueRange(paramInits).getTypes(), range.getResults(),
        paramInits, paramMaps, getIterators(reducedRank),
        [&](OpBuilder &b, Location nl, ValueRange args) {
          Value zero = createScalarConstant(b, nl, computeType, 0.0);
          if (!asymmetric) {
            Value scale = arith::DivFOp::create(
                b, nl, args[0],
                createScalarConstant(b, nl, computeType, 127.0));
            linalg::YieldOp::create(
                b, nl, convertScalar(b, nl, scale, computeType, scaleElement));
            return;
          }
          Value lo = arith::MinimumFOp::create(b, nl, args[0], zero);
          Value hi = arith::MaximumFOp::create(b, nl, args[1], zero);
          Value scale = arith::DivFOp::create(
              b, nl, arith::SubFOp::create(b, nl, hi, lo),
              createScalarConstant(b, nl, computeType, 255.0));
          Value isZero = arith::CmpFOp::create(b, nl, arith::CmpFPredicate::OEQ,
                                               scale, zero);
          Value safeScale = arith::SelectOp::create(
              b, nl, isZero, createScalarConstant(b, nl, computeType, 1.0),
              scale);
          Value zp = math::RoundEvenOp::create(
              b, nl,
              arith::DivFOp::create(b, nl, arith::NegFOp::create(b, nl, lo),
                                    safeScale));
          zp = clampFloat(b, nl, zp, 0.0, 255.0);
          linalg::YieldOp::create(
              b, nl,
              ValueRange{convertScalar(b, nl, scale, computeType, scaleElement),
                         floatToQuantized(b, nl, zp, zpElement)});
        });

    // Quantize with them.
    SmallVector<AffineMap> quantMaps = {identity};
    quantMaps.append(params.getNumResults(), reducedMap);
    quantMaps.push_back(identity);
    SmallVector<Value> quantInputs = {input};
    quantInputs.append(params.getResults().begin(), params.getResults().end());
    Value outputInit =
        tensor::EmptyOp::create(rewriter, loc, *sizes, outputElement);
    double qmin = asymmetric ? 0.0 : -127.0;
    double qmax = asymmetric ? 255.0 : 127.0;
    auto quantized = linalg::GenericOp::create(
        rewriter, loc, outputInit.getType(), quantInputs, outputInit, quantMaps,
        getIterators(rank), [&](OpBuilder &b, Location nl, ValueRange args) {
          Value x = convertScalar(b, nl, args[0], inputElement, computeType);
          Value s = convertScalar(b, nl, args[1], scaleElement, computeType);
          Value zero = createScalarConstant(b, nl, computeType, 0.0);
          Value isZero =
              arith::CmpFOp::create(b, nl, arith::CmpFPredicate::OEQ, s, zero);
          s = arith::SelectOp::create(
              b, nl, isZero, createScalarConstant(b, nl, computeType, 1.0), s);
          Value v = math::RoundEvenOp::create(
              b, nl, arith::DivFOp::create(b, nl, x, s));
          if (asymmetric)
            v = arith::AddFOp::create(
                b, nl, v,
                convertScalar(b, nl, castToSignless(b, nl, args[2]), zpElement,
                              computeType));
          v = clampFloat(b, nl, v, qmin, qmax);
          linalg::YieldOp::create(b, nl,
                                  floatToQuantized(b, nl, v, outputElement));
        });

    // Per-row: put the unit dim back into the scale and zero point.
    SmallVector<Value> results = {quantized.getResult(0)};
    for (auto [param, result] :
         llvm::zip_equal(params.getResults(), op->getResults().drop_front())) {
      Value value = param;
      if (axis) {
        SmallVector<bool> unitDims(rank, false);
        unitDims[*axis] = true;
        SmallVector<OpFoldResult> paramSizes(*sizes);
        paramSizes[*axis] = rewriter.getIndexAttr(1);
        value = tensor::ExpandShapeOp::create(
            rewriter, loc, result.getType(), value,
            getUnitDimReassociation(unitDims), paramSizes);
      }
      results.push_back(value);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// quantized_matmul
//===----------------------------------------------------------------------===//

/// Index-map results that read batch dims `operandBatch` right-aligned
/// against the iteration's batch dims `resultBatch` (numpy broadcasting).
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

struct QuantizedMatmulLowering
    : OpRewritePattern<transformer::QuantizedMatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::QuantizedMatmulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value a = op.getA(), b = op.getB();
    Value aZeroPoint = signlessConstant(rewriter, loc, op.getAZeroPoint());
    Value bZeroPoint = signlessConstant(rewriter, loc, op.getBZeroPoint());
    auto aType = cast<RankedTensorType>(a.getType());
    auto bType = cast<RankedTensorType>(b.getType());
    RankedTensorType resultType = op.getType();
    int64_t rank = resultType.getRank();
    int64_t loops = rank + 1;
    FailureOr<SmallVector<OpFoldResult>> sizes = getResultSizes(rewriter, op);
    if (failed(sizes))
      return failure();

    ArrayRef<int64_t> resultBatch = resultType.getShape().drop_back(2);
    AffineExpr m = getAffineDimExpr(rank - 2, context);
    AffineExpr n = getAffineDimExpr(rank - 1, context);
    AffineExpr k = getAffineDimExpr(rank, context);
    SmallVector<AffineExpr> aBatch =
        getBatchExprs(context, aType.getShape().drop_back(2), resultBatch);
    SmallVector<AffineExpr> bBatch =
        getBatchExprs(context, bType.getShape().drop_back(2), resultBatch);
    auto map = [&](ArrayRef<AffineExpr> prefix, ArrayRef<AffineExpr> suffix) {
      SmallVector<AffineExpr> exprs(prefix);
      exprs.append(suffix.begin(), suffix.end());
      return AffineMap::get(loops, 0, exprs, context);
    };
    AffineExpr zeroExpr = getAffineConstantExpr(0, context);

    SmallVector<Value> inputs = {a, b};
    SmallVector<AffineMap> maps = {map(aBatch, {m, k}), map(bBatch, {k, n})};
    // Zero points: per-tensor ([] or [1]), per-row/column (1-D), or the
    // operand's rank with a unit contraction dim.
    auto addZeroPoint = [&](Value zp, ArrayRef<AffineExpr> batch,
                            AffineExpr vectorDim, bool isA) {
      if (!zp)
        return;
      auto type = cast<RankedTensorType>(zp.getType());
      AffineMap zpMap;
      if (type.getRank() == 0)
        zpMap = map({}, {});
      else if (type.getRank() == 1)
        zpMap = map({}, {type.getDimSize(0) == 1 ? zeroExpr : vectorDim});
      else if (isA)
        zpMap = map(batch, {m, zeroExpr});
      else
        zpMap = map(batch, {zeroExpr, n});
      inputs.push_back(zp);
      maps.push_back(zpMap);
    };
    addZeroPoint(aZeroPoint, aBatch, m, /*isA=*/true);
    addZeroPoint(bZeroPoint, bBatch, n, /*isA=*/false);
    SmallVector<AffineExpr> outExprs;
    for (int64_t d = 0; d < rank; ++d)
      outExprs.push_back(getAffineDimExpr(d, context));
    maps.push_back(AffineMap::get(loops, 0, outExprs, context));

    Type aElement = aType.getElementType(), bElement = bType.getElementType();
    Value init = createFilled(rewriter, loc, *sizes, rewriter.getI32Type(), 0);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, inputs, init, maps,
        getIterators(loops, {rank}),
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          unsigned next = 2;
          Value av = extendToI32(nb, nl, args[0], aElement);
          Value bv = extendToI32(nb, nl, args[1], bElement);
          if (aZeroPoint)
            av = arith::SubIOp::create(
                nb, nl, av, extendToI32(nb, nl, args[next++], aElement));
          if (bZeroPoint)
            bv = arith::SubIOp::create(
                nb, nl, bv, extendToI32(nb, nl, args[next++], bElement));
          Value product = arith::MulIOp::create(nb, nl, av, bv);
          linalg::YieldOp::create(
              nb, nl,
              Value(arith::AddIOp::create(nb, nl, product, args.back())));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// quantized_linear
//===----------------------------------------------------------------------===//

struct QuantizedLinearLowering
    : OpRewritePattern<transformer::QuantizedLinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::QuantizedLinearOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value input = op.getInput(), weight = op.getWeight(), scale = op.getScale(),
          zeroPoint = op.getZeroPoint(), bias = op.getBias();
    auto inputType = cast<RankedTensorType>(input.getType());
    RankedTensorType resultType = op.getType();
    int64_t rank = inputType.getRank();
    Type inputElement = inputType.getElementType();
    Type resultElement = resultType.getElementType();
    Type weightElement = getElementTypeOrSelf(weight.getType());
    Type scaleElement = getElementTypeOrSelf(scale.getType());
    Type zpElement = weightElement;
    Type accType = getAccumulatorType(resultElement);
    std::optional<int64_t> groupSize;
    if (std::optional<uint64_t> attr = op.getGroupSize())
      groupSize = static_cast<int64_t>(*attr);
    FailureOr<SmallVector<OpFoldResult>> sizes = getResultSizes(rewriter, op);
    if (failed(sizes))
      return failure();

    // Iteration space (leading..., n, k): the input's leading dims are
    // parallel dims of the contraction (no collapse to [M, K], whose
    // expand_shape back would be a problem for several dynamic dims).
    int64_t loops = rank + 1;
    int64_t outRank = rank;
    SmallVector<AffineExpr> leading;
    for (int64_t d = 0; d < rank - 1; ++d)
      leading.push_back(getAffineDimExpr(d, context));
    AffineExpr n = getAffineDimExpr(loops - 2, context);
    AffineExpr k = getAffineDimExpr(loops - 1, context);
    auto map = [&](ArrayRef<AffineExpr> prefix, ArrayRef<AffineExpr> exprs) {
      SmallVector<AffineExpr> all(prefix);
      all.append(exprs.begin(), exprs.end());
      return AffineMap::get(loops, 0, all, context);
    };
    SmallVector<Value> inputs = {input, weight};
    SmallVector<AffineMap> maps = {map(leading, {k}), map({}, {n, k})};
    if (!groupSize) {
      inputs.push_back(scale);
      maps.push_back(map({}, {n}));
      if (zeroPoint) {
        inputs.push_back(zeroPoint);
        maps.push_back(map({}, {n}));
      }
    }
    maps.push_back(map(leading, {n}));
    SmallVector<OpFoldResult> accSizes(*sizes);

    Value accInit = createFilled(rewriter, loc, accSizes, accType, 0.0);
    auto contraction = linalg::GenericOp::create(
        rewriter, loc, accInit.getType(), inputs, accInit, maps,
        getIterators(loops, {loops - 1}),
        [&](OpBuilder &b, Location nl, ValueRange args) {
          Value s, zp;
          if (groupSize) {
            // scale[n, k / group_size]
            Value nIndex = linalg::IndexOp::create(b, nl, loops - 2);
            Value group = arith::DivUIOp::create(
                b, nl, linalg::IndexOp::create(b, nl, loops - 1),
                arith::ConstantIndexOp::create(b, nl, *groupSize));
            s = tensor::ExtractOp::create(b, nl, scale,
                                          ValueRange{nIndex, group});
            if (zeroPoint)
              zp = tensor::ExtractOp::create(b, nl, zeroPoint,
                                             ValueRange{nIndex, group});
          } else {
            s = args[2];
            if (zeroPoint)
              zp = args[3];
          }
          Value w = extendToI32(b, nl, args[1], weightElement);
          if (zp)
            w = arith::SubIOp::create(b, nl, w,
                                      extendToI32(b, nl, zp, zpElement));
          Value wf = convertScalar(b, nl, w, b.getI32Type(), accType);
          wf = arith::MulFOp::create(
              b, nl, wf, convertScalar(b, nl, s, scaleElement, accType));
          Value x = convertScalar(b, nl, args[0], inputElement, accType);
          Value product = arith::MulFOp::create(b, nl, x, wf);
          linalg::YieldOp::create(
              b, nl, Value(arith::AddFOp::create(b, nl, product, args.back())));
        });
    Value result = contraction.getResult(0);

    // Bias and rounding to the result type.
    if (bias || accType != resultElement) {
      int64_t accRank = outRank;
      SmallVector<Value> epilogueInputs = {result};
      SmallVector<AffineMap> epilogueMaps = {
          rewriter.getMultiDimIdentityMap(accRank)};
      if (bias) {
        epilogueInputs.push_back(bias);
        epilogueMaps.push_back(AffineMap::get(
            accRank, 0, getAffineDimExpr(accRank - 1, context), context));
      }
      epilogueMaps.push_back(rewriter.getMultiDimIdentityMap(accRank));
      Value init =
          tensor::EmptyOp::create(rewriter, loc, accSizes, resultElement);
      result =
          linalg::GenericOp::create(
              rewriter, loc, init.getType(), epilogueInputs, init, epilogueMaps,
              getIterators(accRank),
              [&](OpBuilder &b, Location nl, ValueRange args) {
                Value y = args[0];
                if (bias)
                  y = arith::AddFOp::create(
                      b, nl, y,
                      convertScalar(b, nl, args[1], resultElement, accType));
                linalg::YieldOp::create(
                    b, nl, convertScalar(b, nl, y, accType, resultElement));
              })
              .getResult(0);
    }

    if (result.getType() != resultType)
      result = tensor::CastOp::create(rewriter, loc, resultType, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::llm::populateTransformerQuantToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<QuantizeLowering, DequantizeLowering, DynamicQuantizeLowering,
               QuantizedMatmulLowering, QuantizedLinearLowering>(
      patterns.getContext());
}

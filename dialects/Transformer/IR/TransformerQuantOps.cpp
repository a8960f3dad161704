//===- TransformerQuantOps.cpp - quantization ops -------------------------===//
//
// Shape inference, verifiers, builders and canonicalizations of the
// quantization op group (quantize, dequantize, dynamic_quantize,
// quantized_matmul, quantized_linear). The verifiers implement the
// granularity rules of ONNX QuantizeLinear/DequantizeLinear-21 (per-tensor,
// per-axis, blocked) and MatMulInteger's zero-point shapes, accepting dynamic
// dims wherever they may match at run time. The only canonicalization drops
// zero points that are constant zeros (exporters emit them everywhere in QDQ
// models), so the lowerings see the symmetric form. Result shapes are
// reified from the operands with the helpers of TransformerShapeUtils (the
// same as `matmul` and `linear` for the quantized matmul and linear).
//
//===----------------------------------------------------------------------===//

#include "Transformer/IR/TransformerOps.h"
#include "Transformer/IR/TransformerShapeUtils.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <string>

using namespace mlir;
using namespace mlir::llm::transformer;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Formats a shape for diagnostics: `[?, 768]`.
static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string result = "[";
  llvm::raw_string_ostream os(result);
  llvm::interleaveComma(shape, os, [&](int64_t dim) {
    if (ShapedType::isDynamic(dim))
      os << "?";
    else
      os << dim;
  });
  os << "]";
  return result;
}

/// Formats the axis range `[-rank, rank)` for diagnostics.
static std::string axisRange(int64_t rank) {
  return "[" + std::to_string(-rank) + ", " + std::to_string(rank) + ")";
}

/// ceil(dim / block); dynamic stays dynamic.
static int64_t ceilDivDim(int64_t dim, int64_t block) {
  return ShapedType::isDynamic(dim) ? dim : llvm::divideCeil(dim, block);
}

/// True when `shape` and `expected` have the same rank and compatible dims.
static bool shapesCompatible(ArrayRef<int64_t> shape,
                             ArrayRef<int64_t> expected) {
  return shape.size() == expected.size() &&
         llvm::all_of(llvm::zip_equal(shape, expected), [](auto dims) {
           return dimsCompatible(std::get<0>(dims), std::get<1>(dims));
         });
}

/// Refines `dim` with `other`: the static one of the two (they are known to
/// be compatible).
static int64_t refineDim(int64_t dim, int64_t other) {
  return ShapedType::isDynamic(dim) ? other : dim;
}

/// The ranked tensor type of `value`, or null when absent or unranked.
static RankedTensorType rankedTypeOf(Value value) {
  return value ? dyn_cast<RankedTensorType>(value.getType())
               : RankedTensorType();
}

/// True when `value` is a constant whose elements are all integer zeros: a
/// zero point that changes nothing.
static bool isZeroConstant(Value value) {
  DenseElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) || !attr.isSplat() ||
      !isa<IntegerType>(attr.getElementType()))
    return false;
  return attr.getSplatValue<APInt>().isZero();
}

/// Checks the scale and zero point of `quantize` / `dequantize` against the
/// data operand: the granularity rules of ONNX QuantizeLinear-21.
/// `quantElementType` is the integer type of the zero point.
static LogicalResult verifyQuantParams(std::optional<Location> loc,
                                       StringRef opName, Type dataType,
                                       Type scaleType, Value zeroPoint,
                                       Type quantElementType, int64_t axis,
                                       int64_t blockSize) {
  // The ODS operand constraints (checked first) make both ranked tensors.
  auto data = cast<RankedTensorType>(dataType);
  auto scale = cast<RankedTensorType>(scaleType);
  int64_t rank = data.getRank();
  ArrayRef<int64_t> dataShape = data.getShape();
  ArrayRef<int64_t> scaleShape = scale.getShape();

  if (blockSize < 0)
    return emitOptionalError(loc, "'", opName,
                             "' expects block_size >= 0, got ", blockSize);
  if (blockSize == 0) {
    bool perTensor = scale.getRank() == 0 ||
                     (scale.getRank() == 1 && scaleShape[0] == 1);
    if (!perTensor) {
      if (scale.getRank() != 1)
        return emitOptionalError(
            loc, "'", opName,
            "' expects a scale of rank 0 or 1 (per-tensor or per-axis) "
            "without block_size, got ",
            scaleType);
      std::optional<int64_t> normalized = normalizeAxis(axis, rank);
      if (!normalized)
        return emitOptionalError(loc, "'", opName,
                                 "' per-axis quantization expects axis in ",
                                 axisRange(rank), ", got ", axis);
      int64_t expected = dataShape[*normalized];
      if (!dimsCompatible(scaleShape[0], expected))
        return emitOptionalError(
            loc, "'", opName, "' per-axis quantization expects a scale of ",
            shapeString({expected}), " (input dim ", *normalized, "), got ",
            scaleType);
    }
  } else {
    if (scale.getRank() != rank)
      return emitOptionalError(loc, "'", opName,
                               "' blocked quantization expects a scale of "
                               "the input's rank ",
                               rank, ", got ", scaleType);
    std::optional<int64_t> normalized = normalizeAxis(axis, rank);
    if (!normalized)
      return emitOptionalError(loc, "'", opName,
                               "' blocked quantization expects axis in ",
                               axisRange(rank), ", got ", axis);
    SmallVector<int64_t> expected(dataShape);
    expected[*normalized] = ceilDivDim(dataShape[*normalized], blockSize);
    if (!shapesCompatible(scaleShape, expected))
      return emitOptionalError(
          loc, "'", opName, "' blocked quantization expects a scale of ",
          shapeString(expected), " (input ", shapeString(dataShape),
          " with ceil(dim / ", blockSize, ") along axis ", *normalized,
          "), got ", scaleType);
  }

  if (RankedTensorType zp = rankedTypeOf(zeroPoint)) {
    if (!shapesCompatible(zp.getShape(), scaleShape))
      return emitOptionalError(loc, "'", opName,
                               "' expects a zero_point of the scale's shape ",
                               shapeString(scaleShape), ", got ", zp);
    if (zp.getElementType() != quantElementType)
      return emitOptionalError(loc, "'", opName,
                               "' expects zero_point element type ",
                               quantElementType,
                               " (the quantized type), got ",
                               zp.getElementType());
  }
  return success();
}

/// Checks that the shaped result `result` of `op` has exactly the shape
/// `expected` (`what` names it in the message).
static LogicalResult verifyResultShape(Operation *op, StringRef what,
                                       Type result, ArrayRef<int64_t> expected,
                                       StringRef because) {
  auto type = cast<RankedTensorType>(result);
  if (type.getShape() != expected)
    return op->emitOpError("expects ")
           << what << " of shape " << shapeString(expected) << " (" << because
           << "), got " << result;
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizeOp / DequantizeOp
//===----------------------------------------------------------------------===//

/// The builder shared by quantize and dequantize: the result has the input's
/// shape and the given element type.
template <typename OpTy>
static void buildSameShape(OpBuilder &builder, OperationState &state,
                           Value input, Value scale, Type resultElementType,
                           Value zeroPoint, int64_t axis, int64_t blockSize) {
  auto inputType = cast<RankedTensorType>(input.getType());
  OpTy::build(builder, state,
              RankedTensorType::get(inputType.getShape(), resultElementType),
              input, scale, zeroPoint, static_cast<uint64_t>(axis),
              static_cast<uint64_t>(blockSize));
}

void QuantizeOp::build(OpBuilder &builder, OperationState &state, Value input,
                       Value scale, Type resultElementType, Value zeroPoint,
                       int64_t axis, int64_t blockSize) {
  buildSameShape<QuantizeOp>(builder, state, input, scale, resultElementType,
                             zeroPoint, axis, blockSize);
}

LogicalResult QuantizeOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<ShapedTypeComponents> &inferred) {
  auto inputType = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!inputType)
    return emitOptionalError(location, "'", getOperationName(),
                             "' expects a ranked input");
  // The element type is the written one; a zero point fixes it too.
  if (RankedTensorType zp = rankedTypeOf(adaptor.getZeroPoint()))
    inferred.emplace_back(inputType.getShape(), zp.getElementType());
  else
    inferred.emplace_back(inputType.getShape());
  return success();
}

LogicalResult QuantizeOp::verify() {
  auto resultType = cast<RankedTensorType>(getType());
  if (failed(verifyQuantParams(getLoc(), getOperationName(),
                               getInput().getType(), getScale().getType(),
                               getZeroPoint(), resultType.getElementType(),
                               static_cast<int64_t>(getAxis()),
                               static_cast<int64_t>(getBlockSize()))))
    return failure();
  return verifyResultShape(*this, "a result", resultType,
                           getInput().getType().getShape(), "the input's");
}

LogicalResult QuantizeOp::canonicalize(QuantizeOp op,
                                       PatternRewriter &rewriter) {
  if (!isZeroConstant(op.getZeroPoint()))
    return failure();
  rewriter.modifyOpInPlace(op, [&] { op.getZeroPointMutable().clear(); });
  return success();
}

void DequantizeOp::build(OpBuilder &builder, OperationState &state,
                         Value input, Value scale, Type resultElementType,
                         Value zeroPoint, int64_t axis, int64_t blockSize) {
  buildSameShape<DequantizeOp>(builder, state, input, scale,
                               resultElementType, zeroPoint, axis, blockSize);
}

LogicalResult DequantizeOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<ShapedTypeComponents> &inferred) {
  auto inputType = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!inputType)
    return emitOptionalError(location, "'", getOperationName(),
                             "' expects a ranked input");
  // The float element type is the written one.
  inferred.emplace_back(inputType.getShape());
  return success();
}

LogicalResult DequantizeOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  if (failed(verifyQuantParams(getLoc(), getOperationName(), inputType,
                               getScale().getType(), getZeroPoint(),
                               inputType.getElementType(),
                               static_cast<int64_t>(getAxis()),
                               static_cast<int64_t>(getBlockSize()))))
    return failure();
  return verifyResultShape(*this, "a result", getType(), inputType.getShape(),
                           "the input's");
}

LogicalResult DequantizeOp::canonicalize(DequantizeOp op,
                                         PatternRewriter &rewriter) {
  if (!isZeroConstant(op.getZeroPoint()))
    return failure();
  rewriter.modifyOpInPlace(op, [&] { op.getZeroPointMutable().clear(); });
  return success();
}

//===----------------------------------------------------------------------===//
// DynamicQuantizeOp
//===----------------------------------------------------------------------===//

/// The shape of dynamic_quantize's scale and zero point: rank 0 per-tensor
/// (no axis), the input's shape with the axis dim 1 per-row. Fails with a
/// message when the axis is out of range.
static FailureOr<SmallVector<int64_t>>
dynamicQuantScaleShape(std::optional<Location> location,
                       ArrayRef<int64_t> inputShape,
                       std::optional<int64_t> axis) {
  if (!axis)
    return SmallVector<int64_t>();
  auto rank = static_cast<int64_t>(inputShape.size());
  std::optional<int64_t> normalized = normalizeAxis(*axis, rank);
  if (!normalized)
    return emitOptionalError(location, "'",
                             DynamicQuantizeOp::getOperationName(),
                             "' per-row quantization expects axis in ",
                             axisRange(rank), ", got ", *axis);
  SmallVector<int64_t> shape(inputShape);
  shape[*normalized] = 1;
  return shape;
}

/// The attribute value as a signed axis.
static std::optional<int64_t> signedAxis(std::optional<uint64_t> axis) {
  if (!axis)
    return std::nullopt;
  return static_cast<int64_t>(*axis);
}

void DynamicQuantizeOp::build(OpBuilder &builder, OperationState &state,
                              Value input, Type outputElementType,
                              std::optional<int64_t> axis,
                              Type scaleElementType) {
  auto inputType = cast<RankedTensorType>(input.getType());
  if (!scaleElementType)
    scaleElementType = builder.getF32Type();
  // An out-of-range axis builds a per-tensor scale; the verifier reports it.
  FailureOr<SmallVector<int64_t>> scaleShape =
      dynamicQuantScaleShape(std::nullopt, inputType.getShape(), axis);
  SmallVector<int64_t> shape = succeeded(scaleShape) ? *scaleShape
                                                     : SmallVector<int64_t>();
  Type zeroPointType;
  if (outputElementType.isUnsignedInteger())
    zeroPointType = RankedTensorType::get(shape, outputElementType);
  build(builder, state,
        RankedTensorType::get(inputType.getShape(), outputElementType),
        RankedTensorType::get(shape, scaleElementType), zeroPointType, input,
        axis ? builder.getI64IntegerAttr(*axis) : IntegerAttr());
}

LogicalResult DynamicQuantizeOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<ShapedTypeComponents> &inferred) {
  auto inputType = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!inputType)
    return emitOptionalError(location, "'", getOperationName(),
                             "' expects a ranked input");
  FailureOr<SmallVector<int64_t>> scaleShape = dynamicQuantScaleShape(
      location, inputType.getShape(), signedAxis(adaptor.getAxis()));
  if (failed(scaleShape))
    return failure();
  // output, scale, and zero_point (which exists for unsigned outputs only).
  inferred.emplace_back(inputType.getShape());
  inferred.emplace_back(*scaleShape);
  inferred.emplace_back(*scaleShape);
  return success();
}

LogicalResult DynamicQuantizeOp::verify() {
  SmallVector<ShapedTypeComponents> shapes;
  if (failed(inferReturnTypeComponents(getContext(), getLoc(), Adaptor(*this),
                                       shapes)))
    return failure();
  StringRef granularity = getAxis() ? "per-row" : "per-tensor";
  if (failed(verifyResultShape(*this, "an output", getOutput().getType(),
                               shapes[0].getDims(), "the input's")) ||
      failed(verifyResultShape(*this, "a scale", getScale().getType(),
                               shapes[1].getDims(), granularity)))
    return failure();

  Type outputElementType = getOutput().getType().getElementType();
  bool asymmetric = outputElementType.isUnsignedInteger();
  Value zeroPoint = getZeroPoint();
  if (asymmetric && !zeroPoint)
    return emitOpError("expects a zero_point result for the unsigned "
                       "(asymmetric) output type ")
           << outputElementType;
  if (!asymmetric && zeroPoint)
    return emitOpError("expects no zero_point result for the signed "
                       "(symmetric) output type ")
           << outputElementType;
  if (!zeroPoint)
    return success();
  auto zeroPointType = cast<RankedTensorType>(zeroPoint.getType());
  if (zeroPointType.getElementType() != outputElementType)
    return emitOpError("expects zero_point element type ")
           << outputElementType << " (the output's), got "
           << zeroPointType.getElementType();
  return verifyResultShape(*this, "a zero_point", zeroPointType,
                           shapes[2].getDims(), "the scale's");
}

//===----------------------------------------------------------------------===//
// QuantizedMatmulOp
//===----------------------------------------------------------------------===//

/// Checks an integer-matmul zero point: its element type is its operand's,
/// and its shape is per-tensor (`[]`, `[1]`), the 1-D `vectorLength` form, or
/// `fullShape` (the operand's rank).
static LogicalResult verifyMatmulZeroPoint(std::optional<Location> location,
                                           StringRef name, Value zeroPoint,
                                           RankedTensorType operand,
                                           int64_t vectorLength,
                                           ArrayRef<int64_t> fullShape,
                                           StringRef perWhat) {
  RankedTensorType zp = rankedTypeOf(zeroPoint);
  if (!zp)
    return success();
  StringRef opName = QuantizedMatmulOp::getOperationName();
  if (zp.getElementType() != operand.getElementType())
    return emitOptionalError(location, "'", opName, "' expects ", name,
                             " element type ", operand.getElementType(),
                             " (its operand's), got ", zp.getElementType());
  ArrayRef<int64_t> shape = zp.getShape();
  bool perTensor = shape.empty() || (shape.size() == 1 && shape[0] == 1);
  bool vector = shape.size() == 1 && dimsCompatible(shape[0], vectorLength);
  if (perTensor || vector || shapesCompatible(shape, fullShape))
    return success();
  return emitOptionalError(location, "'", opName, "' expects ", name,
                           " per-tensor ([] or [1]) or ", perWhat, " (",
                           shapeString({vectorLength}), " or ",
                           shapeString(fullShape), "), got ", zp);
}

LogicalResult QuantizedMatmulOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  StringRef opName = getOperationName();
  auto a = dyn_cast<RankedTensorType>(adaptor.getA().getType());
  auto b = dyn_cast<RankedTensorType>(adaptor.getB().getType());
  if (!a || !b)
    return emitOptionalError(location, "'", opName, "' expects ranked tensors");
  if (a.getRank() < 2)
    return emitOptionalError(location, "'", opName,
                             "' expects a of rank >= 2, got ", a);
  if (b.getRank() < 2)
    return emitOptionalError(location, "'", opName,
                             "' expects b of rank >= 2, got ", b);
  ArrayRef<int64_t> aShape = a.getShape();
  ArrayRef<int64_t> bShape = b.getShape();
  int64_t m = aShape[aShape.size() - 2], k = aShape.back();
  int64_t bk = bShape[bShape.size() - 2], n = bShape.back();
  if (!dimsCompatible(k, bk))
    return emitOptionalError(location, "'", opName,
                             "' expects the contraction dims to match: a is ",
                             a, ", b is ", b);
  ArrayRef<int64_t> aBatch = aShape.drop_back(2), bBatch = bShape.drop_back(2);
  FailureOr<SmallVector<int64_t>> batch = broadcastShapes({aBatch, bBatch});
  if (failed(batch))
    return emitOptionalError(location, "'", opName, "' batch dims ",
                             shapeString(aBatch), " of a and ",
                             shapeString(bBatch),
                             " of b are not broadcast-compatible");

  SmallVector<int64_t> aFull(aShape.drop_back());
  aFull.push_back(1);
  SmallVector<int64_t> bFull(bBatch);
  bFull.append({1, n});
  if (failed(verifyMatmulZeroPoint(location, "a_zero_point",
                                   adaptor.getAZeroPoint(), a, m, aFull,
                                   "per-row of a")) ||
      failed(verifyMatmulZeroPoint(location, "b_zero_point",
                                   adaptor.getBZeroPoint(), b, n, bFull,
                                   "per-column of b")))
    return failure();

  SmallVector<int64_t> shape = std::move(*batch);
  shape.append({m, n});
  inferred.push_back(RankedTensorType::get(shape, IntegerType::get(context, 32)));
  return success();
}

LogicalResult QuantizedMatmulOp::canonicalize(QuantizedMatmulOp op,
                                              PatternRewriter &rewriter) {
  bool dropA = isZeroConstant(op.getAZeroPoint());
  bool dropB = isZeroConstant(op.getBZeroPoint());
  if (!dropA && !dropB)
    return failure();
  rewriter.modifyOpInPlace(op, [&] {
    if (dropA)
      op.getAZeroPointMutable().clear();
    if (dropB)
      op.getBZeroPointMutable().clear();
  });
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizedLinearOp
//===----------------------------------------------------------------------===//

void QuantizedLinearOp::build(OpBuilder &builder, OperationState &state,
                              Value input, Value weight, Value scale,
                              Value zeroPoint, Value bias,
                              std::optional<int64_t> groupSize) {
  build(builder, state, input, weight, scale, zeroPoint, bias,
        groupSize ? builder.getI64IntegerAttr(*groupSize) : IntegerAttr());
}

LogicalResult QuantizedLinearOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  StringRef opName = getOperationName();
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto weight = dyn_cast<RankedTensorType>(adaptor.getWeight().getType());
  auto scale = dyn_cast<RankedTensorType>(adaptor.getScale().getType());
  if (!input || !weight || !scale)
    return emitOptionalError(location, "'", opName, "' expects ranked tensors");
  std::optional<int64_t> groupSize = signedAxis(adaptor.getGroupSize());
  if (groupSize && *groupSize <= 0)
    return emitOptionalError(location, "'", opName,
                             "' expects group_size > 0, got ", *groupSize);
  if (input.getRank() < 1)
    return emitOptionalError(location, "'", opName,
                             "' expects an input of rank >= 1, got ", input);
  if (weight.getRank() != 2)
    return emitOptionalError(location, "'", opName,
                             "' expects a weight of rank 2 ([N, K]), got ",
                             weight);
  int64_t n = weight.getDimSize(0);
  int64_t k = weight.getDimSize(1);
  if (!dimsCompatible(k, input.getShape().back()))
    return emitOptionalError(location, "'", opName, "' expects the weight's K (",
                             shapeString({k}),
                             ") to match the input's last dim (",
                             shapeString({input.getShape().back()}), ")");
  k = refineDim(k, input.getShape().back());

  // Scale: [N] per output channel, or [N, ceil(K / group_size)] per group.
  SmallVector<int64_t> expected = {n};
  if (groupSize)
    expected.push_back(ceilDivDim(k, *groupSize));
  if (!shapesCompatible(scale.getShape(), expected))
    return emitOptionalError(
        location, "'", opName, "' expects a scale of ", shapeString(expected),
        groupSize ? " ([N, ceil(K / group_size)], per group)"
                  : " ([N], per output channel, without group_size)",
        ", got ", scale);
  n = refineDim(n, scale.getDimSize(0));

  if (RankedTensorType zp = rankedTypeOf(adaptor.getZeroPoint())) {
    if (!shapesCompatible(zp.getShape(), scale.getShape()))
      return emitOptionalError(location, "'", opName,
                               "' expects a zero_point of the scale's shape ",
                               shapeString(scale.getShape()), ", got ", zp);
    if (zp.getElementType() != weight.getElementType())
      return emitOptionalError(location, "'", opName,
                               "' expects zero_point element type ",
                               weight.getElementType(), " (the weight's), got ",
                               zp.getElementType());
    n = refineDim(n, zp.getDimSize(0));
  }
  if (RankedTensorType bias = rankedTypeOf(adaptor.getBias())) {
    if (!shapesCompatible(bias.getShape(), {n}))
      return emitOptionalError(location, "'", opName, "' expects a bias of ",
                               shapeString({n}), " ([N]), got ", bias);
    if (bias.getElementType() != input.getElementType())
      return emitOptionalError(location, "'", opName,
                               "' expects bias element type ",
                               input.getElementType(), " (the input's), got ",
                               bias.getElementType());
    n = refineDim(n, bias.getDimSize(0));
  }

  SmallVector<int64_t> shape(input.getShape().drop_back());
  shape.push_back(n);
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult QuantizedLinearOp::canonicalize(QuantizedLinearOp op,
                                              PatternRewriter &rewriter) {
  if (!isZeroConstant(op.getZeroPoint()))
    return failure();
  rewriter.modifyOpInPlace(op, [&] { op.getZeroPointMutable().clear(); });
  return success();
}

//===----------------------------------------------------------------------===//
// Result-shape reification
//===----------------------------------------------------------------------===//

LogicalResult
QuantizeOp::reifyResultShapes(OpBuilder &builder,
                              ReifiedRankedShapedTypeDims &reifiedShapes) {
  return reifyResultsLikeOperand(*this, builder, reifiedShapes);
}

LogicalResult
DequantizeOp::reifyResultShapes(OpBuilder &builder,
                                ReifiedRankedShapedTypeDims &reifiedShapes) {
  return reifyResultsLikeOperand(*this, builder, reifiedShapes);
}

/// output: the input's shape; scale and zero_point: rank 0 per-tensor, the
/// input's shape with the axis dim 1 per-row.
LogicalResult DynamicQuantizeOp::reifyResultShapes(
    OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedShapes) {
  Location loc = getLoc();
  Value input = getInput();
  reifiedShapes.push_back(
      reifySameShape(builder, loc, getOutput().getType(), input));
  std::optional<int64_t> axis;
  if (std::optional<int64_t> attr = signedAxis(getAxis())) {
    axis = normalizeAxis(*attr, getInput().getType().getRank());
    if (!axis)
      return failure();
  }
  for (Value result : getResults().drop_front()) {
    auto type = cast<RankedTensorType>(result.getType());
    SmallVector<OpFoldResult> sizes;
    if (axis) {
      sizes = reifySameShape(builder, loc, type, input);
      sizes[*axis] = builder.getIndexAttr(1);
    }
    reifiedShapes.push_back(std::move(sizes));
  }
  return success();
}

LogicalResult QuantizedMatmulOp::reifyResultShapes(
    OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedShapes) {
  reifiedShapes.push_back(
      reifyMatmulShape(builder, getLoc(), getType(), getA(), getB()));
  return success();
}

/// `[leading dims of input..., N]`, N from the weight's dim 0 or the other
/// operands that carry it (scale, zero point, bias).
LogicalResult QuantizedLinearOp::reifyResultShapes(
    OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedShapes) {
  SmallVector<DimSource> outFeatures = {{getWeight(), 0}, {getScale(), 0}};
  for (Value operand : {getZeroPoint(), getBias()})
    if (operand)
      outFeatures.emplace_back(operand, 0);
  reifiedShapes.push_back(reifyLinearShape(builder, getLoc(), getType(),
                                           getInput(), outFeatures));
  return success();
}

#define GET_OP_CLASSES
#include "Transformer/IR/TransformerQuantOps.cpp.inc"

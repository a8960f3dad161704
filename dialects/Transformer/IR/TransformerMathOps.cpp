//===- TransformerMathOps.cpp - constants, elementwise, reductions --------===//
//
// Type inference, verifiers and folders of the math op group. Folding covers
// what shows up in imported graphs: identity casts, x + 0, x * 1, x - 0,
// x / 1, and constant arithmetic on same-shaped or splat constants (the shape
// computations exporters emit). Result shapes are reified (for dynamic dims)
// with the shared helpers of TransformerShapeUtils: operand dims for the
// unary ops and casts, run-time numpy broadcasting for the binary ops,
// `compare` and `where`, and the kept input dims for reductions.
//
//===----------------------------------------------------------------------===//

#include "Transformer/IR/TransformerOps.h"
#include "Transformer/IR/TransformerShapeUtils.h"

#include "mlir/Dialect/CommonFolders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/SmallSet.h"

using namespace mlir;
using namespace mlir::llm::transformer;

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, ValueRange,
    DictionaryAttr attributes, OpaqueProperties properties, RegionRange,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  auto *props = properties.as<Properties *>();
  auto value = props ? props->getValue() : ElementsAttr();
  if (!value && attributes)
    value = dyn_cast_or_null<ElementsAttr>(attributes.get("value"));
  if (!value)
    return emitOptionalError(location,
                             "'transformer.constant' needs an elements value");
  inferredReturnTypes.push_back(value.getType());
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Elementwise folders
//===----------------------------------------------------------------------===//

/// True when `attr` is a splat of integer `value` or float `value`.
static bool isSplatOf(Attribute attr, int64_t value) {
  auto splat = dyn_cast_or_null<SplatElementsAttr>(attr);
  if (!splat)
    return false;
  Type elementType = splat.getElementType();
  if (isa<FloatType>(elementType))
    return splat.getSplatValue<APFloat>().isExactlyValue(
        static_cast<double>(value));
  if (elementType.isInteger(1))
    return false;
  if (isa<IntegerType>(elementType))
    return splat.getSplatValue<APInt>().getSExtValue() == value;
  return false;
}

/// Folds `op(x, c)` to `x` when `c` is the identity splat (e.g. x + 0) and the
/// result type equals x's type (the constant did not broadcast x).
static OpFoldResult foldRightIdentity(Value lhs, Attribute rhsAttr,
                                      Type resultType, int64_t identity) {
  if (isSplatOf(rhsAttr, identity) && lhs.getType() == resultType)
    return lhs;
  return {};
}

/// Constant-folds a binary op when both operands are constants of the result
/// shape, or splats (broadcasting of splats is free).
template <typename IntFn, typename FloatFn>
static Attribute foldBinaryConstants(ArrayRef<Attribute> operands,
                                     Type resultType, IntFn intFn,
                                     FloatFn floatFn) {
  auto lhs = dyn_cast_or_null<DenseElementsAttr>(operands[0]);
  auto rhs = dyn_cast_or_null<DenseElementsAttr>(operands[1]);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!lhs || !rhs || !type || !type.hasStaticShape())
    return {};
  // Broadcast splats to the result shape; non-splats must already have it.
  auto reshape = [&](DenseElementsAttr attr) -> DenseElementsAttr {
    if (attr.getType() == type)
      return attr;
    if (attr.isSplat())
      return attr.resizeSplat(type);
    return {};
  };
  lhs = reshape(lhs);
  rhs = reshape(rhs);
  if (!lhs || !rhs)
    return {};
  SmallVector<Attribute> ops = {lhs, rhs};
  if (isa<FloatType>(type.getElementType()))
    return constFoldBinaryOp<FloatAttr, APFloat, void>(ops, floatFn);
  if (type.getElementType().isInteger(1))
    return {};
  return constFoldBinaryOp<IntegerAttr, APInt, void>(ops, intFn);
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldRightIdentity(getLhs(), adaptor.getRhs(),
                                         getType(), 0))
    return r;
  if (OpFoldResult r = foldRightIdentity(getRhs(), adaptor.getLhs(),
                                         getType(), 0))
    return r;
  return foldBinaryConstants(
      adaptor.getOperands(), getType(),
      [](const APInt &a, const APInt &b) { return a + b; },
      [](const APFloat &a, const APFloat &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldRightIdentity(getLhs(), adaptor.getRhs(),
                                         getType(), 0))
    return r;
  return foldBinaryConstants(
      adaptor.getOperands(), getType(),
      [](const APInt &a, const APInt &b) { return a - b; },
      [](const APFloat &a, const APFloat &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldRightIdentity(getLhs(), adaptor.getRhs(),
                                         getType(), 1))
    return r;
  if (OpFoldResult r = foldRightIdentity(getRhs(), adaptor.getLhs(),
                                         getType(), 1))
    return r;
  return foldBinaryConstants(
      adaptor.getOperands(), getType(),
      [](const APInt &a, const APInt &b) { return a * b; },
      [](const APFloat &a, const APFloat &b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldRightIdentity(getLhs(), adaptor.getRhs(),
                                         getType(), 1))
    return r;
  // Integer division by zero is undefined: leave it to run time.
  if (auto rhs = dyn_cast_or_null<DenseElementsAttr>(adaptor.getRhs()))
    if (isa<IntegerType>(rhs.getElementType()) &&
        llvm::any_of(rhs.getValues<APInt>(),
                     [](const APInt &v) { return v.isZero(); }))
      return {};
  bool isUnsigned = getElementTypeOrSelf(getType()).isUnsignedInteger();
  return foldBinaryConstants(
      adaptor.getOperands(), getType(),
      [&](const APInt &a, const APInt &b) {
        return isUnsigned ? a.udiv(b) : a.sdiv(b);
      },
      [](const APFloat &a, const APFloat &b) { return a / b; });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  // neg(neg(x)) -> x
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return constFoldUnaryOp<FloatAttr, APFloat, void>(adaptor.getOperands(),
                                     [](const APFloat &a) { return -a; });
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// Broadcasting ops
//===----------------------------------------------------------------------===//

/// Shared inference of the broadcasting elementwise ops: the broadcast shape
/// with `elementType`.
static LogicalResult inferBroadcast(std::optional<Location> location,
                                    StringRef opName, TypeRange operandTypes,
                                    Type elementType,
                                    SmallVectorImpl<Type> &inferred) {
  FailureOr<SmallVector<int64_t>> shape =
      broadcastTensorShapes(location, opName, operandTypes);
  if (failed(shape))
    return failure();
  inferred.push_back(RankedTensorType::get(*shape, elementType));
  return success();
}

#define TRANSFORMER_BINARY_INFER(OP)                                           \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> location,         \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &inferred) {        \
    return inferBroadcast(location, OP::getOperationName(),                    \
                          adaptor.getOperands().getTypes(),                    \
                          getElementTypeOrSelf(adaptor.getLhs().getType()),    \
                          inferred);                                           \
  }
TRANSFORMER_BINARY_INFER(AddOp)
TRANSFORMER_BINARY_INFER(SubOp)
TRANSFORMER_BINARY_INFER(MulOp)
TRANSFORMER_BINARY_INFER(DivOp)
TRANSFORMER_BINARY_INFER(PowOp)
TRANSFORMER_BINARY_INFER(MaxOp)
TRANSFORMER_BINARY_INFER(MinOp)
TRANSFORMER_BINARY_INFER(AndOp)
TRANSFORMER_BINARY_INFER(OrOp)
#undef TRANSFORMER_BINARY_INFER

LogicalResult CompareOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> location,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  return inferBroadcast(location, getOperationName(),
                        adaptor.getOperands().getTypes(),
                        IntegerType::get(context, 1), inferred);
}

LogicalResult WhereOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> location,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  return inferBroadcast(location, getOperationName(),
                        adaptor.getOperands().getTypes(),
                        getElementTypeOrSelf(adaptor.getTrueValue().getType()),
                        inferred);
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Normalises `axes` against `rank`; fails (with a message) on an out-of-range
/// or repeated axis.
static FailureOr<llvm::SmallSet<int64_t, 4>>
normalizeReductionAxes(std::optional<Location> location, StringRef opName,
                       ArrayRef<int64_t> axes, int64_t rank) {
  llvm::SmallSet<int64_t, 4> result;
  for (int64_t axis : axes) {
    std::optional<int64_t> normalized = normalizeAxis(axis, rank);
    if (!normalized)
      return emitOptionalError(location, "'", opName, "' axis ", axis,
                               " is out of range for rank ", rank);
    if (!result.insert(*normalized).second)
      return emitOptionalError(location, "'", opName, "' axis ", axis,
                               " is repeated");
  }
  if (axes.empty())
    for (int64_t i = 0; i < rank; ++i)
      result.insert(i);
  return result;
}

template <typename ReduceOp>
static LogicalResult inferReduce(std::optional<Location> location,
                                 typename ReduceOp::Adaptor adaptor,
                                 SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  FailureOr<llvm::SmallSet<int64_t, 4>> axes = normalizeReductionAxes(
      location, ReduceOp::getOperationName(), adaptor.getAxes(),
      inputType.getRank());
  if (failed(axes))
    return failure();
  SmallVector<int64_t> shape;
  for (auto [i, dim] : llvm::enumerate(inputType.getShape())) {
    if (!axes->contains(i))
      shape.push_back(dim);
    else if (adaptor.getKeepDims())
      shape.push_back(1);
  }
  inferred.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

#define TRANSFORMER_REDUCE_IMPL(OP)                                            \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> location,         \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &inferred) {        \
    return inferReduce<OP>(location, adaptor, inferred);                       \
  }
TRANSFORMER_REDUCE_IMPL(ReduceSumOp)
TRANSFORMER_REDUCE_IMPL(ReduceMeanOp)
TRANSFORMER_REDUCE_IMPL(ReduceMaxOp)
#undef TRANSFORMER_REDUCE_IMPL

//===----------------------------------------------------------------------===//
// Result-shape reification
//===----------------------------------------------------------------------===//

/// The result has the shape of operand 0 (unary elementwise ops, cast).
#define TRANSFORMER_REIFY_LIKE_INPUT(OP)                                       \
  LogicalResult OP::reifyResultShapes(                                         \
      OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedShapes) {        \
    return reifyResultsLikeOperand(*this, builder, reifiedShapes);             \
  }
TRANSFORMER_REIFY_LIKE_INPUT(NegOp)
TRANSFORMER_REIFY_LIKE_INPUT(AbsOp)
TRANSFORMER_REIFY_LIKE_INPUT(ExpOp)
TRANSFORMER_REIFY_LIKE_INPUT(LogOp)
TRANSFORMER_REIFY_LIKE_INPUT(SqrtOp)
TRANSFORMER_REIFY_LIKE_INPUT(RsqrtOp)
TRANSFORMER_REIFY_LIKE_INPUT(TanhOp)
TRANSFORMER_REIFY_LIKE_INPUT(ErfOp)
TRANSFORMER_REIFY_LIKE_INPUT(CosOp)
TRANSFORMER_REIFY_LIKE_INPUT(SinOp)
TRANSFORMER_REIFY_LIKE_INPUT(SigmoidOp)
TRANSFORMER_REIFY_LIKE_INPUT(ReluOp)
TRANSFORMER_REIFY_LIKE_INPUT(ReciprocalOp)
TRANSFORMER_REIFY_LIKE_INPUT(NotOp)
TRANSFORMER_REIFY_LIKE_INPUT(CastOp)
#undef TRANSFORMER_REIFY_LIKE_INPUT

/// The result is the numpy broadcast of all operands (binary ops, compare,
/// where).
#define TRANSFORMER_REIFY_BROADCAST(OP)                                        \
  LogicalResult OP::reifyResultShapes(                                         \
      OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedShapes) {        \
    reifiedShapes.push_back(reifyBroadcastShape(                               \
        builder, getLoc(), getType().getShape(), getOperands()));              \
    return success();                                                          \
  }
TRANSFORMER_REIFY_BROADCAST(AddOp)
TRANSFORMER_REIFY_BROADCAST(SubOp)
TRANSFORMER_REIFY_BROADCAST(MulOp)
TRANSFORMER_REIFY_BROADCAST(DivOp)
TRANSFORMER_REIFY_BROADCAST(PowOp)
TRANSFORMER_REIFY_BROADCAST(MaxOp)
TRANSFORMER_REIFY_BROADCAST(MinOp)
TRANSFORMER_REIFY_BROADCAST(AndOp)
TRANSFORMER_REIFY_BROADCAST(OrOp)
TRANSFORMER_REIFY_BROADCAST(CompareOp)
TRANSFORMER_REIFY_BROADCAST(WhereOp)
#undef TRANSFORMER_REIFY_BROADCAST

/// Reductions keep the input dims that are not reduced, and have a 1 for
/// each reduced dim with `keep_dims`.
template <typename ReduceOp>
static LogicalResult reifyReduce(ReduceOp op, OpBuilder &builder,
                                 ReifiedRankedShapedTypeDims &reifiedShapes) {
  RankedTensorType inputType = op.getInput().getType();
  FailureOr<llvm::SmallSet<int64_t, 4>> axes = normalizeReductionAxes(
      std::nullopt, ReduceOp::getOperationName(), op.getAxes(),
      inputType.getRank());
  if (failed(axes))
    return failure();
  RankedTensorType resultType = op.getType();
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0, rank = inputType.getRank(); d < rank; ++d) {
    if (!axes->contains(d))
      sizes.push_back(reifyDim(builder, op.getLoc(), resultType,
                               static_cast<int64_t>(sizes.size()),
                               {{op.getInput(), d}}));
    else if (op.getKeepDims())
      sizes.push_back(builder.getIndexAttr(1));
  }
  reifiedShapes.push_back(std::move(sizes));
  return success();
}

#define TRANSFORMER_REIFY_REDUCE(OP)                                           \
  LogicalResult OP::reifyResultShapes(                                         \
      OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedShapes) {        \
    return reifyReduce(*this, builder, reifiedShapes);                         \
  }
TRANSFORMER_REIFY_REDUCE(ReduceSumOp)
TRANSFORMER_REIFY_REDUCE(ReduceMeanOp)
TRANSFORMER_REIFY_REDUCE(ReduceMaxOp)
#undef TRANSFORMER_REIFY_REDUCE

#define GET_OP_CLASSES
#include "Transformer/IR/TransformerMathOps.cpp.inc"

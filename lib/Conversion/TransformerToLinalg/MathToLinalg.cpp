//===- MathToLinalg.cpp - lower the transformer math ops to linalg --------===//
//
// Lowers the math op group: `constant` becomes a tensor `arith.constant`
// (dense_resource blobs are kept as they are; signed/unsigned integer data
// becomes a signless constant and a casting generic); every elementwise op
// (unary, binary, `compare`, `where`, `cast`) becomes one all-parallel
// `linalg.generic` over the result, reading each operand through its numpy
// broadcast indexing map and computing the element with arith/math ops; the
// reductions become a `linalg.generic` with reduction iterators into a filled
// init (0 for sums, -inf or the smallest integer for max), `reduce_mean`
// then divides by the number of reduced elements (a run-time product when
// reduced dims are dynamic), and `keep_dims` re-inserts the unit dims with
// `tensor.expand_shape` (so the reduction itself keeps projected-permutation
// maps that tiling and vectorization handle).
//
// Element types: arith works on signless integers only, so generics over
// `ui8`/`si32`/... tensors cast their block arguments to signless and back
// (castToSignless / castFromSignless); signedness picks the arith op
// (`divsi`/`divui`, `maxsi`/`maxui`, `cmpi slt`/`ult`, ...), with `i1`
// treated as unsigned. Float max/min propagate NaN (`arith.maximumf` /
// `minimumf`) as ONNX Max/Min; float comparisons are ordered except `ne`
// (NaN != x is true).
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/TransformerToLinalg/TransformerToLinalg.h"

#include "LoweringUtils.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::llm;

namespace {

//===----------------------------------------------------------------------===//
// constant
//===----------------------------------------------------------------------===//

/// transformer.constant -> arith.constant with the same ElementsAttr.
///
/// A dense constant of signed or unsigned integers (`ui8` zero points, ...)
/// becomes a signless `arith.constant` of the same bits and an elementwise
/// `linalg.generic` that casts each element to the declared type:
/// ```mlir
/// %c = arith.constant dense<128> : tensor<i8>
/// %e = tensor.empty() : tensor<ui8>
/// %zp = linalg.generic ... ins(%c : tensor<i8>) outs(%e : tensor<ui8>) {
///   ^bb0(%in: i8, %out: ui8):
///     %u = builtin.unrealized_conversion_cast %in : i8 to ui8
///     linalg.yield %u : ui8
/// } -> tensor<ui8>
/// ```
/// A `tensor<ui8>` arith.constant would be valid itself, but folders that
/// take an element out of it (elementwise fusion of splats, tensor.extract)
/// materialize a scalar `arith.constant 128 : ui8`, which arith rejects
/// (signless integers only). The generic fuses into its consumers, whose
/// bodies cast to signless anyway, so the casts cancel.
///
/// A resource constant of 4-bit integers (quantized weights; the blob holds
/// one value per byte, see TransformerQuantOps.td) becomes an `i8` resource
/// constant over the same blob and a generic truncating each element to 4
/// bits: LLVM cannot translate a 4-bit resource global, and the truncation
/// fuses into the consuming matmul, so the weights are read as bytes inside
/// its loop rather than copied.
struct ConstantLowering : OpRewritePattern<transformer::ConstantOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::ConstantOp op,
                                PatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value || value.getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "value type differs from result");
    Location loc = op.getLoc();
    Type elementType = getElementTypeOrSelf(op.getType());
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(value);
        resource && elementType.isInteger() &&
        elementType.getIntOrFloatBitWidth() < 8) {
      auto bytesType = cast<ShapedType>(resource.getType())
                           .clone(rewriter.getIntegerType(8));
      Value bytes = arith::ConstantOp::create(
          rewriter, loc,
          cast<TypedAttr>(DenseResourceElementsAttr::get(
              bytesType, resource.getRawHandle())));
      FailureOr<Value> init = createEmptyForResult(rewriter, op);
      if (failed(init))
        return failure();
      Type narrow = toSignless(elementType);
      rewriter.replaceOp(
          op, buildElementwiseGeneric(
                  rewriter, loc, bytes, *init,
                  [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
                    Value v =
                        arith::TruncIOp::create(b, bodyLoc, narrow, args[0]);
                    return castFromSignless(b, bodyLoc, v, elementType);
                  }));
      return success();
    }
    auto dense = dyn_cast<DenseElementsAttr>(value);
    Type signless = toSignless(elementType);
    if (!dense || signless == elementType) {
      rewriter.replaceOp(
          op, arith::ConstantOp::create(rewriter, loc, value).getResult());
      return success();
    }
    Value bits =
        arith::ConstantOp::create(rewriter, loc, dense.bitcast(signless));
    FailureOr<Value> init = createEmptyForResult(rewriter, op);
    if (failed(init))
      return failure();
    rewriter.replaceOp(
        op, buildElementwiseGeneric(
                rewriter, loc, bits, *init,
                [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
                  return castFromSignless(b, bodyLoc, args[0], elementType);
                }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

/// Computes the element of an elementwise op from its scalar inputs (already
/// signless, in operand order); returns a signless scalar of the result's
/// element type width.
template <typename OpTy>
using ScalarFn = Value (*)(OpTy op, OpBuilder &b, Location loc,
                           ValueRange args);

/// Any elementwise op -> one linalg.generic over the result shape with numpy
/// broadcasting of the operands; `fn` gives the body.
template <typename OpTy>
struct ElementwiseLowering : OpRewritePattern<OpTy> {
  ElementwiseLowering(MLIRContext *context, ScalarFn<OpTy> fn)
      : OpRewritePattern<OpTy>(context), fn(fn) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    FailureOr<Value> init = createEmptyForResult(rewriter, op);
    if (failed(init))
      return failure();
    Type resultElementType = getElementTypeOrSelf(op.getType());
    Value result = buildElementwiseGeneric(
        rewriter, op.getLoc(), op->getOperands(), *init,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          SmallVector<Value> signless;
          for (Value arg : args)
            signless.push_back(castToSignless(b, loc, arg));
          return castFromSignless(b, loc, fn(op, b, loc, signless),
                                  resultElementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  ScalarFn<OpTy> fn;
};

/// The element type of tensor `value`.
Type elementTypeOf(Value value) { return getElementTypeOrSelf(value); }

/// `FOp` for float element types, `SOp` for signed integers and `UOp` for
/// unsigned ones (and i1) on two scalars.
template <typename FOp, typename SOp, typename UOp = SOp>
Value createBinary(OpBuilder &b, Location loc, Type elementType, Value lhs,
                   Value rhs) {
  if (isa<FloatType>(elementType))
    return FOp::create(b, loc, lhs, rhs);
  if (isUnsignedLike(elementType))
    return UOp::create(b, loc, lhs, rhs);
  return SOp::create(b, loc, lhs, rhs);
}

/// A binary op's body: `createBinary` on the lhs element type.
template <typename OpTy, typename FOp, typename SOp, typename UOp = SOp>
Value binaryBody(OpTy op, OpBuilder &b, Location loc, ValueRange args) {
  return createBinary<FOp, SOp, UOp>(b, loc, elementTypeOf(op.getLhs()),
                                     args[0], args[1]);
}

/// A float-only unary op's body: one math/arith op.
template <typename OpTy, typename MathOp>
Value floatUnaryBody(OpTy, OpBuilder &b, Location loc, ValueRange args) {
  return MathOp::create(b, loc, args[0]);
}

/// -x: negf, or 0 - x for integers (wrapping for unsigned ones).
Value negBody(transformer::NegOp op, OpBuilder &b, Location loc,
              ValueRange args) {
  Type type = elementTypeOf(op.getInput());
  if (isa<FloatType>(type))
    return arith::NegFOp::create(b, loc, args[0]);
  return arith::SubIOp::create(b, loc, createScalarConstant(b, loc, type, 0),
                               args[0]);
}

/// |x|: absf / absi; unsigned values are their own magnitude.
Value absBody(transformer::AbsOp op, OpBuilder &b, Location loc,
              ValueRange args) {
  Type type = elementTypeOf(op.getInput());
  if (isa<FloatType>(type))
    return math::AbsFOp::create(b, loc, args[0]);
  if (isUnsignedLike(type))
    return args[0];
  return math::AbsIOp::create(b, loc, args[0]);
}

/// 1 / (1 + exp(-x)).
Value sigmoidBody(transformer::SigmoidOp op, OpBuilder &b, Location loc,
                  ValueRange args) {
  Type type = elementTypeOf(op.getInput());
  Value one = createScalarConstant(b, loc, type, 1.0);
  Value negated = arith::NegFOp::create(b, loc, args[0]);
  Value exp = math::ExpOp::create(b, loc, negated);
  Value denominator = arith::AddFOp::create(b, loc, one, exp);
  return arith::DivFOp::create(b, loc, one, denominator);
}

/// max(x, 0); NaN stays NaN for floats.
Value reluBody(transformer::ReluOp op, OpBuilder &b, Location loc,
               ValueRange args) {
  Type type = elementTypeOf(op.getInput());
  if (isUnsignedLike(type))
    return args[0];
  Value zero = createScalarConstant(b, loc, type, 0.0);
  return createBinary<arith::MaximumFOp, arith::MaxSIOp>(b, loc, type,
                                                         args[0], zero);
}

/// 1 / x.
Value reciprocalBody(transformer::ReciprocalOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value one = createScalarConstant(b, loc, elementTypeOf(op.getInput()), 1.0);
  return arith::DivFOp::create(b, loc, one, args[0]);
}

/// Logical not of an i1: x xor true.
Value notBody(transformer::NotOp, OpBuilder &b, Location loc,
              ValueRange args) {
  Value trueValue = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
  return arith::XOrIOp::create(b, loc, args[0], trueValue);
}

/// cmpf with ordered predicates (une for ne), or cmpi signed/unsigned by
/// the operands' element type.
Value compareBody(transformer::CompareOp op, OpBuilder &b, Location loc,
                  ValueRange args) {
  using transformer::ComparePredicate;
  Type type = elementTypeOf(op.getLhs());
  ComparePredicate predicate = op.getPredicate();
  if (isa<FloatType>(type)) {
    arith::CmpFPredicate fp;
    switch (predicate) {
    case ComparePredicate::EQ: fp = arith::CmpFPredicate::OEQ; break;
    case ComparePredicate::NE: fp = arith::CmpFPredicate::UNE; break;
    case ComparePredicate::LT: fp = arith::CmpFPredicate::OLT; break;
    case ComparePredicate::LE: fp = arith::CmpFPredicate::OLE; break;
    case ComparePredicate::GT: fp = arith::CmpFPredicate::OGT; break;
    case ComparePredicate::GE: fp = arith::CmpFPredicate::OGE; break;
    }
    return arith::CmpFOp::create(b, loc, fp, args[0], args[1]);
  }
  bool isUnsigned = isUnsignedLike(type);
  arith::CmpIPredicate ip;
  switch (predicate) {
  case ComparePredicate::EQ: ip = arith::CmpIPredicate::eq; break;
  case ComparePredicate::NE: ip = arith::CmpIPredicate::ne; break;
  case ComparePredicate::LT:
    ip = isUnsigned ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt;
    break;
  case ComparePredicate::LE:
    ip = isUnsigned ? arith::CmpIPredicate::ule : arith::CmpIPredicate::sle;
    break;
  case ComparePredicate::GT:
    ip = isUnsigned ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt;
    break;
  case ComparePredicate::GE:
    ip = isUnsigned ? arith::CmpIPredicate::uge : arith::CmpIPredicate::sge;
    break;
  }
  return arith::CmpIOp::create(b, loc, ip, args[0], args[1]);
}

/// condition ? true_value : false_value.
Value whereBody(transformer::WhereOp, OpBuilder &b, Location loc,
                ValueRange args) {
  return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
}

/// ONNX Cast of one element (convertScalar).
Value castBody(transformer::CastOp op, OpBuilder &b, Location loc,
               ValueRange args) {
  return convertScalar(b, loc, args[0], elementTypeOf(op.getInput()),
                       elementTypeOf(op.getResult()));
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Which reduction a ReduceLowering builds.
enum class ReduceKind { Sum, Mean, Max };

/// The identity of the reduction: 0 for sums, -inf / the smallest integer
/// for max (signless, of `type`'s width).
Value createReductionIdentity(OpBuilder &b, Location loc, ReduceKind kind,
                              Type type) {
  if (kind != ReduceKind::Max)
    return createScalarConstant(b, loc, type, 0.0);
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(floatType,
                       APFloat::getInf(floatType.getFloatSemantics(),
                                       /*Negative=*/true)));
  auto intType = cast<IntegerType>(type);
  APInt smallest = isUnsignedLike(type)
                       ? APInt::getZero(intType.getWidth())
                       : APInt::getSignedMinValue(intType.getWidth());
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(toSignless(type), smallest));
}

/// reduce_sum / reduce_mean / reduce_max -> a linalg.generic reducing the
/// listed axes into a filled init of the non-reduced dims, a division by the
/// element count for the mean, and a tensor.expand_shape for keep_dims.
template <typename OpTy, ReduceKind kind>
struct ReduceLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    Type elementType = inputType.getElementType();

    // The verifier checked the axes; an empty list reduces everything.
    SmallVector<bool> reduced(rank, op.getAxes().empty());
    for (int64_t axis : op.getAxes())
      reduced[axis < 0 ? axis + rank : axis] = true;

    // The reduction's result: the non-reduced dims of the input.
    MLIRContext *context = rewriter.getContext();
    SmallVector<OpFoldResult> sizes;
    SmallVector<AffineExpr> outputExprs;
    SmallVector<utils::IteratorType> iterators;
    SmallVector<OpFoldResult> reducedSizes;
    for (int64_t d = 0; d < rank; ++d) {
      OpFoldResult size = tensor::getMixedSize(rewriter, loc, input, d);
      if (reduced[d]) {
        reducedSizes.push_back(size);
        iterators.push_back(utils::IteratorType::reduction);
        continue;
      }
      sizes.push_back(size);
      outputExprs.push_back(getAffineDimExpr(d, context));
      iterators.push_back(utils::IteratorType::parallel);
    }
    Value empty = tensor::EmptyOp::create(rewriter, loc, sizes, elementType);
    Value identity = castFromSignless(
        rewriter, loc, createReductionIdentity(rewriter, loc, kind, elementType),
        elementType);
    Value init = createFill(rewriter, loc, empty, identity);
    SmallVector<AffineMap> maps = {
        rewriter.getMultiDimIdentityMap(rank),
        AffineMap::get(rank, 0, outputExprs, context)};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init.getType()}, ValueRange{input},
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Value element = castToSignless(b, bodyLoc, args[0]);
          Value accumulator = castToSignless(b, bodyLoc, args[1]);
          Value combined =
              kind == ReduceKind::Max
                  ? createBinary<arith::MaximumFOp, arith::MaxSIOp,
                                 arith::MaxUIOp>(b, bodyLoc, elementType,
                                                 element, accumulator)
                  : createBinary<arith::AddFOp, arith::AddIOp>(
                        b, bodyLoc, elementType, element, accumulator);
          linalg::YieldOp::create(
              b, bodyLoc, castFromSignless(b, bodyLoc, combined, elementType));
        });
    Value result = generic.getResult(0);

    if (kind == ReduceKind::Mean) {
      Value count = createElementCount(rewriter, loc, reducedSizes,
                                       elementType);
      result = buildElementwiseGeneric(
          rewriter, loc, ValueRange{result}, result,
          [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
            return arith::DivFOp::create(b, bodyLoc, args[0], count)
                .getResult();
          });
    }

    // Re-insert the reduced dims as 1s (none for a reduction of a scalar).
    if (op.getKeepDims() && llvm::is_contained(reduced, true)) {
      SmallVector<OpFoldResult> outputShape;
      unsigned next = 0;
      for (int64_t d = 0; d < rank; ++d)
        outputShape.push_back(reduced[d] ? rewriter.getIndexAttr(1)
                                         : sizes[next++]);
      result = tensor::ExpandShapeOp::create(rewriter, loc, op.getType(),
                                             result,
                                             getUnitDimReassociation(reduced),
                                             outputShape);
    }
    rewriter.replaceOp(op, result);
    return success();
  }

  /// The product of `sizes` as a float scalar of `type`: a constant when all
  /// are static, else index arithmetic converted at run time.
  static Value createElementCount(OpBuilder &b, Location loc,
                                  ArrayRef<OpFoldResult> sizes, Type type) {
    int64_t staticCount = 1;
    Value dynamicCount;
    for (OpFoldResult size : sizes) {
      if (std::optional<int64_t> constant = getConstantIntValue(size)) {
        staticCount *= *constant;
        continue;
      }
      Value value = cast<Value>(size);
      dynamicCount = dynamicCount
                         ? arith::MulIOp::create(b, loc, dynamicCount, value)
                               .getResult()
                         : value;
    }
    if (!dynamicCount)
      return createScalarConstant(b, loc, type, static_cast<double>(staticCount));
    if (staticCount != 1)
      dynamicCount = arith::MulIOp::create(
          b, loc, dynamicCount,
          arith::ConstantIndexOp::create(b, loc, staticCount));
    Value asInt =
        arith::IndexCastOp::create(b, loc, b.getI64Type(), dynamicCount);
    return arith::SIToFPOp::create(b, loc, type, asInt);
  }
};

} // namespace

void mlir::llm::populateTransformerMathToLinalgPatterns(
    RewritePatternSet &patterns) {
  using namespace transformer;
  MLIRContext *context = patterns.getContext();
  patterns.add<ConstantLowering>(context);

  // Unary.
  patterns.add<ElementwiseLowering<NegOp>>(context, negBody);
  patterns.add<ElementwiseLowering<AbsOp>>(context, absBody);
  patterns.add<ElementwiseLowering<ExpOp>>(context,
                                           floatUnaryBody<ExpOp, math::ExpOp>);
  patterns.add<ElementwiseLowering<LogOp>>(context,
                                           floatUnaryBody<LogOp, math::LogOp>);
  patterns.add<ElementwiseLowering<SqrtOp>>(
      context, floatUnaryBody<SqrtOp, math::SqrtOp>);
  patterns.add<ElementwiseLowering<RsqrtOp>>(
      context, floatUnaryBody<RsqrtOp, math::RsqrtOp>);
  patterns.add<ElementwiseLowering<TanhOp>>(
      context, floatUnaryBody<TanhOp, math::TanhOp>);
  patterns.add<ElementwiseLowering<ErfOp>>(context,
                                           floatUnaryBody<ErfOp, math::ErfOp>);
  patterns.add<ElementwiseLowering<CosOp>>(context,
                                           floatUnaryBody<CosOp, math::CosOp>);
  patterns.add<ElementwiseLowering<SinOp>>(context,
                                           floatUnaryBody<SinOp, math::SinOp>);
  patterns.add<ElementwiseLowering<SigmoidOp>>(context, sigmoidBody);
  patterns.add<ElementwiseLowering<ReluOp>>(context, reluBody);
  patterns.add<ElementwiseLowering<ReciprocalOp>>(context, reciprocalBody);
  patterns.add<ElementwiseLowering<NotOp>>(context, notBody);

  // Binary, with numpy broadcasting.
  patterns.add<ElementwiseLowering<AddOp>>(
      context, binaryBody<AddOp, arith::AddFOp, arith::AddIOp>);
  patterns.add<ElementwiseLowering<SubOp>>(
      context, binaryBody<SubOp, arith::SubFOp, arith::SubIOp>);
  patterns.add<ElementwiseLowering<MulOp>>(
      context, binaryBody<MulOp, arith::MulFOp, arith::MulIOp>);
  patterns.add<ElementwiseLowering<DivOp>>(
      context, binaryBody<DivOp, arith::DivFOp, arith::DivSIOp, arith::DivUIOp>);
  patterns.add<ElementwiseLowering<PowOp>>(
      context, binaryBody<PowOp, math::PowFOp, math::PowFOp>);
  patterns.add<ElementwiseLowering<MaxOp>>(
      context,
      binaryBody<MaxOp, arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>);
  patterns.add<ElementwiseLowering<MinOp>>(
      context,
      binaryBody<MinOp, arith::MinimumFOp, arith::MinSIOp, arith::MinUIOp>);
  patterns.add<ElementwiseLowering<AndOp>>(
      context, binaryBody<AndOp, arith::AndIOp, arith::AndIOp>);
  patterns.add<ElementwiseLowering<OrOp>>(
      context, binaryBody<OrOp, arith::OrIOp, arith::OrIOp>);
  patterns.add<ElementwiseLowering<CompareOp>>(context, compareBody);
  patterns.add<ElementwiseLowering<WhereOp>>(context, whereBody);
  patterns.add<ElementwiseLowering<CastOp>>(context, castBody);

  // Reductions.
  patterns.add<ReduceLowering<ReduceSumOp, ReduceKind::Sum>,
               ReduceLowering<ReduceMeanOp, ReduceKind::Mean>,
               ReduceLowering<ReduceMaxOp, ReduceKind::Max>>(context);
}

//===- LoweringUtils.cpp - helpers shared by transformer lowerings --------===//
//
// See LoweringUtils.h.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

using namespace mlir;

namespace mlir::llm {

FailureOr<SmallVector<OpFoldResult>>
getResultSizes(OpBuilder &b, Operation *op, unsigned resultIndex) {
  auto type = cast<RankedTensorType>(op->getResult(resultIndex).getType());
  if (type.hasStaticShape())
    return getAsIndexOpFoldResult(b.getContext(), type.getShape());
  auto reify = dyn_cast<ReifyRankedShapedTypeOpInterface>(op);
  if (!reify)
    return op->emitOpError("cannot compute the dynamic sizes of result #")
           << resultIndex;
  ReifiedRankedShapedTypeDims dims;
  if (failed(reify.reifyResultShapes(b, dims)))
    return op->emitOpError("failed to compute the dynamic sizes of result #")
           << resultIndex;
  return dims[resultIndex];
}

FailureOr<Value> createEmptyForResult(OpBuilder &b, Operation *op,
                                      unsigned resultIndex, Type elementType) {
  FailureOr<SmallVector<OpFoldResult>> sizes =
      getResultSizes(b, op, resultIndex);
  if (failed(sizes))
    return failure();
  auto type = cast<RankedTensorType>(op->getResult(resultIndex).getType());
  return tensor::EmptyOp::create(b, op->getLoc(), *sizes,
                                 elementType ? elementType
                                             : type.getElementType())
      .getResult();
}

Value createFill(OpBuilder &b, Location loc, Value empty, Value value) {
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value createScalarConstant(OpBuilder &b, Location loc, Type type,
                           double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  Type signless = toSignless(type);
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(signless, static_cast<int64_t>(value)));
}

AffineMap getBroadcastIndexingMap(MLIRContext *context,
                                  RankedTensorType operandType,
                                  ArrayRef<int64_t> resultShape) {
  int64_t resultRank = resultShape.size();
  int64_t offset = resultRank - operandType.getRank();
  SmallVector<AffineExpr> exprs;
  for (auto [i, dim] : llvm::enumerate(operandType.getShape())) {
    int64_t resultDim = resultShape[offset + i];
    if (dim == 1 && resultDim != 1)
      exprs.push_back(getAffineConstantExpr(0, context));
    else
      exprs.push_back(getAffineDimExpr(offset + i, context));
  }
  return AffineMap::get(resultRank, 0, exprs, context);
}

Value buildElementwiseGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                              Value init, ScalarBodyBuilder body) {
  auto initType = cast<RankedTensorType>(init.getType());
  MLIRContext *context = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(getBroadcastIndexingMap(
        context, cast<RankedTensorType>(input.getType()), initType.getShape()));
  maps.push_back(b.getMultiDimIdentityMap(initType.getRank()));
  SmallVector<utils::IteratorType> iterators(initType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{initType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Type toSignless(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type))
    return IntegerType::get(type.getContext(), intType.getWidth());
  return type;
}

Value convertScalar(OpBuilder &b, Location loc, Value value, Type from,
                    Type to) {
  if (from == to)
    return value;
  Type target = toSignless(to);
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  auto fromInt = dyn_cast<IntegerType>(from);
  auto toInt = dyn_cast<IntegerType>(to);
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, target, value);
    if (fromFloat.getWidth() > toFloat.getWidth())
      return arith::TruncFOp::create(b, loc, target, value);
    // Same width, different format (bf16 <-> f16): go through f32.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
    return arith::TruncFOp::create(b, loc, target, wide);
  }
  if (fromFloat && toInt) {
    if (toInt.getWidth() == 1) {
      Value zero = createScalarConstant(b, loc, from, 0.0);
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   zero);
    }
    if (toInt.isUnsigned())
      return arith::FPToUIOp::create(b, loc, target, value);
    return arith::FPToSIOp::create(b, loc, target, value);
  }
  if (fromInt && toFloat) {
    if (fromInt.isUnsigned() || fromInt.getWidth() == 1)
      return arith::UIToFPOp::create(b, loc, target, value);
    return arith::SIToFPOp::create(b, loc, target, value);
  }
  if (fromInt && toInt) {
    if (toInt.getWidth() == 1) {
      Value zero = createScalarConstant(b, loc, from, 0.0);
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value,
                                   zero);
    }
    if (fromInt.getWidth() == toInt.getWidth())
      return value;
    if (fromInt.getWidth() > toInt.getWidth())
      return arith::TruncIOp::create(b, loc, target, value);
    if (fromInt.isUnsigned() || fromInt.getWidth() == 1)
      return arith::ExtUIOp::create(b, loc, target, value);
    return arith::ExtSIOp::create(b, loc, target, value);
  }
  if (isa<IndexType>(from) || isa<IndexType>(to))
    return arith::IndexCastOp::create(b, loc, target, value);
  llvm_unreachable("unsupported scalar conversion");
}

Value castToSignless(OpBuilder &b, Location loc, Value value) {
  Type signless = toSignless(value.getType());
  if (signless == value.getType())
    return value;
  return UnrealizedConversionCastOp::create(b, loc, signless, value)
      .getResult(0);
}

Value castFromSignless(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return UnrealizedConversionCastOp::create(b, loc, type, value).getResult(0);
}

Value wrapIndex(OpBuilder &b, Location loc, Value index, Value size) {
  index = arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                     castToSignless(b, loc, index));
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index, zero);
  Value wrapped = arith::AddIOp::create(b, loc, index, size);
  return arith::SelectOp::create(b, loc, negative, wrapped, index);
}

bool isUnsignedLike(Type type) {
  auto intType = dyn_cast<IntegerType>(type);
  return intType && (intType.isUnsigned() || intType.getWidth() == 1);
}

SmallVector<ReassociationIndices>
getUnitDimReassociation(ArrayRef<bool> unitDims) {
  SmallVector<ReassociationIndices> groups;
  int64_t leadingUnits = 0;
  for (auto [d, isUnit] : llvm::enumerate(unitDims)) {
    int64_t dim = static_cast<int64_t>(d);
    if (isUnit) {
      if (groups.empty())
        ++leadingUnits;
      else
        groups.back().push_back(dim);
      continue;
    }
    ReassociationIndices group;
    if (groups.empty())
      for (int64_t u = 0; u < leadingUnits; ++u)
        group.push_back(u);
    group.push_back(dim);
    groups.push_back(std::move(group));
  }
  return groups;
}

} // namespace mlir::llm

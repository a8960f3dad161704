//===- TransformerShapeUtils.cpp - shape helpers for type inference ------===//
//
// Numpy broadcasting (with dynamic dims) and axis normalisation used by the
// `inferReturnTypes` implementations of every op group, and the run-time
// counterparts used by their `reifyResultShapes` implementations: result dims
// read from operands with `tensor.dim` and numpy broadcasting computed with
// `arith` ops.
//
//===----------------------------------------------------------------------===//

#include "Transformer/IR/TransformerShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Traits.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace mlir::llm::transformer {

FailureOr<SmallVector<int64_t>>
broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes) {
  SmallVector<int64_t> result;
  for (ArrayRef<int64_t> shape : shapes) {
    SmallVector<int64_t> next;
    if (!OpTrait::util::getBroadcastedShape(result, shape, next))
      return failure();
    result = std::move(next);
  }
  return result;
}

FailureOr<SmallVector<int64_t>>
broadcastTensorShapes(std::optional<Location> loc, StringRef opName,
                      TypeRange types) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Type type : types) {
    auto ranked = dyn_cast<RankedTensorType>(type);
    if (!ranked)
      return emitOptionalError(loc, "'", opName, "' expects ranked tensors");
    shapes.push_back(ranked.getShape());
  }
  FailureOr<SmallVector<int64_t>> result = broadcastShapes(shapes);
  if (failed(result)) {
    std::string message;
    llvm::raw_string_ostream os(message);
    llvm::interleave(types, os, ", ");
    return emitOptionalError(loc, "'", opName,
                             "' operands are not broadcast-compatible: ",
                             message);
  }
  return result;
}

FailureOr<int64_t> normalizeAxisOrEmit(std::optional<Location> loc,
                                       StringRef opName, int64_t axis,
                                       int64_t rank) {
  if (std::optional<int64_t> normalized = normalizeAxis(axis, rank))
    return *normalized;
  return emitOptionalError(loc, "'", opName, "' expects axis in [", -rank,
                           ", ", rank, "), got ", axis);
}

bool broadcastsTo(ArrayRef<int64_t> operand, ArrayRef<int64_t> target) {
  if (operand.size() > target.size())
    return false;
  size_t offset = target.size() - operand.size();
  for (auto [i, dim] : llvm::enumerate(operand))
    if (dim != 1 && !dimsCompatible(dim, target[offset + i]))
      return false;
  return true;
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Result-shape reification
//===----------------------------------------------------------------------===//

OpFoldResult reifySourceDim(OpBuilder &builder, Location loc,
                            ArrayRef<DimSource> sources) {
  assert(!sources.empty() && "reifySourceDim needs a source");
  for (auto [value, sourceDim] : sources) {
    int64_t size = cast<ShapedType>(value.getType()).getDimSize(sourceDim);
    if (!ShapedType::isDynamic(size))
      return builder.getIndexAttr(size);
  }
  auto [value, sourceDim] = sources.front();
  return tensor::getMixedSize(builder, loc, value, sourceDim);
}

OpFoldResult reifyDim(OpBuilder &builder, Location loc,
                      RankedTensorType resultType, int64_t dim,
                      ArrayRef<DimSource> sources) {
  if (!resultType.isDynamicDim(dim))
    return builder.getIndexAttr(resultType.getDimSize(dim));
  return reifySourceDim(builder, loc, sources);
}

SmallVector<OpFoldResult> reifySameShape(OpBuilder &builder, Location loc,
                                         RankedTensorType resultType,
                                         Value source) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0, rank = resultType.getRank(); d < rank; ++d)
    sizes.push_back(reifyDim(builder, loc, resultType, d, {{source, d}}));
  return sizes;
}

LogicalResult reifyResultsLikeOperand(Operation *op, OpBuilder &builder,
                                      ReifiedRankedShapedTypeDims &shapes,
                                      unsigned operandIndex) {
  Value source = op->getOperand(operandIndex);
  auto sourceType = dyn_cast<RankedTensorType>(source.getType());
  if (!sourceType)
    return failure();
  for (Type type : op->getResultTypes()) {
    auto resultType = dyn_cast<RankedTensorType>(type);
    if (!resultType || resultType.getRank() != sourceType.getRank())
      return failure();
    shapes.push_back(reifySameShape(builder, op->getLoc(), resultType, source));
  }
  return success();
}

SmallVector<OpFoldResult> reifyBroadcastShape(OpBuilder &builder,
                                              Location loc,
                                              ArrayRef<int64_t> resultShape,
                                              ValueRange operands,
                                              int64_t trailingDims) {
  auto rank = static_cast<int64_t>(resultShape.size());
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < rank; ++d) {
    if (!ShapedType::isDynamic(resultShape[d])) {
      sizes.push_back(builder.getIndexAttr(resultShape[d]));
      continue;
    }
    // Operands that may set this dim: those that have it (right-aligned),
    // except where it is a static 1, which stretches to anything.
    std::optional<int64_t> staticSize;
    SmallVector<DimSource> dynamicSources;
    for (Value operand : operands) {
      auto type = cast<ShapedType>(operand.getType());
      int64_t operandRank = type.getRank() - trailingDims;
      int64_t operandDim = d - (rank - operandRank);
      if (operandDim < 0)
        continue;
      int64_t size = type.getDimSize(operandDim);
      if (size == 1)
        continue;
      if (!ShapedType::isDynamic(size)) {
        staticSize = size;
        break;
      }
      dynamicSources.emplace_back(operand, operandDim);
    }
    // A static size > 1 (or 0) fixes the dim (the inferred type already has
    // it static then, unless a less static result type was written); with
    // only 1s the dim is 1.
    if (staticSize || dynamicSources.empty()) {
      sizes.push_back(builder.getIndexAttr(staticSize.value_or(1)));
      continue;
    }
    SmallVector<Value> dynamicSizes;
    for (auto [operand, operandDim] : dynamicSources)
      dynamicSizes.push_back(
          tensor::DimOp::create(builder, loc, operand, operandDim));
    Value size = dynamicSizes.front();
    if (dynamicSizes.size() > 1) {
      Value one = arith::ConstantIndexOp::create(builder, loc, 1);
      for (Value next : ArrayRef(dynamicSizes).drop_front()) {
        Value isOne = arith::CmpIOp::create(
            builder, loc, arith::CmpIPredicate::eq, size, one);
        size = arith::SelectOp::create(builder, loc, isOne, next, size);
      }
    }
    sizes.push_back(size);
  }
  return sizes;
}

SmallVector<OpFoldResult> reifyMatmulShape(OpBuilder &builder, Location loc,
                                           RankedTensorType resultType,
                                           Value lhs, Value rhs) {
  int64_t rank = resultType.getRank();
  int64_t lhsRank = cast<ShapedType>(lhs.getType()).getRank();
  int64_t rhsRank = cast<ShapedType>(rhs.getType()).getRank();
  SmallVector<OpFoldResult> sizes =
      reifyBroadcastShape(builder, loc, resultType.getShape().drop_back(2),
                          {lhs, rhs}, /*trailingDims=*/2);
  sizes.push_back(
      reifyDim(builder, loc, resultType, rank - 2, {{lhs, lhsRank - 2}}));
  sizes.push_back(
      reifyDim(builder, loc, resultType, rank - 1, {{rhs, rhsRank - 1}}));
  return sizes;
}

SmallVector<OpFoldResult> reifyLinearShape(OpBuilder &builder, Location loc,
                                           RankedTensorType resultType,
                                           Value input,
                                           ArrayRef<DimSource> outFeatures) {
  int64_t rank = resultType.getRank();
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < rank - 1; ++d)
    sizes.push_back(reifyDim(builder, loc, resultType, d, {{input, d}}));
  sizes.push_back(reifyDim(builder, loc, resultType, rank - 1, outFeatures));
  return sizes;
}

OpFoldResult addSizes(OpBuilder &builder, Location loc, OpFoldResult lhs,
                      OpFoldResult rhs) {
  std::optional<int64_t> lhsConst = getConstantIntValue(lhs);
  std::optional<int64_t> rhsConst = getConstantIntValue(rhs);
  if (lhsConst && rhsConst)
    return builder.getIndexAttr(*lhsConst + *rhsConst);
  auto toValue = [&](OpFoldResult size, std::optional<int64_t> constant) {
    return constant ? arith::ConstantIndexOp::create(builder, loc, *constant)
                          .getResult()
                    : cast<Value>(size);
  };
  return arith::AddIOp::create(builder, loc, toValue(lhs, lhsConst),
                               toValue(rhs, rhsConst))
      .getResult();
}

} // namespace mlir::llm::transformer

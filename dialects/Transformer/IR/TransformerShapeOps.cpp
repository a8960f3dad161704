//===- TransformerShapeOps.cpp - reshape, transpose, slice, ... ----------===//
//
// Type inference, verifiers, folders, canonicalizations and result-shape
// reification of the shape op group. Inference keeps every dim that the
// operands and attributes determine static and makes the rest `?`; the
// verifiers reject what is provably wrong on the static dims and leave
// dynamic dims to run time. Folders remove no-op shape ops (identity
// transposes, whole slices, squeezes of nothing) and fold them on constants,
// because exporters wrap shape arithmetic in long chains of them. The
// `reifyResultShapes` implementations express dynamic result dims with
// `tensor.dim` and `arith` ops on the operands, so that
// `-resolve-ranked-shaped-type-result-dims` and the lowerings can size their
// destination tensors.
//
//===----------------------------------------------------------------------===//

#include "Transformer/IR/TransformerOps.h"
#include "Transformer/IR/TransformerShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/Support/MathExtras.h"

#include <limits>

using namespace mlir;
using namespace mlir::llm::transformer;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Number of dynamic dims in `shape`.
static int64_t countDynamicDims(ArrayRef<int64_t> shape) {
  return llvm::count_if(shape, ShapedType::isDynamic);
}

/// Product of the static dims of `shape` (1 when there are none);
/// std::nullopt when it overflows int64_t.
static std::optional<int64_t> staticProduct(ArrayRef<int64_t> shape) {
  int64_t product = 1;
  for (int64_t dim : shape)
    if (!ShapedType::isDynamic(dim) && llvm::MulOverflow(product, dim, product))
      return std::nullopt;
  return product;
}

/// True when `count` elements can be laid out as `factor` times some
/// non-negative whole number (a factor of 0 only fits 0 elements).
static bool isMultipleOf(int64_t count, int64_t factor) {
  return factor == 0 ? count == 0 : count % factor == 0;
}

/// Normalises `axes` against `rank` and fails with a message naming `opName`
/// when one is out of range or repeated. Returns them in the given order.
static FailureOr<SmallVector<int64_t>>
normalizeUniqueAxes(std::optional<Location> location, StringRef opName,
                    ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> result;
  llvm::SmallSet<int64_t, 4> seen;
  for (int64_t axis : axes) {
    std::optional<int64_t> normalized = normalizeAxis(axis, rank);
    if (!normalized)
      return emitOptionalError(location, "'", opName, "' expects axes in [",
                               -rank, ", ", rank, "), got ", axis);
    if (!seen.insert(*normalized).second)
      return emitOptionalError(location, "'", opName, "' axis ", axis,
                               " refers to dim ", *normalized,
                               " which is already listed");
    result.push_back(*normalized);
  }
  return result;
}

/// `axes` normalised against `rank` and sorted; std::nullopt when any is out
/// of range (used by folders on already verified ops).
static std::optional<SmallVector<int64_t>>
sortedNormalizedAxes(ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> result;
  for (int64_t axis : axes) {
    std::optional<int64_t> normalized = normalizeAxis(axis, rank);
    if (!normalized)
      return std::nullopt;
    result.push_back(*normalized);
  }
  llvm::sort(result);
  return result;
}

/// The dims of `type` as OpFoldResults: static dims as index attributes,
/// dynamic ones taken in order from `dynamicSizes`.
static SmallVector<OpFoldResult> mixedSizes(Builder &builder,
                                            RankedTensorType type,
                                            ValueRange dynamicSizes) {
  SmallVector<OpFoldResult> sizes;
  unsigned next = 0;
  for (int64_t dim : type.getShape()) {
    if (ShapedType::isDynamic(dim))
      sizes.push_back(dynamicSizes[next++]);
    else
      sizes.push_back(builder.getIndexAttr(dim));
  }
  return sizes;
}

/// Checks that `dynamicSizes` has one value per dynamic dim of `resultType`.
static LogicalResult verifyDynamicSizes(Operation *op,
                                        RankedTensorType resultType,
                                        ValueRange dynamicSizes) {
  int64_t expected = countDynamicDims(resultType.getShape());
  if (static_cast<int64_t>(dynamicSizes.size()) != expected)
    return op->emitOpError("expects ")
           << expected << " dynamic sizes (one per '?' in " << resultType
           << "), got " << dynamicSizes.size();
  return success();
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

/// Checks that the element counts of reshaping `input` to `result` may agree:
/// equal when both are static, and a fully static side's count a multiple of
/// the other side's static dims. Returns an explanation when they cannot.
static std::optional<std::string> checkReshapeCounts(RankedTensorType input,
                                                     RankedTensorType result) {
  std::optional<int64_t> inProduct = staticProduct(input.getShape());
  std::optional<int64_t> outProduct = staticProduct(result.getShape());
  if (!inProduct || !outProduct)
    return std::nullopt;
  bool inStatic = input.hasStaticShape(), outStatic = result.hasStaticShape();
  std::string message;
  llvm::raw_string_ostream os(message);
  if (inStatic && outStatic) {
    if (*inProduct != *outProduct)
      os << "expects the same number of elements, got " << *inProduct
         << " (input) and " << *outProduct << " (result)";
  } else if (inStatic) {
    if (!isMultipleOf(*inProduct, *outProduct))
      os << "input has " << *inProduct
         << " elements, which is not a multiple of " << *outProduct
         << ", the product of the result's static dims";
  } else if (outStatic) {
    if (!isMultipleOf(*outProduct, *inProduct))
      os << "result has " << *outProduct
         << " elements, which is not a multiple of " << *inProduct
         << ", the product of the input's static dims";
  }
  if (message.empty())
    return std::nullopt;
  return message;
}

LogicalResult ReshapeOp::verify() {
  RankedTensorType resultType = getType();
  if (failed(verifyDynamicSizes(*this, resultType, getDynamicSizes())))
    return failure();
  if (std::optional<std::string> error =
          checkReshapeCounts(getInput().getType(), resultType))
    return emitOpError(*error);
  return success();
}

/// True when a reshape between two equal types `type` must be the identity:
/// the shape is static, or one dim is dynamic and the static ones multiply to
/// a non-zero count (so the element count determines the dynamic dim).
static bool isIdentityReshapeType(RankedTensorType type) {
  if (type.hasStaticShape())
    return true;
  std::optional<int64_t> product = staticProduct(type.getShape());
  return countDynamicDims(type.getShape()) == 1 && product && *product != 0;
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType() && isIdentityReshapeType(getType()))
    return getInput();
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    if (getType().hasStaticShape())
      return dense.reshape(getType());
  return {};
}

/// reshape(reshape(x)) -> reshape(x): the outer reshape's result type and
/// dynamic sizes stay valid (the element count is that of x either way).
LogicalResult ReshapeOp::canonicalize(ReshapeOp op, PatternRewriter &rewriter) {
  auto inner = op.getInput().getDefiningOp<ReshapeOp>();
  if (!inner)
    return failure();
  // Only when the verifier accepts the combined reshape (it may not when the
  // original chain was impossible at run time).
  if (checkReshapeCounts(inner.getInput().getType(), op.getType()))
    return failure();
  rewriter.modifyOpInPlace(
      op, [&] { op.getInputMutable().assign(inner.getInput()); });
  return success();
}

LogicalResult
ReshapeOp::reifyResultShapes(OpBuilder &builder,
                             ReifiedRankedShapedTypeDims &reifiedShapes) {
  reifiedShapes.push_back(mixedSizes(builder, getType(), getDynamicSizes()));
  return success();
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  ArrayRef<int64_t> permutation = adaptor.getPermutation();
  int64_t rank = inputType.getRank();
  if (static_cast<int64_t>(permutation.size()) != rank)
    return emitOptionalError(location, "'", getOperationName(),
                             "' expects a permutation of length ", rank,
                             " (the input rank), got ", permutation.size());
  SmallVector<bool> used(rank, false);
  SmallVector<int64_t> shape;
  for (int64_t index : permutation) {
    if (index < 0 || index >= rank)
      return emitOptionalError(location, "'", getOperationName(),
                               "' expects permutation entries in [0, ", rank,
                               "), got ", index);
    if (used[index])
      return emitOptionalError(location, "'", getOperationName(),
                               "' permutation lists dim ", index, " twice");
    used[index] = true;
    shape.push_back(inputType.getDimSize(index));
  }
  inferred.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  if (llvm::equal(getPermutation(), llvm::seq<int64_t>(0, getPermutation().size())))
    return getInput();
  // A transposed splat is the same splat.
  if (auto splat = dyn_cast_or_null<SplatElementsAttr>(adaptor.getInput()))
    if (getType().hasStaticShape())
      return splat.resizeSplat(getType());
  return {};
}

/// transpose(transpose(x, inner), outer) -> transpose(x, p) with
/// p[k] = inner[outer[k]]: result dim k is the inner result's dim outer[k],
/// which is x's dim inner[outer[k]].
LogicalResult TransposeOp::canonicalize(TransposeOp op,
                                        PatternRewriter &rewriter) {
  auto inner = op.getInput().getDefiningOp<TransposeOp>();
  if (!inner)
    return failure();
  ArrayRef<int64_t> innerPerm = inner.getPermutation();
  SmallVector<int64_t> composed;
  for (int64_t index : op.getPermutation())
    composed.push_back(innerPerm[index]);
  auto transpose = TransposeOp::create(rewriter, op.getLoc(), op.getType(),
                                       inner.getInput(), composed);
  rewriter.replaceOp(op, transpose.getResult());
  return success();
}

LogicalResult
TransposeOp::reifyResultShapes(OpBuilder &builder,
                               ReifiedRankedShapedTypeDims &reifiedShapes) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t index : getPermutation())
    sizes.push_back(
        tensor::getMixedSize(builder, getLoc(), getInput(), index));
  reifiedShapes.push_back(std::move(sizes));
  return success();
}

//===----------------------------------------------------------------------===//
// ConcatOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitOptionalError(location, "'", getOperationName(),
                             "' expects at least one input");
  auto firstType = cast<RankedTensorType>(inputs.front().getType());
  int64_t rank = firstType.getRank();
  FailureOr<int64_t> axis =
      normalizeAxisOrEmit(location, getOperationName(),
                          static_cast<int64_t>(adaptor.getAxis()), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(rank, ShapedType::kDynamic);
  shape[*axis] = 0;
  for (auto [i, input] : llvm::enumerate(inputs)) {
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getRank() != rank)
      return emitOptionalError(location, "'", getOperationName(),
                               "' expects inputs of the same rank, got rank ",
                               rank, " (input 0) and ", type.getRank(),
                               " (input ", i, ")");
    if (type.getElementType() != firstType.getElementType())
      return emitOptionalError(
          location, "'", getOperationName(),
          "' expects inputs of the same element type, got ",
          firstType.getElementType(), " (input 0) and ", type.getElementType(),
          " (input ", i, ")");
    for (int64_t d = 0; d < rank; ++d) {
      int64_t dim = type.getDimSize(d);
      if (d == *axis) {
        shape[d] = addDims(shape[d], dim);
        continue;
      }
      if (!dimsCompatible(shape[d], dim))
        return emitOptionalError(
            location, "'", getOperationName(), "' expects dim ", d,
            " (not the concatenation axis) to match, got ", shape[d],
            " and ", dim, " (input ", i, ")");
      if (!ShapedType::isDynamic(dim))
        shape[d] = dim;
    }
  }
  inferred.push_back(RankedTensorType::get(shape, firstType.getElementType()));
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  return {};
}

LogicalResult
ConcatOp::reifyResultShapes(OpBuilder &builder,
                            ReifiedRankedShapedTypeDims &reifiedShapes) {
  Location loc = getLoc();
  int64_t rank = getType().getRank();
  int64_t axis = *normalizeAxis(static_cast<int64_t>(getAxis()), rank);
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < rank; ++d) {
    if (!getType().isDynamicDim(d)) {
      sizes.push_back(builder.getIndexAttr(getType().getDimSize(d)));
      continue;
    }
    if (d != axis) {
      // Every input's dim d is the same at run time: take the first one's.
      sizes.push_back(
          tensor::getMixedSize(builder, loc, getInputs().front(), d));
      continue;
    }
    int64_t staticSum = 0;
    Value sum;
    for (Value input : getInputs()) {
      OpFoldResult size = tensor::getMixedSize(builder, loc, input, d);
      if (auto attr = dyn_cast<Attribute>(size)) {
        staticSum += cast<IntegerAttr>(attr).getInt();
        continue;
      }
      sum = sum ? arith::AddIOp::create(builder, loc, sum, cast<Value>(size))
                      .getResult()
                : cast<Value>(size);
    }
    if (staticSum != 0)
      sum = arith::AddIOp::create(
          builder, loc, sum,
          arith::ConstantIndexOp::create(builder, loc, staticSum));
    sizes.push_back(sum);
  }
  reifiedShapes.push_back(std::move(sizes));
  return success();
}

//===----------------------------------------------------------------------===//
// SliceOp
//===----------------------------------------------------------------------===//

namespace {
/// One sliced dim with its axis normalised.
struct SliceDim {
  int64_t axis, start, end, step;
};
} // namespace

/// Normalises and checks the slice attributes against `rank`.
static FailureOr<SmallVector<SliceDim>>
getSliceDims(std::optional<Location> location, int64_t rank,
             ArrayRef<int64_t> starts, ArrayRef<int64_t> ends,
             DenseI64ArrayAttr axesAttr, DenseI64ArrayAttr stepsAttr) {
  StringRef opName = SliceOp::getOperationName();
  size_t count = starts.size();
  auto checkLength = [&](size_t size, StringRef name) -> LogicalResult {
    if (size == count)
      return success();
    return emitOptionalError(location, "'", opName, "' expects as many ", name,
                             " as starts (", count, "), got ", size);
  };
  if (failed(checkLength(ends.size(), "ends")) ||
      (axesAttr && failed(checkLength(axesAttr.size(), "axes"))) ||
      (stepsAttr && failed(checkLength(stepsAttr.size(), "steps"))))
    return failure();
  SmallVector<int64_t> axes;
  if (axesAttr) {
    FailureOr<SmallVector<int64_t>> normalized =
        normalizeUniqueAxes(location, opName, axesAttr.asArrayRef(), rank);
    if (failed(normalized))
      return failure();
    axes = std::move(*normalized);
  } else {
    if (static_cast<int64_t>(count) > rank)
      return emitOptionalError(location, "'", opName, "' without axes slices ",
                               "dims [0, ", count, "), but the input rank is ",
                               rank);
    axes = llvm::to_vector(llvm::seq<int64_t>(0, count));
  }
  SmallVector<SliceDim> dims;
  for (size_t i = 0; i < count; ++i) {
    int64_t step = stepsAttr ? stepsAttr[i] : 1;
    if (step <= 0)
      return emitOptionalError(location, "'", opName,
                               "' expects positive steps, got ", step,
                               " for axis ", axes[i]);
    dims.push_back({axes[i], starts[i], ends[i], step});
  }
  return dims;
}

/// ONNX's clamping of a start or end index against a static `dim`.
static int64_t clampSliceIndex(int64_t index, int64_t dim) {
  if (index < 0)
    index += dim;
  return std::clamp<int64_t>(index, 0, dim);
}

/// Length of a slice of a static `dim`.
static int64_t sliceLength(const SliceDim &slice, int64_t dim) {
  int64_t start = clampSliceIndex(slice.start, dim);
  int64_t end = clampSliceIndex(slice.end, dim);
  if (end <= start)
    return 0;
  int64_t span = end - start;
  return span / slice.step + (span % slice.step != 0 ? 1 : 0);
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> location,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  FailureOr<SmallVector<SliceDim>> dims = getSliceDims(
      location, inputType.getRank(), adaptor.getStarts(), adaptor.getEnds(),
      adaptor.getAxesAttr(), adaptor.getStepsAttr());
  if (failed(dims))
    return failure();
  SmallVector<int64_t> shape(inputType.getShape());
  for (const SliceDim &slice : *dims)
    if (!ShapedType::isDynamic(shape[slice.axis]))
      shape[slice.axis] = sliceLength(slice, shape[slice.axis]);
  inferred.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  RankedTensorType inputType = getInput().getType();
  if (inputType != getType())
    return {};
  FailureOr<SmallVector<SliceDim>> dims =
      getSliceDims(std::nullopt, inputType.getRank(), getStarts(), getEnds(),
                   getAxesAttr(), getStepsAttr());
  if (failed(dims))
    return {};
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  for (const SliceDim &slice : *dims) {
    int64_t dim = inputType.getDimSize(slice.axis);
    if (!ShapedType::isDynamic(dim)) {
      // sliceLength <= end - start <= dim, with equality only for a whole dim.
      if (sliceLength(slice, dim) != dim)
        return {};
      continue;
    }
    // Any dim: the start clamps to 0 and the end to the dim.
    if (slice.step != 1 || !(slice.start == 0 || slice.start <= -kMax) ||
        slice.end != kMax)
      return {};
  }
  return getInput();
}

/// Emits `min/max(...)`-clamped `index` against the run-time `dim`
/// (ONNX Slice rules) as arith ops.
static Value clampSliceIndex(OpBuilder &builder, Location loc, int64_t index,
                             Value dim) {
  Value indexValue = arith::ConstantIndexOp::create(builder, loc, index);
  if (index >= 0)
    return arith::MinSIOp::create(builder, loc, indexValue, dim);
  Value shifted = arith::AddIOp::create(builder, loc, dim, indexValue);
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  return arith::MaxSIOp::create(builder, loc, shifted, zero);
}

LogicalResult
SliceOp::reifyResultShapes(OpBuilder &builder,
                           ReifiedRankedShapedTypeDims &reifiedShapes) {
  Location loc = getLoc();
  RankedTensorType inputType = getInput().getType();
  FailureOr<SmallVector<SliceDim>> dims =
      getSliceDims(loc, inputType.getRank(), getStarts(), getEnds(),
                   getAxesAttr(), getStepsAttr());
  if (failed(dims))
    return failure();
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < inputType.getRank(); ++d) {
    if (!getType().isDynamicDim(d))
      sizes.push_back(builder.getIndexAttr(getType().getDimSize(d)));
    else
      sizes.push_back(tensor::getMixedSize(builder, loc, getInput(), d));
  }
  // A dynamic sliced dim: max(0, ceildiv(end' - start', step)).
  for (const SliceDim &slice : *dims) {
    if (!getType().isDynamicDim(slice.axis))
      continue;
    Value dim = cast<Value>(sizes[slice.axis]);
    Value start = clampSliceIndex(builder, loc, slice.start, dim);
    Value end = clampSliceIndex(builder, loc, slice.end, dim);
    Value length = arith::SubIOp::create(builder, loc, end, start);
    if (slice.step != 1)
      length = arith::CeilDivSIOp::create(
          builder, loc, length,
          arith::ConstantIndexOp::create(builder, loc, slice.step));
    Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
    sizes[slice.axis] = arith::MaxSIOp::create(builder, loc, length, zero)
                            .getResult();
  }
  reifiedShapes.push_back(std::move(sizes));
  return success();
}

//===----------------------------------------------------------------------===//
// SplitOp
//===----------------------------------------------------------------------===//

LogicalResult SplitOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> location,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t rank = inputType.getRank();
  FailureOr<int64_t> axis =
      normalizeAxisOrEmit(location, getOperationName(),
                          static_cast<int64_t>(adaptor.getAxis()), rank);
  if (failed(axis))
    return failure();
  ArrayRef<int64_t> sizes = adaptor.getSizes();
  if (sizes.empty())
    return emitOptionalError(location, "'", getOperationName(),
                             "' expects at least one size");
  int64_t total = 0;
  for (auto [i, size] : llvm::enumerate(sizes)) {
    if (size < 0)
      return emitOptionalError(location, "'", getOperationName(),
                               "' expects non-negative sizes, got ", size,
                               " at position ", i);
    if (llvm::AddOverflow(total, size, total))
      return emitOptionalError(location, "'", getOperationName(),
                               "' sizes overflow int64 when summed");
  }
  int64_t dim = inputType.getDimSize(*axis);
  if (!ShapedType::isDynamic(dim) && total != dim)
    return emitOptionalError(location, "'", getOperationName(),
                             "' expects sizes summing to ", dim, " (dim ",
                             *axis, " of the input), got ", total);
  for (int64_t size : sizes) {
    SmallVector<int64_t> shape(inputType.getShape());
    shape[*axis] = size;
    inferred.push_back(
        RankedTensorType::get(shape, inputType.getElementType()));
  }
  return success();
}

LogicalResult SplitOp::fold(FoldAdaptor,
                            SmallVectorImpl<OpFoldResult> &results) {
  if (getNumResults() != 1 || getResult(0).getType() != getInput().getType())
    return failure();
  results.push_back(getInput());
  return success();
}

LogicalResult
SplitOp::reifyResultShapes(OpBuilder &builder,
                           ReifiedRankedShapedTypeDims &reifiedShapes) {
  SmallVector<OpFoldResult> inputSizes =
      tensor::getMixedSizes(builder, getLoc(), getInput());
  int64_t axis = *normalizeAxis(static_cast<int64_t>(getAxis()),
                                getInput().getType().getRank());
  for (int64_t size : getSizes()) {
    SmallVector<OpFoldResult> sizes = inputSizes;
    sizes[axis] = builder.getIndexAttr(size);
    reifiedShapes.push_back(std::move(sizes));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ExpandOp
//===----------------------------------------------------------------------===//

LogicalResult ExpandOp::verify() {
  RankedTensorType inputType = getInput().getType(), resultType = getType();
  if (failed(verifyDynamicSizes(*this, resultType, getDynamicSizes())))
    return failure();
  int64_t inRank = inputType.getRank(), outRank = resultType.getRank();
  if (outRank < inRank)
    return emitOpError("expects a result rank of at least the input rank ")
           << inRank << ", got " << outRank;
  int64_t offset = outRank - inRank;
  for (int64_t d = 0; d < inRank; ++d) {
    int64_t in = inputType.getDimSize(d);
    int64_t out = resultType.getDimSize(d + offset);
    if (in == 1 || dimsCompatible(in, out))
      continue;
    return emitOpError("input dim ")
           << d << " of size " << in << " cannot broadcast to result dim "
           << d + offset << " of size " << out;
  }
  return success();
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType()) {
    // Every dynamic size must be the input's own dim; static dims are equal.
    unsigned next = 0;
    bool identity = true;
    for (int64_t d = 0; d < getType().getRank() && identity; ++d) {
      if (!getType().isDynamicDim(d))
        continue;
      auto dimOp = getDynamicSizes()[next++].getDefiningOp<tensor::DimOp>();
      std::optional<int64_t> index =
          dimOp ? dimOp.getConstantIndex() : std::nullopt;
      identity = dimOp && dimOp.getSource() == getInput() && index == d;
    }
    if (identity)
      return getInput();
  }
  if (auto splat = dyn_cast_or_null<SplatElementsAttr>(adaptor.getInput()))
    if (getType().hasStaticShape())
      return splat.resizeSplat(getType());
  return {};
}

LogicalResult
ExpandOp::reifyResultShapes(OpBuilder &builder,
                            ReifiedRankedShapedTypeDims &reifiedShapes) {
  reifiedShapes.push_back(mixedSizes(builder, getType(), getDynamicSizes()));
  return success();
}

//===----------------------------------------------------------------------===//
// SqueezeOp / UnsqueezeOp
//===----------------------------------------------------------------------===//

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> location,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  FailureOr<SmallVector<int64_t>> axes =
      normalizeUniqueAxes(location, getOperationName(), adaptor.getAxes(),
                          inputType.getRank());
  if (failed(axes))
    return failure();
  for (int64_t axis : *axes) {
    int64_t dim = inputType.getDimSize(axis);
    if (!ShapedType::isDynamic(dim) && dim != 1)
      return emitOptionalError(location, "'", getOperationName(),
                               "' can only remove dims of size 1, but dim ",
                               axis, " has size ", dim);
  }
  SmallVector<int64_t> shape;
  for (auto [d, dim] : llvm::enumerate(inputType.getShape()))
    if (!llvm::is_contained(*axes, static_cast<int64_t>(d)))
      shape.push_back(dim);
  inferred.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

/// The shape `input` gets when size-1 dims are inserted at `axes` (already
/// normalised against the result rank).
static SmallVector<int64_t> unsqueezedShape(ArrayRef<int64_t> input,
                                            ArrayRef<int64_t> axes) {
  int64_t rank = input.size() + axes.size();
  SmallVector<int64_t> shape;
  const int64_t *next = input.begin();
  for (int64_t d = 0; d < rank; ++d)
    shape.push_back(llvm::is_contained(axes, d) ? 1 : *next++);
  return shape;
}

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t rank = inputType.getRank() + adaptor.getAxes().size();
  FailureOr<SmallVector<int64_t>> axes = normalizeUniqueAxes(
      location, getOperationName(), adaptor.getAxes(), rank);
  if (failed(axes))
    return failure();
  inferred.push_back(RankedTensorType::get(
      unsqueezedShape(inputType.getShape(), *axes),
      inputType.getElementType()));
  return success();
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  if (getAxes().empty())
    return getInput();
  // squeeze(unsqueeze(x, a), a) -> x: the inserted 1s are removed again.
  if (auto unsqueeze = getInput().getDefiningOp<UnsqueezeOp>()) {
    int64_t rank = getInput().getType().getRank();
    auto axes = sortedNormalizedAxes(getAxes(), rank);
    if (axes && axes == sortedNormalizedAxes(unsqueeze.getAxes(), rank) &&
        unsqueeze.getInput().getType() == getType())
      return unsqueeze.getInput();
  }
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    if (getType().hasStaticShape())
      return dense.reshape(getType());
  return {};
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  if (getAxes().empty())
    return getInput();
  // unsqueeze(squeeze(x, a), a) -> x when the removed dims were static 1s
  // (then the types agree).
  if (auto squeeze = getInput().getDefiningOp<SqueezeOp>()) {
    int64_t rank = getType().getRank();
    auto axes = sortedNormalizedAxes(getAxes(), rank);
    if (axes && axes == sortedNormalizedAxes(squeeze.getAxes(), rank) &&
        squeeze.getInput().getType() == getType())
      return squeeze.getInput();
  }
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    if (getType().hasStaticShape())
      return dense.reshape(getType());
  return {};
}

LogicalResult
SqueezeOp::reifyResultShapes(OpBuilder &builder,
                             ReifiedRankedShapedTypeDims &reifiedShapes) {
  int64_t rank = getInput().getType().getRank();
  auto axes = sortedNormalizedAxes(getAxes(), rank);
  if (!axes)
    return failure();
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(*axes, d))
      sizes.push_back(tensor::getMixedSize(builder, getLoc(), getInput(), d));
  reifiedShapes.push_back(std::move(sizes));
  return success();
}

LogicalResult
UnsqueezeOp::reifyResultShapes(OpBuilder &builder,
                               ReifiedRankedShapedTypeDims &reifiedShapes) {
  int64_t rank = getType().getRank();
  auto axes = sortedNormalizedAxes(getAxes(), rank);
  if (!axes)
    return failure();
  SmallVector<OpFoldResult> sizes;
  int64_t next = 0;
  for (int64_t d = 0; d < rank; ++d)
    sizes.push_back(llvm::is_contained(*axes, d)
                        ? OpFoldResult(builder.getIndexAttr(1))
                        : tensor::getMixedSize(builder, getLoc(), getInput(),
                                               next++));
  reifiedShapes.push_back(std::move(sizes));
  return success();
}

//===----------------------------------------------------------------------===//
// GatherOp
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto dataType = cast<RankedTensorType>(adaptor.getData().getType());
  auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
  int64_t rank = dataType.getRank();
  FailureOr<int64_t> axis =
      normalizeAxisOrEmit(location, getOperationName(),
                          static_cast<int64_t>(adaptor.getAxis()), rank);
  if (failed(axis))
    return failure();
  ArrayRef<int64_t> data = dataType.getShape();
  SmallVector<int64_t> shape(data.take_front(*axis));
  llvm::append_range(shape, indicesType.getShape());
  llvm::append_range(shape, data.drop_front(*axis + 1));
  inferred.push_back(RankedTensorType::get(shape, dataType.getElementType()));
  return success();
}

LogicalResult
GatherOp::reifyResultShapes(OpBuilder &builder,
                            ReifiedRankedShapedTypeDims &reifiedShapes) {
  Location loc = getLoc();
  int64_t rank = getData().getType().getRank();
  int64_t axis = *normalizeAxis(static_cast<int64_t>(getAxis()), rank);
  SmallVector<OpFoldResult> data =
      tensor::getMixedSizes(builder, loc, getData());
  SmallVector<OpFoldResult> sizes(ArrayRef(data).take_front(axis));
  llvm::append_range(sizes, tensor::getMixedSizes(builder, loc, getIndices()));
  llvm::append_range(sizes, ArrayRef(data).drop_front(axis + 1));
  reifiedShapes.push_back(std::move(sizes));
  return success();
}

#define GET_OP_CLASSES
#include "Transformer/IR/TransformerShapeOps.cpp.inc"

//===- ShapeToTensor.cpp - lower the transformer shape ops to tensor ------===//
//
// Lowers the shape op group to upstream tensor and linalg ops that
// bufferize to views where possible:
//   reshape   -> tensor.collapse_shape / tensor.expand_shape when a
//                reassociation is provably right (see below), otherwise a
//                collapse to 1-D followed by an expand to the result, which
//                is row-major order by construction;
//   transpose -> linalg.transpose;
//   concat    -> tensor.concat;
//   slice     -> tensor.extract_slice (ONNX start clamping, computed with
//                arith for dynamic dims; steps become strides); a result
//                with a static 0 dim is a tensor.empty (extract_slice
//                rejects static offsets at the end of a dim);
//   split     -> one tensor.extract_slice per result (tensor.empty for an
//                empty piece);
//   expand    -> linalg.broadcast, after collapsing away the size-1 input
//                dims that stretch;
//   squeeze   -> tensor.collapse_shape (a tensor.cast first makes squeezed
//                dynamic dims static 1s);
//   unsqueeze -> tensor.expand_shape;
//   gather    -> linalg.generic over the result reading the indices and
//                doing a tensor.extract of the data, with negative indices
//                counting from the end of the gathered dim (ONNX).
//
// Reshape with dynamic dims: a reassociation found from the static shapes
// (getReassociationIndicesForCollapse) is only used when every group is
// provably right: its dims are static with equal products, or it maps one
// dynamic dim to one whose size operand is `tensor.dim` of that input dim;
// one group that cannot be proven is still right because the element counts
// of input and result agree (when no dim is a static 0). `?x?x768 ->
// ?x?x12x64` with sizes taken from `tensor.dim %x` is a plain expand.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/TransformerToLinalg/TransformerToLinalg.h"

#include "LoweringUtils.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::llm;

namespace {

/// `axis` in [-rank, rank) mapped to [0, rank) (the verifiers checked it).
int64_t normalizedAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// `type` with the dims `unit` set to static 1.
RankedTensorType withUnitDims(RankedTensorType type, ArrayRef<bool> unit) {
  SmallVector<int64_t> shape(type.getShape());
  for (auto [d, isUnit] : llvm::enumerate(unit))
    if (isUnit)
      shape[d] = 1;
  return RankedTensorType::get(shape, type.getElementType());
}

/// `value` as `type` (a tensor.cast when the types differ).
Value castTo(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

/// True when `size` (a result size of a reshape of `input`) is provably dim
/// `dim` of `input`: equal static sizes, or `tensor.dim %input, dim`.
bool isInputDim(Value input, int64_t dim, OpFoldResult size) {
  auto inputType = cast<RankedTensorType>(input.getType());
  std::optional<int64_t> constant = getConstantIntValue(size);
  if (!inputType.isDynamicDim(dim))
    return constant == inputType.getDimSize(dim);
  if (constant)
    return false;
  auto dimOp = cast<Value>(size).getDefiningOp<tensor::DimOp>();
  return dimOp && dimOp.getSource() == input && dimOp.getConstantIndex() == dim;
}

/// Whether reshaping `input` to `resultSizes` with `reassociation` (groups of
/// the higher-rank side, one per dim of the lower-rank side; `collapse` when
/// the input is the higher-rank side) is provably row-major-correct. See the
/// file comment.
bool isProvableReassociation(Value input, ArrayRef<OpFoldResult> resultSizes,
                             ArrayRef<ReassociationIndices> reassociation,
                             bool collapse) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto inputSize = [&](int64_t d) -> OpFoldResult {
    if (inputType.isDynamicDim(d))
      return OpFoldResult();
    return OpFoldResult(
        IntegerAttr::get(IndexType::get(input.getContext()),
                         inputType.getDimSize(d)));
  };
  bool hasZero = llvm::is_contained(inputType.getShape(), 0) ||
                 llvm::any_of(resultSizes, [](OpFoldResult size) {
                   return getConstantIntValue(size) == 0;
                 });
  int unproven = 0;
  for (auto [small, group] : llvm::enumerate(reassociation)) {
    // (input dim, size) pairs on each side, without static 1s.
    SmallVector<std::pair<int64_t, OpFoldResult>> inputs, results;
    auto add = [&](bool isInput, int64_t d) {
      OpFoldResult size = isInput ? inputSize(d) : resultSizes[d];
      if (size && getConstantIntValue(size) == 1)
        return;
      (isInput ? inputs : results).push_back({d, size});
    };
    for (int64_t d : group)
      add(collapse, d);
    add(!collapse, static_cast<int64_t>(small));
    auto product = [](ArrayRef<std::pair<int64_t, OpFoldResult>> sizes)
        -> std::optional<int64_t> {
      int64_t result = 1;
      for (const auto &entry : sizes) {
        std::optional<int64_t> constant =
            entry.second ? getConstantIntValue(entry.second) : std::nullopt;
        if (!constant)
          return std::nullopt;
        result *= *constant;
      }
      return result;
    };
    std::optional<int64_t> inProduct = product(inputs);
    std::optional<int64_t> outProduct = product(results);
    if (inProduct && outProduct && *inProduct == *outProduct)
      continue;
    if (inputs.size() == 1 && results.size() == 1 &&
        isInputDim(input, inputs[0].first, results[0].second))
      continue;
    ++unproven;
  }
  return unproven == 0 || (unproven == 1 && !hasZero);
}

/// The type that `tensor.collapse_shape` gives a tensor of `shape` with
/// `reassociation`: each group's product, dynamic when any of it is.
RankedTensorType getCollapsedType(ArrayRef<int64_t> shape,
                                  ArrayRef<ReassociationIndices> reassociation,
                                  Type elementType) {
  SmallVector<int64_t> collapsed;
  for (const ReassociationIndices &group : reassociation) {
    int64_t product = 1;
    for (int64_t d : group)
      product = ShapedType::isDynamic(shape[d]) || ShapedType::isDynamic(product)
                    ? ShapedType::kDynamic
                    : product * shape[d];
    collapsed.push_back(product);
  }
  return RankedTensorType::get(collapsed, elementType);
}

/// transformer.reshape -> collapse_shape / expand_shape (tensor.cast for a
/// same-rank refinement), or collapse to 1-D then expand. Casts adapt the
/// collapsed side to what the reshape ops' verifiers expect (a collapsed
/// dim is dynamic exactly when its group has a dynamic dim).
struct ReshapeLowering : OpRewritePattern<transformer::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    RankedTensorType inputType = op.getInput().getType();
    RankedTensorType resultType = op.getType();
    Type elementType = inputType.getElementType();
    int64_t inRank = inputType.getRank(), outRank = resultType.getRank();
    FailureOr<SmallVector<OpFoldResult>> resultSizes =
        getResultSizes(rewriter, op);
    if (failed(resultSizes))
      return failure();

    // Groups of the higher-rank side, one per dim of the other side.
    bool collapse = inRank >= outRank;
    std::optional<SmallVector<ReassociationIndices>> reassociation;
    if (inRank == outRank)
      reassociation = llvm::to_vector(llvm::map_range(
          llvm::seq<int64_t>(0, inRank),
          [](int64_t d) { return ReassociationIndices{d}; }));
    else if (inRank == 0 || outRank == 0)
      reassociation = SmallVector<ReassociationIndices>{};
    else if (collapse)
      reassociation = getReassociationIndicesForCollapse(inputType.getShape(),
                                                         resultType.getShape());
    else
      reassociation = getReassociationIndicesForCollapse(resultType.getShape(),
                                                         inputType.getShape());
    // Scalars have a single element, so the other side's dims are all 1.
    bool direct = inRank == 0 || outRank == 0 ||
                  (reassociation &&
                   isProvableReassociation(input, *resultSizes,
                                           *reassociation, collapse));
    Value result;
    if (direct && inRank == outRank) {
      result = castTo(rewriter, loc, input, resultType);
    } else if (direct && collapse) {
      Value collapsed = tensor::CollapseShapeOp::create(
          rewriter, loc,
          getCollapsedType(inputType.getShape(), *reassociation, elementType),
          castTo(rewriter, loc, input,
                 outRank == 0 ? withUnitDims(inputType,
                                             SmallVector<bool>(inRank, true))
                              : inputType),
          *reassociation);
      result = castTo(rewriter, loc, collapsed, resultType);
    } else if (direct && inRank == 0) {
      // To all 1s (the only static shape the expand accepts), then refine.
      SmallVector<bool> all(outRank, true);
      Value expanded = tensor::ExpandShapeOp::create(
          rewriter, loc, withUnitDims(resultType, all), input,
          ArrayRef<ReassociationIndices>{},
          SmallVector<OpFoldResult>(outRank, rewriter.getIndexAttr(1)));
      result = castTo(rewriter, loc, expanded, resultType);
    } else if (direct) {
      Value source = castTo(
          rewriter, loc, input,
          getCollapsedType(resultType.getShape(), *reassociation, elementType));
      result = tensor::ExpandShapeOp::create(rewriter, loc, resultType, source,
                                             *reassociation, *resultSizes);
    } else {
      // Row-major order through 1-D (both ranks are at least 1 here).
      ReassociationIndices inAll =
          llvm::to_vector<2>(llvm::seq<int64_t>(0, inRank));
      ReassociationIndices outAll =
          llvm::to_vector<2>(llvm::seq<int64_t>(0, outRank));
      Value flat = input;
      if (inRank != 1)
        flat = tensor::CollapseShapeOp::create(
            rewriter, loc,
            getCollapsedType(inputType.getShape(), {inAll}, elementType), input,
            ArrayRef<ReassociationIndices>{inAll});
      flat = castTo(rewriter, loc, flat,
                    getCollapsedType(resultType.getShape(), {outAll},
                                     elementType));
      result = outRank == 1
                   ? flat
                   : tensor::ExpandShapeOp::create(
                         rewriter, loc, resultType, flat,
                         ArrayRef<ReassociationIndices>{outAll}, *resultSizes)
                         .getResult();
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// transpose, concat
//===----------------------------------------------------------------------===//

/// transformer.transpose -> linalg.transpose (same permutation convention:
/// result dim k is input dim permutation[k]).
struct TransposeLowering : OpRewritePattern<transformer::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<Value> init = createEmptyForResult(rewriter, op);
    if (failed(init))
      return failure();
    auto transpose = linalg::TransposeOp::create(
        rewriter, op.getLoc(), op.getInput(), *init, op.getPermutation());
    rewriter.replaceOp(op, transpose->getResult(0));
    return success();
  }
};

/// transformer.concat -> tensor.concat (its result type may be less static
/// than ours: a dim static in one input only; a tensor.cast refines it).
struct ConcatLowering : OpRewritePattern<transformer::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::ConcatOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType resultType = op.getType();
    int64_t axis =
        normalizedAxis(static_cast<int64_t>(op.getAxis()), resultType.getRank());
    auto concat = tensor::ConcatOp::create(rewriter, op.getLoc(), axis,
                                           op.getInputs());
    rewriter.replaceOp(op, castTo(rewriter, op.getLoc(), concat.getResult(),
                                  resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// slice, split
//===----------------------------------------------------------------------===//

/// The offset of a slice starting at `index` along dim `d` of `input`: ONNX
/// Slice's clamping (negative counts from the end, then clamp to [0, dim]),
/// static when the dim is. For a dynamic dim the offset is further kept
/// below the dim, which changes nothing when the slice has elements (then
/// start < end <= dim) and keeps an empty slice's offset in bounds once the
/// size folds to a constant (extract_slice and subview verify static
/// offsets against the dim).
OpFoldResult clampStart(OpBuilder &b, Location loc, Value input, int64_t d,
                        int64_t index) {
  auto type = cast<RankedTensorType>(input.getType());
  if (!type.isDynamicDim(d)) {
    int64_t dim = type.getDimSize(d);
    if (index < 0)
      index += dim;
    return b.getIndexAttr(std::clamp<int64_t>(index, 0, dim));
  }
  if (index == 0)
    return b.getIndexAttr(0);
  Value dim = tensor::DimOp::create(b, loc, input, d);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value bounded;
  if (index > 0) {
    // min(index, dim - 1), then max(., 0) for an empty dim.
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value last = arith::SubIOp::create(b, loc, dim, one);
    Value indexValue = arith::ConstantIndexOp::create(b, loc, index);
    bounded = arith::MinSIOp::create(b, loc, indexValue, last);
  } else {
    // dim + index < dim already.
    Value indexValue = arith::ConstantIndexOp::create(b, loc, index);
    bounded = arith::AddIOp::create(b, loc, dim, indexValue);
  }
  return arith::MaxSIOp::create(b, loc, bounded, zero).getResult();
}

/// transformer.slice -> tensor.extract_slice with clamped offsets, the op's
/// reified sizes and the steps as strides.
struct SliceLowering : OpRewritePattern<transformer::SliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::SliceOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    int64_t rank = op.getInput().getType().getRank();
    FailureOr<SmallVector<OpFoldResult>> sizes = getResultSizes(rewriter, op);
    if (failed(sizes))
      return failure();
    // No elements: extract_slice would reject a static offset at the end of
    // the dim (or any offset into a size-0 dim).
    if (llvm::is_contained(op.getType().getShape(), 0)) {
      rewriter.replaceOp(op, tensor::EmptyOp::create(
                                 rewriter, loc, *sizes,
                                 op.getType().getElementType())
                                 .getResult());
      return success();
    }
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    ArrayRef<int64_t> starts = op.getStarts();
    for (size_t i = 0; i < starts.size(); ++i) {
      int64_t axis = op.getAxes()
                         ? normalizedAxis((*op.getAxes())[i], rank)
                         : static_cast<int64_t>(i);
      offsets[axis] = clampStart(rewriter, loc, input, axis, starts[i]);
      if (op.getSteps())
        strides[axis] = rewriter.getIndexAttr((*op.getSteps())[i]);
    }
    rewriter.replaceOp(op, tensor::ExtractSliceOp::create(
                               rewriter, loc, op.getType(), input, offsets,
                               *sizes, strides)
                               .getResult());
    return success();
  }
};

/// transformer.split -> one tensor.extract_slice per piece.
struct SplitLowering : OpRewritePattern<transformer::SplitOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::SplitOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    int64_t rank = op.getInput().getType().getRank();
    int64_t axis = normalizedAxis(static_cast<int64_t>(op.getAxis()), rank);
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    SmallVector<Value> pieces;
    int64_t offset = 0;
    for (auto [size, result] : llvm::zip(op.getSizes(), op.getResults())) {
      offsets[axis] = rewriter.getIndexAttr(offset);
      sizes[axis] = rewriter.getIndexAttr(size);
      auto type = cast<RankedTensorType>(result.getType());
      // An empty piece (possibly at the end of the dim) needs no slice.
      if (llvm::is_contained(type.getShape(), 0))
        pieces.push_back(tensor::EmptyOp::create(rewriter, loc, sizes,
                                                 type.getElementType()));
      else
        pieces.push_back(tensor::ExtractSliceOp::create(
            rewriter, loc, type, input, offsets, sizes, strides));
      offset += size;
    }
    rewriter.replaceOp(op, pieces);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// expand, squeeze, unsqueeze
//===----------------------------------------------------------------------===//

/// transformer.expand -> linalg.broadcast. Input dims that are a static 1
/// against a result dim that is not are collapsed away first, so that the
/// broadcast only adds dims (leading ones and those).
struct ExpandLowering : OpRewritePattern<transformer::ExpandOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::ExpandOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType inputType = op.getInput().getType();
    RankedTensorType resultType = op.getType();
    int64_t inRank = inputType.getRank(), outRank = resultType.getRank();
    int64_t leading = outRank - inRank;
    FailureOr<Value> init = createEmptyForResult(rewriter, op);
    if (failed(init))
      return failure();

    SmallVector<bool> stretched(inRank, false);
    SmallVector<int64_t> dimensions =
        llvm::to_vector(llvm::seq<int64_t>(0, leading));
    SmallVector<int64_t> keptShape, keptResultShape;
    for (int64_t d = 0; d < inRank; ++d) {
      int64_t in = inputType.getDimSize(d);
      int64_t out = resultType.getDimSize(d + leading);
      stretched[d] = in == 1 && out != 1;
      if (stretched[d]) {
        dimensions.push_back(d + leading);
        continue;
      }
      keptShape.push_back(in);
      keptResultShape.push_back(out);
    }
    Value input = op.getInput();
    Type elementType = inputType.getElementType();
    if (llvm::is_contained(stretched, true))
      input = tensor::CollapseShapeOp::create(
          rewriter, loc, RankedTensorType::get(keptShape, elementType), input,
          getUnitDimReassociation(stretched));
    // linalg.broadcast wants the kept dims exactly as in the result (a
    // dynamic dim on one side only is equal at run time).
    input = castTo(rewriter, loc, input,
                   RankedTensorType::get(keptResultShape, elementType));
    auto broadcast =
        linalg::BroadcastOp::create(rewriter, loc, input, *init, dimensions);
    rewriter.replaceOp(op, broadcast->getResult(0));
    return success();
  }
};

/// The listed `axes` of a rank-`rank` shape as flags.
SmallVector<bool> axisFlags(ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<bool> flags(rank, false);
  for (int64_t axis : axes)
    flags[normalizedAxis(axis, rank)] = true;
  return flags;
}

/// transformer.squeeze -> tensor.collapse_shape (after a tensor.cast that
/// makes squeezed dynamic dims static 1s).
struct SqueezeLowering : OpRewritePattern<transformer::SqueezeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::SqueezeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType inputType = op.getInput().getType();
    SmallVector<bool> squeezed = axisFlags(op.getAxes(), inputType.getRank());
    if (!llvm::is_contained(squeezed, true)) {
      rewriter.replaceOp(op, castTo(rewriter, loc, op.getInput(), op.getType()));
      return success();
    }
    Value input = castTo(rewriter, loc, op.getInput(),
                         withUnitDims(inputType, squeezed));
    rewriter.replaceOp(op, tensor::CollapseShapeOp::create(
                               rewriter, loc, op.getType(), input,
                               getUnitDimReassociation(squeezed))
                               .getResult());
    return success();
  }
};

/// transformer.unsqueeze -> tensor.expand_shape.
struct UnsqueezeLowering : OpRewritePattern<transformer::UnsqueezeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::UnsqueezeOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType resultType = op.getType();
    SmallVector<bool> inserted = axisFlags(op.getAxes(), resultType.getRank());
    if (!llvm::is_contained(inserted, true)) {
      rewriter.replaceOp(
          op, castTo(rewriter, op.getLoc(), op.getInput(), resultType));
      return success();
    }
    FailureOr<SmallVector<OpFoldResult>> sizes = getResultSizes(rewriter, op);
    if (failed(sizes))
      return failure();
    rewriter.replaceOp(op, tensor::ExpandShapeOp::create(
                               rewriter, op.getLoc(), resultType,
                               op.getInput(), getUnitDimReassociation(inserted),
                               *sizes)
                               .getResult());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// gather
//===----------------------------------------------------------------------===//

/// transformer.gather -> linalg.generic over the result: reads the index at
/// the result's indices dims, normalises a negative one by adding the
/// gathered dim's size, and extracts data[outer..., index, inner...].
struct GatherLowering : OpRewritePattern<transformer::GatherOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(transformer::GatherOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = op.getData();
    Value indices = op.getIndices();
    int64_t dataRank = op.getData().getType().getRank();
    int64_t indicesRank = op.getIndices().getType().getRank();
    int64_t resultRank = op.getType().getRank();
    int64_t axis = normalizedAxis(static_cast<int64_t>(op.getAxis()), dataRank);
    FailureOr<Value> init = createEmptyForResult(rewriter, op);
    if (failed(init))
      return failure();
    Value axisSize = getValueOrCreateConstantIndexOp(
        rewriter, loc, tensor::getMixedSize(rewriter, loc, data, axis));

    MLIRContext *context = rewriter.getContext();
    SmallVector<AffineExpr> indexExprs;
    for (int64_t d = 0; d < indicesRank; ++d)
      indexExprs.push_back(getAffineDimExpr(axis + d, context));
    SmallVector<AffineMap> maps = {
        AffineMap::get(resultRank, 0, indexExprs, context),
        rewriter.getMultiDimIdentityMap(resultRank)};
    SmallVector<utils::IteratorType> iterators(resultRank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{op.getType()}, ValueRange{indices},
        ValueRange{*init}, maps, iterators,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Value index = wrapIndex(b, bodyLoc, args[0], axisSize);
          SmallVector<Value> coordinates;
          for (int64_t d = 0; d < axis; ++d)
            coordinates.push_back(linalg::IndexOp::create(b, bodyLoc, d));
          coordinates.push_back(index);
          for (int64_t d = axis + 1; d < dataRank; ++d)
            coordinates.push_back(
                linalg::IndexOp::create(b, bodyLoc, d - 1 + indicesRank));
          Value element =
              tensor::ExtractOp::create(b, bodyLoc, data, coordinates);
          linalg::YieldOp::create(b, bodyLoc, element);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void mlir::llm::populateTransformerShapeToTensorPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReshapeLowering, TransposeLowering, ConcatLowering,
               SliceLowering, SplitLowering, ExpandLowering, SqueezeLowering,
               UnsqueezeLowering, GatherLowering>(patterns.getContext());
}

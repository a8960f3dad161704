//===- ShapeOps.cpp - ONNX shape and data-movement ops ---------------------===//
//
// Converters for ONNX's shape computations (Shape, Size, ConstantOfShape,
// Range) and data-movement ops (Reshape, Flatten, Transpose, Concat, Split,
// Slice, Gather, Squeeze, Unsqueeze, Expand) into the transformer dialect's
// shape op group.
//
// The shape subgraphs exporters emit (Shape -> Gather -> Unsqueeze -> Concat
// -> Reshape, and arithmetic on the pieces) are evaluated on symbolic
// integers: a dim is a constant when static and a `tensor.dim` value when
// not, so `transformer.reshape` gets a static result type, or one with `?`
// plus the `index` values of those dims. Nothing is emitted for the shape
// subgraph itself unless a non-shape op consumes its values. A Slice whose
// bounds depend on dynamic dims (GPT-2's causal-mask window
// `bias[:, :, k-q:k, :k]` with a dynamic sequence) becomes a
// `tensor.extract_slice` with index-valued offsets and sizes, as
// `transformer.slice` only takes static bounds.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::onnx_import;
namespace tf = mlir::llm::transformer;

/// Result type of symbolic integers: rank 0 or a vector of `len` elements.
static RankedTensorType intsType(Type elementType, bool vector, int64_t len) {
  return vector ? RankedTensorType::get({len}, elementType)
                : RankedTensorType::get({}, elementType);
}

static bool allConstant(ArrayRef<SymInt> values) {
  return llvm::all_of(values, [](const SymInt &s) { return s.isConstant(); });
}

//===----------------------------------------------------------------------===//
// Shape, Size
//===----------------------------------------------------------------------===//

static LogicalResult convertShape(NodeImporter &n) {
  RankedTensorType type = n.inputType(0);
  int64_t rank = type.getRank();
  int64_t start = n.intAttr("start", 0), end = n.intAttr("end", rank);
  auto clampIndex = [&](int64_t v) {
    if (v < 0)
      v += rank;
    return std::clamp<int64_t>(v, 0, rank);
  };
  start = clampIndex(start);
  end = clampIndex(end);
  SymInts dims;
  Value x;
  for (int64_t d = start; d < end; ++d) {
    if (!type.isDynamicDim(d)) {
      dims.push_back(SymInt::of(type.getDimSize(d)));
      continue;
    }
    if (!x) {
      FailureOr<Value> v = n.input(0);
      if (failed(v))
        return failure();
      x = *v;
    }
    dims.push_back(n.dimOf(x, d));
  }
  int64_t len = dims.size();
  n.setOutputInts(0, std::move(dims),
                  intsType(n.builder.getI64Type(), true, len));
  return success();
}

static LogicalResult convertSize(NodeImporter &n) {
  RankedTensorType type = n.inputType(0);
  SymInt size = SymInt::of(1);
  if (type.hasStaticShape()) {
    size = SymInt::of(type.getNumElements());
  } else {
    FailureOr<Value> x = n.input(0);
    if (failed(x))
      return failure();
    size = n.product(n.dimsOf(*x));
  }
  n.setOutputInts(0, {size}, intsType(n.builder.getI64Type(), false, 1));
  return success();
}

//===----------------------------------------------------------------------===//
// Reshape, Flatten
//===----------------------------------------------------------------------===//

static LogicalResult convertReshape(NodeImporter &n) {
  const SymInts *shape = n.inputInts(1);
  if (!shape)
    return n.emitError() << "the shape input ('"
                         << (n.hasInput(1) ? n.node.input(1) : "")
                         << "') must be computable at import time (a "
                            "constant or a shape computation)";
  bool allowZero = n.opset >= 14 && n.intAttr("allowzero", 0) != 0;
  RankedTensorType inType = n.inputType(0);

  // A known integer vector reshaped to rank 0/1 stays known.
  if (const SymInts *ints = n.inputInts(0);
      ints && shape->size() <= 1 && allConstant(*shape)) {
    int64_t len = shape->empty() ? 1 : (*shape)[0].constant;
    if (len == -1 || len == static_cast<int64_t>(ints->size())) {
      n.setOutputInts(0, *ints,
                      intsType(inType.getElementType(), !shape->empty(),
                               ints->size()));
      return success();
    }
  }

  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  SymInts dims;
  int inferred = -1;
  for (size_t i = 0; i < shape->size(); ++i) {
    const SymInt &s = (*shape)[i];
    if (s.isConstant() && s.constant == 0 && !allowZero) {
      if (static_cast<int64_t>(i) >= inType.getRank())
        return n.emitError() << "shape[" << i
                             << "] = 0 copies a dim the input (rank "
                             << inType.getRank() << ") does not have";
      dims.push_back(n.dimOf(*x, i));
    } else if (s.isConstant() && s.constant == -1) {
      if (inferred >= 0)
        return n.emitError() << "shape has more than one -1";
      inferred = i;
      dims.push_back(SymInt::of(1));
    } else if (s.isConstant() && s.constant < 0) {
      return n.emitError() << "shape[" << i << "] is " << s.constant
                           << "; dims must be >= -1";
    } else {
      dims.push_back(s);
    }
  }
  if (inferred >= 0) {
    SymInt total = inType.hasStaticShape()
                       ? SymInt::of(inType.getNumElements())
                       : n.product(n.dimsOf(*x));
    SymInt known = n.product(dims);
    if (total.isConstant() && known.isConstant()) {
      if (known.constant == 0 || total.constant % known.constant != 0)
        return n.emitError() << "cannot reshape " << inType
                             << ": the other dims of the shape (product "
                             << known.constant << ") do not divide its "
                             << total.constant << " elements";
      dims[inferred] = SymInt::of(total.constant / known.constant);
    } else {
      dims[inferred] = n.exactDiv(total, known);
    }
  }
  if (inType.hasStaticShape() && allConstant(dims)) {
    int64_t count = 1;
    for (const SymInt &d : dims)
      if (llvm::MulOverflow(count, d.constant, count))
        return n.emitError() << "the shape's element count overflows";
    if (count != inType.getNumElements())
      return n.emitError() << "cannot reshape " << inType << " ("
                           << inType.getNumElements() << " elements) to "
                           << count << " elements";
  }
  n.setOutput(0, n.reshape(*x, dims));
  return success();
}

static LogicalResult convertFlatten(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  int64_t axis = n.intAttr("axis", 1);
  if (axis < -rank || axis > rank)
    return n.emitError() << "expects axis in [" << -rank << ", " << rank
                         << "], got " << axis;
  if (axis < 0)
    axis += rank;
  SymInts dims = n.dimsOf(*x);
  SymInt outer = n.product(ArrayRef<SymInt>(dims).take_front(axis));
  SymInt inner = n.product(ArrayRef<SymInt>(dims).drop_front(axis));
  n.setOutput(0, n.reshape(*x, {outer, inner}));
  return success();
}

//===----------------------------------------------------------------------===//
// Transpose, Concat, Split
//===----------------------------------------------------------------------===//

static LogicalResult convertTranspose(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  SmallVector<int64_t> perm;
  if (auto attr = n.intsAttr("perm")) {
    perm = *attr;
  } else {
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  }
  auto op = createInferred<tf::TransposeOp>(
      n.builder, n.loc, 1, *x, n.builder.getDenseI64ArrayAttr(perm));
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

static LogicalResult convertConcat(NodeImporter &n) {
  int64_t axis = n.intAttr("axis", 0);
  // Concatenation of known integer vectors (shape building).
  bool allInts = n.numInputs() > 0;
  for (int i = 0; i < n.numInputs() && allInts; ++i)
    allInts = n.inputInts(i) && n.inputType(i).getRank() == 1;
  if (allInts && (axis == 0 || axis == -1)) {
    SymInts out;
    for (int i = 0; i < n.numInputs(); ++i)
      out.append(n.inputInts(i)->begin(), n.inputInts(i)->end());
    int64_t len = out.size();
    n.setOutputInts(0, std::move(out),
                    intsType(n.inputType(0).getElementType(), true, len));
    return success();
  }
  SmallVector<Value> inputs;
  for (int i = 0; i < n.numInputs(); ++i) {
    FailureOr<Value> v = n.input(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  auto op = createInferred<tf::ConcatOp>(n.builder, n.loc, 1,
                                         ValueRange(inputs),
                                         n.builder.getI64IntegerAttr(axis));
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

/// Split of a known integer vector (shape building, e.g. the repeat counts
/// torch's repeat_interleave export splits per element): known pieces.
static bool splitKnownInts(NodeImporter &n, ArrayRef<int64_t> sizes) {
  const SymInts *ints = n.inputInts(0);
  RankedTensorType type = n.inputType(0);
  if (!ints || type.getRank() != 1 ||
      static_cast<int64_t>(sizes.size()) != n.numOutputs())
    return false;
  int64_t total = 0;
  for (int64_t size : sizes)
    total += size;
  if (total != static_cast<int64_t>(ints->size()))
    return false;
  int64_t offset = 0;
  for (auto [i, size] : llvm::enumerate(sizes)) {
    n.setOutputInts(i, SymInts(ints->begin() + offset,
                               ints->begin() + offset + size),
                    intsType(type.getElementType(), true, size));
    offset += size;
  }
  return true;
}

static LogicalResult convertSplit(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  FailureOr<int64_t> axis =
      n.normalizeAxis(n.intAttr("axis", 0), type.getRank(), "axis");
  if (failed(axis))
    return failure();
  SmallVector<int64_t> sizes;
  int64_t numOutputs = n.numOutputs();
  FailureOr<std::optional<SmallVector<int64_t>>> given =
      n.intsInputOrAttr(1, "split", 13);
  if (failed(given))
    return failure();
  if (*given) {
    sizes = **given;
  } else {
    if (n.opset >= 18) {
      if (!n.attr("num_outputs"))
        return n.emitError()
               << "expects the 'split' input or the 'num_outputs' attribute";
      numOutputs = n.intAttr("num_outputs", numOutputs);
    }
    if (numOutputs <= 0)
      return n.emitError() << "expects at least one output";
    if (type.isDynamicDim(*axis))
      return n.emitError() << "splitting dynamic dim " << *axis
                           << " into equal parts is unsupported; give the "
                              "'split' sizes";
    int64_t dim = type.getDimSize(*axis);
    // Opset 18: chunks of ceil(dim / n), the last one smaller; before, the
    // split must be even.
    int64_t chunk = llvm::divideCeil(dim, numOutputs);
    if (n.opset < 18 && dim % numOutputs != 0)
      return n.emitError() << "cannot split dim " << *axis << " of size "
                           << dim << " into " << numOutputs
                           << " equal parts";
    for (int64_t i = 0; i < numOutputs; ++i)
      sizes.push_back(std::max<int64_t>(0, std::min(chunk, dim - i * chunk)));
  }
  if (static_cast<int64_t>(sizes.size()) != n.numOutputs())
    return n.emitError() << "splits into " << sizes.size()
                         << " pieces but has " << n.numOutputs()
                         << " outputs";
  if (*axis == 0 && splitKnownInts(n, sizes))
    return success();
  auto op = createInferred<tf::SplitOp>(
      n.builder, n.loc, sizes.size(), *x, n.builder.getI64IntegerAttr(*axis),
      n.builder.getDenseI64ArrayAttr(sizes));
  if (failed(op))
    return failure();
  for (unsigned i = 0; i < sizes.size(); ++i)
    n.setOutput(i, op->getResult(i));
  return success();
}

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

/// `v` normalized to a position in a dim of size `dim` as ONNX Slice does:
/// negative counts from the end, then clamped to [0, dim]. Dynamic values
/// use arith (cmpi/select/minsi/maxsi) on `index`.
static SymInt clampSliceBound(NodeImporter &n, const SymInt &v,
                              const SymInt &dim) {
  if (!v.isConstant() && isNonNegative(v))
    return n.min(v, dim);
  if (v.isConstant()) {
    if (v.constant >= 0) {
      if (dim.isConstant())
        return SymInt::of(std::min(v.constant, dim.constant));
      // INT64_MAX and other huge ends mean "to the end".
      return v.constant >= (int64_t(1) << 62) ? dim : n.min(v, dim);
    }
    return n.max(SymInt::of(0), n.add(dim, v));
  }
  OpBuilder &b = n.builder;
  Value value = v.dynamic, size = n.indexValue(dim);
  Value zero = n.indexValue(SymInt::of(0));
  Value negative = arith::CmpIOp::create(b, n.loc, arith::CmpIPredicate::slt,
                                         value, zero);
  Value wrapped = arith::SelectOp::create(
      b, n.loc, negative, arith::AddIOp::create(b, n.loc, value, size), value);
  return n.max(SymInt::of(0), n.min(SymInt::of(wrapped), dim));
}

/// Slice with bounds that depend on dynamic dims: `tensor.extract_slice` with
/// the bounds computed on `index` values (positive steps only).
static LogicalResult emitDynamicSlice(NodeImporter &n, const SymInts &starts,
                                      const SymInts &ends,
                                      ArrayRef<int64_t> axes,
                                      ArrayRef<int64_t> steps) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> offsets, sizes, strides;
  SymInts dims = n.dimsOf(*x);
  for (int64_t d = 0; d < rank; ++d) {
    offsets.push_back(n.builder.getIndexAttr(0));
    sizes.push_back(dims[d].isConstant()
                        ? OpFoldResult(n.builder.getIndexAttr(dims[d].constant))
                        : OpFoldResult(dims[d].dynamic));
    strides.push_back(n.builder.getIndexAttr(1));
  }
  auto fold = [&](const SymInt &s) -> OpFoldResult {
    return s.isConstant() ? OpFoldResult(n.builder.getIndexAttr(s.constant))
                          : OpFoldResult(s.dynamic);
  };
  llvm::SmallDenseSet<int64_t> seen;
  for (size_t i = 0; i < starts.size(); ++i) {
    FailureOr<int64_t> axis = n.normalizeAxis(axes[i], rank, "axes");
    if (failed(axis))
      return failure();
    if (!seen.insert(*axis).second)
      return n.emitError() << "axis " << *axis << " is sliced twice";
    if (steps[i] <= 0)
      return n.emitError() << "slices with dynamic bounds need positive "
                              "steps, got "
                           << steps[i];
    SymInt start = clampSliceBound(n, starts[i], dims[*axis]);
    SymInt end = clampSliceBound(n, ends[i], dims[*axis]);
    SymInt size = n.max(SymInt::of(0),
                        n.ceilDiv(n.sub(end, start), SymInt::of(steps[i])));
    offsets[*axis] = fold(start);
    sizes[*axis] = fold(size);
    strides[*axis] = n.builder.getIndexAttr(steps[i]);
  }
  Value r = tensor::ExtractSliceOp::create(n.builder, n.loc, *x, offsets,
                                           sizes, strides);
  // The result's dims are the sizes (the unit dims of the slice are kept).
  SymInts resultDims;
  for (OpFoldResult size : sizes)
    resultDims.push_back(isa<Value>(size)
                             ? SymInt::of(cast<Value>(size))
                             : SymInt::of(*getConstantIntValue(size)));
  n.graph.setDims(r, resultDims);
  n.setOutput(0, r);
  return success();
}

static LogicalResult convertSlice(NodeImporter &n) {
  const SymInts *startInts = n.inputInts(1), *endInts = n.inputInts(2);
  if (startInts && endInts &&
      (!allConstant(*startInts) || !allConstant(*endInts))) {
    SmallVector<int64_t> axes, steps;
    if (n.hasInput(3)) {
      FailureOr<SmallVector<int64_t>> a = n.constantInts(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    } else {
      for (size_t i = 0; i < startInts->size(); ++i)
        axes.push_back(i);
    }
    if (n.hasInput(4)) {
      FailureOr<SmallVector<int64_t>> st = n.constantInts(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    } else {
      steps.assign(startInts->size(), 1);
    }
    if (startInts->size() != endInts->size() ||
        axes.size() != startInts->size() || steps.size() != startInts->size())
      return n.emitError() << "starts, ends, axes and steps must have the "
                              "same length";
    return emitDynamicSlice(n, *startInts, *endInts, axes, steps);
  }
  FailureOr<SmallVector<int64_t>> starts = n.constantInts(1, "starts");
  if (failed(starts))
    return failure();
  FailureOr<SmallVector<int64_t>> ends = n.constantInts(2, "ends");
  if (failed(ends))
    return failure();
  std::optional<SmallVector<int64_t>> axes, steps;
  if (n.hasInput(3)) {
    FailureOr<SmallVector<int64_t>> a = n.constantInts(3, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  }
  if (n.hasInput(4)) {
    FailureOr<SmallVector<int64_t>> s = n.constantInts(4, "steps");
    if (failed(s))
      return failure();
    steps = *s;
  }
  if (starts->size() != ends->size() || (axes && axes->size() != starts->size()) ||
      (steps && steps->size() != starts->size()))
    return n.emitError() << "starts, ends, axes and steps must have the same "
                            "length";

  // Slicing a known integer vector (shape[1:3] and the like).
  if (const SymInts *ints = n.inputInts(0);
      ints && n.inputType(0).getRank() == 1 && starts->size() == 1 &&
      (!axes || (*axes)[0] == 0 || (*axes)[0] == -1) &&
      (!steps || (*steps)[0] > 0)) {
    int64_t len = ints->size(), step = steps ? (*steps)[0] : 1;
    auto clampIndex = [&](int64_t v) {
      if (v < 0)
        v += len;
      return std::clamp<int64_t>(v, 0, len);
    };
    int64_t start = clampIndex((*starts)[0]), end = clampIndex((*ends)[0]);
    SymInts out;
    for (int64_t i = start; i < end; i += step)
      out.push_back((*ints)[i]);
    int64_t outLen = out.size();
    n.setOutputInts(0, std::move(out),
                    intsType(n.inputType(0).getElementType(), true, outLen));
    return success();
  }

  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  Builder &b = n.builder;
  auto op = createInferred<tf::SliceOp>(
      n.builder, n.loc, 1, *x, b.getDenseI64ArrayAttr(*starts),
      b.getDenseI64ArrayAttr(*ends),
      axes ? b.getDenseI64ArrayAttr(*axes) : DenseI64ArrayAttr(),
      steps ? b.getDenseI64ArrayAttr(*steps) : DenseI64ArrayAttr());
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

//===----------------------------------------------------------------------===//
// Gather, Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

static LogicalResult convertGather(NodeImporter &n) {
  int64_t axis = n.intAttr("axis", 0);
  // Picking elements of a known integer vector (shape[i]).
  const SymInts *data = n.inputInts(0), *indices = n.inputInts(1);
  if (data && indices && n.inputType(0).getRank() == 1 &&
      (axis == 0 || axis == -1) && allConstant(*indices)) {
    int64_t len = data->size();
    SymInts out;
    for (const SymInt &i : *indices) {
      int64_t idx = i.constant < 0 ? i.constant + len : i.constant;
      if (idx < 0 || idx >= len)
        return n.emitError() << "index " << i.constant
                             << " is out of range for a dim of size " << len;
      out.push_back((*data)[idx]);
    }
    int64_t outLen = out.size();
    n.setOutputInts(0, std::move(out),
                    intsType(n.inputType(0).getElementType(),
                             n.inputType(1).getRank() == 1, outLen));
    return success();
  }
  FailureOr<Value> x = n.input(0), idx = n.input(1);
  if (failed(x) || failed(idx))
    return failure();
  auto op = createInferred<tf::GatherOp>(n.builder, n.loc, 1, *x, *idx,
                                         n.builder.getI64IntegerAttr(axis));
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

static LogicalResult convertUnsqueeze(NodeImporter &n) {
  FailureOr<std::optional<SmallVector<int64_t>>> given =
      n.intsInputOrAttr(1, "axes", 13);
  if (failed(given))
    return failure();
  if (!*given)
    return n.emitError() << "expects axes";
  SmallVector<int64_t> *axes = &**given;
  if (const SymInts *ints = n.inputInts(0);
      ints && n.inputType(0).getRank() == 0 && axes->size() == 1 &&
      ((*axes)[0] == 0 || (*axes)[0] == -1)) {
    n.setOutputInts(0, *ints, intsType(n.inputType(0).getElementType(), true, 1));
    return success();
  }
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  auto op = createInferred<tf::UnsqueezeOp>(
      n.builder, n.loc, 1, *x, n.builder.getDenseI64ArrayAttr(*axes));
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

static LogicalResult convertSqueeze(NodeImporter &n) {
  RankedTensorType type = n.inputType(0);
  SmallVector<int64_t> axes;
  FailureOr<std::optional<SmallVector<int64_t>>> given =
      n.intsInputOrAttr(1, "axes", 13);
  if (failed(given))
    return failure();
  if (*given) {
    axes = **given;
  } else {
    // Every size-1 dim; a dynamic dim makes that ambiguous.
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (type.isDynamicDim(d))
        return n.emitError() << "squeezing without axes needs a static "
                                "shape, got "
                             << type;
      if (type.getDimSize(d) == 1)
        axes.push_back(d);
    }
  }
  if (const SymInts *ints = n.inputInts(0);
      ints && type.getRank() == 1 && ints->size() == 1 && axes.size() == 1 &&
      (axes[0] == 0 || axes[0] == -1)) {
    n.setOutputInts(0, *ints, intsType(type.getElementType(), false, 1));
    return success();
  }
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  auto op = createInferred<tf::SqueezeOp>(n.builder, n.loc, 1, *x,
                                          n.builder.getDenseI64ArrayAttr(axes));
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

//===----------------------------------------------------------------------===//
// Expand, ConstantOfShape, Range
//===----------------------------------------------------------------------===//

/// Broadcasts `x` to `shape` (numpy rules) with `transformer.expand`.
static FailureOr<Value> emitExpand(NodeImporter &n, Value x,
                                   ArrayRef<SymInt> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = std::max<int64_t>(type.getRank(), shape.size());
  SymInts dims(rank, SymInt::of(1));
  for (int64_t i = 0; i < rank; ++i) {
    int64_t si = i - (rank - static_cast<int64_t>(shape.size()));
    int64_t xi = i - (rank - type.getRank());
    SymInt s = si >= 0 ? shape[si] : SymInt::of(1);
    if (xi < 0) {
      dims[i] = s;
      continue;
    }
    SymInt d = n.dimOf(x, xi);
    if (s.isConstant() && s.constant == 1) {
      dims[i] = d;
    } else if (d.isConstant() && d.constant == 1) {
      dims[i] = s;
    } else if (s.isConstant() && d.isConstant()) {
      if (s.constant != d.constant)
        return n.emitError() << "cannot broadcast dim " << xi << " of size "
                             << d.constant << " to " << s.constant;
      dims[i] = s;
    } else if (d.isConstant()) {
      dims[i] = d; // s is dynamic: 1 or d at run time
    } else if (s.isConstant()) {
      dims[i] = s; // d is dynamic: 1 or s at run time
    } else {
      dims[i] = n.max(s, d); // both dynamic: one is 1 or they are equal
    }
  }
  SmallVector<Value> dynamicSizes;
  RankedTensorType resultType =
      n.typeFromDims(dims, type.getElementType(), dynamicSizes);
  if (resultType == type && dynamicSizes.empty())
    return x;
  Value r = tf::ExpandOp::create(n.builder, n.loc, resultType, x, dynamicSizes);
  n.graph.setDims(r, dims);
  return r;
}

static LogicalResult convertExpand(NodeImporter &n) {
  const SymInts *shape = n.inputInts(1);
  if (!shape)
    return n.emitError() << "the shape input must be computable at import "
                            "time (a constant or a shape computation)";
  // A known integer scalar/vector broadcast to a constant rank-0/1 shape
  // stays known (shape building).
  if (const SymInts *ints = n.inputInts(0);
      ints && shape->size() <= 1 && allConstant(*shape)) {
    int64_t len = shape->empty() ? 1 : (*shape)[0].constant;
    int64_t have = ints->size();
    // numpy broadcasting of [have] against [len]: 1 stretches either way.
    int64_t out = len < 0     ? -1
                  : have == 1 ? len
                              : (len == 1 || len == have ? have : -1);
    if (out >= 0 && out <= kMaxTrackedInts &&
        n.inputType(0).getRank() <= 1) {
      SymInts values;
      for (int64_t i = 0; i < out; ++i)
        values.push_back((*ints)[have == 1 ? 0 : i]);
      n.setOutputInts(0, std::move(values),
                      intsType(n.inputType(0).getElementType(),
                               !shape->empty() || n.inputType(0).getRank() == 1,
                               out));
      return success();
    }
  }
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  FailureOr<Value> r = emitExpand(n, *x, *shape);
  if (failed(r))
    return failure();
  n.setOutput(0, *r);
  return success();
}

static LogicalResult convertConstantOfShape(NodeImporter &n) {
  const SymInts *shape = n.inputInts(0);
  if (!shape)
    return n.emitError() << "the shape input must be computable at import "
                            "time (a constant or a shape computation)";
  MLIRContext *ctx = n.getContext();
  // The fill value: a one-element tensor, float 0 by default.
  Attribute fill = FloatAttr::get(Float32Type::get(ctx), 0.0);
  if (const pb::AttributeProto *a = n.attr("value")) {
    pb::TensorProto t = a->t();
    FailureOr<RankedTensorType> vt =
        tensorTypeOf(t, ctx, [&]() { return n.emitError(); });
    if (failed(vt))
      return failure();
    if (vt->getNumElements() != 1)
      return n.emitError() << "expects a one-element 'value', got " << *vt;
    FailureOr<ElementsAttr> data = convertTensorData(
        t, *vt, /*inlineLimit=*/1, "", /*mayMove=*/false,
        [&]() { return n.emitError(); });
    if (failed(data))
      return failure();
    fill = *data->getValues<Attribute>().begin();
  }
  Type elementType = cast<TypedAttr>(fill).getType();
  for (const SymInt &s : *shape)
    if (s.isConstant() && s.constant < 0)
      return n.emitError() << "shape has a negative dim (" << s.constant
                           << ")";
  SmallVector<Value> dynamicSizes;
  RankedTensorType type = n.typeFromDims(*shape, elementType, dynamicSizes);
  if (dynamicSizes.empty()) {
    if (type.getRank() <= 1 && type.getNumElements() <= kMaxTrackedInts &&
        elementType.isSignlessInteger()) {
      int64_t v = cast<IntegerAttr>(fill).getValue().getSExtValue();
      n.setOutputInts(0, SymInts(type.getNumElements(), SymInt::of(v)), type);
      return success();
    }
    ValueInfo &info = n.graph.define(n.node.output(0));
    info.type = type;
    info.pendingAttr = DenseElementsAttr::get(type, fill);
    info.loc = n.loc;
    return success();
  }
  auto scalarType = RankedTensorType::get({}, elementType);
  Value scalar = tf::ConstantOp::create(
      n.builder, n.loc, scalarType, DenseElementsAttr::get(scalarType, fill));
  Value r = tf::ExpandOp::create(n.builder, n.loc, type, scalar, dynamicSizes);
  n.graph.setDims(r, *shape);
  n.setOutput(0, r);
  return success();
}

static LogicalResult convertRange(NodeImporter &n) {
  RankedTensorType t0 = n.inputType(0);
  if (!t0 || t0.getRank() != 0)
    return n.emitError() << "expects scalar start, limit and delta";
  Type elementType = t0.getElementType();
  const SymInts *start = n.inputInts(0), *limit = n.inputInts(1),
                *delta = n.inputInts(2);
  constexpr int64_t kMaxElements = int64_t(1) << 24;
  if (start && limit && delta) {
    SymInt s = (*start)[0], l = (*limit)[0], d = (*delta)[0];
    if (d.isConstant() && d.constant == 0)
      return n.emitError() << "delta is 0";
    if (s.isConstant() && l.isConstant() && d.isConstant()) {
      int64_t count = std::max<int64_t>(
          0, llvm::divideCeilSigned(l.constant - s.constant, d.constant));
      if (count > kMaxElements)
        return n.emitError() << "range of " << count << " elements is too "
                                "large to fold";
      SymInts values;
      for (int64_t i = 0; i < count; ++i)
        values.push_back(SymInt::of(s.constant + i * d.constant));
      auto type = RankedTensorType::get({count}, elementType);
      if (count <= kMaxTrackedInts) {
        n.setOutputInts(0, std::move(values), type);
        return success();
      }
      SmallVector<APInt> elements;
      unsigned width = elementType.getIntOrFloatBitWidth();
      for (const SymInt &v : values)
        elements.push_back(APInt(width, static_cast<uint64_t>(v.constant),
                                 /*isSigned=*/true, /*implicitTrunc=*/true));
      ValueInfo &info = n.graph.define(n.node.output(0));
      info.type = type;
      info.pendingAttr = DenseElementsAttr::get(type, elements);
      info.loc = n.loc;
      return success();
    }
    // Dynamic bounds: tensor.generate of start + i * delta.
    SymInt count = n.max(SymInt::of(0), n.ceilDiv(n.sub(l, s), d));
    auto type = RankedTensorType::get({ShapedType::kDynamic}, elementType);
    Value sv = n.indexValue(s), dv = n.indexValue(d);
    auto gen = tensor::GenerateOp::create(
        n.builder, n.loc, type, ValueRange{n.indexValue(count)},
        [&](OpBuilder &b, Location loc, ValueRange ivs) {
          Value v = arith::AddIOp::create(
              b, loc, sv, arith::MulIOp::create(b, loc, ivs[0], dv));
          Value e = arith::IndexCastOp::create(b, loc, elementType, v);
          tensor::YieldOp::create(b, loc, e);
        });
    n.graph.setDims(gen.getResult(), {count});
    n.setOutput(0, gen.getResult());
    return success();
  }
  // Floating-point ranges of constants.
  ElementsAttr s = n.constantAttr(0), l = n.constantAttr(1),
               d = n.constantAttr(2);
  auto floatType = dyn_cast<FloatType>(elementType);
  if (!s || !l || !d || !floatType)
    return n.emitError() << "start, limit and delta must be known at import "
                            "time";
  double sv = (*s.getValues<APFloat>().begin()).convertToDouble();
  double lv = (*l.getValues<APFloat>().begin()).convertToDouble();
  double dv = (*d.getValues<APFloat>().begin()).convertToDouble();
  if (dv == 0)
    return n.emitError() << "delta is 0";
  double countF = std::ceil((lv - sv) / dv);
  if (!(countF <= double(kMaxElements)))
    return n.emitError() << "range is too large to fold";
  int64_t count = std::max<int64_t>(0, static_cast<int64_t>(countF));
  SmallVector<APFloat> elements;
  for (int64_t i = 0; i < count; ++i) {
    APFloat v(sv + i * dv);
    bool lost;
    v.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &lost);
    elements.push_back(v);
  }
  auto type = RankedTensorType::get({count}, elementType);
  ValueInfo &info = n.graph.define(n.node.output(0));
  info.type = type;
  info.pendingAttr = DenseElementsAttr::get(type, elements);
  info.loc = n.loc;
  return success();
}

//===----------------------------------------------------------------------===//
// Tile, Trilu
//===----------------------------------------------------------------------===//

/// Tile: along each axis with r != 1 repeats, unsqueeze a dim before it,
/// expand that dim to r and merge the two (r outermost), so
/// [a, b] tiled by 2 is [a, b, a, b].
static LogicalResult convertTile(NodeImporter &n) {
  FailureOr<SmallVector<int64_t>> repeats = n.constantInts(1, "repeats");
  FailureOr<Value> x = n.input(0);
  if (failed(repeats) || failed(x))
    return failure();
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  if (static_cast<int64_t>(repeats->size()) != rank)
    return n.emitError() << "expects " << rank << " repeats, got "
                         << repeats->size();
  Value r = *x;
  for (int64_t a = 0; a < rank; ++a) {
    int64_t reps = (*repeats)[a];
    if (reps < 0)
      return n.emitError() << "repeats must be >= 0, got " << reps;
    if (reps == 1)
      continue;
    SymInts dims = n.dimsOf(r);
    auto unsq = createInferred<tf::UnsqueezeOp>(
        n.builder, n.loc, 1, r, n.builder.getDenseI64ArrayAttr({a}));
    if (failed(unsq))
      return failure();
    SymInts withUnit(dims.begin(), dims.end());
    withUnit.insert(withUnit.begin() + a, SymInt::of(1));
    n.graph.setDims(unsq->getResult(), withUnit);
    SymInts expanded(dims.begin(), dims.end());
    expanded.insert(expanded.begin() + a, SymInt::of(reps));
    FailureOr<Value> e = emitExpand(n, unsq->getResult(), expanded);
    if (failed(e))
      return failure();
    SymInts merged(dims.begin(), dims.end());
    merged[a] = n.mul(SymInt::of(reps), dims[a]);
    r = n.reshape(*e, merged);
  }
  n.setOutput(0, r);
  return success();
}

/// Trilu on static matrices: a `where` with a constant mask keeping
/// j - i >= k (upper) or j - i <= k (lower), zero elsewhere.
static LogicalResult convertTrilu(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  int64_t k = 0;
  if (n.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> kv = n.constantInts(1, "k");
    if (failed(kv))
      return failure();
    if (kv->size() != 1)
      return n.emitError() << "expects a scalar k";
    k = (*kv)[0];
  }
  bool upper = n.intAttr("upper", 1) != 0;
  auto type = cast<RankedTensorType>(x->getType());
  int64_t rank = type.getRank();
  if (rank < 2)
    return n.emitError() << "expects rank >= 2, got " << type;
  int64_t rows = type.getDimSize(rank - 2), cols = type.getDimSize(rank - 1);
  if (ShapedType::isDynamic(rows) || ShapedType::isDynamic(cols))
    return n.emitError() << "Trilu of dynamic matrix dims is unsupported, got "
                         << type;
  if (rows * cols > (int64_t(1) << 24))
    return n.emitError() << "Trilu matrix of " << rows << "x" << cols
                         << " is too large";
  SmallVector<bool> keep;
  keep.reserve(rows * cols);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      keep.push_back(upper ? j - i >= k : j - i <= k);
  auto maskType = RankedTensorType::get({rows, cols}, n.builder.getI1Type());
  Value mask = tf::ConstantOp::create(n.builder, n.loc, maskType,
                                      DenseElementsAttr::get(maskType, keep));
  Type element = type.getElementType();
  auto scalarType = RankedTensorType::get({}, element);
  Attribute zero = isa<FloatType>(element)
                       ? Attribute(FloatAttr::get(element, 0.0))
                       : Attribute(IntegerAttr::get(element, 0));
  Value zeros = tf::ConstantOp::create(n.builder, n.loc, scalarType,
                                       DenseElementsAttr::get(scalarType, zero));
  auto op = createInferred<tf::WhereOp>(n.builder, n.loc, 1, mask, *x, zeros);
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

/// Rejects the attribute forms of inputs that became inputs at opset
/// `Since` (Split's `split`, Squeeze/Unsqueeze's `axes`) in newer models.
template <int64_t Since>
static std::string checkAttrBecameInput(const pb::NodeProto &node,
                                        int64_t opset) {
  if (opset < Since)
    return "";
  for (const pb::AttributeProto &a : node.attribute())
    if (a.name() == "split" || a.name() == "axes")
      return node.op_type() + " attribute '" + a.name() +
             "' is an input since opset " + std::to_string(Since);
  return "";
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::llm::onnx_import::addShapeOps(OpTable &t) {
  constexpr int64_t lo = 13, hi = 21;
  t.add({"", "Shape", 1, hi, 1, 1, 1, {"start", "end"}, convertShape});
  t.add({"", "Size", 1, hi, 1, 1, 1, {}, convertSize});
  t.add({"", "Reshape", 5, hi, 2, 2, 1, {"allowzero"}, convertReshape});
  t.add({"", "Flatten", 11, hi, 1, 1, 1, {"axis"}, convertFlatten});
  t.add({"", "Transpose", 1, hi, 1, 1, 1, {"perm"}, convertTranspose});
  t.add({"", "Concat", 4, hi, 1, -1, 1, {"axis"}, convertConcat});
  t.add({"", "Split", 2, hi, 1, 2, -1, {"axis", "num_outputs", "split"},
         convertSplit, checkAttrBecameInput<13>});
  t.add({"", "Slice", lo, hi, 3, 5, 1, {}, convertSlice});
  t.add({"", "Gather", 11, hi, 2, 2, 1, {"axis"}, convertGather});
  t.add({"", "Unsqueeze", 1, hi, 1, 2, 1, {"axes"}, convertUnsqueeze,
         checkAttrBecameInput<13>});
  t.add({"", "Squeeze", 1, hi, 1, 2, 1, {"axes"}, convertSqueeze,
         checkAttrBecameInput<13>});
  t.add({"", "Expand", 8, hi, 2, 2, 1, {}, convertExpand});
  t.add({"", "ConstantOfShape", 9, hi, 1, 1, 1, {"value"}, convertConstantOfShape});
  t.add({"", "Tile", lo, hi, 2, 2, 1, {}, convertTile});
  t.add({"", "Trilu", 14, hi, 1, 2, 1, {"upper"}, convertTrilu});
  t.add({"", "Range", 11, hi, 3, 3, 1, {}, convertRange});
}

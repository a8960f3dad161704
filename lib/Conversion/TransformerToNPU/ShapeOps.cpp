//===- ShapeOps.cpp - shape ops as strided DRAM views ---------------------===//
//
// Concat copies its inputs into slices of one buffer. Reshape, squeeze,
// unsqueeze, transpose, split, expand and slice (positive
// steps) only change the strided view of a DRAM tensor; no data moves,
// except a contiguous copy where a reshape cannot be expressed as a view of
// its input's layout. A broadcast is a view with zero strides. Integer
// tensors (ids, masks) are viewed the same way, in their own element size.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

namespace mlir::llm::to_npu {

LogicalResult Converter::convertReshape(Operation *op, Value in, Value out) {
  FailureOr<ViewAttr> v = getView(in, op);
  if (failed(v))
    return failure();
  ArrayRef<int64_t> shape = typeOf(out).getShape();
  if (std::optional<SmallVector<int64_t>> strides = reshapeStrides(*v, shape)) {
    views[out] = view(v->getReg(), v->getOffset(), shape, *strides);
    return success();
  }
  ViewAttr dense = elemBytes(in) == 4 ? rowMajor(*v, op->getLoc()) : *v;
  if (!isDense(dense)) {
    if (elemBytes(in) != 4)
      return op->emitError("NPU: this reshape of an integer tensor needs a "
                           "copy (its layout is not contiguous)")
             << describeNode(op->getLoc());
    // Materialize a contiguous copy first.
    ViewAttr c = allocScratch(v->getShape().asArrayRef());
    eltwise(op->getLoc(), "copy", dense, std::nullopt, c);
    dense = c;
  }
  views[out] = view(dense.getReg(), dense.getOffset(), shape,
                    denseStrides(shape));
  return success();
}

LogicalResult Converter::convertTranspose(tf::TransposeOp t) {
  FailureOr<ViewAttr> v = getView(t.getInput(), t);
  if (failed(v))
    return failure();
  ArrayRef<int64_t> perm = t.getPermutation();
  SmallVector<int64_t> shape, strides;
  for (int64_t p : perm) {
    shape.push_back(v->getShape()[p]);
    strides.push_back(v->getStrides()[p]);
  }
  views[t.getResult()] = view(v->getReg(), v->getOffset(), shape, strides);
  return success();
}

LogicalResult Converter::convertSplit(tf::SplitOp s) {
  FailureOr<ViewAttr> v = getView(s.getInput(), s);
  if (failed(v))
    return failure();
  int64_t rank = v->getRank();
  int64_t ax = static_cast<int64_t>(s.getAxis());
  int64_t axis = ax < 0 ? ax + rank : ax;
  int64_t start = 0;
  for (auto [result, size] : llvm::zip(s.getOutputs(), s.getSizes())) {
    SmallVector<int64_t> shape(v->getShape().asArrayRef());
    shape[axis] = size;
    views[result] =
        view(v->getReg(),
             v->getOffset() + start * v->getStrides()[axis] * elemBytes(result),
             shape, v->getStrides().asArrayRef());
    start += size;
  }
  return success();
}

LogicalResult Converter::convertExpand(tf::ExpandOp e) {
  FailureOr<ViewAttr> v = getView(e.getInput(), e);
  if (failed(v))
    return failure();
  views[e.getResult()] = broadcastTo(*v, typeOf(e.getResult()).getShape());
  return success();
}

LogicalResult Converter::convertSlice(tf::SliceOp s) {
  FailureOr<ViewAttr> v = getView(s.getInput(), s);
  if (failed(v))
    return failure();
  int64_t rank = v->getRank();
  SmallVector<int64_t> shape(v->getShape().asArrayRef()),
      strides(v->getStrides().asArrayRef());
  ArrayRef<int64_t> starts = s.getStarts();
  SmallVector<int64_t> axes;
  if (auto given = s.getAxes())
    axes.assign(given->begin(), given->end());
  else
    for (int64_t i = 0; i < static_cast<int64_t>(starts.size()); ++i)
      axes.push_back(i);
  int64_t offset = v->getOffset();
  for (auto [i, axis] : llvm::enumerate(axes)) {
    int64_t d = axis < 0 ? axis + rank : axis;
    int64_t dim = shape[d];
    int64_t step = s.getSteps() ? (*s.getSteps())[i] : 1;
    auto clampIndex = [&](int64_t x) {
      if (x < 0)
        x += dim;
      return std::clamp<int64_t>(x, 0, dim);
    };
    int64_t start = clampIndex(starts[i]), end = clampIndex(s.getEnds()[i]);
    offset += start * strides[d] * elemBytes(s.getInput());
    shape[d] = std::max<int64_t>(0, (end - start + step - 1) / step);
    strides[d] *= step;
  }
  if (ArrayRef<int64_t>(shape) != typeOf(s.getResult()).getShape())
    return s->emitError("NPU: slice bounds disagree with the result type")
           << describeNode(s->getLoc());
  views[s.getResult()] = view(v->getReg(), offset, shape, strides);
  return success();
}

LogicalResult Converter::convertConcat(tf::ConcatOp c) {
  Operation *op = c;
  if (elemBytes(c.getResult()) != 4)
    return op->emitError("NPU: concat of integer tensors")
           << describeNode(op->getLoc());
  ArrayRef<int64_t> shape = typeOf(c.getResult()).getShape();
  int64_t rank = shape.size();
  int64_t axis = static_cast<int64_t>(c.getAxis());
  if (axis < 0)
    axis += rank;
  ViewAttr out = allocScratch(shape);
  int64_t start = 0;
  for (Value input : c.getInputs()) {
    FailureOr<ViewAttr> v = getView(input, op);
    if (failed(v))
      return failure();
    ArrayRef<int64_t> part = typeOf(input).getShape();
    if (part[axis] != 0)
      eltwise(op->getLoc(), "copy", rowMajor(*v, op->getLoc()), std::nullopt,
              view(0, out.getOffset() + start * out.getStrides()[axis] * 4,
                   part, out.getStrides().asArrayRef()));
    start += part[axis];
  }
  // Several tile ops write out: an output copies it.
  views[c.getResult()] = out;
  return success();
}

} // namespace mlir::llm::to_npu

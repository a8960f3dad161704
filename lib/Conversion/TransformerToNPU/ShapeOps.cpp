//===- ShapeOps.cpp - shape ops as strided DRAM views ---------------------===//
//
// Reshape, squeeze, unsqueeze, transpose, split and expand only change the
// strided view of a DRAM tensor; no data moves, except a contiguous copy
// where a reshape cannot be expressed as a view of its input's layout. A
// broadcast is a view with zero strides.
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
  ViewAttr dense = *v;
  if (!isDense(dense)) {
    // Materialize a contiguous copy first.
    ViewAttr c = allocScratch(v->getShape().asArrayRef());
    npu_ir::EltwiseOp::create(b, op->getLoc(), b.getStringAttr("copy"), *v,
                              ViewAttr(), FloatAttr(), c);
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
        view(v->getReg(), v->getOffset() + start * v->getStrides()[axis] * 4,
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

} // namespace mlir::llm::to_npu

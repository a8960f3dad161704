//===- VectorOps.cpp - elementwise ops, softmax, norms -> vector unit -----===//
//
// Elementwise ops become npu.eltwise (a one-element constant operand is an
// immediate, the second operand may be broadcast by a zero-stride view; a
// broadcast first operand of sub/div goes through neg/recip); softmax and
// layer_norm/rms_norm become their tile ops (softmax over another axis
// through a transposed view, norms over dims [axis, rank) as rows of their
// product); rotary embeddings are six eltwise ops on views of the pairs'
// halves; reductions over trailing dims are npu.reduce on rows of their
// product. Views whose last dim is not contiguous (transposes that moved
// it) are copied first (rowMajor).
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

#include "Transformer/Transforms/ConstantData.h"

namespace mlir::llm::to_npu {

LogicalResult Converter::convertBinary(Operation *op, StringRef kind) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  ArrayRef<int64_t> shape = typeOf(op->getResult(0)).getShape();
  // A one-element constant is an immediate.
  auto scalarOf = [&](Value v) -> std::optional<float> {
    if (!v.getDefiningOp<tf::ConstantOp>() ||
        numElements(typeOf(v).getShape()) != 1)
      return std::nullopt;
    auto values = tf::readFloatConstant(
        cast<ElementsAttr>(v.getDefiningOp<tf::ConstantOp>().getValue()));
    if (!values)
      return std::nullopt;
    return values->front();
  };
  bool commutative = kind == "add" || kind == "mul" || kind == "max" ||
                     kind == "min";
  auto broadcastRank = [&](Value v) {
    ArrayRef<int64_t> s = typeOf(v).getShape();
    return numElements(s) == numElements(shape) ? 0 : 1;
  };
  if (commutative && (scalarOf(lhs) || broadcastRank(lhs) > broadcastRank(rhs)))
    std::swap(lhs, rhs);
  // A broadcast first operand of sub/div: c = -b + a, c = (1/b) * a.
  if ((kind == "sub" || kind == "div") && broadcastRank(lhs) > broadcastRank(rhs)) {
    FailureOr<ViewAttr> a = getView(lhs, op), bv = getView(rhs, op);
    if (failed(a) || failed(bv))
      return failure();
    ViewAttr c = allocScratch(shape);
    eltwise(op->getLoc(), kind == "sub" ? "neg" : "recip",
            broadcastTo(rowMajor(*bv, op->getLoc()), shape), std::nullopt, c);
    StringRef second = kind == "sub" ? "add" : "mul";
    if (std::optional<float> s = scalarOf(lhs))
      npu_ir::EltwiseOp::create(b, op->getLoc(), b.getStringAttr(second), c,
                                ViewAttr(), b.getF32FloatAttr(*s), c);
    else
      eltwise(op->getLoc(), second, c, rowMajor(*a, op->getLoc(), true), c);
    // Two tile ops write c: an output copies it rather than redirect one.
    views[op->getResult(0)] = c;
    return success();
  }
  FailureOr<ViewAttr> a = getView(lhs, op);
  if (failed(a))
    return failure();
  if (numElements(a->getShape().asArrayRef()) != numElements(shape))
    return op->emitError("NPU: the first operand of ")
           << op->getName() << " is broadcast; only the second may be";
  ViewAttr aView = broadcastTo(rowMajor(*a, op->getLoc()), shape);
  ViewAttr c = allocScratch(shape);
  Operation *tileOp;
  if (std::optional<float> s = scalarOf(rhs)) {
    tileOp = npu_ir::EltwiseOp::create(b, op->getLoc(), b.getStringAttr(kind),
                                       aView, ViewAttr(),
                                       b.getF32FloatAttr(*s), c);
  } else {
    FailureOr<ViewAttr> bv = getView(rhs, op);
    if (failed(bv))
      return failure();
    tileOp = npu_ir::EltwiseOp::create(b, op->getLoc(), b.getStringAttr(kind),
                                       aView,
                                       broadcastTo(rowMajor(*bv, op->getLoc(),
                                                            /*allowBroadcast=*/true),
                                                   shape),
                                       FloatAttr(), c);
  }
  produce(op->getResult(0), c, tileOp);
  return success();
}

LogicalResult Converter::convertUnary(Operation *op, StringRef kind) {
  FailureOr<ViewAttr> in = getView(op->getOperand(0), op);
  if (failed(in))
    return failure();
  ViewAttr a = rowMajor(*in, op->getLoc());
  ViewAttr c = allocScratch(a.getShape().asArrayRef());
  auto tileOp =
      npu_ir::EltwiseOp::create(b, op->getLoc(), b.getStringAttr(kind), a,
                                ViewAttr(), FloatAttr(), c);
  produce(op->getResult(0), c, tileOp);
  return success();
}

LogicalResult Converter::convertSoftmax(tf::SoftmaxOp s) {
  Operation *op = s;
  int64_t rank = typeOf(s.getInput()).getRank();
  int64_t axis = static_cast<int64_t>(s.getAxis());
  if (axis < 0)
    axis += rank;
  FailureOr<ViewAttr> in = getView(s.getInput(), op);
  if (failed(in))
    return failure();
  // Another axis: a view with that axis last (a copy when the vector unit
  // needs one), the softmax, and the result viewed back.
  SmallVector<int64_t> shape(in->getShape().asArrayRef()),
      strides(in->getStrides().asArrayRef());
  std::swap(shape[axis], shape.back());
  std::swap(strides[axis], strides.back());
  ViewAttr a = rowMajor(view(in->getReg(), in->getOffset(), shape, strides),
                        op->getLoc());
  ViewAttr c = allocScratch(shape);
  auto t = npu_ir::SoftmaxOp::create(b, op->getLoc(), a, c,
                                     b.getF32FloatAttr(1.0f), UnitAttr());
  if (axis == rank - 1) {
    produce(s.getResult(), c, t);
    return success();
  }
  SmallVector<int64_t> cStrides(c.getStrides().asArrayRef());
  std::swap(shape[axis], shape.back());
  std::swap(cStrides[axis], cStrides.back());
  views[s.getResult()] = view(0, c.getOffset(), shape, cStrides);
  return success();
}

ViewAttr Converter::asRows(ViewAttr v, int64_t first, Location loc) {
  ArrayRef<int64_t> shape = v.getShape().asArrayRef();
  int64_t cols = numElements(shape.drop_front(first));
  SmallVector<int64_t> rows2d = {numElements(shape) / std::max<int64_t>(cols, 1),
                                 cols};
  ViewAttr a = rowMajor(v, loc);
  if (std::optional<SmallVector<int64_t>> strides = reshapeStrides(a, rows2d))
    return view(a.getReg(), a.getOffset(), rows2d, *strides);
  ViewAttr dense = allocScratch(shape);
  eltwise(loc, "copy", a, std::nullopt, dense);
  return view(0, dense.getOffset(), rows2d, denseStrides(rows2d));
}

LogicalResult Converter::convertReduce(Operation *op, StringRef kind,
                                       ArrayRef<int64_t> axes) {
  Value input = op->getOperand(0);
  ArrayRef<int64_t> shape = typeOf(input).getShape();
  int64_t rank = shape.size();
  SmallVector<int64_t> dims;
  for (int64_t a : axes)
    dims.push_back(a < 0 ? a + rank : a);
  if (dims.empty())
    for (int64_t d = 0; d < rank; ++d)
      dims.push_back(d);
  llvm::sort(dims);
  int64_t first = dims.empty() ? rank : dims.front();
  for (auto [i, d] : llvm::enumerate(dims))
    if (d != first + static_cast<int64_t>(i) || dims.back() != rank - 1)
      return op->emitError("NPU: ")
             << op->getName() << describeNode(op->getLoc())
             << ": only reductions over the trailing dims are supported";
  FailureOr<ViewAttr> in = getView(input, op);
  if (failed(in))
    return failure();
  ViewAttr a = asRows(*in, first, op->getLoc());
  ViewAttr c = allocScratch({a.getShape()[0]});
  auto t = npu_ir::ReduceOp::create(b, op->getLoc(), b.getStringAttr(kind), a,
                                    c);
  ArrayRef<int64_t> outShape = typeOf(op->getResult(0)).getShape();
  produce(op->getResult(0),
          view(0, c.getOffset(), outShape, denseStrides(outShape)), t);
  return success();
}

LogicalResult Converter::convertNorm(Operation *op, Value input, Value scale,
                                     Value bias, int64_t axis,
                                     FloatAttr epsilon, bool rms) {
  ArrayRef<int64_t> shape = typeOf(input).getShape();
  int64_t rank = shape.size();
  if (axis < 0)
    axis += rank;
  FailureOr<ViewAttr> in = getView(input, op);
  if (failed(in))
    return failure();
  // Normalized over dims [axis, rank): rows of their product.
  ViewAttr a = asRows(*in, axis, op->getLoc());
  int64_t cols = a.getShape()[1];
  // Constant weights are read by the norm from the data segment; tensors
  // (graph inputs) are applied after it as row-broadcast eltwise ops.
  // (Both after, when either is a tensor: the scale comes first.)
  auto isTensor = [](Value v) {
    return v && !v.getDefiningOp<tf::ConstantOp>();
  };
  bool weightsAfter = isTensor(scale) || isTensor(bias);
  SmallVector<std::pair<StringRef, Value>> applyAfter;
  auto vectorOf = [&](Value v, StringRef kind) -> FailureOr<IntegerAttr> {
    if (!v)
      return IntegerAttr();
    if (numElements(typeOf(v).getShape()) != cols)
      return op->emitError("NPU: norm weights must have one value per "
                           "element of the normalized dims"),
             failure();
    if (weightsAfter) {
      applyAfter.emplace_back(kind, v);
      return IntegerAttr();
    }
    FailureOr<int64_t> off = f32Constant(v, op);
    if (failed(off))
      return failure();
    return b.getI64IntegerAttr(*off);
  };
  FailureOr<IntegerAttr> gamma = vectorOf(scale, "mul");
  FailureOr<IntegerAttr> beta = vectorOf(bias, "add");
  if (failed(gamma) || failed(beta))
    return failure();
  ViewAttr c = allocScratch(a.getShape().asArrayRef());
  auto t = npu_ir::LayerNormOp::create(b, op->getLoc(), a, c, *gamma, *beta,
                                       epsilon,
                                       rms ? b.getUnitAttr() : UnitAttr());
  ViewAttr result = view(0, c.getOffset(), shape, denseStrides(shape));
  if (applyAfter.empty()) {
    produce(op->getResult(0), result, t);
    return success();
  }
  for (auto [kind, v] : applyAfter) {
    FailureOr<ViewAttr> w = getView(v, op);
    if (failed(w))
      return failure();
    ViewAttr row = rowMajor(*w, op->getLoc());
    if (!isDense(row))
      return op->emitError("NPU: norm weights must be contiguous")
             << describeNode(op->getLoc());
    eltwise(op->getLoc(), kind, c,
            view(row.getReg(), row.getOffset(), {1, cols}, {cols, 1}), c);
  }
  // Several tile ops write c: an output copies it.
  views[op->getResult(0)] = result;
  return success();
}

LogicalResult Converter::convertRotary(tf::RotaryEmbeddingOp r) {
  Operation *op = r;
  FailureOr<ViewAttr> xv = getView(r.getInput(), op),
                      cosv = getView(r.getCos(), op),
                      sinv = getView(r.getSin(), op);
  if (failed(xv) || failed(cosv) || failed(sinv))
    return failure();
  ArrayRef<int64_t> shape = typeOf(r.getInput()).getShape();
  int64_t rank = shape.size(), dim = shape.back();
  int64_t rotary = r.getEffectiveRotaryDim(), half = rotary / 2;
  bool interleaved = r.getMode() == tf::RotaryMode::Interleaved;
  ViewAttr out = allocScratch(shape);
  // The two halves of each pair as views of x and out: rotate-half takes
  // [0, R) and [R, 2R) of the last dim; interleaved takes the even and odd
  // elements, as [..., R, 1] views (one element per vector row).
  SmallVector<int64_t> halfShape(shape.drop_back());
  halfShape.push_back(half);
  if (interleaved)
    halfShape.push_back(1);
  auto pairView = [&](ViewAttr v, int64_t second) {
    SmallVector<int64_t> strides(v.getStrides().asArrayRef());
    int64_t col = strides.back();
    int64_t offset = v.getOffset() + (interleaved ? second : second * half) *
                                         col * 4;
    if (interleaved) {
      strides.back() = 2 * col;
      strides.push_back(1);
    }
    return view(v.getReg(), offset, halfShape, strides);
  };
  auto tableView = [&](ViewAttr v) {
    SmallVector<int64_t> tableShape(halfShape.begin(),
                                    halfShape.begin() + rank);
    ViewAttr full = broadcastTo(v, tableShape);
    if (!interleaved)
      return full;
    SmallVector<int64_t> strides(full.getStrides().asArrayRef());
    strides.push_back(1);
    return view(full.getReg(), full.getOffset(), halfShape, strides);
  };
  ViewAttr x1 = pairView(*xv, 0), x2 = pairView(*xv, 1);
  ViewAttr o1 = pairView(out, 0), o2 = pairView(out, 1);
  ViewAttr cosT = tableView(*cosv), sinT = tableView(*sinv);
  ViewAttr tmp = allocScratch(halfShape);
  Location loc = op->getLoc();
  // y1 = x1 cos - x2 sin, y2 = x2 cos + x1 sin.
  eltwise(loc, "mul", x1, cosT, o1);
  eltwise(loc, "mul", x2, sinT, tmp);
  eltwise(loc, "sub", o1, tmp, o1);
  eltwise(loc, "mul", x2, cosT, o2);
  eltwise(loc, "mul", x1, sinT, tmp);
  eltwise(loc, "add", o2, tmp, o2);
  if (rotary < dim) {
    // Partial rotary: the rest passes through.
    SmallVector<int64_t> restShape(shape.drop_back());
    restShape.push_back(dim - rotary);
    int64_t col = xv->getStrides().asArrayRef().back();
    eltwise(loc, "copy",
            view(xv->getReg(), xv->getOffset() + rotary * col * 4, restShape,
                 xv->getStrides().asArrayRef()),
            std::nullopt,
            view(out.getReg(), out.getOffset() + rotary * 4, restShape,
                 out.getStrides().asArrayRef()));
  }
  // Several tile ops write out: an output copies it.
  views[r.getResult()] = out;
  return success();
}

} // namespace mlir::llm::to_npu

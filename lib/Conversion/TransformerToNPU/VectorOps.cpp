//===- VectorOps.cpp - elementwise ops, softmax, norms -> vector unit -----===//
//
// Elementwise ops become npu.eltwise (a one-element constant operand is an
// immediate, the second operand may be broadcast by a zero-stride view);
// softmax and layer_norm/rms_norm along the last dim become their tile ops.
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
  FailureOr<ViewAttr> a = getView(lhs, op);
  if (failed(a))
    return failure();
  if (numElements(a->getShape().asArrayRef()) != numElements(shape))
    return op->emitError("NPU: the first operand of ")
           << op->getName() << " is broadcast; only the second may be";
  ViewAttr aView = broadcastTo(*a, shape);
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
                                       aView, broadcastTo(*bv, shape),
                                       FloatAttr(), c);
  }
  produce(op->getResult(0), c, tileOp);
  return success();
}

LogicalResult Converter::convertUnary(Operation *op, StringRef kind) {
  FailureOr<ViewAttr> a = getView(op->getOperand(0), op);
  if (failed(a))
    return failure();
  ViewAttr c = allocScratch(a->getShape().asArrayRef());
  auto tileOp =
      npu_ir::EltwiseOp::create(b, op->getLoc(), b.getStringAttr(kind), *a,
                                ViewAttr(), FloatAttr(), c);
  produce(op->getResult(0), c, tileOp);
  return success();
}

LogicalResult Converter::convertSoftmax(tf::SoftmaxOp s) {
  Operation *op = s;
  int64_t rank = typeOf(s.getInput()).getRank();
  if (int64_t axis = static_cast<int64_t>(s.getAxis()); axis != -1 && axis != rank - 1)
    return op->emitError("NPU: softmax only along the last dim");
  FailureOr<ViewAttr> a = getView(s.getInput(), op);
  if (failed(a))
    return failure();
  ViewAttr c = allocScratch(a->getShape().asArrayRef());
  auto t = npu_ir::SoftmaxOp::create(b, op->getLoc(), *a, c,
                                     b.getF32FloatAttr(1.0f), UnitAttr());
  produce(s.getResult(), c, t);
  return success();
}

LogicalResult Converter::convertNorm(Operation *op, Value input, Value scale,
                                     Value bias, int64_t axis,
                                     FloatAttr epsilon, bool rms) {
  int64_t rank = typeOf(input).getRank();
  if (axis != -1 && axis != rank - 1)
    return op->emitError("NPU: norms only over the last dim");
  FailureOr<ViewAttr> a = getView(input, op);
  if (failed(a))
    return failure();
  int64_t cols = a->getShape().asArrayRef().back();
  auto vectorOf = [&](Value v) -> FailureOr<IntegerAttr> {
    if (!v)
      return IntegerAttr();
    if (numElements(typeOf(v).getShape()) != cols)
      return op->emitError("NPU: norm weights must have one value per "
                           "element of the last dim"),
             failure();
    FailureOr<int64_t> off = f32Constant(v, op);
    if (failed(off))
      return failure();
    return b.getI64IntegerAttr(*off);
  };
  FailureOr<IntegerAttr> gamma = vectorOf(scale);
  FailureOr<IntegerAttr> beta = vectorOf(bias);
  if (failed(gamma) || failed(beta))
    return failure();
  ViewAttr c = allocScratch(a->getShape().asArrayRef());
  auto t = npu_ir::LayerNormOp::create(b, op->getLoc(), *a, c, *gamma, *beta,
                                       epsilon,
                                       rms ? b.getUnitAttr() : UnitAttr());
  produce(op->getResult(0), c, t);
  return success();
}

} // namespace mlir::llm::to_npu

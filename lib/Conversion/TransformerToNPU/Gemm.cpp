//===- Gemm.cpp - matmul, linear, quantized_linear -> npu.gemm ------------===//
//
// Constant weights are packed tile-major (one dense DMA per tile) and the
// rows of every batch form one tall A; activations times activations read B
// as a strided view (a transposed view as B^T). A following bias add is
// fused into the gemm.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

namespace mlir::llm::to_npu {

LogicalResult Converter::convertGemm(Operation *op, Value lhs, Value rhs,
                                     bool rhsIsLinearWeight, Value bias,
                                     Value scale) {
  Value result = op->getResult(0);
  ArrayRef<int64_t> outShape = typeOf(result).getShape();
  FailureOr<ViewAttr> a = getView(lhs, op);
  if (failed(a))
    return failure();
  // Fuse `add(result, bias[N])` into the gemm.
  Operation *biasAdd = nullptr;
  if (!bias && result.hasOneUse())
    if (auto add = dyn_cast<tf::AddOp>(*result.getUsers().begin())) {
      Value other = add.getLhs() == result ? add.getRhs() : add.getLhs();
      ArrayRef<int64_t> os = typeOf(other).getShape();
      if (other.getDefiningOp<tf::ConstantOp>() && !os.empty() &&
          os.back() == outShape.back() &&
          numElements(os) == outShape.back() &&
          typeOf(add.getResult()).getShape() == outShape) {
        bias = other;
        biasAdd = add;
      }
    }
  std::optional<int64_t> biasOffset;
  if (bias) {
    FailureOr<int64_t> off = f32Constant(bias, op);
    if (failed(off))
      return failure();
    biasOffset = *off;
  }

  ViewAttr aView = rowMajor(*a, op->getLoc());
  std::optional<ViewAttr> bView;
  std::optional<int64_t> packed, scales;
  bool transposeB = false;
  ArrayRef<int64_t> rhsShape = typeOf(rhs).getShape();
  if (scale) {
    FailureOr<int64_t> off = packedInt8Weights(rhs, op);
    FailureOr<int64_t> scaleOff = f32Constant(scale, op);
    if (failed(off) || failed(scaleOff))
      return failure();
    packed = *off;
    scales = *scaleOff;
  }
  if (scale || rhsIsLinearWeight ||
      (rhs.getDefiningOp<tf::ConstantOp>() && rhsShape.size() == 2)) {
    if (!scale) {
      FailureOr<int64_t> off = packedWeights(rhs, rhsIsLinearWeight, op);
      if (failed(off))
        return failure();
      packed = *off;
    }
    // Constant weights: the rows of every batch form one tall A.
    if (isDense(aView)) {
      ArrayRef<int64_t> as = aView.getShape().asArrayRef();
      SmallVector<int64_t> flat = {numElements(as) / as.back(), as.back()};
      aView = view(aView.getReg(), aView.getOffset(), flat, denseStrides(flat));
    }
  } else {
    FailureOr<ViewAttr> bv = getView(rhs, op);
    if (failed(bv))
      return failure();
    SmallVector<int64_t> bShape(outShape.drop_back(2));
    bShape.append(rhsShape.end() - 2, rhsShape.end());
    ViewAttr full = broadcastTo(*bv, bShape);
    ArrayRef<int64_t> st = full.getStrides().asArrayRef();
    if (st.back() != 1 && st[st.size() - 2] == 1) {
      // A transposed view: read it as B^T (rows of the [N, K] layout).
      SmallVector<int64_t> shape(bShape), strides(st);
      std::swap(shape[shape.size() - 1], shape[shape.size() - 2]);
      std::swap(strides[strides.size() - 1], strides[strides.size() - 2]);
      full = view(full.getReg(), full.getOffset(), shape, strides);
      transposeB = true;
    }
    bView = full;
    // Broadcast batch dims of a.
    SmallVector<int64_t> aShape(outShape.drop_back(2));
    aShape.append({outShape[outShape.size() - 2],
                   aView.getShape().asArrayRef().back()});
    aView = broadcastTo(aView, aShape);
  }
  SmallVector<int64_t> cShape(aView.getShape().asArrayRef().drop_back());
  cShape.push_back(outShape.back());
  ViewAttr c = allocScratch(cShape);
  // Deep K: a bf16 copy of A in DRAM, streamed in K panels (LowerGemm.cpp).
  ViewAttr aBf16;
  ArrayRef<int64_t> as = aView.getShape().asArrayRef();
  int64_t rows = as[as.size() - 2], kp = llvm::alignTo(as.back(), 16);
  if (!scale && npu_ir::needsStreamedA(rows, kp, tileM, tileN))
    aBf16 = allocScratch({rows, kp / 2});
  auto gemm = npu_ir::GemmOp::create(
      b, op->getLoc(), aView, bView ? *bView : ViewAttr(),
      packed ? b.getI64IntegerAttr(*packed) : IntegerAttr(),
      biasOffset ? b.getI64IntegerAttr(*biasOffset) : IntegerAttr(),
      scales ? b.getI64IntegerAttr(*scales) : IntegerAttr(), c,
      b.getStringAttr(scale ? "i8" : "bf16"),
      transposeB ? b.getUnitAttr() : UnitAttr(), b.getI64IntegerAttr(tileM),
      b.getI64IntegerAttr(tileN), aBf16);
  ViewAttr out = view(0, c.getOffset(), outShape, denseStrides(outShape));
  produce(result, out, gemm);
  if (biasAdd) {
    produce(biasAdd->getResult(0), out, gemm);
    fused.insert(biasAdd);
  }
  return success();
}

LogicalResult Converter::convertLinear(tf::LinearOp l) {
  if (!l.getWeight().getDefiningOp<tf::ConstantOp>())
    return l->emitError("NPU: linear needs constant weights");
  return convertGemm(l, l.getInput(), l.getWeight(), true, l.getBias());
}

LogicalResult Converter::convertQuantizedLinear(tf::QuantizedLinearOp q) {
  auto wType = cast<RankedTensorType>(q.getWeight().getType());
  if (!wType.getElementType().isInteger(8) ||
      wType.getElementType().isUnsignedInteger() || q.getZeroPoint() ||
      q.getGroupSize() || typeOf(q.getScale()).getRank() != 1)
    return q->emitError("NPU: quantized_linear with int8 weights and "
                        "per-channel scales only (int8-weight)")
           << describeNode(q->getLoc());
  return convertGemm(q, q.getInput(), q.getWeight(), true, q.getBias(),
                     q.getScale());
}

} // namespace mlir::llm::to_npu

//===- Attention.cpp - attention -> gemm, masked softmax, gemm ------------===//
//
// S = Q K^T (K read as transposed B tiles), a scaled and causally masked
// softmax of S in place, O = S V.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

#include <cmath>

namespace mlir::llm::to_npu {

LogicalResult Converter::convertAttention(tf::AttentionOp att) {
  Operation *op = att;
  if (att.getMask() || att.getPastKey() || !att.getPresent().empty())
    return op->emitError("NPU: attention with a mask operand or a KV "
                         "cache is not supported");
  ArrayRef<int64_t> q = typeOf(att.getQuery()).getShape(),
                    k = typeOf(att.getKey()).getShape();
  if (q.size() != 4 || k.size() != 4 || q[1] != k[1])
    return op->emitError("NPU: attention needs [batch, heads, S, D] "
                         "operands with as many key as query heads");
  FailureOr<ViewAttr> qv = getView(att.getQuery(), op),
                      kv = getView(att.getKey(), op),
                      vv = getView(att.getValue(), op);
  if (failed(qv) || failed(kv) || failed(vv))
    return failure();
  // S = Q K^T: K [.., T, D] is B^T.
  SmallVector<int64_t> sShape = {q[0], q[1], q[2], k[2]};
  ViewAttr s = allocScratch(sShape);
  npu_ir::GemmOp::create(b, op->getLoc(), *qv, *kv, IntegerAttr(),
                         IntegerAttr(), IntegerAttr(), s,
                         b.getStringAttr("bf16"), b.getUnitAttr(),
                         b.getI64IntegerAttr(tileM),
                         b.getI64IntegerAttr(tileN), ViewAttr());
  float scale = att.getScale() ? att.getScale()->convertToFloat()
                               : 1.0f / std::sqrt(static_cast<float>(q[3]));
  npu_ir::SoftmaxOp::create(b, op->getLoc(), s, s, b.getF32FloatAttr(scale),
                            att.getCausal() ? b.getUnitAttr() : UnitAttr());
  ViewAttr o = allocScratch(typeOf(att.getOutput()).getShape());
  auto pv = npu_ir::GemmOp::create(
      b, op->getLoc(), s, *vv, IntegerAttr(), IntegerAttr(), IntegerAttr(), o,
      b.getStringAttr("bf16"), UnitAttr(), b.getI64IntegerAttr(tileM),
      b.getI64IntegerAttr(tileN), ViewAttr());
  produce(att.getOutput(), o, pv);
  return success();
}

} // namespace mlir::llm::to_npu

//===- Attention.cpp - attention -> npu.attention (flash style) -----------===//
//
// transformer.attention (no mask operand, no KV cache, as many key/value as
// query heads) becomes one npu.attention on the Q, K and V views: the
// online-softmax lowering of npu-lower-tiles (LowerAttention.cpp) that keeps
// the scores in local memory. Its block sizes come from the NPU cost model
// of the tiling framework (lib/Tiling/NPUCostModel.cpp) for this shape.
// O is laid out for a following merge of the heads, so that needs no copy.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

#include "llm/Tiling/NPUCostModel.h"

#include <cmath>

namespace mlir::llm::to_npu {

LogicalResult Converter::convertAttention(tf::AttentionOp att) {
  Operation *op = att;
  if (att.getMask() || att.getPastKey() || !att.getPresent().empty())
    return op->emitError("NPU: attention with a mask operand or a KV "
                         "cache is not supported");
  ArrayRef<int64_t> q = typeOf(att.getQuery()).getShape(),
                    k = typeOf(att.getKey()).getShape(),
                    v = typeOf(att.getValue()).getShape();
  if (q.size() != 4 || k.size() != 4 || q[1] != k[1] || v != k)
    return op->emitError("NPU: attention needs [batch, heads, S, D] queries "
                         "and keys and values of one shape [batch, heads, T, "
                         "D] with as many heads");
  if (att.getCausal() && k[2] < q[2])
    return op->emitError("NPU: causal attention needs at least as many keys "
                         "as queries");
  FailureOr<ViewAttr> qv = getView(att.getQuery(), op),
                      kv = getView(att.getKey(), op),
                      vv = getView(att.getValue(), op);
  if (failed(qv) || failed(kv) || failed(vv))
    return failure();
  NPUAttentionShape shape;
  shape.heads = q[0] * q[1];
  shape.seqQ = q[2];
  shape.seqKV = k[2];
  shape.headDim = q[3];
  shape.causal = att.getCausal();
  std::optional<NPUAttentionTiles> tiles =
      chooseNPUAttentionTiles(getNPUTargetDescription(), shape);
  if (!tiles)
    return op->emitError("NPU: attention with head dim ")
           << q[3] << " does not fit the NPU's local memory";
  float scale = att.getScale() ? att.getScale()->convertToFloat()
                               : 1.0f / std::sqrt(static_cast<float>(q[3]));
  // O is written row by row, so it can take the layout of its user: when
  // the heads are merged next (transpose [B, H, S, D] -> [B, S, H, D]), in
  // that order, and the transpose becomes a dense view instead of a copy.
  ViewAttr o = allocScratch(typeOf(att.getOutput()).getShape());
  Value out = att.getOutput();
  if (out.hasOneUse())
    if (auto t = dyn_cast<tf::TransposeOp>(*out.getUsers().begin());
        t && t.getPermutation() == ArrayRef<int64_t>{0, 2, 1, 3})
      o = view(0, o.getOffset(), q,
               {q[1] * q[2] * q[3], q[3], q[1] * q[3], 1});
  auto t = npu_ir::AttentionOp::create(
      b, op->getLoc(), *qv, *kv, *vv, o, b.getF32FloatAttr(scale),
      att.getCausal() ? b.getUnitAttr() : UnitAttr(),
      b.getI64IntegerAttr(tiles->tileQ), b.getI64IntegerAttr(tiles->tileKV),
      b.getI64IntegerAttr(tiles->kvBuffers),
      tiles->kvResident ? b.getUnitAttr() : UnitAttr());
  produce(att.getOutput(), o, t);
  return success();
}

} // namespace mlir::llm::to_npu

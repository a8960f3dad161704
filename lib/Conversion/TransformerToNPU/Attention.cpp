//===- Attention.cpp - attention -> npu.attention (flash style) -----------===//
//
// transformer.attention (no KV cache; as many key/value as query heads or
// grouped-query attention, query heads a multiple of KV heads; no mask or
// an additive f32 mask contiguous along the keys) becomes one npu.attention on the Q, K and V views: the
// online-softmax lowering of npu-lower-tiles (LowerAttention.cpp) that keeps
// the scores in local memory; with grouped KV heads its kv_group says how
// many query heads share one. Its block sizes come from the NPU cost model
// of the tiling framework (lib/Tiling/NPUCostModel.cpp) for this shape.
// O is laid out for a following merge of the heads, so that needs no copy.
//
// The mask, broadcast to [B, H, S, T] with zero strides, is an operand of
// npu.attention, added block by block. Other masks (i1, or broadcast along
// the keys) take the unfused path: S = Q K^T (gemm, K as transposed B), scale and mask added
// as eltwise ops, a causally masked softmax in place, O = S V, the scores in
// DRAM scratch. Grouped-query attention there views the query heads as
// [KV heads, group] and K/V with a zero stride along the group: no copies.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

#include "llm/Tiling/NPUCostModel.h"

#include <cmath>

namespace mlir::llm::to_npu {

LogicalResult Converter::convertAttention(tf::AttentionOp att) {
  Operation *op = att;
  if (att.getPastKey() || !att.getPresent().empty())
    return op->emitError("NPU: attention with a KV cache is not supported")
           << describeNode(op->getLoc());
  ArrayRef<int64_t> q = typeOf(att.getQuery()).getShape(),
                    k = typeOf(att.getKey()).getShape(),
                    v = typeOf(att.getValue()).getShape();
  // An additive f32 mask contiguous along the keys goes with the flash
  // lowering; other masks take the unfused one.
  std::optional<ViewAttr> maskView;
  if (Value mask = att.getMask()) {
    if (!typeOf(mask).getElementType().isF32() || q.size() != 4 ||
        k.size() != 4)
      return convertUnfusedAttention(att);
    FailureOr<ViewAttr> m = getView(mask, op);
    if (failed(m))
      return failure();
    maskView = broadcastTo(*m, {q[0], q[1], q[2], k[2]});
    if (maskView->getStrides().asArrayRef().back() != 1)
      return convertUnfusedAttention(att);
  }
  if (q.size() != 4 || k.size() != 4 || v != k || k[1] == 0 ||
      q[1] % k[1] != 0 || q[0] != k[0] || q[3] != k[3])
    return op->emitError("NPU: attention needs [batch, heads, S, D] queries "
                         "and keys and values of one shape [batch, KV heads, "
                         "T, D], query heads a multiple of KV heads")
           << describeNode(op->getLoc());
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
  shape.masked = maskView.has_value();
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
      tiles->kvResident ? b.getUnitAttr() : UnitAttr(),
      b.getI64IntegerAttr(q[1] / k[1]), maskView ? *maskView : ViewAttr());
  produce(att.getOutput(), o, t);
  return success();
}


// Called by convertAttention, which has rejected KV caches.
LogicalResult Converter::convertUnfusedAttention(tf::AttentionOp att) {
  Operation *op = att;
  ArrayRef<int64_t> q = typeOf(att.getQuery()).getShape(),
                    k = typeOf(att.getKey()).getShape(),
                    vShape = typeOf(att.getValue()).getShape();
  if (q.size() != 4 || k.size() != 4 || vShape.size() != 4 || k[1] == 0 ||
      q[1] % k[1] != 0)
    return op->emitError("NPU: attention needs [batch, heads, S, D] "
                         "operands with query heads a multiple of KV heads")
           << describeNode(op->getLoc());
  Value mask = att.getMask();
  if (mask && !typeOf(mask).getElementType().isF32())
    return op->emitError("NPU: attention masks must be additive f32")
           << describeNode(op->getLoc());
  FailureOr<ViewAttr> qv = getView(att.getQuery(), op),
                      kv = getView(att.getKey(), op),
                      vv = getView(att.getValue(), op);
  if (failed(qv) || failed(kv) || failed(vv))
    return failure();
  std::optional<ViewAttr> maskView;
  SmallVector<int64_t> sShape = {q[0], q[1], q[2], k[2]};
  if (mask) {
    FailureOr<ViewAttr> m = getView(mask, op);
    if (failed(m))
      return failure();
    maskView = broadcastTo(*m, sShape);
  }
  // [B, H, ...] -> [B, Hkv, G, ...]: queries, scores, outputs split their
  // heads; keys and values repeat along G with stride 0.
  int64_t groups = q[1] / k[1];
  auto splitHeads = [&](ViewAttr v) -> ViewAttr {
    if (groups == 1)
      return v;
    ArrayRef<int64_t> s = v.getShape().asArrayRef(),
                      st = v.getStrides().asArrayRef();
    return view(v.getReg(), v.getOffset(), {s[0], k[1], groups, s[2], s[3]},
                {st[0], st[1] * groups, st[1], st[2], st[3]});
  };
  auto repeatHeads = [&](ViewAttr v) -> ViewAttr {
    if (groups == 1)
      return v;
    ArrayRef<int64_t> s = v.getShape().asArrayRef(),
                      st = v.getStrides().asArrayRef();
    return view(v.getReg(), v.getOffset(), {s[0], s[1], groups, s[2], s[3]},
                {st[0], st[1], 0, st[2], st[3]});
  };
  // S = Q K^T: K [.., T, D] is B^T.
  ViewAttr s = allocScratch(sShape);
  ViewAttr sSplit = splitHeads(s);
  npu_ir::GemmOp::create(b, op->getLoc(), splitHeads(*qv), repeatHeads(*kv),
                         IntegerAttr(), IntegerAttr(), IntegerAttr(), sSplit,
                         b.getStringAttr("bf16"), b.getUnitAttr(),
                         b.getI64IntegerAttr(tileM),
                         b.getI64IntegerAttr(tileN), ViewAttr());
  float scale = att.getScale() ? att.getScale()->convertToFloat()
                               : 1.0f / std::sqrt(static_cast<float>(q[3]));
  if (maskView) {
    // softmax(scale S + mask).
    npu_ir::EltwiseOp::create(b, op->getLoc(), b.getStringAttr("mul"), s,
                              ViewAttr(), b.getF32FloatAttr(scale), s);
    eltwise(op->getLoc(), "add", s, *maskView, s);
    scale = 1.0f;
  }
  npu_ir::SoftmaxOp::create(b, op->getLoc(), s, s, b.getF32FloatAttr(scale),
                            att.getCausal() ? b.getUnitAttr() : UnitAttr());
  SmallVector<int64_t> oShape = {q[0], q[1], q[2], vShape[3]};
  ViewAttr o = allocScratch(oShape);
  auto pv = npu_ir::GemmOp::create(
      b, op->getLoc(), sSplit, repeatHeads(*vv), IntegerAttr(), IntegerAttr(),
      IntegerAttr(), splitHeads(o), b.getStringAttr("bf16"), UnitAttr(),
      b.getI64IntegerAttr(tileM), b.getI64IntegerAttr(tileN), ViewAttr());
  produce(att.getOutput(), o, pv);
  return success();
}

} // namespace mlir::llm::to_npu

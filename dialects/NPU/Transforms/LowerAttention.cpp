//===- LowerAttention.cpp - npu.attention -> flash attention instructions ===//
//
// The attention lowering of npu-lower-tiles: softmax(scale Q K^T) V without
// an [S, T] buffer in DRAM. Per (batch, head) and block of tile_q queries:
//
//   Q block (f32) -> x scale -> bf16 Q (stays in the scratchpad)
//   for each block of tile_kv keys (above the causal diagonal: skipped):
//     K, V blocks: DMA into staging buffer i % kv_buffers (the load queue
//                  runs ahead of the compute queue), one vcvt each into
//                  16x16 bf16 array tiles
//     S = Q K^T           matmul.bf16 ... tb into the accumulator
//     causal mask         vfill -inf on the keys after each query's own
//                         (only blocks that cross the diagonal)
//     additive mask       its [rows, keys] block DMAed into the scratchpad
//                         (row stride 0 when broadcast over queries), vadd
//     m' = max(m, rowmax S)   vredmax, vmax
//     alpha = exp(m - m')     vsub, vexp (per row)
//     P = exp(S - m')         vsub b=col, vexp
//     l = alpha l + rowsum P  vmul, vredsum acc
//     O = alpha O             vmul b=col (the O block in the accumulator)
//     O += P V                vcvt P -> bf16, matmul.bf16 accumulate
//   O / l (vrecip, vmul b=col) -> one DMA store
//
// Grouped-query attention (kv_group > 1): query head h reads K and V of
// head h / kv_group; resident K/V are loaded once per KV head.
//
// The first key block starts m, l and O instead of rescaling them. The O
// block alternates between two accumulator buffers so that its store
// overlaps the next query block. npu-insert-tokens orders the queues.
//
// Layout of K and V in bf16: the array's weight tiles are 16 x 16 with rows
// 32 bytes apart. A block of c keys is staged as D/16 column chunks of c
// rows of 16 f32 (one DMA per chunk, 64-byte rows), so one vcvt of
// (D/16) c rows gives rows of 16 bf16 in which the tile (chunk kk, keys
// 16j..16j+15) is contiguous: K with `tb` (row j of the tile = key j) for
// Q K^T, V as is (row = key) for P V.
//
// Tile sizes come from the NPU cost model (lib/Tiling/NPUCostModel.cpp),
// which also gives the local memory layout.
//
//===----------------------------------------------------------------------===//

#include "TileLowering.h"

#include "llm/Tiling/NPUCostModel.h"

#include <limits>

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::npu_ir;

namespace {
int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// One [B, H, N, D] view: register, base offset, strides in elements.
struct HeadView {
  int64_t reg, offset;
  SmallVector<int64_t> strides;
  explicit HeadView(ViewAttr v)
      : reg(v.getReg()), offset(v.getOffset()),
        strides(v.getStrides().asArrayRef()) {}
  /// Bytes from the register to row `row` of head (b, h).
  int64_t rowOffset(int64_t b, int64_t h, int64_t row) const {
    return offset + (b * strides[0] + h * strides[1] + row * strides[2]) * 4;
  }
  int64_t rowStride() const { return strides[2] * 4; }
};
} // namespace

LogicalResult mlir::llm::npu_ir::lowerAttention(AttentionOp op) {
  ArrayRef<int64_t> qShape = op.getQ().getShape().asArrayRef();
  int64_t B = qShape[0], H = qShape[1], S = qShape[2], D = qShape[3];
  int64_t T = op.getK().getShape().asArrayRef()[2];
  bool causal = op.getCausal();
  if (causal && T < S)
    return op.emitOpError() << "causal attention with fewer keys (" << T
                            << ") than queries (" << S
                            << ") leaves queries without keys";
  int64_t tq = std::min<int64_t>(op.getTileQ(), S);
  int64_t tk = op.getTileKv();
  bool resident = op.getKvResident();
  std::optional<ViewAttr> maskAttr = op.getMask();
  NPUAttentionLayout l =
      npuAttentionLayout(tq, tk, op.getKvBuffers(), D, resident ? T : tk,
                         causal, /*masked=*/maskAttr.has_value());
  if (!fitsNPU(l, getNPUTargetDescription()) || l.kvRows > 4095)
    return op.emitOpError()
           << "tile_q = " << tq << ", tile_kv = " << tk << ", kv_buffers = "
           << op.getKvBuffers() << (resident ? ", kv_resident" : "")
           << " with head dim " << D << " need " << l.scratchpadBytes
           << " bytes of scratchpad and " << l.accumulatorBytes
           << " of accumulator";
  HeadView qv(op.getQ()), kv(op.getK()), vv(op.getV()), ov(op.getO());
  int64_t Dp = l.paddedHeadDim, dChunks = Dp / 16;
  int64_t sStride = tk * 4, pStride = tk * 2;
  const float negInf = -std::numeric_limits<float>::infinity();

  InstEmitter e(op);
  // Keys [k0, k0 + rows) of K and V of head (b, h) -> staging buffer
  // `kvBlock` % kv_buffers -> bf16 array tiles of `rows` keys.
  int64_t kvBlock = 0;
  auto loadKV = [&](int64_t b, int64_t h, int64_t k0, int64_t rows) {
    int64_t stage = (kvBlock++ % l.kvBuffers) * l.kvStageBytes;
    for (auto [view, st, bf] :
         {std::tuple(&kv, l.kStage + stage, l.kBf16),
          std::tuple(&vv, l.vStage + stage, l.vBf16)}) {
      for (int64_t kk = 0; kk < dChunks; ++kk)
        e.load(st + kk * rows * 64, view->reg,
               view->rowOffset(b, h, k0) + kk * 64, rows,
               std::min<int64_t>(16, D - kk * 16) * 4, 64, view->rowStride());
      if (D % 16 == 0 && dChunks * rows <= 4095)
        e.convert("f32", "bf16", bf, st, dChunks * rows, 16, 64, 32);
      else
        for (int64_t kk = 0; kk < dChunks; ++kk)
          e.convert("f32", "bf16", bf + kk * rows * 32, st + kk * rows * 64,
                    rows, std::min<int64_t>(16, D - kk * 16), 64, 32);
    }
  };
  e.fill(l.constants, op.getScale().convertToFloat(), 1, 1, 4);
  // With a mask a row of the first key block may be all -inf: its running
  // max is floored at -FLT_MAX so that exp(S - m) gives 0, not NaN.
  int64_t maxFloor = l.constants + 4;
  if (maskAttr)
    e.fill(maxFloor, -std::numeric_limits<float>::max(), 1, 1, 4);
  int64_t maskBlocks = 0;
  if (causal) {
    // mask[r][c] = -inf for c >= r, else 0; row stride = S's.
    e.fill(l.causalMask, 0.0f, tq, tk, sStride);
    for (int64_t r = 0; r < std::min(tq, tk); ++r)
      e.fill(l.causalMask + r * (sStride + 4), negInf, 1, tk - r, sStride);
  }
  // Grouped-query attention: query head h reads KV head h / kv_group. The
  // resident K and V of a KV head serve its kv_group query heads in turn.
  int64_t group = static_cast<int64_t>(op.getKvGroup());
  int64_t qBlock = 0;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h) {
      int64_t hk = h / group;
      if (resident && h % group == 0)
        loadKV(b, hk, 0, T);
      for (int64_t q0 = 0; q0 < S; q0 += tq, ++qBlock) {
        int64_t rw = std::min(tq, S - q0);
        int64_t qs = l.qStage[qBlock % 2], o = l.o[qBlock % 2];
        e.load(qs, qv.reg, qv.rowOffset(b, h, q0), rw, D * 4, D * 4,
               qv.rowStride());
        e.binary("mul", "scalar", qs, qs, l.constants, rw, D, D * 4);
        e.convert("f32", "bf16", l.qBf16, qs, rw, D, D * 4, Dp * 2);
        // Keys this query block sees: j <= q0 + rw - 1 + T - S.
        int64_t lastKey = causal ? q0 + rw - 1 + T - S : T - 1;
        int64_t m = 0; // which rowMax buffer holds the running max
        for (int64_t k0 = 0; k0 <= lastKey; k0 += tk) {
          int64_t cw = std::min(tk, lastKey - k0 + 1);
          int64_t keyChunks = ceilDiv(cw, 16);
          bool first = k0 == 0;
          // The bf16 tile of D chunk kk and keys key..key+15 of this block.
          int64_t rows = resident ? T : cw, key0 = resident ? k0 : 0;
          if (!resident)
            loadKV(b, hk, k0, cw);
          auto kvTile = [&](int64_t bf, int64_t kk, int64_t c) {
            return bf + (kk * rows + key0 + c * 16) * 32;
          };
          // The mask block [q0, q0 + rw) x [k0, k0 + cw), S's row stride.
          int64_t maskAt = l.maskBlock[maskBlocks % 2];
          if (maskAttr) {
            ++maskBlocks;
            ArrayRef<int64_t> ms = maskAttr->getStrides().asArrayRef();
            e.load(maskAt, maskAttr->getReg(),
                   maskAttr->getOffset() +
                       (b * ms[0] + h * ms[1] + q0 * ms[2] + k0) * 4,
                   rw, cw * 4, sStride, ms[2] * 4);
          }
          // S = (scale Q) K^T.
          for (int64_t c = 0; c < keyChunks; ++c)
            for (int64_t kk = 0; kk < dChunks; ++kk)
              e.matmul("bf16", l.s + c * 64, l.qBf16 + kk * 32,
                       kvTile(l.kBf16, kk, c), rw,
                       std::min<int64_t>(16, D - kk * 16),
                       std::min<int64_t>(16, cw - c * 16), Dp * 2, sStride,
                       /*accumulate=*/kk > 0, /*transposeB=*/true);
          // Causal mask: row r sees keys c <= r + d of this block. Rows
          // r < -(d + 1) see none (-inf); from row r0 and column c0 = d + 1
          // on, key c0 + j is masked for row r0 + i iff j >= i: the mask.
          int64_t d = q0 - k0 + T - S;
          if (causal && d + 1 < cw) {
            int64_t r0 = std::min(rw, std::max<int64_t>(0, -(d + 1)));
            int64_t c0 = std::max<int64_t>(0, d + 1);
            if (r0 > 0)
              e.fill(l.s, negInf, r0, cw, sStride);
            if (r0 < rw) {
              int64_t at = l.s + r0 * sStride + c0 * 4;
              e.binary("add", "tile", at, at, l.causalMask, rw - r0, cw - c0,
                       sStride);
            }
          }
          if (maskAttr)
            e.binary("add", "tile", l.s, l.s, maskAt, rw, cw, sStride);
          // Online softmax.
          int64_t mNew = l.rowMax[m];
          if (first) {
            e.reduce("max", mNew, l.s, rw, cw, sStride);
            if (maskAttr)
              e.binary("max", "scalar", mNew, mNew, maxFloor, 1, rw, rw * 4);
          } else {
            int64_t mOld = l.rowMax[m];
            m ^= 1;
            mNew = l.rowMax[m];
            e.reduce("max", mNew, l.s, rw, cw, sStride);
            e.binary("max", "tile", mNew, mNew, mOld, 1, rw, rw * 4);
            e.binary("sub", "tile", l.rescale, mOld, mNew, 1, rw, rw * 4);
            e.unary("exp", l.rescale, l.rescale, 1, rw, rw * 4);
          }
          e.binary("sub", "col", l.s, l.s, mNew, rw, cw, sStride);
          e.unary("exp", l.s, l.s, rw, cw, sStride);
          if (!first)
            e.binary("mul", "tile", l.rowSum, l.rowSum, l.rescale, 1, rw,
                     rw * 4);
          e.reduce("sum", l.rowSum, l.s, rw, cw, sStride,
                   /*accumulate=*/!first);
          if (!first)
            e.binary("mul", "col", o, o, l.rescale, rw, D, Dp * 4);
          // O += P V.
          e.convert("f32", "bf16", l.p, l.s, rw, cw, sStride, pStride);
          for (int64_t j = 0; j < dChunks; ++j)
            for (int64_t c = 0; c < keyChunks; ++c)
              e.matmul("bf16", o + j * 64, l.p + c * 32,
                       kvTile(l.vBf16, j, c), rw,
                       std::min<int64_t>(16, cw - c * 16),
                       std::min<int64_t>(16, D - j * 16), pStride, Dp * 4,
                       /*accumulate=*/!(first && c == 0),
                       /*transposeB=*/false);
        }
        e.unary("recip", l.rowSum, l.rowSum, 1, rw, rw * 4);
        e.binary("mul", "col", o, o, l.rowSum, rw, D, Dp * 4);
        e.store(ov.reg, ov.rowOffset(b, h, q0), o, rw, D * 4, Dp * 4,
                ov.rowStride());
      }
    }
  return success();
}

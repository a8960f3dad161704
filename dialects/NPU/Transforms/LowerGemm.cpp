//===- LowerGemm.cpp - npu.gemm -> DMA, vcvt and matmul instructions -----===//
//
// The array lowering of npu-lower-tiles. Per batch slab and block of mt rows
// of A (mt from tile_m, bounded so that the bf16 copy of the block fits the
// scratchpad and a C block fits half the accumulator):
//
//   A rows -> f32 staging (two buffers, column chunks) -> vcvt -> bf16 A block
//   for each block of tile_n columns of C (accumulator buffer i % 2):
//     for each 16-column tile j, for each 16-deep k tile:
//       weight tile -> one of eight 16x16 buffers (packed: one dense DMA;
//                      a tensor: f32 rows -> vcvt)
//       matmul.bf16 C[:, j] (+)= A[:, k] x W[k, j]
//     (+ bias, b=row) -> store
//
// Written in program order; npu-insert-tokens lets the load queue run up to
// eight weight tiles ahead of the array and the store of one C block overlap
// the next, as in the hand-written GEMM of test/Target/NPU.
//
// Deep K (`a_bf16` given, e.g. GPT-2's 3072 -> 768 projection): A is first
// converted to bf16 rows in DRAM scratch; then, per C block, A is streamed
// in panels of K (two 64 KiB buffers) and C accumulates across the panels,
// so the C block keeps up to 128 rows and each weight tile is reused by all
// of them.
//
// dtype i8 (int8 weights from transformer-quantize, per output channel):
// the rows of A are quantized on chip, symmetric, one scale per row: a first
// pass over A's column chunks takes each row's max |a| (vabs, vredmax with
// accumulate), scale = max / 127; a second pass multiplies by 1 / scale and
// converts to i8 (round to nearest even, saturate). matmul.i8 accumulates
// exactly in i32; the C block is converted to f32 and multiplied by the row
// scales (b=col) and the weight scales (b=row) before the bias.
//
// Local map: bf16 A block 0x00000-0x1ffff, staging 0x20000/0x28000, weight
// tiles 0x30000 (8 x 512 B), f32 weight staging 0x31000 (4 x 1 KiB), bias
// 0x32000/0x36000, C blocks acc+0x0 / acc+0x8000.
//
//===----------------------------------------------------------------------===//

#include "TileLowering.h"

using namespace mlir;
using namespace mlir::llm::npu_ir;

namespace {
constexpr int64_t kABlock = 0x00000, kABlockBytes = 0x20000;
constexpr int64_t kStage[2] = {0x20000, 0x28000};
constexpr int64_t kStageBytes = 0x8000;
constexpr int64_t kWTiles = 0x30000, kNumWTiles = 8, kWTileBytes = 512;
constexpr int64_t kWStage = 0x31000, kNumWStage = 4;
constexpr int64_t kBias[2] = {0x32000, 0x36000};
constexpr int64_t kCBlock[2] = {kAcc, kAcc + 0x8000};
constexpr int64_t kCBlockBytes = 0x8000;
// dtype i8: the A block uses the lower half of its region; the upper half
// holds |A| chunks and the per-row max/scale columns.
constexpr int64_t kI8ABlockBytes = 0x10000;
constexpr int64_t kAbs = 0x10000, kRowInv = 0x18000, kRowScale = 0x1c000;
constexpr int64_t kWScale[2] = {0x3a000, 0x3c000};
constexpr int64_t kI8Const = 0x3e000;

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
} // namespace

/// The weight tile (kk, col) of `op` into `wbuf` (packed: one DMA; a
/// tensor: f32 rows, converted).
static void loadWeightTile(InstEmitter &e, GemmOp op, int64_t bOff,
                           ArrayRef<int64_t> bStr, int64_t KT, int64_t K,
                           int64_t N, int64_t kk, int64_t col, int64_t wTile,
                           int64_t wbuf) {
  int64_t kw = std::min<int64_t>(16, K - kk * 16);
  int64_t njw = std::min<int64_t>(16, N - col);
  std::optional<ViewAttr> b = op.getB();
  if (!b) {
    int64_t bytes = op.getDtype() == "i8" ? 256 : kWTileBytes;
    int64_t tile = (col / 16) * KT + kk;
    e.load(wbuf, 0, *op.getPackedB() + tile * bytes, 1, bytes, bytes, bytes);
    return;
  }
  int64_t ws = kWStage + (wTile % kNumWStage) * 1024;
  int64_t ld = bStr[bStr.size() - 2];
  if (!op.getTransposeB()) {
    // B[k0.., col..]: kw rows of njw f32.
    e.load(ws, b->getReg(), bOff + (kk * 16 * ld + col) * 4, kw, njw * 4,
           njw * 4, ld * 4);
    e.convert("f32", "bf16", wbuf, ws, kw, njw, njw * 4, 32);
  } else {
    // B^T stored as [N, K]: row j of the tile holds B[k.., col+j].
    e.load(ws, b->getReg(), bOff + (col * ld + kk * 16) * 4, njw, kw * 4,
           kw * 4, ld * 4);
    e.convert("f32", "bf16", wbuf, ws, njw, kw, kw * 4, 32);
  }
}

/// The deep-K schedule (see the file comment): A -> bf16 in DRAM, then C
/// blocks accumulated over K panels of A.
static void lowerStreamedGemm(InstEmitter &e, GemmOp op, int64_t aReg,
                              int64_t aOff, int64_t lda, int64_t cReg,
                              int64_t cOff, int64_t ldc, int64_t M, int64_t K,
                              int64_t N, int64_t tileN, int64_t &wTile,
                              int64_t &cBlock, int64_t &stage) {
  ViewAttr scratch = *op.getABf16();
  int64_t KT = ceilDiv(K, 16), Kp = KT * 16;
  // Phase 1: rows of A -> bf16 rows of Kp in DRAM.
  int64_t rb = std::min<int64_t>(M, 64);
  int64_t kc = std::max<int64_t>(16, kStageBytes / (rb * 4) / 16 * 16);
  for (int64_t m0 = 0; m0 < M; m0 += rb)
    for (int64_t k0 = 0; k0 < K; k0 += kc, ++stage) {
      int64_t mw = std::min(rb, M - m0), kw = std::min(kc, K - k0);
      int64_t st = kStage[stage % 2];
      int64_t out = kABlock + (stage % 2) * 0x8000;
      e.load(st, aReg, aOff + (m0 * lda + k0) * 4, mw, kw * 4, kw * 4,
             lda * 4);
      e.convert("f32", "bf16", out, st, mw, kw, kw * 4, kw * 2);
      e.store(0, scratch.getOffset() + (m0 * Kp + k0) * 2, out, mw, kw * 2,
              kw * 2, Kp * 2);
    }
  // Phase 2: C blocks of mt x tileN, A in panels of kp. The panels are
  // listed first so that the load of panel q+1 can be spread, 16 rows at a
  // time, among the weight-tile loads of panel q (the load queue is in
  // order: one big load would hold back the weight tiles behind it).
  int64_t mt = std::min({M, static_cast<int64_t>(op.getTileM()),
                         kCBlockBytes / (tileN * 4), int64_t(4095)});
  int64_t mBlocks = ceilDiv(M, mt);
  mt = ceilDiv(M, mBlocks);
  int64_t kp = std::max<int64_t>(16, (kABlockBytes / 2) / (mt * 2) / 16 * 16);
  struct Panel {
    int64_t m0, mw, n0, nw, p0, pw;
    bool last; ///< the last panel of its C block
  };
  SmallVector<Panel> panels;
  for (int64_t m0 = 0; m0 < M; m0 += mt)
    for (int64_t n0 = 0; n0 < N; n0 += tileN)
      for (int64_t p0 = 0; p0 < Kp; p0 += kp)
        panels.push_back({m0, std::min(mt, M - m0), n0,
                          std::min(tileN, N - n0), p0, std::min(kp, Kp - p0),
                          p0 + kp >= Kp});
  constexpr int64_t kChunkRows = 16;
  auto abufOf = [&](size_t q) {
    return kABlock + static_cast<int64_t>(q % 2) * (kABlockBytes / 2);
  };
  auto loadChunk = [&](size_t q, int64_t r0) {
    const Panel &pn = panels[q];
    int64_t rows = std::min(kChunkRows, pn.mw - r0);
    e.load(abufOf(q) + r0 * pn.pw * 2, 0,
           scratch.getOffset() + ((pn.m0 + r0) * Kp + pn.p0) * 2, rows,
           pn.pw * 2, pn.pw * 2, Kp * 2);
  };
  for (int64_t r0 = 0; r0 < panels.front().mw; r0 += kChunkRows)
    loadChunk(0, r0);
  for (size_t q = 0; q < panels.size(); ++q) {
    const Panel &pn = panels[q];
    int64_t cb = kCBlock[cBlock % 2];
    int64_t tiles = ceilDiv(pn.nw, 16) * ceilDiv(std::min(pn.pw, K - pn.p0), 16);
    int64_t nextRow = 0, nextRows = q + 1 < panels.size() ? panels[q + 1].mw : 0;
    int64_t chunks = ceilDiv(nextRows, kChunkRows);
    int64_t every = std::max<int64_t>(1, tiles / std::max<int64_t>(chunks, 1));
    int64_t t = 0;
    for (int64_t j = 0; j * 16 < pn.nw; ++j) {
      int64_t col = pn.n0 + j * 16, njw = std::min<int64_t>(16, N - col);
      for (int64_t kk = pn.p0 / 16; kk * 16 < std::min(pn.p0 + pn.pw, K);
           ++kk, ++wTile, ++t) {
        int64_t kw = std::min<int64_t>(16, K - kk * 16);
        int64_t wbuf = kWTiles + (wTile % kNumWTiles) * kWTileBytes;
        loadWeightTile(e, op, 0, {}, KT, K, N, kk, col, wTile, wbuf);
        if (t % every == every - 1 && nextRow < nextRows) {
          loadChunk(q + 1, nextRow);
          nextRow += kChunkRows;
        }
        e.matmul("bf16", cb + j * 64, abufOf(q) + (kk * 16 - pn.p0) * 2, wbuf,
                 pn.mw, kw, njw, pn.pw * 2, tileN * 4,
                 /*accumulate=*/kk > 0, /*transposeB=*/false);
      }
    }
    for (; nextRow < nextRows; nextRow += kChunkRows)
      loadChunk(q + 1, nextRow);
    if (!pn.last)
      continue;
    if (auto bias = op.getBias()) {
      int64_t bb = kBias[cBlock % 2];
      e.load(bb, 0, *bias + pn.n0 * 4, 1, pn.nw * 4, pn.nw * 4, pn.nw * 4);
      e.binary("add", "row", cb, cb, bb, pn.mw, pn.nw, tileN * 4);
    }
    e.store(cReg, cOff + (pn.m0 * ldc + pn.n0) * 4, cb, pn.mw, pn.nw * 4,
            tileN * 4, ldc * 4);
    ++cBlock;
  }
}

LogicalResult mlir::llm::npu_ir::lowerGemm(GemmOp op) {
  ViewAttr a = op.getA(), c = op.getC();
  ArrayRef<int64_t> aShape = a.getShape().asArrayRef();
  ArrayRef<int64_t> aStr = a.getStrides().asArrayRef(),
                    cStr = c.getStrides().asArrayRef();
  size_t rank = aShape.size();
  int64_t M = aShape[rank - 2], K = aShape[rank - 1];
  int64_t N = c.getShape().asArrayRef().back();
  if (aStr.back() != 1 || cStr.back() != 1)
    return op.emitOpError("a and c must be contiguous along their last dim");
  std::optional<ViewAttr> b = op.getB();
  ArrayRef<int64_t> bStr;
  if (b) {
    bStr = b->getStrides().asArrayRef();
    if (bStr.back() != 1)
      return op.emitOpError("b must be contiguous along its last dim");
  }
  int64_t KT = ceilDiv(K, 16), Kp = KT * 16;
  int64_t tileN = std::min<int64_t>(static_cast<int64_t>(op.getTileN()), ceilDiv(N, 16) * 16);
  bool i8 = op.getDtype() == "i8";
  int64_t es = i8 ? 1 : 2; // bytes per A element on the array
  if (i8 && (op.getB() || op.getABf16()))
    return op.emitOpError("dtype i8 takes packed weights only");
  int64_t mtMax =
      std::min({static_cast<int64_t>(op.getTileM()),
                (i8 ? kI8ABlockBytes : kABlockBytes) / (Kp * es),
                kCBlockBytes / (tileN * 4), int64_t(4095)});
  if (mtMax < 1 && !op.getABf16())
    return op.emitOpError() << "K = " << K
                            << " is too deep for one block of A rows in the "
                               "scratchpad";
  int64_t mBlocks = ceilDiv(M, std::max<int64_t>(mtMax, 1));
  int64_t mt = ceilDiv(M, mBlocks);
  if (op.getABf16() && op.getB())
    return op.emitOpError("a_bf16 goes with packed weights");

  int64_t batch = 1;
  for (int64_t d : aShape.drop_back(2))
    batch *= d;
  auto batchOffset = [&](ArrayRef<int64_t> strides, int64_t index) {
    int64_t off = 0;
    for (int64_t d = static_cast<int64_t>(rank) - 3; d >= 0; --d) {
      off += (index % aShape[d]) * strides[d];
      index /= aShape[d];
    }
    return off * 4;
  };

  InstEmitter e(op);
  if (i8) {
    e.fill(kI8Const, 1.0f / 127.0f, 1, 1, 4);
    e.fill(kI8Const + 4, 1e-30f, 1, 1, 4);
  }
  int64_t wTile = 0, cBlock = 0, stage = 0;
  for (int64_t bi = 0; bi < batch; ++bi) {
    int64_t aOff = a.getOffset() + batchOffset(aStr, bi);
    int64_t cOff = c.getOffset() + batchOffset(cStr, bi);
    int64_t bOff = b ? b->getOffset() + batchOffset(bStr, bi) : 0;
    if (op.getABf16()) {
      lowerStreamedGemm(e, op, a.getReg(), aOff, aStr[rank - 2], c.getReg(),
                        cOff, cStr[rank - 2], M, K, N, tileN, wTile, cBlock,
                        stage);
      continue;
    }
    for (int64_t m0 = 0; m0 < M; m0 += mt) {
      int64_t mw = std::min(mt, M - m0);
      // A block -> bf16 (or i8) [mw, Kp] at kABlock, through the staging
      // buffers.
      int64_t kc = std::max<int64_t>(16, kStageBytes / (mw * 4) / 16 * 16);
      auto loadChunk = [&](int64_t k0, int64_t kw) {
        int64_t st = kStage[stage++ % 2];
        e.load(st, a.getReg(), aOff + (m0 * aStr[rank - 2] + k0) * 4, mw,
               kw * 4, kw * 4, aStr[rank - 2] * 4);
        return st;
      };
      if (i8) {
        // Per-row max |a| -> scale = max / 127, kRowInv = 1 / scale.
        for (int64_t k0 = 0; k0 < K; k0 += kc) {
          int64_t kw = std::min(kc, K - k0);
          int64_t st = loadChunk(k0, kw);
          e.unary("abs", kAbs, st, mw, kw, kw * 4);
          e.reduce("max", kRowInv, kAbs, mw, kw, kw * 4,
                   /*accumulate=*/k0 > 0);
        }
        e.binary("max", "scalar", kRowInv, kRowInv, kI8Const + 4, 1, mw,
                 mw * 4);
        e.binary("mul", "scalar", kRowScale, kRowInv, kI8Const, 1, mw, mw * 4);
        e.unary("recip", kRowInv, kRowScale, 1, mw, mw * 4);
      }
      for (int64_t k0 = 0; k0 < K; k0 += kc) {
        int64_t kw = std::min(kc, K - k0);
        int64_t st = loadChunk(k0, kw);
        if (i8) {
          e.binary("mul", "col", st, st, kRowInv, mw, kw, kw * 4);
          e.convert("f32", "i8", kABlock + k0, st, mw, kw, kw * 4, Kp);
        } else {
          e.convert("f32", "bf16", kABlock + k0 * 2, st, mw, kw, kw * 4,
                    Kp * 2);
        }
      }
      for (int64_t n0 = 0; n0 < N; n0 += tileN, ++cBlock) {
        int64_t nw = std::min(tileN, N - n0);
        int64_t cb = kCBlock[cBlock % 2];
        for (int64_t j = 0; j * 16 < nw; ++j) {
          int64_t col = n0 + j * 16, njw = std::min<int64_t>(16, N - col);
          for (int64_t kk = 0; kk < KT; ++kk, ++wTile) {
            int64_t kw = std::min<int64_t>(16, K - kk * 16);
            int64_t wbuf = kWTiles + (wTile % kNumWTiles) * kWTileBytes;
            loadWeightTile(e, op, bOff, bStr, KT, K, N, kk, col, wTile, wbuf);
            e.matmul(i8 ? "i8" : "bf16", cb + j * 64, kABlock + kk * 16 * es,
                     wbuf, mw, kw, njw, Kp * es, tileN * 4,
                     /*accumulate=*/kk > 0,
                     /*transposeB=*/b && op.getTransposeB());
          }
        }
        if (i8) {
          // i32 -> f32, times the row scales and the weight scales.
          int64_t ws = kWScale[cBlock % 2];
          e.convert("i32", "f32", cb, cb, mw, nw, tileN * 4, tileN * 4);
          e.binary("mul", "col", cb, cb, kRowScale, mw, nw, tileN * 4);
          e.load(ws, 0, *op.getScales() + n0 * 4, 1, nw * 4, nw * 4, nw * 4);
          e.binary("mul", "row", cb, cb, ws, mw, nw, tileN * 4);
        }
        if (auto bias = op.getBias()) {
          int64_t bb = kBias[cBlock % 2];
          e.load(bb, 0, *bias + n0 * 4, 1, nw * 4, nw * 4, nw * 4);
          e.binary("add", "row", cb, cb, bb, mw, nw, tileN * 4);
        }
        e.store(c.getReg(), cOff + (m0 * cStr[rank - 2] + n0) * 4, cb, mw,
                nw * 4, tileN * 4, cStr[rank - 2] * 4);
      }
    }
  }
  return success();
}

//===- AttentionMMAKernel.cpp - flash attention on tensor cores -----------===//
//
// The tensor-core body of convert-transformer-to-gpu's attention kernel
// (FlashAttention-2's work split), used for f16/bf16 attention and for f32
// attention with precision=bf16|f16: S = Q K^T and O += P V are
// nvvm.mma.sync m16n8k16 with f32 accumulators, the online softmax runs on
// the accumulator fragments.
//
// Grid as the CUDA-core kernel (query tiles x heads x batch); a block is
// `warps` warps, warp w owning the 16 query rows q0 + 16 w .. + 15. In the
// mma register layout (MMAFragments.h) lane (g = lane / 4, t = lane % 4)
// holds rows g and g + 8 of the warp's rows, and of every 8-key slice of a
// score tile the keys 2t and 2t + 1 of both rows. Per block:
//
//   qa[D/16][4]  <- Q fragments (A layout, 16-bit pairs along d; global)
//   m[2] = -inf, l[2] = 0, o[Dv/8][4] = 0       (registers, loop-carried)
//   for kv tile in 0 .. ceil(kvEnd / TKV):      (causal: tiles past the
//                                                block's last row skipped)
//     Ks[TKV][D/2+4]  <- K tile, pairs along d   (cooperative; zeros past T)
//     Vs[Dv][TKV/2+4] <- V tile transposed, pairs along the keys; barrier
//     s[n][4] = mma(qa, Ks) * scale for the TKV/8 key slices n
//     s = masks(s)    on fragment coordinates (key kv0 + 8n + 2t + i % 2,
//                     row g + 8 (i / 2)): past kvEnd, causal, mask operand
//     m' = max(m, row max of s)   (the row's 4 lanes: shuffle xor 1, 2)
//     p = exp(s - m'), alpha = exp(m - m'), l = alpha l + sum p (per lane)
//     o = alpha o + mma(P, Vs) with P's A fragments made of p in registers:
//         A register j of key step kk = pack(p[2kk + j/2][2 (j%2)], ..+1)
//     barrier
//   out[rows g, g + 8][8 n + 2t + i % 2] = o / (l summed over the 4 lanes)
//
// The row sum stays a per-lane partial sum until the end (alpha is the same
// in the row's 4 lanes). A row with no visible key keeps m = -inf, exp
// offsets of 0 and ends with 0 / 0 = NaN like the reference. K and V are
// rounded to 16 bits when copied to shared memory, P when packed; scores,
// softmax and output accumulate in f32. The padded shared rows (4 words)
// put the 8 rows x 4 words a fragment load touches on 32 distinct banks.
//
//===----------------------------------------------------------------------===//

#include "AttentionKernels.h"

#include "llm/Conversion/GPUCommon/KernelArith.h"
#include "llm/Conversion/GPUCommon/MMAFragments.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::llm;

std::optional<MMAAttentionShape>
llm::planMMAAttentionKernel(int64_t tileQ, int64_t tileKV, int64_t headDim,
                            int64_t valueDim, int64_t maxShared,
                            GPUMatmulPrecision precision) {
  if (headDim % 16 != 0 || valueDim % 16 != 0)
    return std::nullopt;
  MMAAttentionShape shape{std::clamp<int64_t>(tileQ / 16, 1, 8),
                          std::max<int64_t>(16, tileKV / 16 * 16), headDim,
                          valueDim, precision};
  while (shape.sharedBytes() > maxShared) {
    if (shape.tileKV <= 16)
      return std::nullopt;
    shape.tileKV = shape.tileKV / 32 * 16;
  }
  return shape;
}

namespace {

/// Builds the kernel body; holds the per-thread values the steps share.
class MMAAttentionBuilder : KernelArith {
public:
  MMAAttentionBuilder(OpBuilder &b, Location loc,
                      const MMAAttentionShape &shape,
                      const AttentionBuffers &buf)
      : KernelArith(b, loc), shape(shape), buf(buf),
        frags(b, loc, shape.precision) {}

  void build(Value keyTile, Value valueTile);

private:
  /// `memref[b, h, row, col]` as f32, or 0 if `row >= rowLimit` (the load
  /// itself reads the clamped row `min(row, lastRow)`).
  Value loadElement(Value memref, Value head, Value row, Value col,
                    Value rowLimit, Value lastRow) {
    Value clamped = minU(row, lastRow);
    Value v = toF32(memref::LoadOp::create(
        b, loc, memref, ValueRange{batch, head, clamped, col}));
    return arith::SelectOp::create(b, loc, ult(row, rowLimit), v,
                                   f32Const(0.0));
  }

  /// Cooperative copy of `words` 32-bit words into a shared tile: word
  /// `e` is `store(e)`.
  void copyWords(int64_t words, function_ref<void(Value e)> store) {
    cooperativeLoop(b, loc, tid, shape.threads(), words, store);
  }

  /// The B fragment of k step `kStep` (16 keys or dims, 8 words) from row
  /// `row` of a shared tile of 16-bit pairs: register j is word
  /// 8 kStep + t + 4j.
  SmallVector<SmallVector<Value>> loadBFragment(Value tile, Value row,
                                                int64_t kStep) {
    SmallVector<SmallVector<Value>> registers;
    for (int64_t j = 0; j < 2; ++j)
      registers.push_back(frags.loadRegister(
          tile, row, add(inGroup, index(8 * kStep + mmaBWordOffset(j)))));
    return registers;
  }

  /// Sum (`isMax` false) or max of `v` over the 4 lanes sharing a row.
  Value rowReduce(Value v, bool isMax) {
    return xorShuffleReduce(v, {1, 2}, isMax);
  }

  const MMAAttentionShape &shape;
  const AttentionBuffers &buf;
  MMAFragmentBuilder frags;
  Value tid, batch, head, kvHead, group, inGroup;
};

void MMAAttentionBuilder::build(Value keyTile, Value valueTile) {
  const int64_t headDim = shape.headDim, valueDim = shape.valueDim,
                tileKV = shape.tileKV, keySlices = tileKV / 8,
                valueSlices = valueDim / 8;
  AttentionBlock block = attentionBlock(b, loc, buf);
  tid = block.tid;
  head = block.head;
  batch = block.batch;
  kvHead = block.kvHead;
  Value seqQ = block.seqQ, seqKV = block.seqKV, seqOffset = block.seqOffset;
  Value lastQuery = sub(seqQ, index(1));
  Value lastKey = sub(seqKV, index(1));
  Value warp = divU(tid, 32), lane = remU(tid, 32);
  group = divU(lane, 4);
  inGroup = remU(lane, 4);
  Value firstQuery = mul(block.queryTile, index(shape.tileQ()));
  // The lane's two query rows (fragment rows g and g + 8 of its warp).
  Value rowBase = add(add(firstQuery, mul(warp, index(16))), group);
  Value rows[2] = {rowBase, add(rowBase, index(8))};
  AttentionRowMask rowMasks[2];
  for (int64_t h = 0; h < 2; ++h)
    rowMasks[h] = {add(rows[h], seqOffset),
                   minU(rows[h], lastQuery)};

  // Q's A fragments, kept in registers: register j of k step ks holds
  // Q[row g + 8 (j % 2)][16 ks + 2 (t + 4 (j / 2)) + {0, 1}].
  SmallVector<SmallVector<SmallVector<Value>>> queryFrags(headDim / 16);
  for (int64_t ks = 0; ks < headDim / 16; ++ks) {
    for (int64_t j = 0; j < 4; ++j) {
      Value row = rows[mmaARowOffset(j) / 8];
      Value col = mul(add(inGroup, index(8 * ks + mmaAWordOffset(j))),
                      index(2));
      Value pair[2];
      for (int64_t e = 0; e < 2; ++e)
        pair[e] = loadElement(buf.query, head, row, add(col, index(e)), seqQ,
                              lastQuery);
      queryFrags[ks].push_back(
          frags.registersOfWord(frags.packPair(pair[0], pair[1])));
    }
  }

  Value kvEnd = visibleKeyEnd(b, loc, buf, firstQuery, shape.tileQ(), seqQ,
                              seqKV, seqOffset);
  Value numTiles = ceilDivU(kvEnd, tileKV);
  Value scale = f32Const(buf.scale);

  // Carried: m[2], l[2] (per-lane partial sums), o[valueSlices][4].
  SmallVector<Value> init = {negInf(), negInf(), f32Const(0.0),
                             f32Const(0.0)};
  init.append(valueSlices * 4, f32Const(0.0));
  auto tileLoop = scf::ForOp::create(b, loc, index(0), numTiles, index(1),
                                     init);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(tileLoop.getBody());
    ValueRange carried = tileLoop.getRegionIterArgs();
    Value firstKey = mul(tileLoop.getInductionVar(), index(tileKV));

    // Ks[j][w] = (K[kv0 + j][2w], K[kv0 + j][2w + 1]); consecutive threads
    // take consecutive words of a key row (coalesced).
    int64_t keyWords = headDim / 2;
    copyWords(tileKV * keyWords, [&](Value e) {
      Value j = divU(e, keyWords), w = remU(e, keyWords);
      Value key = add(firstKey, j), d = mul(w, index(2));
      Value word = frags.packPair(
          loadElement(buf.key, kvHead, key, d, seqKV, lastKey),
          loadElement(buf.key, kvHead, key, add(d, index(1)), seqKV,
                      lastKey));
      memref::StoreOp::create(b, loc, word, keyTile, ValueRange{j, w});
    });
    // Vs[c][w] = (V[kv0 + 2w][c], V[kv0 + 2w + 1][c]); consecutive threads
    // take consecutive columns c of a value row (coalesced).
    copyWords(valueDim * (tileKV / 2), [&](Value e) {
      Value c = remU(e, valueDim), w = divU(e, valueDim);
      Value key = add(firstKey, mul(w, index(2)));
      Value word = frags.packPair(
          loadElement(buf.value, kvHead, key, c, seqKV, lastKey),
          loadElement(buf.value, kvHead, add(key, index(1)), c, seqKV,
                      lastKey));
      memref::StoreOp::create(b, loc, word, valueTile, ValueRange{c, w});
    });
    gpu::BarrierOp::create(b, loc);

    // S = Q K^T: key slice n is an m16n8 tile, B register j of k step ks
    // is Ks[8n + g][8 ks + t + 4j].
    SmallVector<SmallVector<Value>> scores(keySlices);
    Value tileMax[2] = {negInf(), negInf()};
    for (int64_t n = 0; n < keySlices; ++n) {
      SmallVector<Value> acc(4, f32Const(0.0));
      Value keyRow = add(index(8 * n), group);
      for (int64_t ks = 0; ks < headDim / 16; ++ks) {
        frags.accumulate(queryFrags[ks], loadBFragment(keyTile, keyRow, ks),
                         acc);
      }
      // Element i: row g + 8 (i / 2), key kv0 + 8n + 2t + i % 2.
      for (int64_t i = 0; i < 4; ++i) {
        Value key = add(add(firstKey, index(8 * n + mmaCColumnOffset(i))),
                        mul(inGroup, index(2)));
        int64_t h = mmaCRowOffset(i) / 8;
        Value s = mulF(acc[i], scale);
        s = maskScore(b, loc, buf, s, key, kvEnd, rowMasks[h], batch, head,
                      lastKey);
        scores[n].push_back(s);
        tileMax[h] = maxF(tileMax[h], s);
      }
    }

    // Online softmax per row (h = 0: row g, 1: row g + 8).
    Value offset[2], alpha[2], rowSum[2];
    for (int64_t h = 0; h < 2; ++h) {
      Value newMax = maxF(carried[h], rowReduce(tileMax[h], /*isMax=*/true));
      offset[h] = softmaxOffset(b, loc, newMax);
      alpha[h] = math::ExpOp::create(b, loc, subF(carried[h], offset[h]));
      rowSum[h] = mulF(carried[2 + h], alpha[h]);
      tileMax[h] = newMax;
    }
    SmallVector<SmallVector<Value>> probs(keySlices);
    for (int64_t n = 0; n < keySlices; ++n) {
      for (int64_t i = 0; i < 4; ++i) {
        int64_t h = mmaCRowOffset(i) / 8;
        Value p = math::ExpOp::create(b, loc, subF(scores[n][i], offset[h]));
        rowSum[h] = addF(rowSum[h], p);
        probs[n].push_back(p);
      }
    }

    // O = alpha O + P V: P's A register j of key step kk is the pair of
    // accumulator elements 2 (j % 2), 2 (j % 2) + 1 of key slice
    // 2 kk + j / 2 (row g + 8 (j % 2), keys 16 kk + 8 (j / 2) + 2t + {0, 1});
    // V's B register j of value slice c is Vs[8c + g][8 kk + t + 4j].
    SmallVector<Value> out;
    for (int64_t i = 0; i < valueSlices * 4; ++i)
      out.push_back(mulF(carried[4 + i], alpha[mmaCRowOffset(i % 4) / 8]));
    for (int64_t kk = 0; kk < tileKV / 16; ++kk) {
      SmallVector<SmallVector<Value>> probFrag;
      for (int64_t j = 0; j < 4; ++j) {
        const SmallVector<Value> &slice =
            probs[2 * kk + mmaAWordOffset(j) / 4];
        int64_t first = 2 * (mmaARowOffset(j) / 8);
        probFrag.push_back(frags.registersOfWord(
            frags.packPair(slice[first], slice[first + 1])));
      }
      for (int64_t c = 0; c < valueSlices; ++c) {
        Value valueRow = add(index(8 * c), group);
        frags.accumulate(probFrag, loadBFragment(valueTile, valueRow, kk),
                         MutableArrayRef<Value>(out.data() + 4 * c, 4));
      }
    }
    gpu::BarrierOp::create(b, loc);
    SmallVector<Value> yielded = {tileMax[0], tileMax[1], rowSum[0],
                                  rowSum[1]};
    llvm::append_range(yielded, out);
    scf::YieldOp::create(b, loc, yielded);
  }

  // out[row][8c + 2t + i % 2] = o / l, rows inside Sq only.
  Type outElement = cast<MemRefType>(buf.output.getType()).getElementType();
  for (int64_t h = 0; h < 2; ++h) {
    Value rowSum = rowReduce(tileLoop.getResult(2 + h), /*isMax=*/false);
    auto rowGuard = scf::IfOp::create(b, loc, ult(rows[h], seqQ),
                                      /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(rowGuard.thenBlock());
    for (int64_t c = 0; c < valueSlices; ++c) {
      for (int64_t i = 2 * h; i < 2 * h + 2; ++i) {
        Value col = add(index(8 * c + mmaCColumnOffset(i)),
                        mul(inGroup, index(2)));
        Value o = fromF32(arith::DivFOp::create(
                              b, loc, tileLoop.getResult(4 + 4 * c + i), rowSum),
                          outElement);
        memref::StoreOp::create(b, loc, o, buf.output,
                                ValueRange{batch, head, rows[h], col});
      }
    }
  }
}

} // namespace

void llm::buildMMAAttentionKernel(OpBuilder &b, Location loc,
                                  const MMAAttentionShape &shape,
                                  const AttentionBuffers &buf,
                                  ArrayRef<BlockArgument> shared) {
  MMAAttentionBuilder(b, loc, shape, buf).build(shared[0], shared[1]);
}

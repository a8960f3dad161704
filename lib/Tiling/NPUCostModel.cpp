//===- NPUCostModel.cpp - NPU tile sizes from a target description -------===//
//
// The NPU's tile sizes (NPUCostModel.h): the gemm C block from the
// accumulator and scratchpad sizes, and the flash attention blocks from an
// estimate of the compute queue's cycles under the simulator's timing model
// (docs/npu.md): a matmul of m rows takes max(m, 16) cycles when it follows
// another matmul (the weight preload hides behind the rows), 16 more after
// a vector instruction and 32 before the next vector instruction can start
// (the array's pipeline); a vector instruction over `rows` x `cols` takes
// rows * ceil(cols / 16) beats (+4 per row for reductions) plus its latency
// (4, or 16 for exp and recip). The array and the vector unit share the
// compute queue, so the two add up; DMA runs beside them.
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/NPUCostModel.h"

#include "llm/Target/NPU/ISA.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::llm;

namespace {
int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t alignUp(int64_t a, int64_t b) { return ceilDiv(a, b) * b; }
constexpr int64_t kArray = npu::kArrayDim;
constexpr int64_t kLanes = npu::kVectorLanes;
constexpr int64_t kMaxRows = 4095;
} // namespace

TargetDescription mlir::llm::getNPUTargetDescription() {
  TargetDescription desc;
  desc.cpu = "npu";
  desc.source = "npu-isa";
  desc.vectorBits = npu::kVectorLanes * 32;
  desc.scratchpadBytes = npu::kScratchpadBytes;
  desc.accumulatorBytes = npu::kAccumulatorBytes;
  desc.threads = 1;
  return desc;
}

NPUGemmTiles mlir::llm::chooseNPUGemmTiles(const TargetDescription &desc,
                                           int64_t tileM, int64_t tileN) {
  NPUGemmTiles tiles;
  tiles.tileN = tileN > 0 ? tileN : 4 * kArray;
  // Two f32 C blocks in the accumulator; an A block of tile_m rows of
  // K = 256 in bf16 in half the scratchpad (staging, weight tiles and
  // biases use the other half), also for a tile_m given by the user.
  int64_t byAccumulator = desc.accumulatorBytes / 2 / (tiles.tileN * 4);
  int64_t byScratchpad = desc.scratchpadBytes / 2 / (256 * 2);
  tiles.tileM = tileM > 0 ? tileM : std::min(kMaxRows, byAccumulator);
  tiles.tileM = std::max<int64_t>(1, std::min(tiles.tileM, byScratchpad));
  return tiles;
}

NPUAttentionLayout mlir::llm::npuAttentionLayout(int64_t tileQ,
                                                 int64_t tileKV,
                                                 int64_t kvBuffers,
                                                 int64_t headDim,
                                                 int64_t kvRows,
                                                 bool causal,
                                                 bool masked) {
  NPUAttentionLayout l;
  l.kvRows = kvRows;
  l.tileQ = tileQ;
  l.tileKV = tileKV;
  l.kvBuffers = kvBuffers;
  l.headDim = headDim;
  l.paddedHeadDim = alignUp(headDim, kArray);
  int64_t dChunks = l.paddedHeadDim / kArray;
  // Scratchpad, 64-byte aligned buffers.
  int64_t sp = 0;
  auto take = [&](int64_t bytes) {
    int64_t at = sp;
    sp += alignUp(bytes, 64);
    return at;
  };
  for (int64_t &q : l.qStage)
    q = take(tileQ * headDim * 4);
  l.qBf16 = take(tileQ * l.paddedHeadDim * 2);
  // A K or V block is staged as dChunks column chunks of kvRows rows of 64
  // bytes, so that one vcvt turns it into 16x16 bf16 array tiles.
  l.kvStageBytes = alignUp(dChunks * kvRows * 64, 64);
  l.kStage = take(kvBuffers * l.kvStageBytes);
  l.vStage = take(kvBuffers * l.kvStageBytes);
  l.kBf16 = take(dChunks * kvRows * 32);
  l.vBf16 = take(dChunks * kvRows * 32);
  l.p = take(tileQ * tileKV * 2);
  for (int64_t &m : l.rowMax)
    m = take(tileQ * 4);
  l.rowSum = take(tileQ * 4);
  l.rescale = take(tileQ * 4);
  l.constants = take(8); // the scale, -FLT_MAX (masked: the row max floor)
  if (causal)
    l.causalMask = take(tileQ * tileKV * 4);
  if (masked)
    for (int64_t &m : l.maskBlock)
      m = take(tileQ * tileKV * 4);
  l.scratchpadBytes = sp;
  // Accumulator.
  int64_t acc = npu::kAccumulatorBase;
  l.s = acc;
  acc += tileQ * tileKV * 4;
  for (int64_t &o : l.o) {
    o = acc;
    acc += tileQ * l.paddedHeadDim * 4;
  }
  l.accumulatorBytes = acc - npu::kAccumulatorBase;
  return l;
}

bool mlir::llm::fitsNPU(const NPUAttentionLayout &layout,
                        const TargetDescription &desc) {
  return layout.scratchpadBytes <= desc.scratchpadBytes &&
         layout.accumulatorBytes <= desc.accumulatorBytes;
}

int64_t mlir::llm::estimateNPUAttentionCycles(const NPUAttentionShape &shape,
                                              int64_t tileQ, int64_t tileKV,
                                              bool kvResident) {
  const int64_t S = shape.seqQ, T = shape.seqKV, D = shape.headDim;
  const int64_t dChunks = ceilDiv(D, kArray);
  auto vec = [](int64_t rows, int64_t cols, int64_t latency) {
    return rows * ceilDiv(cols, kLanes) + latency;
  };
  auto reduce = [](int64_t rows, int64_t cols) {
    return rows * (ceilDiv(cols, kLanes) + 4) + 4;
  };
  int64_t compute = 0, dmaBytes = 0;
  auto convertKV = [&](int64_t keys) {
    dmaBytes += 2 * keys * dChunks * 64;
    compute += 2 * (D % kArray ? dChunks * (keys + 4) : dChunks * keys + 4);
  };
  if (kvResident)
    convertKV(T);
  if (shape.causal) // building the mask, once per op (shared by the heads)
    compute += (vec(tileQ, tileKV, 4) + tileQ * (ceilDiv(tileKV, kLanes) + 4)) /
               std::max<int64_t>(1, shape.heads);
  for (int64_t q0 = 0; q0 < S; q0 += tileQ) {
    int64_t rw = std::min(tileQ, S - q0);
    int64_t colBeats = ceilDiv(rw, kLanes);
    compute += vec(rw, D, 4) + vec(rw, D, 4); // Q: scale, to bf16
    dmaBytes += 2 * rw * dChunks * 64;        // Q in, O out
    int64_t lastKey = shape.causal ? std::min(T - 1, q0 + rw - 1 + T - S)
                                   : T - 1;
    for (int64_t k0 = 0; k0 <= lastKey; k0 += tileKV) {
      int64_t cw = std::min(tileKV, lastKey - k0 + 1);
      int64_t keyChunks = ceilDiv(cw, kArray);
      // K and V to bf16 array tiles.
      if (!kvResident)
        convertKV(cw);
      // S = Q K^T and O += P V: each after vector work (preload exposed)
      // and followed by vector work (pipeline drained).
      compute += 2 * (keyChunks * dChunks * std::max(rw, kArray) + 16 + 32);
      // Causal mask: row r sees keys c <= r + d; rows that see none are
      // filled, the rest of the block from column d + 1 gets the mask added.
      int64_t d = q0 - k0 + T - S;
      if (shape.causal && d + 1 < cw) {
        int64_t r0 = std::min(rw, std::max<int64_t>(0, -(d + 1)));
        int64_t c0 = std::max<int64_t>(0, d + 1);
        if (r0 > 0)
          compute += vec(r0, cw, 4);
        if (r0 < rw)
          compute += vec(rw - r0, cw - c0, 4);
      }
      // Additive mask: the block loaded (rows of cw f32) and added to S,
      // the first block's row max floored.
      if (shape.masked) {
        dmaBytes += rw * cw * 4;
        compute += vec(rw, cw, 4) + (k0 == 0 ? colBeats + 4 : 0);
      }
      // Online softmax on the S block.
      compute += reduce(rw, cw) + vec(rw, cw, 4) + vec(rw, cw, 16) +
                 reduce(rw, cw) + vec(rw, cw, 4); // max, sub, exp, sum, cvt
      if (k0 > 0)
        compute += (colBeats + 4) * 3 + (colBeats + 16) + // new max, alpha, l
                   vec(rw, D, 4);                         // O *= alpha
    }
    compute += (colBeats + 16) + vec(rw, D, 4); // 1/l, O / l
  }
  int64_t dma = dmaBytes / 16;
  return shape.heads * std::max(compute, dma);
}

std::optional<NPUAttentionTiles>
mlir::llm::chooseNPUAttentionTiles(const TargetDescription &desc,
                                   const NPUAttentionShape &shape) {
  std::optional<NPUAttentionTiles> best;
  int64_t maxQ = std::min(kMaxRows, alignUp(shape.seqQ, kArray));
  int64_t maxKV = std::min(kMaxRows / kArray * kArray,
                           alignUp(shape.seqKV, kArray));
  for (int64_t buffers : {2, 1}) {
    for (bool resident : {false, true}) {
      for (int64_t tq = kArray; tq <= maxQ; tq += kArray) {
        int64_t tileQ = std::min(tq, shape.seqQ);
        for (int64_t tileKV = kArray; tileKV <= maxKV; tileKV += kArray) {
          int64_t kvRows = resident ? shape.seqKV : tileKV;
          if (kvRows > kMaxRows) // a K/V load's rows
            continue;
          if (!fitsNPU(npuAttentionLayout(tileQ, tileKV, buffers,
                                          shape.headDim, kvRows, shape.causal,
                                          shape.masked),
                       desc))
            continue;
          int64_t cycles =
              estimateNPUAttentionCycles(shape, tileQ, tileKV, resident);
          // Candidates come in increasing preference: ties go to the later.
          if (!best || cycles <= best->cycles)
            best = NPUAttentionTiles{tileQ, tileKV, buffers, resident, cycles};
        }
      }
    }
    if (best)
      return best;
  }
  return std::nullopt;
}

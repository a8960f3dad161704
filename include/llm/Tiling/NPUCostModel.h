//===- NPUCostModel.h - NPU tile sizes from a target description -*- C++ -*-===//
//
// The NPU's part of the tiling framework (docs/tiling.md, "One framework,
// three targets"): the same TargetDescription as the CPU and GPU, with the
// NPU's memory levels in its `scratchpad` and `accumulator` fields, turned
// into the tile sizes of the NPU lowerings (dialects/NPU/Transforms):
//
// - gemm: the C block tile_m x tile_n (f32 in the accumulator, two blocks so
//   that one is stored while the array fills the other) and the A block of
//   tile_m rows in bf16 in half the scratchpad;
// - attention (flash style): the query block tile_q, the key/value block
//   tile_kv and the depth of the K/V staging buffers, chosen by an estimate
//   of the compute queue's cycles (array and vector unit, docs/npu.md timing
//   model) among the sizes whose buffers fit the scratchpad and the
//   accumulator (npuAttentionLayout).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TILING_NPUCOSTMODEL_H
#define LLM_TILING_NPUCOSTMODEL_H

#include "llm/Tiling/TargetDescription.h"

#include <optional>

namespace mlir {
namespace llm {

/// The NPU of docs/npu.md as a target description: 16 f32 vector lanes, the
/// 256 KiB scratchpad and the 64 KiB accumulator (lib/Target/NPU/ISA.h).
TargetDescription getNPUTargetDescription();

/// The C block of npu.gemm.
struct NPUGemmTiles {
  int64_t tileM = 0, tileN = 0;
};

/// tile_n = four array tiles (64 columns: long rows for the A block's DMA
/// and few C blocks); tile_m = the rows of a tile_m x tile_n f32 block in
/// half the accumulator (at most 4095, the ISA's row field); `tileM`/`tileN`
/// above 0 override that (checked by the caller). Either way at most the
/// rows of a bf16 A block with K = 256 in half the scratchpad.
NPUGemmTiles chooseNPUGemmTiles(const TargetDescription &desc,
                                int64_t tileM = 0, int64_t tileN = 0);

/// Local memory of the flash attention lowering for given tile sizes: the
/// offsets of its buffers (unified local addresses: scratchpad from 0,
/// accumulator from 0x40000) and the bytes it needs of each memory.
struct NPUAttentionLayout {
  int64_t tileQ = 0, tileKV = 0, kvBuffers = 0, headDim = 0;
  /// Keys held in a K/V staging buffer and in the bf16 tiles: tileKV when
  /// key blocks stream per query block, the whole T when K and V are
  /// resident per head.
  int64_t kvRows = 0;
  /// Head dim rounded up to the array's 16.
  int64_t paddedHeadDim = 0;
  // Scratchpad.
  int64_t qStage[2] = {0, 0}; ///< f32 Q blocks [tileQ, D]
  int64_t qBf16 = 0;          ///< scaled bf16 Q [tileQ, paddedHeadDim]
  int64_t kStage = 0, vStage = 0; ///< kvBuffers f32 blocks each, kvStageBytes apart
  int64_t kvStageBytes = 0;
  int64_t kBf16 = 0, vBf16 = 0; ///< bf16 16x16 array tiles of kvRows keys
  int64_t p = 0;                ///< bf16 P [tileQ, tileKV]
  int64_t rowMax[2] = {0, 0};   ///< running max, the old and the new
  int64_t rowSum = 0, rescale = 0, constants = 0;
  /// Causal: f32 [tileQ, tileKV], -inf where col >= row, else 0 (with S's
  /// row stride, added to the part of an S block that crosses the diagonal).
  int64_t causalMask = 0;
  /// Additive mask: two f32 [tileQ, tileKV] blocks (S's row stride), the
  /// next one loaded while the current one is added.
  int64_t maskBlock[2] = {0, 0};
  int64_t scratchpadBytes = 0;
  // Accumulator.
  int64_t s = 0;              ///< f32 S [tileQ, tileKV]
  int64_t o[2] = {0, 0};      ///< f32 O [tileQ, paddedHeadDim], two blocks
  int64_t accumulatorBytes = 0;
};

NPUAttentionLayout npuAttentionLayout(int64_t tileQ, int64_t tileKV,
                                      int64_t kvBuffers, int64_t headDim,
                                      int64_t kvRows, bool causal,
                                      bool masked = false);

/// Whether the layout fits the description's scratchpad and accumulator.
bool fitsNPU(const NPUAttentionLayout &layout, const TargetDescription &desc);

/// One attention op: `heads` = batch x heads (Q, K, V) [S, D] / [T, D] pairs.
struct NPUAttentionShape {
  int64_t heads = 1, seqQ = 1, seqKV = 1, headDim = 64;
  bool causal = false;
  /// An additive mask operand (its blocks take scratchpad space).
  bool masked = false;
};

struct NPUAttentionTiles {
  int64_t tileQ = 0, tileKV = 0, kvBuffers = 0;
  /// K and V of a head loaded and converted once (all T keys fit).
  bool kvResident = false;
  /// The model's estimate (cycles) for the whole op.
  int64_t cycles = 0;
};

/// The estimated cycles of the flash attention lowering with these tiles:
/// per (batch, head), max(compute queue, DMA), the compute queue being the
/// array's matmuls plus every vector instruction (beats and latency, as in
/// the simulator's timing model), key blocks above the causal diagonal
/// skipped.
int64_t estimateNPUAttentionCycles(const NPUAttentionShape &shape,
                                   int64_t tileQ, int64_t tileKV,
                                   bool kvResident);

/// The tiles with the lowest estimate among tile_q in 16..4095 (steps of
/// 16, or S itself when smaller), tile_kv in 16..T rounded up to 16 (steps
/// of 16) and K/V streamed per query block or resident per head, whose
/// layout with double-buffered K/V staging fits (single buffering when
/// nothing double-buffered fits); ties go to resident K/V, then the larger
/// tile_q, then the larger tile_kv. None when even 16 x 16 does not fit.
std::optional<NPUAttentionTiles>
chooseNPUAttentionTiles(const TargetDescription &desc,
                        const NPUAttentionShape &shape);

} // namespace llm
} // namespace mlir

#endif // LLM_TILING_NPUCOSTMODEL_H

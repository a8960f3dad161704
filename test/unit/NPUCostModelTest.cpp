//===- NPUCostModelTest.cpp - NPU tile sizes from target descriptions -----===//
//
// The NPU part of the tiling framework (lib/Tiling/NPUCostModel.cpp): gemm C
// blocks and flash-attention blocks chosen for several target descriptions
// (the NPU's own and smaller scratchpads/accumulators), the local-memory
// layout's byte counts and one estimate, each derived by hand in the
// comments from the formulas in NPUCostModel.h / docs/tiling.md.
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/NPUCostModel.h"

#include <gtest/gtest.h>

using namespace mlir::llm;

namespace {

TargetDescription npuWith(int64_t scratchpad, int64_t accumulator) {
  TargetDescription desc = getNPUTargetDescription();
  desc.scratchpadBytes = scratchpad;
  desc.accumulatorBytes = accumulator;
  return desc;
}

TEST(NPUCostModelTest, DescriptionIsTheISA) {
  TargetDescription desc = getNPUTargetDescription();
  EXPECT_EQ(desc.scratchpadBytes, 256 * 1024);
  EXPECT_EQ(desc.accumulatorBytes, 64 * 1024);
  EXPECT_EQ(desc.vectorBits, 512); // 16 f32 lanes
}

TEST(NPUCostModelTest, GemmTiles) {
  // tile_n = 4 x 16. tile_m = min(acc / 2 / (64 * 4), sp / 2 / (256 * 2)):
  // the NPU: min(32768 / 256, 131072 / 512) = min(128, 256) = 128.
  NPUGemmTiles t = chooseNPUGemmTiles(getNPUTargetDescription());
  EXPECT_EQ(t.tileN, 64);
  EXPECT_EQ(t.tileM, 128);
  // 64 KiB scratchpad, 32 KiB accumulator: min(16384 / 256, 32768 / 512) =
  // min(64, 64) = 64.
  t = chooseNPUGemmTiles(npuWith(64 * 1024, 32 * 1024));
  EXPECT_EQ(t.tileM, 64);
  // 32 KiB scratchpad bounds it: min(128, 16384 / 512 = 32) = 32.
  t = chooseNPUGemmTiles(npuWith(32 * 1024, 64 * 1024));
  EXPECT_EQ(t.tileM, 32);
  // tile-n = 32 given: min(32768 / 128 = 256, 256) = 256; a tile_m given is
  // still bounded by the scratchpad: min(300, 256) = 256.
  t = chooseNPUGemmTiles(getNPUTargetDescription(), 0, 32);
  EXPECT_EQ(t.tileM, 256);
  t = chooseNPUGemmTiles(getNPUTargetDescription(), 300, 16);
  EXPECT_EQ(t.tileM, 256);
}

TEST(NPUCostModelTest, AttentionLayout) {
  // tile_q = tile_kv = 16, two K/V buffers, D = 64 (4 chunks of 16), keys
  // streamed (16 rows), not causal. Scratchpad, 64-byte aligned buffers:
  //   Q staging 2 x 16*64*4 = 8192, bf16 Q 16*64*2 = 2048        -> 10240
  //   K staging 2 x 4*16*64 = 8192, V staging 8192               -> 26624
  //   bf16 K 4*16*32 = 2048, bf16 V 2048, P 16*16*2 = 512        -> 31232
  //   row max 2 x 64, row sum 64, rescale 64, constants 64       -> 31552
  // Accumulator: S 16*16*4 = 1024 + O 2 x 16*64*4 = 8192       -> 9216.
  NPUAttentionLayout l = npuAttentionLayout(16, 16, 2, 64, 16, false);
  EXPECT_EQ(l.scratchpadBytes, 31552);
  EXPECT_EQ(l.accumulatorBytes, 9216);
  EXPECT_EQ(l.kStage, 10240);
  EXPECT_EQ(l.kvStageBytes, 4096);
  EXPECT_EQ(l.o[1], 0x40000 + 1024 + 4096);
  // Causal adds the [16, 16] f32 mask: 31552 + 1024.
  EXPECT_EQ(npuAttentionLayout(16, 16, 2, 64, 16, true).scratchpadBytes,
            32576);
  // K/V resident for T = 64: staging 2 x 4*64*64 = 32768 each and bf16
  // 4*64*32 = 8192 each, instead of 8192 and 2048: +2*24576 + 2*6144.
  EXPECT_EQ(npuAttentionLayout(16, 16, 2, 64, 64, false).scratchpadBytes,
            31552 + 2 * 24576 + 2 * 6144);
}

TEST(NPUCostModelTest, AttentionEstimate) {
  // One head, S = T = D = 16, blocks of 16, K/V resident, not causal:
  //   K, V to bf16 once: 2 x (1 chunk * 16 rows + 4)                  40
  //   Q: x scale, to bf16: 2 x (16 rows * 1 beat + 4)                 40
  //   S = Q K^T and O += P V: 2 x (1 matmul * 16 rows + 16 + 32)     128
  //   max (16*(1+4)+4), sub (16+4), exp (16+16), sum (84), cvt (20) 240
  //   1/l (1 + 16), O / l (16 + 4)                                     37
  // = 485 compute cycles; DMA (Q, O, K, V: 4 x 16 rows x 64 bytes) / 16 =
  // 256 cycles: compute-bound, 485.
  NPUAttentionShape shape;
  shape.seqQ = shape.seqKV = shape.headDim = 16;
  EXPECT_EQ(estimateNPUAttentionCycles(shape, 16, 16, true), 485);
  // Streamed K/V: the same work for one key block; two heads: twice.
  shape.heads = 2;
  EXPECT_EQ(estimateNPUAttentionCycles(shape, 16, 16, false), 970);
}

TEST(NPUCostModelTest, AttentionTiles) {
  NPUAttentionShape shape;
  shape.seqQ = shape.seqKV = 64;
  shape.headDim = 64;
  // Accumulator 9216 bytes: S + two O blocks need 4 tq (tk + 128) <= 9216,
  // i.e. tq (tk + 128) <= 2304: only tq = tk = 16. The scratchpad (256 KiB)
  // holds K/V resident (31552 + 61440 bytes), which converts them once per
  // head instead of once per query block (4 here): resident.
  std::optional<NPUAttentionTiles> t =
      chooseNPUAttentionTiles(npuWith(256 * 1024, 9216), shape);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->tileQ, 16);
  EXPECT_EQ(t->tileKV, 16);
  EXPECT_EQ(t->kvBuffers, 2);
  EXPECT_TRUE(t->kvResident);
  // A 31552-byte scratchpad holds exactly the streamed 16 x 16 layout with
  // two K/V buffers (AttentionLayout above), not the resident one.
  t = chooseNPUAttentionTiles(npuWith(31552, 9216), shape);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->tileQ, 16);
  EXPECT_EQ(t->tileKV, 16);
  EXPECT_EQ(t->kvBuffers, 2);
  EXPECT_FALSE(t->kvResident);
  // One byte less: no double buffering fits; one K/V buffer each
  // (31552 - 2 x 4096 = 23360 bytes) does.
  t = chooseNPUAttentionTiles(npuWith(31551, 9216), shape);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kvBuffers, 1);
  EXPECT_FALSE(t->kvResident);
  // Nothing fits an accumulator below 16 x (16 + 128) x 4 = 9216 bytes.
  EXPECT_FALSE(chooseNPUAttentionTiles(npuWith(256 * 1024, 9215), shape));
}

} // namespace

// The GPU cost model (lib/Tiling/GPUCostModel.cpp) for two GPU descriptions,
// sm_80 (A100: 108 SMs, 164 KiB shared memory per SM) and sm_90 (H100 SXM:
// 132 SMs, 228 KiB), and an override; expected values derived by hand
// below from the model in docs/nvptx.md.
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_80 precision=bf16 report=1}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=BF16-80
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_90 precision=bf16 report=1}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=BF16-90
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_80 precision=f32 report=1}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=F32-80
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_90 precision=f32 report=1}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=F32-90
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_80 precision=bf16 target-desc=registers-per-thread=128 report=1}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=REGS
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_90a precision=bf16 report=1}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=WG
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_80 precision=bf16 tile-sizes=64,64,32,2,2 report=1}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=FIXED

// The description comes from the chip's table.
// BF16-80: remark: gpu matmul: cpu=sm_80 source=gpu-table {{.*}}shared-memory=49152 {{.*}}sms=108 warp-size=32 registers-per-sm=65536 registers-per-thread=255 shared-memory-per-sm=167936 threads-per-sm=2048 threads-per-block=1024 blocks-per-sm=32 tensor-macs=1024 memory-bytes=1100
// BF16-90: remark: gpu matmul: cpu=sm_90 source=gpu-table {{.*}}sms=132 {{.*}}shared-memory-per-sm=233472 {{.*}}tensor-macs=2048 memory-bytes=1830
// REGS: source=gpu-table+overrides {{.*}}registers-per-thread=128

// 512 x 512 x 512, bf16. Warp tile 64x64: 128 accumulators + 4*4 A + 8*2 B
// fragment registers + 40 = 200 <= 255: block 128x128 (2 x 2 warps), 16
// blocks. Halving the larger dim (M on ties) while blocks < SMs:
//   sm_80 (108): 64x128 (32), 64x64 (64), 32x64 (128) -> 32x64;
//   sm_90 (132): ... 32x64 (128), 32x32 (256) -> 32x32.
// Warps min(2, BM/16) x min(2, BN/8) = 2x2. BK = 64: (BM + BN) rows of
// 32 words + 4 padding: sm_80 96*36*4 = 13824 bytes, sm_90 64*36*4 = 9216.
// Registers: warp tile 16x32: 16 + (4 + 8) + 40 = 68; 16x16: 8 + 8 + 40 = 56.
// Resident blocks: min(32, 2048/128 = 16, 65536/(128*68) = 7,
// 167936/13824 = 12) = 7; sm_90: min(32, 16, 65536/(128*56) = 9, 25) = 9.
// BF16-80: precision=bf16 block=32x64x64 warps=2x2 warp-tile=16x32 shared=13824 registers=68 blocks-per-sm=7 grid-blocks=128
// BF16-90: precision=bf16 block=32x32x64 warps=2x2 warp-tile=16x16 shared=9216 registers=56 blocks-per-sm=9 grid-blocks=256
// The wgmma kernel (sm_90a, bf16): 128 x 128 blocks of two warpgroups;
// 16 blocks < 132 SMs: one warpgroup of 64 rows (32 blocks), then BN 64
// (64), 32 (128), 16 (256). BK 64: 2 stages x (64 + 16) rows x 64 x 2
// bytes + 2 x 16 alignment = 20512 bytes; registers 64 * 16 / 128 + 40 =
// 48; resident min(32, 2048/128 = 16, 65536/(128*48) = 10, 233472/20512 =
// 11) = 10.
// WG: precision=bf16 block=64x16x64 warps=4x1 warpgroup-tile=64x16 shared=20512 registers=48 blocks-per-sm=10 grid-blocks=256 kernel=wgmma stages=2
func.func @square(%a: memref<512x512xf32>, %b: memref<512x512xf32>, %c: memref<512x512xf32>) {
  linalg.matmul ins(%a, %b : memref<512x512xf32>, memref<512x512xf32>) outs(%c : memref<512x512xf32>)
  return
}

// 4096^3, f32 (3xTF32: fragments twice): 64x64 warp tile: 128 + 2 * 32 +
// 40 = 232 <= 255 -> block 128x128, 1024 blocks (no halving). BK: 64 f32
// needs 256*68*4 = 69632 > 49152 bytes, 32 needs 256*36*4 = 36864 -> 32.
// Resident blocks: registers 65536/(128*232) = 2 on both chips.
// With 128 registers per thread (REGS, bf16): 64x64 needs 200, 64x32
// needs 64 + 16 + 8 + 40 = 128 -> block 128x64, BK 64 (192*36*4 = 27648
// bytes), min(32, 16, 65536/(128*128) = 4, 167936/27648 = 6) = 4 blocks.
// F32-80: precision=f32 block=128x128x32 warps=2x2 warp-tile=64x64 shared=36864 registers=232 blocks-per-sm=2 grid-blocks=1024
// F32-90: precision=f32 block=128x128x32 warps=2x2 warp-tile=64x64 shared=36864 registers=232 blocks-per-sm=2 grid-blocks=1024
// REGS: precision=bf16 block=128x64x64 warps=2x2 warp-tile=64x32 shared=27648 registers=128 blocks-per-sm=4 grid-blocks=2048
// FIXED: precision=bf16 block=64x64x32 warps=2x2 warp-tile=32x32
// wgmma: 128 x 128 (1024 blocks, no halving), 2 warpgroups (warps 8 x 1)
// of 64 x 128; BK 64 needs 2*256*64*2 + 32 = 65568 > 49152 bytes, 32 needs
// 32800; registers 64 * 128 / 128 + 40 = 104; resident min(32, 2048/256 =
// 8, 65536/(256*104) = 2, 233472/32800 = 7) = 2.
// WG: precision=bf16 block=128x128x32 warps=8x1 warpgroup-tile=64x128 shared=32800 registers=104 blocks-per-sm=2 grid-blocks=1024 kernel=wgmma stages=2
func.func @large(%a: memref<4096x4096xf32>, %b: memref<4096x4096xf32>, %c: memref<4096x4096xf32>) {
  linalg.matmul ins(%a, %b : memref<4096x4096xf32>, memref<4096x4096xf32>) outs(%c : memref<4096x4096xf32>)
  return
}

// M = 1 (a decode step), bf16 on sm_80: BM = 16 (M rounded up to the mma
// m), BN 128 -> 6 blocks; halving N: 64 (12), 32 (24), 16 (48), then both
// are 16. Warps 1 x 2 (warp tile 16x8); BK 64: 32*36*4 = 4608 bytes;
// registers 4 + 6 + 40 = 50; resident min(32, 2048/64 = 32,
// 65536/(64*50) = 20, 167936/4608 = 36) = 20.
// wgmma: BM 64 (M <= 64), BN 128 -> 6 blocks; halving N: 64 (12), 32
// (24), 16 (48), 8 (96), the smallest wgmma n. BK 64: 2*(64+8)*64*2 + 32 =
// 18464 bytes; registers 4 + 40 = 44; resident min(32, 16, 65536/(128*44)
// = 11, 233472/18464 = 12) = 11.
// WG: precision=bf16 block=64x8x64 warps=4x1 warpgroup-tile=64x8 shared=18464 registers=44 blocks-per-sm=11 grid-blocks=96 kernel=wgmma stages=2
// BF16-80: precision=bf16 block=16x16x64 warps=1x2 warp-tile=16x8 shared=4608 registers=50 blocks-per-sm=20 grid-blocks=48
func.func @decode(%a: memref<1x768xf32>, %b: memref<768x768xf32>, %c: memref<1x768xf32>) {
  linalg.matmul ins(%a, %b : memref<1x768xf32>, memref<768x768xf32>) outs(%c : memref<1x768xf32>)
  return
}

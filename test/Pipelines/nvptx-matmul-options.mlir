// The matmul options of the NVPTX pipeline and of llm-gpu-matmul: bad
// values are errors saying what is wrong; chips without a GPU description
// keep the one-thread-per-element matmul.
// RUN: not llm-opt %s --llm-nvptx-pipeline="matmul-precision=fp8" 2>&1 | FileCheck %s --check-prefix=PREC
// RUN: not llm-opt %s --llm-nvptx-pipeline="matmul-tile-sizes=64,64" 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not llm-opt %s --llm-nvptx-pipeline="gpu-desc=sms=0" 2>&1 | FileCheck %s --check-prefix=DESC
// RUN: not llm-opt %s --llm-nvptx-pipeline="gpu-desc=warps=4" 2>&1 | FileCheck %s --check-prefix=KEY
// RUN: not llm-opt %s --llm-nvptx-pipeline="chip=sm_86 gpu-desc=sms=10" 2>&1 | FileCheck %s --check-prefix=NODESC
// RUN: not llm-opt %s --llm-nvptx-pipeline="matmul-tile-sizes=48,64,32,2,2" 2>&1 | FileCheck %s --check-prefix=BM
// RUN: not llm-opt %s --llm-nvptx-pipeline="matmul-tile-sizes=128,128,64,2,2" 2>&1 | FileCheck %s --check-prefix=SHARED
// RUN: not llm-opt %s --llm-nvptx-pipeline="matmul-precision=bf16 matmul-tile-sizes=64,64,24,2,2" 2>&1 | FileCheck %s --check-prefix=BK
// RUN: not llm-opt %s --llm-nvptx-pipeline="matmul-tile-sizes=512,64,8,16,4" 2>&1 | FileCheck %s --check-prefix=THREADS
// RUN: not llm-opt %s --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_75}))' 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not llm-opt %s --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{precision=int8}))' 2>&1 | FileCheck %s --check-prefix=PASSPREC
// matmul-kernel: wgmma needs chip=sm_90a and bf16 / f16; its fixed tiles
// are checked against the wgmma shapes.
// RUN: not llm-opt %s --llm-nvptx-pipeline="matmul-kernel=tcgen05" 2>&1 | FileCheck %s --check-prefix=KERNEL
// RUN: not llm-opt %s --llm-nvptx-pipeline="matmul-kernel=wgmma matmul-precision=bf16" 2>&1 | FileCheck %s --check-prefix=WGCHIP
// RUN: not llm-opt %s --llm-nvptx-pipeline="chip=sm_90a matmul-kernel=wgmma matmul-precision=tf32" 2>&1 | FileCheck %s --check-prefix=WGPREC
// RUN: not llm-opt %s --llm-nvptx-pipeline="chip=sm_90a matmul-precision=bf16 matmul-tile-sizes=64,64,32,2,2" 2>&1 | FileCheck %s --check-prefix=WGWARPS
// RUN: not llm-opt %s --llm-nvptx-pipeline="chip=sm_90a matmul-precision=bf16 matmul-tile-sizes=64,64,32,8,1" 2>&1 | FileCheck %s --check-prefix=WGBM
// RUN: not llm-opt %s --llm-nvptx-pipeline="chip=sm_90a matmul-precision=f16 matmul-tile-sizes=64,264,32,4,1" 2>&1 | FileCheck %s --check-prefix=WGBN
// RUN: not llm-opt %s --llm-nvptx-pipeline="chip=sm_90a matmul-precision=f16 matmul-tile-sizes=128,256,64,4,1" 2>&1 | FileCheck %s --check-prefix=WGSHARED
// RUN: not llm-opt %s --llm-nvptx-pipeline="chip=sm_90a matmul-precision=f16 matmul-tile-sizes=128,256,16,4,1" 2>&1 | FileCheck %s --check-prefix=WGREGS
// Accepted values take effect: fixed tiles (64x32 blocks of 2 x 1 warps on
// 64 x 64: a 2 x 2 grid of 64 threads); sm_86 keeps the simple kernel.
// RUN: llm-opt %s --llm-nvptx-pipeline="matmul-precision=tf32 matmul-tile-sizes=64,32,16,2,1" | FileCheck %s --check-prefix=FIXED
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_86 features=+ptx71" | FileCheck %s --check-prefix=SM86
// One warpgroup of 128 x 64 (two m64n64k16 wgmmas per k step): a 1 x 1
// grid of 128 threads.
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_90a matmul-precision=bf16 matmul-tile-sizes=128,64,32,4,1" | FileCheck %s --check-prefix=WGFIXED

// PREC: llm-nvptx-pipeline: matmul-precision=fp8 is not one of f32, tf32, bf16, f16, none
// COUNT: llm-nvptx-pipeline: matmul-tile-sizes needs 5 values (BM,BN,BK,warpsM,warpsN), got 2
// DESC: llm-nvptx-pipeline: gpu-desc: bad value '0' for target description key 'sms'
// KEY: llm-nvptx-pipeline: gpu-desc: unknown target description key 'warps'
// NODESC: llm-nvptx-pipeline: gpu-desc and matmul-tile-sizes need a chip with a GPU description: no GPU description for chip=sm_86
// BM: error: llm-gpu-matmul: tile-sizes: block M 48 must be a positive multiple of 16 x warps along M (32)
// SHARED: error: llm-gpu-matmul: tile-sizes: the A and B tiles need 69632 bytes of shared memory, more than a block's 49152
// BK: error: llm-gpu-matmul: tile-sizes: block K 24 must be a positive multiple of the mma k (16 for bf16)
// THREADS: error: llm-gpu-matmul: tile-sizes: 64 warps are 2048 threads, more than a block's 1024
// CHIP: error: llm-gpu-matmul: no GPU description for chip=sm_75
// PASSPREC: error: llm-gpu-matmul: precision=int8 is not one of f32, tf32, bf16, f16

// KERNEL: llm-nvptx-pipeline: matmul-kernel: kernel=tcgen05 is not one of auto, mma-sync, wgmma
// WGCHIP: llm-nvptx-pipeline: matmul-kernel: the wgmma kernel needs chip=sm_90a (wgmma is an sm_90a instruction), not sm_90
// WGPREC: llm-nvptx-pipeline: matmul-kernel: the wgmma kernel takes precision bf16 or f16, not tf32
// WGWARPS: error: llm-gpu-matmul: tile-sizes: wgmma: warps 2x2 must be 4 x warpgroups by 1
// WGBM: error: llm-gpu-matmul: tile-sizes: wgmma: block M 64 must be a positive multiple of 64 x warpgroups (128)
// WGBN: error: llm-gpu-matmul: tile-sizes: wgmma: block N 264 must be a multiple of 8 in 8..256 (the wgmma n)
// WGSHARED: error: llm-gpu-matmul: tile-sizes: the A and B tiles need 98336 bytes of shared memory, more than a block's 49152
// WGREGS: error: llm-gpu-matmul: tile-sizes: the warpgroup tile 128x256 needs about 296 registers per thread, more than 255

// FIXED: gpu.launch_func @llm_kernels::@main_kernel_0 blocks in (%c2, %c1, %c1) threads in (%c64, %c1, %c1)
// FIXED: mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32
// SM86: gpu.launch_func @llm_kernels::@main_kernel_0 blocks in (%c2, %c8, %c1) threads in (%c32, %c8, %c1)
// SM86-NOT: mma.sync
// WGFIXED: gpu.launch_func @llm_kernels::@main_kernel_0 blocks in (%c1, %c1, %c1) threads in (%c128, %c1, %c1)
// WGFIXED: wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16
// WGFIXED-SAME: wgmma.commit_group.sync.aligned
func.func @main(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %c = transformer.matmul %a, %b : tensor<64x64xf32>, tensor<64x64xf32> -> tensor<64x64xf32>
  return %c : tensor<64x64xf32>
}

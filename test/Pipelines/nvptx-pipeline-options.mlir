// Option values the NVPTX pipeline rejects, with what is wrong with them.
// RUN: not llm-opt %s --llm-nvptx-pipeline="chip=sm_60" 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not llm-opt %s --llm-nvptx-pipeline="chip=sm_90 features=+ptx70" 2>&1 | FileCheck %s --check-prefix=PTX
// RUN: not llm-opt %s --llm-nvptx-pipeline="features=+sm_90" 2>&1 | FileCheck %s --check-prefix=NOPTX
// RUN: not llm-opt %s --llm-nvptx-pipeline="features=+ptxabc" 2>&1 | FileCheck %s --check-prefix=BADPTX
// RUN: not llm-opt %s --llm-nvptx-pipeline="tile-sizes-2d=64,32" 2>&1 | FileCheck %s --check-prefix=TILE2
// RUN: not llm-opt %s --llm-nvptx-pipeline="tile-sizes-1d=128,2" 2>&1 | FileCheck %s --check-prefix=TILE1
// RUN: not llm-opt %s --llm-nvptx-pipeline="tile-sizes-3d=4,0,32" 2>&1 | FileCheck %s --check-prefix=TILE3
// RUN: not llm-opt %s --llm-nvptx-pipeline="opt-level=5" 2>&1 | FileCheck %s --check-prefix=OPT
// RUN: not llm-opt %s --llm-nvptx-pipeline="cuda-path=/nonexistent" 2>&1 | FileCheck %s --check-prefix=CUDA
// RUN: not llm-opt %s --llm-gpu-map-parallel-loops="tile-sizes-3d=1,1" 2>&1 | FileCheck %s --check-prefix=PASS
// RUN: not llm-opt %s --llm-nvptx-pipeline="attention-tile-kv=6" 2>&1 | FileCheck %s --check-prefix=ATTN
// RUN: not llm-opt %s --llm-nvptx-pipeline="attention-tile-q=0" 2>&1 | FileCheck %s --check-prefix=ATTNQ
// RUN: not llm-opt %s --convert-transformer-to-gpu="threads-per-row=3" 2>&1 | FileCheck %s --check-prefix=LANES
// RUN: not llm-opt %s --convert-transformer-to-gpu="max-shared-bytes=65536" 2>&1 | FileCheck %s --check-prefix=SHARED
// The other options are accepted and take effect.
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_80 features=+ptx71 opt-level=2 tile-sizes-1d=128 tile-sizes-2d=4,64 tile-sizes-3d=1,8,32" | FileCheck %s --check-prefix=OK

// CHIP: llm-nvptx-pipeline: chip=sm_60 is not a supported GPU (sm_70, sm_75, sm_80, sm_86, sm_89, sm_90, sm_90a)
// PTX: llm-nvptx-pipeline: features=+ptx70: sm_90 needs PTX 7.8 or newer (+ptx78)
// NOPTX: llm-nvptx-pipeline: features=+sm_90 names no PTX version (e.g. +ptx80)
// BADPTX: llm-nvptx-pipeline: features=+ptxabc: '+ptxabc' is not a PTX version
// TILE2: llm-nvptx-pipeline: tile-sizes-2d needs 2 positive sizes with at most 1024 threads in all
// TILE1: llm-nvptx-pipeline: tile-sizes-1d needs 1 positive sizes
// TILE3: llm-nvptx-pipeline: tile-sizes-3d needs 3 positive sizes
// OPT: llm-nvptx-pipeline: opt-level=5 is not 0, 1, 2 or 3
// CUDA: llm-nvptx-pipeline: cuda-path=/nonexistent has no nvvm/libdevice/libdevice.10.bc
// PASS: error: llm-gpu-map-parallel-loops: tile-sizes-3d needs 3 positive sizes
// ATTN: llm-nvptx-pipeline: attention-tile-q=64, attention-tile-kv=6: both must be positive, attention-tile-kv a multiple of 4
// ATTNQ: llm-nvptx-pipeline: attention-tile-q=0, attention-tile-kv=32: both must be positive
// LANES: error: convert-transformer-to-gpu: threads-per-row must be a power of two of at most 32 that divides tile-kv, got 3
// SHARED: error: convert-transformer-to-gpu: max-shared-bytes must be in 1..49152 (static shared memory), got 65536

// OK-LABEL: func.func @main(
// OK: gpu.launch_func @llm_kernels::@main_kernel blocks in (%{{[^,]+}}, %c1, %c1) threads in (%c128, %c1, %c1)
// OK: gpu.launch_func @llm_kernels::@main_kernel_0 blocks in (%c1, %c1, %c1) threads in (%c64, %c4, %c1)
// OK: gpu.launch_func @llm_kernels::@main_kernel_1 blocks in (%c1, %c1, %c2) threads in (%c32, %c8, %c1)
// OK: gpu.binary @llm_kernels [#gpu.object<#nvvm.target<chip = "sm_80", features = "+ptx71">
// OK-SAME: .version 7.1
// OK-SAME: .target sm_80

func.func @main(%x: tensor<1000xf32>, %y: tensor<4x64xf32>, %z: tensor<2x8x32xf32>) -> (tensor<1000xf32>, tensor<4x64xf32>, tensor<2x8x32xf32>) {
  %a = transformer.neg %x : tensor<1000xf32>
  %b = transformer.neg %y : tensor<4x64xf32>
  %c = transformer.neg %z : tensor<2x8x32xf32>
  return %a, %b, %c : tensor<1000xf32>, tensor<4x64xf32>, tensor<2x8x32xf32>
}

// llm-gpu-matmul's wgmma kernel (kernel=auto on chip=sm_90a with bf16/f16,
// or kernel=wgmma): warpgroups of 128 threads, double-buffered A and B tiles
// in wgmma's core-matrix layout (1-D i32 workgroup buffers of 16-bit pairs),
// shared-memory matrix descriptors, fence.proxy.async before the barrier
// that publishes a stage, wgmma.fence / mma_async / commit / wait, the copy
// of the next k tile between the commit and the wait, and the guarded C
// update in the accumulator layout of wgmma's D fragment. sm_90 (no "a")
// and f32 keep the mma.sync kernel.
// RUN: llm-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_90a precision=bf16},canonicalize,cse))' | FileCheck %s --check-prefixes=CHECK,BF16
// RUN: llm-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_90a precision=f16 kernel=wgmma},canonicalize,cse))' | FileCheck %s --check-prefixes=CHECK,F16
// RUN: llm-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_90 precision=bf16},canonicalize,cse))' | FileCheck %s --check-prefix=SYNC
// RUN: llm-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_90a precision=bf16 kernel=mma-sync},canonicalize,cse))' | FileCheck %s --check-prefix=SYNC
// RUN: llm-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_90a},canonicalize,cse))' | FileCheck %s --check-prefix=SYNC

// 512 x 512 x 512: blocks 128 x 128 (2 warpgroups of 64 x 128, 256
// threads), 4 x 4 = 16 blocks (< 132 SMs): one warpgroup of 64 rows
// (4 x 8 = 32 blocks), then BN 64 (8 x 8 = 64), 32 (128), 16 (256 >= 132):
// 64 x 16 tiles, 128 threads, grid 32 x 8. BK = 64 (2 stages x (64 + 16)
// rows x 64 x 2 bytes = 20 KiB): stages of 64 * 64 / 2 = 2048 and
// 16 * 64 / 2 = 512 words.
// CHECK-LABEL: func.func @square(
// CHECK: [[ZERO:%.+]] = llvm.mlir.zero : !llvm.struct<(f32, f32, f32, f32, f32, f32, f32, f32)>
// CHECK: gpu.launch blocks({{.*}}) in ({{%[^ ]+}} = %c32, {{%[^ ]+}} = %c8, {{%[^ ]+}} = %c1) threads({{.*}}) in ({{%[^ ]+}} = %c128, {{%[^ ]+}} = %c1, {{%[^ ]+}} = %c1) workgroup([[SA:%[^ ]+]] : memref<4100xi32, #gpu.address_space<workgroup>>, [[SB:%[^ ]+]] : memref<1028xi32, #gpu.address_space<workgroup>>)
// Each buffer's start is rounded up to 16 bytes (descriptors drop the low
// 4 address bits; the buffers have 4 spare words): the pad in words offsets
// the stores, the aligned address goes into the descriptor: & 0x3ffff >> 4,
// LBO 128 >> 4 = 8 at bit 16 (524288), SBO 64 * 16 = 1024 >> 4 = 64 at
// bit 32 (274877906944): 274878431232.
// CHECK: [[PA:%.+]] = memref.extract_aligned_pointer_as_index [[SA]]
// CHECK: [[A15:%.+]] = arith.addi [[PA]], %c15
// CHECK: [[AA:%.+]] = arith.andi [[A15]], %c-16
// CHECK: [[PADB:%.+]] = arith.subi [[AA]], [[PA]]
// CHECK: [[PADA:%.+]] = arith.divui [[PADB]], %c4
// CHECK: memref.extract_aligned_pointer_as_index [[SB]]
// CHECK: [[AI:%.+]] = arith.index_castui [[AA]] : index to i64
// CHECK: [[AM:%.+]] = arith.andi [[AI]], %c262143_i64
// CHECK: [[AS:%.+]] = arith.shrui [[AM]], %c4_i64
// CHECK: [[DA:%.+]] = arith.ori [[AS]], %c274878431232_i64
// Prologue: tile 0 -> stage 0, word i of the stage (after the pad) from
// thread i's pair, then the proxy fence and the barrier.
// CHECK: scf.for [[I:%.+]] = %arg6 to %c2048 step %c128
// CHECK: memref.load %arg0
// CHECK: arith.select
// BF16: arith.truncf {{.*}} : f32 to bf16
// F16: arith.truncf {{.*}} : f32 to f16
// CHECK: [[W:%.+]] = arith.addi [[PADA]], [[I]]
// CHECK: memref.store {{.*}}, [[SA]][[[W]]]
// CHECK: scf.for
// CHECK: memref.load %arg1
// CHECK: memref.store {{.*}}, [[SB]]
// CHECK: }
// CHECK: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT: gpu.barrier
// The k loop over ceil(512 / 64) = 8 tiles with one accumulator struct.
// CHECK: scf.for [[KT:%.+]] = %c0 to %c8 step %c1 iter_args([[ACC:%.+]] = [[ZERO]])
// CHECK: nvvm.wgmma.fence.aligned
// Four k16 steps (BK 64), one m64n16k16 wgmma each, chained through the
// accumulator; A row-major (K-major), B column-major (K-major).
// BF16: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 16, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <col>]
// BF16: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 16, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <col>]
// BF16: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 16, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <col>]
// BF16: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 16, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <col>]
// F16: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 16, k = 16>, D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <col>]
// F16: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 16, k = 16>, D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <col>]
// F16: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 16, k = 16>, D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <col>]
// F16: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 16, k = 16>, D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <col>]
// CHECK-NEXT: nvvm.wgmma.commit.group.sync.aligned
// The next tile, if any, into the other stage, overlapping the wgmmas.
// CHECK: arith.cmpi ult, {{.*}}, %c8
// CHECK: scf.if
// CHECK: memref.store {{.*}}, [[SA]]
// CHECK: memref.store {{.*}}, [[SB]]
// CHECK: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: scf.yield
// Epilogue: 8 accumulators per thread (64 x 16 / 128), guarded.
// CHECK-DAG: arith.cmpi ult, {{.*}}, %c512
// CHECK-DAG: llvm.extractvalue {{.*}}[7] : !llvm.struct<(f32, f32, f32, f32, f32, f32, f32, f32)>
// CHECK: scf.if
// CHECK: memref.load %arg2
// CHECK: arith.addf
// CHECK: memref.store {{.*}}, %arg2
// CHECK: gpu.terminator
// CHECK-NOT: linalg.matmul
// SYNC-LABEL: func.func @square(
// SYNC-NOT: nvvm.wgmma
// SYNC: nvvm.mma.sync
// SYNC-NOT: nvvm.wgmma
func.func @square(%a: memref<512x512xf32>, %b: memref<512x512xf32>, %c: memref<512x512xf32>) {
  linalg.matmul ins(%a, %b : memref<512x512xf32>, memref<512x512xf32>) outs(%c : memref<512x512xf32>)
  return
}

// -----

// A large linear layer (the GPT-2 MLP's 3072 x 768 weight, B = [N, K]) with
// a dynamic M: 128 x 128 blocks of two warpgroups (256 threads; unknown M
// counts as large), BK 32 (2 stages x 256 rows x 32 x 2 bytes = 32 KiB),
// each warpgroup one m64n128k16 wgmma per k16 step at its own A rows:
// warpgroup = tid / 128, A offset warpgroup x 8 groups x 512 bytes.
// CHECK-LABEL: func.func @linear(
// CHECK: [[M:%.+]] = memref.dim %arg0, %c0
// CHECK: gpu.launch blocks({{.*}}) in ({{%[^ ]+}} = %c24, {{.*}}) threads({{.*}}) in ({{%[^ ]+}} = %c256, {{%[^ ]+}} = %c1, {{%[^ ]+}} = %c1) workgroup({{%[^ ]+}} : memref<4100xi32, #gpu.address_space<workgroup>>, {{%[^ ]+}} : memref<4100xi32, #gpu.address_space<workgroup>>)
// CHECK: arith.divui {{.*}}, %c128 : index
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (!llvm.struct<(f32,
// CHECK: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 128, k = 16>
// CHECK: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 128, k = 16>
// CHECK-NOT: nvvm.wgmma.mma_async
// CHECK: nvvm.wgmma.commit.group.sync.aligned
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK-DAG: arith.cmpi ult, {{.*}}, [[M]]
// CHECK-DAG: llvm.extractvalue {{.*}}[63]
// CHECK-NOT: linalg.generic
func.func @linear(%x: memref<?x768xf32>, %w: memref<3072x768xf32>, %y: memref<?x3072xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<?x768xf32>, memref<3072x768xf32>) outs(%y : memref<?x3072xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %p = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// llm-gpu-matmul: f32 contractions on buffers become one gpu.launch each of
// a tiled tensor-core kernel: A and B tiles copied by the block's threads
// into workgroup (shared, address space 3) buffers, gpu.barrier, fragments
// loaded from shared memory into nvvm.mma.sync (m16n8k16 bf16/f16,
// m16n8k8 tf32; f32 = 3xTF32, three mmas per tile and step), accumulators
// added to C under m < M, n < N guards. Odd sizes (33 x 45 x 70), a
// transposed B with a dynamic M (linear layer) and a dynamic batch matmul.
// RUN: llm-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_80 precision=bf16},canonicalize,cse))' | FileCheck %s --check-prefixes=CHECK,BF16
// RUN: llm-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_90 precision=f16},canonicalize,cse))' | FileCheck %s --check-prefixes=CHECK,F16
// RUN: llm-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_80 precision=tf32},canonicalize,cse))' | FileCheck %s --check-prefixes=CHECK,TF32
// RUN: llm-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(llm-gpu-matmul{chip=sm_90},canonicalize,cse))' | FileCheck %s --check-prefixes=CHECK,F32

// 33 x 45 on sm_80 (108 SMs), bf16: the 128x128 block is halved until the
// grid has >= 108 blocks or both dims are 16: clamped to 64x64 (powers of
// two >= 33, 45), then 32x64 (2 blocks), 32x32 (4), 16x32 (6), 16x16 (9):
// a ceil(45/16) x ceil(33/16) = 3 x 3 grid of 1 x 2 warps (64 threads).
// BK = 64: rows of 32 words (16-bit pairs) or 64 f32, + 4 words padding.
// CHECK-LABEL: func.func @matmul_odd(
// CHECK: gpu.launch blocks({{.*}}) in ({{%[^ ]+}} = %c3, {{%[^ ]+}} = %c3, {{%[^ ]+}} = %c1) threads({{.*}}) in ({{%[^ ]+}} = %c64, {{%[^ ]+}} = %c1, {{%[^ ]+}} = %c1) workgroup(
// BF16-SAME: [[SA:%[^ ]+]] : memref<16x36xi32, #gpu.address_space<workgroup>>, [[SB:%[^ ]+]] : memref<16x36xi32, #gpu.address_space<workgroup>>)
// F16-SAME: [[SA:%[^ ]+]] : memref<16x36xi32, #gpu.address_space<workgroup>>, [[SB:%[^ ]+]] : memref<16x36xi32, #gpu.address_space<workgroup>>)
// TF32-SAME: [[SA:%[^ ]+]] : memref<16x68xf32, #gpu.address_space<workgroup>>, [[SB:%[^ ]+]] : memref<16x68xf32, #gpu.address_space<workgroup>>)
// F32-SAME: [[SA:%[^ ]+]] : memref<16x68xf32, #gpu.address_space<workgroup>>, [[SB:%[^ ]+]] : memref<16x68xf32, #gpu.address_space<workgroup>>)
// The k loop: copies (out-of-range elements read as 0), barrier, mmas, barrier.
// CHECK: scf.for {{.*}} to %c70 step %c{{64|32}} iter_args
// CHECK: scf.for
// CHECK: memref.load %arg0
// CHECK: arith.select
// BF16: arith.truncf {{.*}} : f32 to bf16
// F16: arith.truncf {{.*}} : f32 to f16
// CHECK: memref.store {{.*}}, [[SA]]
// CHECK: scf.for
// CHECK: memref.load %arg1
// CHECK: memref.store {{.*}}, [[SB]]
// CHECK: gpu.barrier
// CHECK: memref.load [[SA]]
// CHECK: memref.load [[SB]]
// BF16: nvvm.mma.sync {{.*}}multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// F16: llvm.bitcast {{.*}} : i32 to vector<2xf16>
// F16: nvvm.mma.sync {{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// TF32: nvvm.mma.sync {{.*}}multiplicandAPtxType = #nvvm.mma_type<tf32>, multiplicandBPtxType = #nvvm.mma_type<tf32>, shape = #nvvm.shape<m = 16, n = 8, k = 8>} : (i32, i32, f32)
// tf32: rounded to nearest, + 0x1000 (half an ulp) and the mask -8192.
// TF32: arith.addi {{.*}}, %c4096_i32 : i32
// TF32: arith.andi {{.*}}, %c-8192_i32 : i32
// TF32-NOT: arith.subf
// 3xTF32: high part = bits & 0xffffe000 (-8192), low = x - high; three mmas.
// F32: arith.andi {{.*}}, %c-8192_i32 : i32
// F32: arith.subf
// F32: nvvm.mma.sync {{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 8>
// F32: nvvm.mma.sync {{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 8>
// F32: nvvm.mma.sync {{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 8>
// CHECK: gpu.barrier
// CHECK: scf.yield
// Epilogue: C += accumulator where row < 33 and column < 45.
// CHECK: arith.cmpi ult, {{.*}}, %c33
// CHECK: arith.cmpi ult, {{.*}}, %c45
// CHECK: scf.if
// CHECK: memref.load %arg2
// CHECK: arith.addf
// CHECK: memref.store {{.*}}, %arg2
// CHECK: gpu.terminator
// CHECK-NOT: linalg.matmul
func.func @matmul_odd(%a: memref<33x70xf32>, %b: memref<70x45xf32>, %c: memref<33x45xf32>) {
  linalg.matmul ins(%a, %b : memref<33x70xf32>, memref<70x45xf32>) outs(%c : memref<33x45xf32>)
  return
}

// -----

// A linear layer: B is the [N, K] weight (k innermost, read through its
// indexing map), M dynamic: the grid's y size comes from memref.dim.
// CHECK-LABEL: func.func @linear(
// CHECK: [[M:%.+]] = memref.dim %arg0, %c0
// CHECK: gpu.launch
// CHECK: memref.load %arg1[{{%[^,]+}}, {{%[^]]+}}] : memref<40x96xf32>
// CHECK: nvvm.mma.sync
// CHECK: arith.cmpi ult, {{.*}}, [[M]]
// CHECK-NOT: linalg.generic
func.func @linear(%x: memref<?x96xf32>, %w: memref<40x96xf32>, %y: memref<?x40xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<?x96xf32>, memref<40x96xf32>) outs(%y : memref<?x40xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A batch matmul with dynamic sizes: the batch index is the block's z id,
// the grid's z size the batch.
// CHECK-LABEL: func.func @batch(
// CHECK: [[BATCH:%.+]] = memref.dim %arg0, %c0
// CHECK: gpu.launch blocks([[BX:%[^,]+]], [[BY:%[^,]+]], [[BZ:%[^)]+]]) in ({{%[^ ]+}} = {{%[^,]+}}, {{%[^ ]+}} = {{%[^,]+}}, {{%[^ ]+}} = [[BATCH]])
// CHECK: [[B:%.+]] = arith.remui [[BZ]], [[BATCH]]
// CHECK: memref.load %arg0[[[B]],
// CHECK: nvvm.mma.sync
// CHECK: memref.store {{.*}}, %arg2[[[B]],
func.func @batch(%a: memref<?x?x64xf32>, %b: memref<?x64x?xf32>, %c: memref<?x?x?xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<?x?x64xf32>, memref<?x64x?xf32>) outs(%c : memref<?x?x?xf32>)
  return
}

// -----

// Not a contraction the kernel takes (f16 operands): left to the
// one-thread-per-element lowering.
// CHECK-LABEL: func.func @f16_operands(
// CHECK-NOT: gpu.launch
// CHECK: linalg.matmul
func.func @f16_operands(%a: memref<16x16xf16>, %b: memref<16x16xf16>, %c: memref<16x16xf16>) {
  linalg.matmul ins(%a, %b : memref<16x16xf16>, memref<16x16xf16>) outs(%c : memref<16x16xf16>)
  return
}

// The fused flash-attention kernel of the NVPTX pipeline
// (convert-transformer-to-gpu, lib/Conversion/TransformerToGPU): each
// transformer.attention becomes ONE kernel launched on a grid of
// (query tiles x heads x batch) blocks; K/V tiles staged in workgroup
// memory with barriers, a loop over the key tiles carrying the running row
// max, row sum and output columns (online softmax, gpu.shuffle across a
// row's lanes), output written once. No [Sq, T] buffer exists anywhere.
// This file checks the CUDA-core kernel (precision=f32: the f16 @decode case
// would take the tensor-core kernel otherwise; attention-mma.mlir checks it).
// RUN: llm-opt %s -split-input-file --convert-transformer-to-gpu=precision=f32 | FileCheck %s
// RUN: llm-opt %s -split-input-file --llm-nvptx-pipeline=attention-precision=f32 | FileCheck %s --check-prefix=PIPE
// RUN: llm-opt %s -split-input-file --llm-nvptx-pipeline=attention-precision=f32 --mlir-print-ir-after=convert-gpu-to-nvvm 2>&1 >/dev/null | FileCheck %s --check-prefix=NVVM
// REQUIRES: libdevice

// CHECK-LABEL: func.func @causal(
// CHECK-SAME: [[Q:%[^:]+]]: tensor<1x12x256x64xf32>
// CHECK-DAG: [[QB:%.+]] = bufferization.to_buffer [[Q]] read_only : tensor<1x12x256x64xf32> to memref<1x12x256x64xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK-DAG: [[OUT:%.+]] = memref.alloc() : memref<1x12x256x64xf32>
// Grid: ceil(256 / 64) query tiles x 12 heads x 1 batch; 64 rows x 4 lanes.
// CHECK: gpu.launch_func @causal_attention::@causal_attention blocks in ([[TILES:%.+]], [[H:%.+]], [[B:%.+]]) threads in ([[C256:%.+]], {{%.+}}, {{%.+}}) args({{.*}}, [[OUT]] : memref<1x12x256x64xf32>)
// CHECK: [[O:%.+]] = bufferization.to_tensor [[OUT]] restrict writable
// CHECK: return [[O]]
// The kernel: workgroup tiles Qs [64][65], Ks [32][65], Vs [32][64], Ps [64][33].
// CHECK: gpu.module @causal_attention
// CHECK: gpu.func @causal_attention(
// CHECK-SAME: workgroup([[QS:%.+]] : memref<64x65xf32, #gpu.address_space<workgroup>>, [[KS:%.+]] : memref<32x65xf32, #gpu.address_space<workgroup>>, [[VS:%.+]] : memref<32x64xf32, #gpu.address_space<workgroup>>, [[PS:%.+]] : memref<64x33xf32, #gpu.address_space<workgroup>>)
// CHECK-SAME: kernel
// CHECK-SAME: known_block_size = array<i32: 256, 1, 1>
// CHECK: gpu.thread_id x
// CHECK: gpu.block_id x
// The query tile, loaded once (cooperative loop) into Qs.
// CHECK: memref.store {{.+}}, [[QS]]
// Causal tile skipping: the key loop ends at the last key the block's last
// query sees, min(q0 + 64, Sq) + (T - Sq) clamped to [0, T].
// CHECK: arith.minui
// CHECK: [[VIS:%.+]] = arith.minsi
// CHECK: [[KVEND:%.+]] = arith.maxsi [[VIS]]
// CHECK: [[NT:%.+]] = arith.divui
// CHECK: scf.for {{%.+}} = {{%.+}} to [[NT]] step {{%.+}} iter_args(
// CHECK: memref.store {{.+}}, [[KS]]
// CHECK: memref.store {{.+}}, [[VS]]
// CHECK: gpu.barrier
// CHECK: math.fma
// Per-score causal mask on the diagonal: key <= query + (T - Sq).
// CHECK: arith.cmpi sle
// CHECK: gpu.shuffle xor
// CHECK: math.exp
// CHECK: memref.store {{.+}}, [[PS]]
// CHECK: gpu.barrier
// The diagonal tile's P @ V stops at the block's last visible key.
// CHECK: [[KEYS:%.+]] = arith.minui
// CHECK: scf.for {{%.+}} = {{%.+}} to [[KEYS]] step
// CHECK: memref.load [[PS]]
// CHECK: memref.load [[VS]]
// CHECK: gpu.barrier
// CHECK: scf.yield
// CHECK: arith.divf
// CHECK: memref.store
// CHECK: gpu.return
// No buffer of [Sq, T] = 256 x 256 elements.
// CHECK-NOT: 256x256

// Through the pipeline: one launch for the attention, the kernel in
// @llm_kernels with its shared memory, no other allocation than the
// output, no 256x256 buffer.
// PIPE-LABEL: func.func @causal(
// PIPE-NOT: memref.alloc
// PIPE: [[OUT:%.+]] = memref.alloc() : memref<1x12x256x64xf32>
// PIPE-NOT: memref.alloc
// PIPE: gpu.launch_func @llm_kernels::@causal_attention blocks in (%c4, %c12, %c1) threads in (%c256, %c1, %c1)
// PIPE-NOT: gpu.launch_func
// PIPE: return [[OUT]]
// PIPE-NOT: 256x256
// PIPE: gpu.binary @llm_kernels
// PIPE-SAME: .entry causal_attention(
// PIPE-SAME: .shared .align
// PIPE-SAME: bar.sync
// PIPE-SAME: shfl.sync.bfly.b32
// NVVM-LABEL: gpu.module @llm_kernels
// NVVM: llvm.mlir.global internal @__wg_causal_attention_0() {addr_space = 3 : i32
// NVVM: llvm.func @causal_attention(
// NVVM: nvvm.barrier
// NVVM: nvvm.shfl.sync bfly
func.func @causal(%q: tensor<1x12x256x64xf32>, %k: tensor<1x12x256x64xf32>, %v: tensor<1x12x256x64xf32>) -> tensor<1x12x256x64xf32> {
  %o = transformer.attention %q, %k, %v {causal} : tensor<1x12x256x64xf32>, tensor<1x12x256x64xf32>, tensor<1x12x256x64xf32> -> tensor<1x12x256x64xf32>
  return %o : tensor<1x12x256x64xf32>
}

// -----

// Not causal, dynamic sequence, additive mask [B, 1, Sq, T] broadcast over
// heads: all key tiles (the loop runs to T), the mask added to the scores.
// CHECK-LABEL: func.func @masked(
// CHECK: gpu.launch_func @masked_attention::@masked_attention
// CHECK: gpu.func @masked_attention(%{{.+}}: memref<2x12x?x64xf32, {{.+}}>, %{{.+}}: memref<2x12x?x64xf32, {{.+}}>, %{{.+}}: memref<2x12x?x64xf32, {{.+}}>, [[MASK:%.+]]: memref<2x1x?x?xf32, {{.+}}>, [[OUT:%.+]]: memref<2x12x?x64xf32>)
// CHECK-NOT: arith.minsi
// CHECK-NOT: arith.cmpi sle
// CHECK: scf.for
// CHECK: memref.load [[MASK]][%{{[^,]+}}, %c0{{[_0-9]*}}, %{{[^,]+}}, %{{[^]]+}}]
// CHECK: arith.addf
// PIPE-LABEL: func.func @masked(
// PIPE: gpu.launch_func @llm_kernels::@masked_attention
// PIPE-NOT: gpu.launch_func
// PIPE: return
func.func @masked(%q: tensor<2x12x?x64xf32>, %k: tensor<2x12x?x64xf32>, %v: tensor<2x12x?x64xf32>, %m: tensor<2x1x?x?xf32>) -> tensor<2x12x?x64xf32> {
  %o = transformer.attention %q, %k, %v mask(%m : tensor<2x1x?x?xf32>) : tensor<2x12x?x64xf32>, tensor<2x12x?x64xf32>, tensor<2x12x?x64xf32> -> tensor<2x12x?x64xf32>
  return %o : tensor<2x12x?x64xf32>
}

// -----

// GQA (32 query heads, 8 KV heads) with a KV cache, causal, f16, head dim
// 128: the cache is concatenated (present key/value, returned), the kernel
// reads KV head h / (Hq / Hkv) of the concatenation; the tiles shrink to
// 32 queries x 16 keys to fit 48 KiB of shared memory (128 threads).
// CHECK-LABEL: func.func @decode(
// CHECK-DAG: [[PK:%.+]] = tensor.concat dim(2)
// CHECK-DAG: [[PV:%.+]] = tensor.concat dim(2)
// CHECK: gpu.launch_func @decode_attention::@decode_attention
// CHECK: return {{%.+}}, [[PK]], [[PV]]
// CHECK: gpu.func @decode_attention(
// CHECK-SAME: workgroup({{%.+}} : memref<32x129xf32, #gpu.address_space<workgroup>>, {{%.+}} : memref<16x129xf32, #gpu.address_space<workgroup>>, {{%.+}} : memref<16x128xf32, #gpu.address_space<workgroup>>, {{%.+}} : memref<32x17xf32, #gpu.address_space<workgroup>>)
// CHECK-SAME: known_block_size = array<i32: 128, 1, 1>
// CHECK: [[GROUP:%.+]] = arith.divui
// CHECK: [[KVH:%.+]] = arith.divui %{{.+}}, [[GROUP]]
// CHECK: arith.extf {{.+}} : f16 to f32
// CHECK: memref.load %{{.+}}[%{{.+}}, [[KVH]], %{{.+}}, %{{.+}}] : memref<?x8x?x128xf16
// CHECK: arith.truncf {{.+}} : f32 to f16
// PIPE-LABEL: func.func @decode(
// PIPE: gpu.launch_func @llm_kernels::@decode_attention blocks in ({{.+}}) threads in (%c128, %c1, %c1)
// PIPE: return
func.func @decode(%q: tensor<?x32x1x128xf16>, %k: tensor<?x8x1x128xf16>, %v: tensor<?x8x1x128xf16>, %pk: tensor<?x8x?x128xf16>, %pv: tensor<?x8x?x128xf16>) -> (tensor<?x32x1x128xf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>) {
  %o, %npk, %npv = transformer.attention %q, %k, %v past(%pk, %pv : tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>) {causal, num_kv_heads = 8 : i64} : tensor<?x32x1x128xf16>, tensor<?x8x1x128xf16>, tensor<?x8x1x128xf16> -> tensor<?x32x1x128xf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>
  return %o, %npk, %npv : tensor<?x32x1x128xf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>
}

// -----

// A boolean mask [Sq, T] (true: keep) and an explicit scale.
// CHECK-LABEL: func.func @bool_mask(
// CHECK: gpu.func @bool_mask_attention(
// CHECK: arith.constant 5.000000e-01 : f32
// CHECK: memref.load %{{.+}}[%{{.+}}, %{{.+}}] : memref<?x?xi1
// CHECK: arith.andi
func.func @bool_mask(%q: tensor<1x2x?x32xf32>, %k: tensor<1x2x?x32xf32>, %v: tensor<1x2x?x32xf32>, %m: tensor<?x?xi1>) -> tensor<1x2x?x32xf32> {
  %o = transformer.attention %q, %k, %v mask(%m : tensor<?x?xi1>) {scale = 0.5 : f32} : tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32> -> tensor<1x2x?x32xf32>
  return %o : tensor<1x2x?x32xf32>
}

// -----

// Head dim 256 (> 128): no fused kernel; convert-transformer-to-linalg
// lowers it (host loops of small kernels in the NVPTX pipeline).
// CHECK-LABEL: func.func @wide_head(
// CHECK: transformer.attention
// CHECK-NOT: gpu.module
// PIPE-LABEL: func.func @wide_head(
// PIPE: scf.for
// PIPE: gpu.launch_func @llm_kernels::@wide_head_kernel
func.func @wide_head(%q: tensor<1x2x8x256xf32>, %k: tensor<1x2x8x256xf32>, %v: tensor<1x2x8x256xf32>) -> tensor<1x2x8x256xf32> {
  %o = transformer.attention %q, %k, %v : tensor<1x2x8x256xf32>, tensor<1x2x8x256xf32>, tensor<1x2x8x256xf32> -> tensor<1x2x8x256xf32>
  return %o : tensor<1x2x8x256xf32>
}

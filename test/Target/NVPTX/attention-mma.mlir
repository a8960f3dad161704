// The tensor-core flash-attention kernel (convert-transformer-to-gpu,
// lib/Conversion/TransformerToGPU/AttentionMMAKernel.cpp): f16/bf16
// attention (precision=auto) and f32 attention with precision=bf16|f16 get
// FlashAttention-2's kernel: one warp per 16 query rows, S = Q K^T and
// O += P V as nvvm.mma.sync m16n8k16, K and V^T staged in workgroup memory
// as 16-bit pairs (i32 words, rows padded by 4 words), the online softmax
// on the accumulator fragments (row max over the row's 4 lanes: shuffle
// xor 1 and 2), one launch per attention, no [Sq, T] buffer. The PTX of the
// four cases (causal, masked, GQA + KV cache with head dim 128, f32 in bf16)
// assembles with ptxas for sm_80 and sm_90 without spills.
// RUN: llm-opt %s -split-input-file --convert-transformer-to-gpu | FileCheck %s
// RUN: llm-opt %s -split-input-file --convert-transformer-to-gpu=precision=bf16 | FileCheck %s --check-prefix=BF16
// RUN: llm-opt %s -split-input-file --convert-transformer-to-gpu=precision=f32 | FileCheck %s --check-prefix=F32
// RUN: llm-opt %s -split-input-file --llm-nvptx-pipeline | FileCheck %s --check-prefix=PIPE
// RUN: not llm-opt %s -split-input-file --convert-transformer-to-gpu=precision=tf32 2>&1 | FileCheck %s --check-prefix=BADPREC
// RUN: not llm-opt %s -split-input-file --llm-nvptx-pipeline="chip=sm_75 attention-precision=f16" 2>&1 | FileCheck %s --check-prefix=OLDCHIP
// REQUIRES: libdevice
// BADPREC: convert-transformer-to-gpu: precision=tf32 is not one of auto, f32, bf16, f16
// OLDCHIP: attention-precision=f16 needs mma.sync m16n8k16 (sm_80 or newer), chip=sm_75

// Causal f16, S = 256, head dim 64: 4 warps (128 threads) of 16 rows,
// 32-key tiles: Ks [32][64/2 + 4], Vs [64][32/2 + 4] words.
// CHECK-LABEL: func.func @causal(
// CHECK: gpu.launch_func @causal_attention::@causal_attention blocks in ({{%.+}}, {{%.+}}, {{%.+}}) threads in ([[C128:%.+]], {{%.+}}, {{%.+}})
// CHECK-NOT: gpu.launch_func
// CHECK: gpu.func @causal_attention(
// CHECK-SAME: workgroup([[KS:%.+]] : memref<32x36xi32, #gpu.address_space<workgroup>>, [[VS:%.+]] : memref<64x20xi32, #gpu.address_space<workgroup>>)
// CHECK-SAME: known_block_size = array<i32: 128, 1, 1>
// Q's A fragments are loaded once, before the key loop, as f16 pairs.
// CHECK: llvm.bitcast {{%.+}} : i32 to vector<2xf16>
// Causal tile skipping: the loop ends at the block's last visible key.
// CHECK: arith.minsi
// CHECK: arith.maxsi
// CHECK: scf.for
// The K tile and the transposed V tile, then a barrier.
// CHECK: memref.store {{%.+}}, [[KS]]
// CHECK: memref.store {{%.+}}, [[VS]]
// CHECK: gpu.barrier
// S = Q K^T: B fragments from Ks, f16 mma with f32 accumulators.
// CHECK: memref.load [[KS]]
// CHECK: nvvm.mma.sync {{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// The causal edge on fragment coordinates: key <= row + (T - Sq).
// CHECK: arith.cmpi sle
// Row max over the 4 lanes of a row, then exp.
// CHECK: gpu.shuffle xor {{%.+}}, %c1_i32
// CHECK: gpu.shuffle xor {{%.+}}, %c2_i32
// CHECK: math.exp
// O += P V: P packed into A fragments in registers, B fragments from Vs.
// CHECK: arith.truncf {{%.+}} : f32 to f16
// CHECK: memref.load [[VS]]
// CHECK: nvvm.mma.sync
// CHECK: gpu.barrier
// CHECK: scf.yield
// The row sum over the 4 lanes once, then the guarded stores.
// CHECK: gpu.shuffle xor
// CHECK: scf.if
// CHECK: arith.divf
// CHECK: arith.truncf {{%.+}} : f32 to f16
// CHECK: memref.store
// CHECK: gpu.return
// CHECK-NOT: 256x256
// F32-LABEL: gpu.func @causal_attention(
// F32-SAME: workgroup({{%.+}} : memref<64x65xf32, #gpu.address_space<workgroup>>
// F32-NOT: nvvm.mma.sync
// F32: gpu.return
// PIPE-LABEL: func.func @causal(
// PIPE: gpu.launch_func @llm_kernels::@causal_attention blocks in (%c4, %c12, %c1) threads in (%c128, %c1, %c1)
// PIPE-NOT: gpu.launch_func
// PIPE-NOT: 256x256
// PIPE: gpu.binary @llm_kernels
// PIPE-SAME: .entry causal_attention(
// PIPE-SAME: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// PIPE-SAME: shfl.sync.bfly.b32
func.func @causal(%q: tensor<1x12x256x64xf16>, %k: tensor<1x12x256x64xf16>, %v: tensor<1x12x256x64xf16>) -> tensor<1x12x256x64xf16> {
  %o = transformer.attention %q, %k, %v {causal} : tensor<1x12x256x64xf16>, tensor<1x12x256x64xf16>, tensor<1x12x256x64xf16> -> tensor<1x12x256x64xf16>
  return %o : tensor<1x12x256x64xf16>
}

// -----

// bf16, dynamic sequence, additive bf16 mask [B, 1, Sq, T] broadcast over
// heads: all key tiles, the mask read at the fragment's (row, key).
// CHECK-LABEL: func.func @masked(
// CHECK: gpu.func @masked_attention(%{{.+}}: memref<2x12x?x64xbf16, {{.+}}>, %{{.+}}: memref<2x12x?x64xbf16, {{.+}}>, %{{.+}}: memref<2x12x?x64xbf16, {{.+}}>, [[MASK:%.+]]: memref<2x1x?x?xbf16, {{.+}}>, [[OUT:%.+]]: memref<2x12x?x64xbf16>)
// CHECK-NOT: arith.cmpi sle
// CHECK: scf.for
// CHECK: nvvm.mma.sync {{.*}}multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>
// CHECK: memref.load [[MASK]][%{{[^,]+}}, %c0{{[_0-9]*}}, %{{[^,]+}}, %{{[^]]+}}]
// CHECK: arith.extf {{%.+}} : bf16 to f32
// CHECK: arith.addf
// CHECK: gpu.return
// PIPE-LABEL: func.func @masked(
// PIPE: gpu.launch_func @llm_kernels::@masked_attention
// PIPE-NOT: gpu.launch_func
// PIPE: return
func.func @masked(%q: tensor<2x12x?x64xbf16>, %k: tensor<2x12x?x64xbf16>, %v: tensor<2x12x?x64xbf16>, %m: tensor<2x1x?x?xbf16>) -> tensor<2x12x?x64xbf16> {
  %o = transformer.attention %q, %k, %v mask(%m : tensor<2x1x?x?xbf16>) : tensor<2x12x?x64xbf16>, tensor<2x12x?x64xbf16>, tensor<2x12x?x64xbf16> -> tensor<2x12x?x64xbf16>
  return %o : tensor<2x12x?x64xbf16>
}

// -----

// GQA (32 query heads, 8 KV heads) with a KV cache, causal, f16, head dim
// 128: the kernel reads KV head h / (Hq / Hkv) of the concatenation;
// Ks [32][128/2 + 4], Vs [128][32/2 + 4] words.
// CHECK-LABEL: func.func @decode(
// CHECK-DAG: [[PK:%.+]] = tensor.concat dim(2)
// CHECK-DAG: [[PV:%.+]] = tensor.concat dim(2)
// CHECK: gpu.launch_func @decode_attention::@decode_attention
// CHECK: return {{%.+}}, [[PK]], [[PV]]
// CHECK: gpu.func @decode_attention(
// CHECK-SAME: workgroup({{%.+}} : memref<32x68xi32, #gpu.address_space<workgroup>>, {{%.+}} : memref<128x20xi32, #gpu.address_space<workgroup>>)
// CHECK-SAME: known_block_size = array<i32: 128, 1, 1>
// CHECK: [[GROUP:%.+]] = arith.divui
// CHECK: [[KVH:%.+]] = arith.divui %{{.+}}, [[GROUP]]
// CHECK: scf.for
// CHECK: memref.load %{{.+}}[%{{.+}}, [[KVH]], %{{.+}}, %{{.+}}] : memref<?x8x?x128xf16
// CHECK: nvvm.mma.sync
// CHECK: arith.cmpi sle
// PIPE-LABEL: func.func @decode(
// PIPE: gpu.launch_func @llm_kernels::@decode_attention blocks in ({{.+}}) threads in (%c128, %c1, %c1)
// PIPE: return
func.func @decode(%q: tensor<?x32x?x128xf16>, %k: tensor<?x8x?x128xf16>, %v: tensor<?x8x?x128xf16>, %pk: tensor<?x8x?x128xf16>, %pv: tensor<?x8x?x128xf16>) -> (tensor<?x32x?x128xf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>) {
  %o, %npk, %npv = transformer.attention %q, %k, %v past(%pk, %pv : tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>) {causal, num_kv_heads = 8 : i64} : tensor<?x32x?x128xf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16> -> tensor<?x32x?x128xf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>
  return %o, %npk, %npv : tensor<?x32x?x128xf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>
}

// -----

// f32 attention: CUDA cores under precision=auto; tensor cores with
// precision=bf16 (Q, K, V and P rounded to bf16, f32 accumulation).
// CHECK-LABEL: func.func @f32(
// CHECK: gpu.func @f32_attention(
// CHECK-SAME: workgroup({{%.+}} : memref<64x65xf32, #gpu.address_space<workgroup>>
// CHECK-NOT: nvvm.mma.sync
// CHECK: gpu.return
// BF16-LABEL: gpu.func @f32_attention(
// BF16-SAME: workgroup({{%.+}} : memref<32x36xi32, #gpu.address_space<workgroup>>, {{%.+}} : memref<64x20xi32, #gpu.address_space<workgroup>>)
// BF16: arith.truncf {{%.+}} : f32 to bf16
// BF16: nvvm.mma.sync {{.*}}multiplicandAPtxType = #nvvm.mma_type<bf16>
// BF16: gpu.return
func.func @f32(%q: tensor<1x12x?x64xf32>, %k: tensor<1x12x?x64xf32>, %v: tensor<1x12x?x64xf32>) -> tensor<1x12x?x64xf32> {
  %o = transformer.attention %q, %k, %v : tensor<1x12x?x64xf32>, tensor<1x12x?x64xf32>, tensor<1x12x?x64xf32> -> tensor<1x12x?x64xf32>
  return %o : tensor<1x12x?x64xf32>
}

// -----

// Head dim 72 (not a multiple of 16): the CUDA-core kernel even in f16.
// CHECK-LABEL: func.func @odd_head(
// CHECK: gpu.func @odd_head_attention(
// CHECK-SAME: workgroup({{%.+}} : memref<{{[0-9]+}}x73xf32, #gpu.address_space<workgroup>>
// CHECK-NOT: nvvm.mma.sync
// CHECK: gpu.return
func.func @odd_head(%q: tensor<1x2x?x72xf16>, %k: tensor<1x2x?x72xf16>, %v: tensor<1x2x?x72xf16>) -> tensor<1x2x?x72xf16> {
  %o = transformer.attention %q, %k, %v : tensor<1x2x?x72xf16>, tensor<1x2x?x72xf16>, tensor<1x2x?x72xf16> -> tensor<1x2x?x72xf16>
  return %o : tensor<1x2x?x72xf16>
}

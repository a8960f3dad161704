// RUN: llm-opt %s --pass-pipeline="builtin.module(npu.program(npu-lower-tiles))" | FileCheck %s
// npu.attention -> instructions: 20 queries and keys, head dim 16, causal,
// blocks of 16 queries x 16 keys streamed per query block. Local map (from
// npuAttentionLayout): Q staging 0 / 1024, bf16 Q 2048, K staging 2560
// (two buffers), V staging 4608, bf16 K 6656, bf16 V 7168, P 7680, row max
// 8192 / 8256, row sum 8320, rescale 8384, scale 8448, causal mask 8512;
// S at acc+0 (262144), O at acc+1024 / acc+2048.

// CHECK-LABEL: npu.program @attn
// The causal mask tile (-inf on and above the diagonal, with S's stride):
// CHECK:      npu.vfill {cols = 16 : i64, dst = 8512 : i64, rows = 16 : i64, stride = 64 : i64, value = 0.000000e+00 : f32}
// CHECK-NEXT: npu.vfill {cols = 16 : i64, dst = 8512 : i64, rows = 1 : i64, stride = 64 : i64, value = 0xFF800000 : f32}
// CHECK-NEXT: npu.vfill {cols = 15 : i64, dst = 8580 : i64, rows = 1 : i64, stride = 64 : i64, value = 0xFF800000 : f32}
// Query block 0 (rows 0-15): Q scaled and converted once; key block 0.
// CHECK:      npu.dma_load {bytes = 64 : i64, dstride = 64 : i64, local = 0 : i64, lstride = 64 : i64, offset = 0 : i64, reg = 1 : i64, rows = 16 : i64}
// CHECK-NEXT: npu.vbinary {a = 0 : i64, b = 8448 : i64, bmode = "scalar", {{.*}}func = "mul", rows = 16
// CHECK-NEXT: npu.vcvt {a = 0 : i64, cols = 16 : i64, dst = 2048 : i64, dst_stride = 32 : i64, from = "f32"
// CHECK-NEXT: npu.dma_load {{.*}}local = 2560 : i64, {{.*}}reg = 2 : i64, rows = 16 : i64}
// CHECK-NEXT: npu.vcvt {a = 2560 : i64, {{.*}}dst = 6656 : i64, dst_stride = 32 : i64
// CHECK-NEXT: npu.dma_load {{.*}}local = 4608 : i64, {{.*}}reg = 3 : i64, rows = 16 : i64}
// CHECK-NEXT: npu.vcvt {a = 4608 : i64, {{.*}}dst = 7168 : i64, dst_stride = 32 : i64
// S = Q K^T with K as transposed weight tiles; the diagonal block masked
// from key 1 on (row i loses keys > i).
// CHECK-NEXT: npu.matmul {a = 2048 : i64, astride = 32 : i64, b = 6656 : i64, c = 262144 : i64, cstride = 64 : i64, k = 16 : i64, m = 16 : i64, n = 16 : i64, transpose_b, type = "bf16"}
// CHECK-NEXT: npu.vbinary {a = 262148 : i64, b = 8512 : i64, bmode = "tile", cols = 15 : i64, dst = 262148 : i64, func = "add", rows = 16 : i64, stride = 64 : i64}
// The first key block starts the running max and sum.
// CHECK-NEXT: npu.vreduce {a = 262144 : i64, cols = 16 : i64, dst = 8192 : i64, func = "max"
// CHECK-NEXT: npu.vbinary {a = 262144 : i64, b = 8192 : i64, bmode = "col", {{.*}}func = "sub"
// CHECK-NEXT: npu.vunary {a = 262144 : i64, {{.*}}func = "exp"
// CHECK-NEXT: npu.vreduce {a = 262144 : i64, cols = 16 : i64, dst = 8320 : i64, func = "sum"
// CHECK-NEXT: npu.vcvt {a = 262144 : i64, cols = 16 : i64, dst = 7680 : i64, dst_stride = 32 : i64
// CHECK-NEXT: npu.matmul {a = 7680 : i64, astride = 32 : i64, b = 7168 : i64, c = 263168 : i64, {{.*}}type = "bf16"}
// CHECK-NEXT: npu.vunary {a = 8320 : i64, {{.*}}func = "recip"
// CHECK-NEXT: npu.vbinary {a = 263168 : i64, b = 8320 : i64, bmode = "col", {{.*}}func = "mul"
// CHECK-NEXT: npu.dma_store {bytes = 64 : i64, dstride = 64 : i64, local = 263168 : i64, lstride = 64 : i64, offset = 0 : i64, reg = 4 : i64, rows = 16 : i64}
// Query block 1 (rows 16-19, O in the other buffer): key block 0 is below
// the diagonal (no mask), key block 1 holds keys 16-19 only and is masked.
// CHECK:      npu.matmul {a = 2048 : i64, {{.*}}c = 262144 : i64, {{.*}}m = 4 : i64, n = 16 : i64, transpose_b
// CHECK-NEXT: npu.vreduce {{.*}}func = "max", rows = 4
// CHECK:      npu.matmul {a = 7680 : i64, {{.*}}c = 264192 : i64, {{.*}}m = 4 : i64, n = 16
// CHECK:      npu.matmul {a = 2048 : i64, {{.*}}c = 262144 : i64, {{.*}}m = 4 : i64, n = 4 : i64, transpose_b
// CHECK-NEXT: npu.vbinary {a = 262148 : i64, b = 8512 : i64, bmode = "tile", cols = 3 : i64, {{.*}}func = "add", rows = 4
// The online softmax: new max into the other buffer, alpha = exp(m - m'),
// P = exp(S - m'), l = alpha l + rowsum P, O = alpha O, O += P V.
// CHECK-NEXT: npu.vreduce {a = 262144 : i64, cols = 4 : i64, dst = 8256 : i64, func = "max", rows = 4
// CHECK-NEXT: npu.vbinary {a = 8256 : i64, b = 8192 : i64, bmode = "tile", cols = 4 : i64, dst = 8256 : i64, func = "max", rows = 1
// CHECK-NEXT: npu.vbinary {a = 8192 : i64, b = 8256 : i64, bmode = "tile", cols = 4 : i64, dst = 8384 : i64, func = "sub", rows = 1
// CHECK-NEXT: npu.vunary {a = 8384 : i64, cols = 4 : i64, dst = 8384 : i64, func = "exp", rows = 1
// CHECK-NEXT: npu.vbinary {a = 262144 : i64, b = 8256 : i64, bmode = "col", cols = 4 : i64, dst = 262144 : i64, func = "sub", rows = 4
// CHECK-NEXT: npu.vunary {a = 262144 : i64, cols = 4 : i64, dst = 262144 : i64, func = "exp", rows = 4
// CHECK-NEXT: npu.vbinary {a = 8320 : i64, b = 8384 : i64, bmode = "tile", cols = 4 : i64, dst = 8320 : i64, func = "mul", rows = 1
// CHECK-NEXT: npu.vreduce {a = 262144 : i64, accumulate, cols = 4 : i64, dst = 8320 : i64, func = "sum", rows = 4
// CHECK-NEXT: npu.vbinary {a = 264192 : i64, b = 8384 : i64, bmode = "col", cols = 16 : i64, dst = 264192 : i64, func = "mul", rows = 4
// CHECK-NEXT: npu.vcvt {a = 262144 : i64, cols = 4 : i64, dst = 7680 : i64
// CHECK-NEXT: npu.matmul {a = 7680 : i64, accumulate, astride = 32 : i64, b = 7168 : i64, c = 264192 : i64, cstride = 64 : i64, k = 4 : i64, m = 4 : i64, n = 16 : i64, type = "bf16"}
// CHECK-NEXT: npu.vunary {a = 8320 : i64, cols = 4 : i64, dst = 8320 : i64, func = "recip", rows = 1
// CHECK-NEXT: npu.vbinary {a = 264192 : i64, b = 8320 : i64, bmode = "col", {{.*}}func = "mul", rows = 4
// CHECK-NEXT: npu.dma_store {{.*}}local = 264192 : i64, {{.*}}offset = 1024 : i64, reg = 4 : i64, rows = 4 : i64}
// CHECK-NEXT: npu.halt
npu.program @attn {
  npu.arg "q" {elem = "f32", reg = 1 : i64, role = "input", shape = array<i64: 1, 1, 20, 16>}
  npu.arg "k" {elem = "f32", reg = 2 : i64, role = "input", shape = array<i64: 1, 1, 20, 16>}
  npu.arg "v" {elem = "f32", reg = 3 : i64, role = "input", shape = array<i64: 1, 1, 20, 16>}
  npu.arg "o" {elem = "f32", reg = 4 : i64, role = "output", shape = array<i64: 1, 1, 20, 16>}
  npu.attention {q = #npu.view<reg = 1, offset = 0, shape = [1, 1, 20, 16], strides = [320, 320, 16, 1]>, k = #npu.view<reg = 2, offset = 0, shape = [1, 1, 20, 16], strides = [320, 320, 16, 1]>, v = #npu.view<reg = 3, offset = 0, shape = [1, 1, 20, 16], strides = [320, 320, 16, 1]>, o = #npu.view<reg = 4, offset = 0, shape = [1, 1, 20, 16], strides = [320, 320, 16, 1]>, scale = 0.25 : f32, causal, tile_q = 16 : i64, tile_kv = 16 : i64, kv_buffers = 2 : i64}
}

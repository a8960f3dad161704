// RUN: llm-opt %s -split-input-file --pass-pipeline="builtin.module(npu.program(npu-lower-tiles,npu-insert-tokens))" | FileCheck %s
// Tile-level ops -> instructions in program order, then the dependency
// tokens: a load signals the compute queue (cp = 2), the compute op waits
// for it (ld = 1) and signals the store (st = 4); buffers alternate so the
// second block's load only waits for the compute op that last read its
// buffer.

// CHECK-LABEL: npu.program @relu
// CHECK:      npu.dma_load {bytes = 128 : i64, dstride = 128 : i64, local = 0 : i64, lstride = 128 : i64, offset = 0 : i64, reg = 1 : i64, rows = 64 : i64, signal = 2 : i64}
// CHECK-NEXT: npu.vunary {a = 0 : i64, cols = 32 : i64, dst = 0 : i64, func = "relu", rows = 64 : i64, signal = 4 : i64, stride = 128 : i64, wait = 1 : i64}
// CHECK-NEXT: npu.dma_store {bytes = 128 : i64, dstride = 128 : i64, local = 0 : i64, lstride = 128 : i64, offset = 0 : i64, reg = 2 : i64, rows = 64 : i64, wait = 2 : i64}
// CHECK-NEXT: npu.halt
npu.program @relu {
  npu.arg "x" {elem = "f32", reg = 1 : i64, role = "input", shape = array<i64: 64, 32>}
  npu.arg "y" {elem = "f32", reg = 2 : i64, role = "output", shape = array<i64: 64, 32>}
  npu.eltwise {kind = "relu", a = #npu.view<reg = 1, offset = 0, shape = [64, 32], strides = [32, 1]>, c = #npu.view<reg = 2, offset = 0, shape = [64, 32], strides = [32, 1]>}
}

// -----

// A row-broadcast add in blocks of 4 rows x 2048 columns: the second
// operand is read as a row (b=row). Waiting for the later of two loads
// implies the earlier one (one token); the third block's load into buffer 0
// waits for the store (wait = st = 4), which itself waited for the add that
// read the buffer: no token of its own for the add (it signals st only).
// CHECK-LABEL: npu.program @bias
// CHECK:      npu.dma_load {bytes = 8192 : i64, dstride = 16384 : i64, local = 0 : i64, lstride = 8192 : i64, offset = 0 : i64, reg = 1 : i64, rows = 4 : i64}
// CHECK-NEXT: npu.dma_load {bytes = 8192 : i64, dstride = 8192 : i64, local = 65536 : i64, lstride = 8192 : i64, offset = 0 : i64, reg = 2 : i64, rows = 1 : i64, signal = 2 : i64}
// CHECK-NEXT: npu.vbinary {a = 0 : i64, b = 65536 : i64, bmode = "row", cols = 2048 : i64, dst = 0 : i64, func = "add", rows = 4 : i64, signal = 4 : i64, stride = 8192 : i64, wait = 1 : i64}
// CHECK-NEXT: npu.dma_store {bytes = 8192 : i64, dstride = 16384 : i64, local = 0 : i64, lstride = 8192 : i64, offset = 0 : i64, reg = 3 : i64, rows = 4 : i64, signal = 1 : i64, wait = 2 : i64}
// CHECK-NEXT: npu.dma_load {{.*}}local = 32768 : i64, lstride = 8192 : i64, offset = 8192 : i64, reg = 1 : i64, rows = 4 : i64}
// CHECK-NEXT: npu.dma_load {{.*}}local = 98304 : i64, lstride = 8192 : i64, offset = 8192 : i64, reg = 2 : i64, rows = 1 : i64, signal = 2 : i64}
// CHECK-NEXT: npu.vbinary
// CHECK-NEXT: npu.dma_store
// CHECK-NEXT: npu.dma_load {{.*}}local = 0 : i64, lstride = 8192 : i64, offset = 65536 : i64, reg = 1 : i64, rows = 4 : i64, wait = 4 : i64}
npu.program @bias {
  npu.arg "x" {elem = "f32", reg = 1 : i64, role = "input", shape = array<i64: 8, 4096>}
  npu.arg "b" {elem = "f32", reg = 2 : i64, role = "input", shape = array<i64: 4096>}
  npu.arg "y" {elem = "f32", reg = 3 : i64, role = "output", shape = array<i64: 8, 4096>}
  npu.eltwise {kind = "add", a = #npu.view<reg = 1, offset = 0, shape = [8, 4096], strides = [4096, 1]>, b = #npu.view<reg = 2, offset = 0, shape = [8, 4096], strides = [0, 1]>, c = #npu.view<reg = 3, offset = 0, shape = [8, 4096], strides = [4096, 1]>}
}

// -----

// A 16x32 x 32x16 gemm with packed weights: A converted to bf16 once, two
// weight tiles (k = 0..15, 16..31) each loaded then multiplied, the second
// accumulating; the bias added on the vector unit; one store.
// CHECK-LABEL: npu.program @gemm
// CHECK:      npu.dma_load {bytes = 128 : i64, dstride = 128 : i64, local = 131072 : i64, lstride = 128 : i64, offset = 0 : i64, reg = 1 : i64, rows = 16 : i64, signal = 2 : i64}
// CHECK-NEXT: npu.vcvt {a = 131072 : i64, cols = 32 : i64, dst = 0 : i64, dst_stride = 64 : i64, from = "f32", rows = 16 : i64, stride = 128 : i64, to = "bf16", wait = 1 : i64}
// CHECK-NEXT: npu.dma_load {bytes = 512 : i64, dstride = 512 : i64, local = 196608 : i64, lstride = 512 : i64, offset = 0 : i64, reg = 0 : i64, rows = 1 : i64, signal = 2 : i64}
// CHECK-NEXT: npu.matmul {a = 0 : i64, astride = 64 : i64, b = 196608 : i64, c = 262144 : i64, cstride = 64 : i64, k = 16 : i64, m = 16 : i64, n = 16 : i64, type = "bf16", wait = 1 : i64}
// CHECK-NEXT: npu.dma_load {bytes = 512 : i64, dstride = 512 : i64, local = 197120 : i64, lstride = 512 : i64, offset = 512 : i64, reg = 0 : i64, rows = 1 : i64, signal = 2 : i64}
// CHECK-NEXT: npu.matmul {a = 32 : i64, accumulate, astride = 64 : i64, b = 197120 : i64, c = 262144 : i64, cstride = 64 : i64, k = 16 : i64, m = 16 : i64, n = 16 : i64, type = "bf16", wait = 1 : i64}
// CHECK-NEXT: npu.dma_load {bytes = 64 : i64, dstride = 64 : i64, local = 204800 : i64, lstride = 64 : i64, offset = 1024 : i64, reg = 0 : i64, rows = 1 : i64, signal = 2 : i64}
// CHECK-NEXT: npu.vbinary {a = 262144 : i64, b = 204800 : i64, bmode = "row", cols = 16 : i64, dst = 262144 : i64, func = "add", rows = 16 : i64, signal = 4 : i64, stride = 64 : i64, wait = 1 : i64}
// CHECK-NEXT: npu.dma_store {bytes = 64 : i64, dstride = 64 : i64, local = 262144 : i64, lstride = 64 : i64, offset = 0 : i64, reg = 2 : i64, rows = 16 : i64, wait = 2 : i64}
// CHECK-NEXT: npu.halt
npu.program @gemm attributes {data = dense<0> : tensor<1088xi8>, data_size = 1088 : i64} {
  npu.arg "x" {elem = "f32", reg = 1 : i64, role = "input", shape = array<i64: 16, 32>}
  npu.arg "y" {elem = "f32", reg = 2 : i64, role = "output", shape = array<i64: 16, 16>}
  npu.gemm {a = #npu.view<reg = 1, offset = 0, shape = [16, 32], strides = [32, 1]>, c = #npu.view<reg = 2, offset = 0, shape = [16, 16], strides = [16, 1]>, packed_b = 0 : i64, bias = 1024 : i64, dtype = "bf16", tile_m = 128 : i64, tile_n = 64 : i64}
}

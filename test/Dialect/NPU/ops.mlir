// RUN: llm-opt %s | llm-opt | FileCheck %s
// Round trip of an npu.program with argument declarations, every
// instruction-level op and the tile-level ops.

// CHECK-LABEL: npu.program @insts
// CHECK: npu.arg "x" {elem = "f32", reg = 1 : i64, role = "input", shape = array<i64: 16, 16>}
// CHECK: npu.dma_load {bytes = 64 : i64, local = 0 : i64, offset = 0 : i64, reg = 1 : i64, rows = 16 : i64, signal = 2 : i64}
// CHECK: npu.vcvt {a = 0 : i64, cols = 16 : i64, dst = 4096 : i64, from = "f32", rows = 16 : i64, to = "bf16", wait = 1 : i64}
// CHECK: npu.matmul {a = 4096 : i64, accumulate, b = 8192 : i64, c = 262144 : i64, k = 16 : i64, m = 16 : i64, n = 16 : i64, transpose_b, type = "bf16"}
// CHECK: npu.vunary {a = 262144 : i64, cols = 16 : i64, dst = 262144 : i64, func = "exp", rows = 16 : i64}
// CHECK: npu.vbinary {a = 262144 : i64, b = 12288 : i64, bmode = "col", cols = 16 : i64, dst = 262144 : i64, func = "sub", rows = 16 : i64}
// CHECK: npu.vreduce {a = 262144 : i64, accumulate, cols = 16 : i64, dst = 12288 : i64, func = "max", rows = 16 : i64}
// CHECK: npu.vfill {cols = 1 : i64, dst = 12352 : i64, rows = 1 : i64, value = 9.99999974E-6 : f32}
// CHECK: npu.sync {queue = "cp", signal = 4 : i64}
// CHECK: npu.dma_store {bytes = 64 : i64, local = 262144 : i64, offset = 0 : i64, reg = 2 : i64, rows = 16 : i64, wait = 2 : i64}
// CHECK: npu.halt
npu.program @insts attributes {data_size = 0 : i64} {
  npu.arg "x" {elem = "f32", reg = 1 : i64, role = "input", shape = array<i64: 16, 16>}
  npu.arg "y" {elem = "f32", reg = 2 : i64, role = "output", shape = array<i64: 16, 16>}
  npu.dma_load {local = 0 : i64, reg = 1 : i64, offset = 0 : i64, rows = 16 : i64, bytes = 64 : i64, signal = 2 : i64}
  npu.vcvt {from = "f32", to = "bf16", dst = 4096 : i64, a = 0 : i64, rows = 16 : i64, cols = 16 : i64, wait = 1 : i64}
  npu.matmul {type = "bf16", c = 262144 : i64, a = 4096 : i64, b = 8192 : i64, m = 16 : i64, k = 16 : i64, n = 16 : i64, accumulate, transpose_b}
  npu.vunary {func = "exp", dst = 262144 : i64, a = 262144 : i64, rows = 16 : i64, cols = 16 : i64}
  npu.vbinary {func = "sub", bmode = "col", dst = 262144 : i64, a = 262144 : i64, b = 12288 : i64, rows = 16 : i64, cols = 16 : i64}
  npu.vreduce {func = "max", dst = 12288 : i64, a = 262144 : i64, rows = 16 : i64, cols = 16 : i64, accumulate}
  npu.vfill {value = 1.0e-05 : f32, dst = 12352 : i64, rows = 1 : i64, cols = 1 : i64}
  npu.sync {queue = "cp", signal = 4 : i64}
  npu.dma_store {local = 262144 : i64, reg = 2 : i64, offset = 0 : i64, rows = 16 : i64, bytes = 64 : i64, wait = 2 : i64}
  npu.halt
}

// CHECK-LABEL: npu.program @tiles
// CHECK: npu.gemm {a = #npu.view<reg = 1, offset = 0, shape = [16, 32], strides = [32, 1]>, bias = 1024 : i64, c = #npu.view<reg = 2, offset = 0, shape = [16, 16], strides = [16, 1]>, dtype = "bf16", packed_b = 0 : i64, tile_m = 128 : i64, tile_n = 64 : i64}
// CHECK: npu.eltwise {a = #npu.view<reg = 2, offset = 0, shape = [16, 16], strides = [16, 1]>, b = #npu.view<reg = 0, offset = 1024, shape = [16, 16], strides = [0, 1]>, c = #npu.view<reg = 2, offset = 0, shape = [16, 16], strides = [16, 1]>, kind = "add"}
// CHECK: npu.softmax {a = {{.*}}, c = {{.*}}, causal, scale = 2.500000e-01 : f32}
// CHECK: npu.layer_norm {a = {{.*}}, beta = 1088 : i64, c = {{.*}}, epsilon = 9.99999974E-6 : f32, gamma = 1024 : i64}
// CHECK: npu.attention {causal, k = #npu.view<reg = 1, offset = 64, shape = [1, 1, 16, 16], strides = [256, 256, 16, 1]>, kv_buffers = 2 : i64, kv_resident, o = {{.*}}, q = {{.*}}, scale = 2.500000e-01 : f32, tile_kv = 16 : i64, tile_q = 16 : i64, v = {{.*}}}
npu.program @tiles attributes {data = dense<0> : tensor<1152xi8>, data_size = 1152 : i64} {
  npu.arg "x" {elem = "f32", reg = 1 : i64, role = "input", shape = array<i64: 16, 32>}
  npu.arg "y" {elem = "f32", reg = 2 : i64, role = "output", shape = array<i64: 16, 16>}
  npu.gemm {a = #npu.view<reg = 1, offset = 0, shape = [16, 32], strides = [32, 1]>, c = #npu.view<reg = 2, offset = 0, shape = [16, 16], strides = [16, 1]>, packed_b = 0 : i64, bias = 1024 : i64, dtype = "bf16", tile_m = 128 : i64, tile_n = 64 : i64}
  npu.eltwise {kind = "add", a = #npu.view<reg = 2, offset = 0, shape = [16, 16], strides = [16, 1]>, b = #npu.view<reg = 0, offset = 1024, shape = [16, 16], strides = [0, 1]>, c = #npu.view<reg = 2, offset = 0, shape = [16, 16], strides = [16, 1]>}
  npu.softmax {a = #npu.view<reg = 2, offset = 0, shape = [16, 16], strides = [16, 1]>, c = #npu.view<reg = 2, offset = 0, shape = [16, 16], strides = [16, 1]>, scale = 0.25 : f32, causal}
  npu.layer_norm {a = #npu.view<reg = 2, offset = 0, shape = [16, 16], strides = [16, 1]>, c = #npu.view<reg = 2, offset = 0, shape = [16, 16], strides = [16, 1]>, gamma = 1024 : i64, beta = 1088 : i64, epsilon = 1.0e-05 : f32}
  npu.attention {q = #npu.view<reg = 1, offset = 0, shape = [1, 1, 16, 16], strides = [256, 256, 16, 1]>, k = #npu.view<reg = 1, offset = 64, shape = [1, 1, 16, 16], strides = [256, 256, 16, 1]>, v = #npu.view<reg = 1, offset = 128, shape = [1, 1, 16, 16], strides = [256, 256, 16, 1]>, o = #npu.view<reg = 2, offset = 0, shape = [1, 1, 16, 16], strides = [256, 256, 16, 1]>, scale = 0.25 : f32, causal, tile_q = 16 : i64, tile_kv = 16 : i64, kv_buffers = 2 : i64, kv_resident}
}

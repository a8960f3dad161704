// RUN: llm-opt %s -split-input-file -verify-diagnostics
// The verifiers: instruction ops are encoded and checked by the ISA's
// validate() (lib/Target/NPU), so the messages are the assembler's.

npu.program @p {
  // expected-error @+1 {{'npu.matmul' op k and n must be at most 16 (the array size)}}
  npu.matmul {type = "bf16", c = 262144 : i64, a = 0 : i64, b = 4096 : i64, m = 16 : i64, k = 17 : i64, n = 16 : i64}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.matmul' op C must be in the accumulator}}
  npu.matmul {type = "i8", c = 0 : i64, a = 0 : i64, b = 4096 : i64, m = 16 : i64, k = 16 : i64, n = 16 : i64}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.vunary' op no instruction 'verf'}}
  npu.vunary {func = "erf", dst = 0 : i64, a = 0 : i64, rows = 1 : i64, cols = 16 : i64}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.vbinary' op unknown b mode 'diag'}}
  npu.vbinary {func = "add", bmode = "diag", dst = 0 : i64, a = 0 : i64, b = 64 : i64, rows = 1 : i64, cols = 16 : i64}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.dma_load' op}}
  npu.dma_load {local = 262140 : i64, reg = 1 : i64, offset = 0 : i64, rows = 1 : i64, bytes = 64 : i64}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.vfill' op an instruction of the cp queue cannot wait for a token from its own queue}}
  npu.vfill {value = 0.0 : f32, dst = 0 : i64, rows = 1 : i64, cols = 1 : i64, wait = 2 : i64}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.halt' op must be the last op of the program}}
  npu.halt
  npu.sync {queue = "ld"}
}

// -----

npu.program @p {
  npu.arg "x" {elem = "f32", reg = 1 : i64, role = "input", shape = array<i64: 4>}
  // expected-error @+1 {{'npu.arg' op register r1 is bound twice}}
  npu.arg "y" {elem = "f32", reg = 1 : i64, role = "output", shape = array<i64: 4>}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.arg' op unknown element type 'f8'}}
  npu.arg "x" {elem = "f8", reg = 1 : i64, role = "input", shape = array<i64: 4>}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.gemm' op needs exactly one of b (a tensor) and packed_b (packed weights)}}
  npu.gemm {a = #npu.view<reg = 1, offset = 0, shape = [16, 32], strides = [32, 1]>, c = #npu.view<reg = 2, offset = 0, shape = [16, 16], strides = [16, 1]>, dtype = "bf16", tile_m = 128 : i64, tile_n = 64 : i64}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.eltwise' op unknown kind 'erf'}}
  npu.eltwise {kind = "erf", a = #npu.view<reg = 1, offset = 0, shape = [4], strides = [1]>, c = #npu.view<reg = 2, offset = 0, shape = [4], strides = [1]>}
}

// -----

npu.program @p {
  // expected-error @+1 {{register r16 does not exist}}
  npu.eltwise {kind = "relu", a = #npu.view<reg = 16, offset = 0, shape = [4], strides = [1]>, c = #npu.view<reg = 2, offset = 0, shape = [4], strides = [1]>}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.attention' op q/o [B, H, S, D] and k/v [B, H / kv_group, T, D] do not match}}
  npu.attention {q = #npu.view<reg = 1, offset = 0, shape = [1, 2, 8, 16], strides = [256, 128, 16, 1]>, k = #npu.view<reg = 2, offset = 0, shape = [1, 2, 4, 16], strides = [128, 64, 16, 1]>, v = #npu.view<reg = 3, offset = 0, shape = [1, 2, 4, 8], strides = [64, 32, 8, 1]>, o = #npu.view<reg = 1, offset = 0, shape = [1, 2, 8, 16], strides = [256, 128, 16, 1]>, scale = 1.0 : f32, tile_q = 16 : i64, tile_kv = 16 : i64, kv_buffers = 2 : i64}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.attention' op q, k, v and o must be contiguous along D}}
  npu.attention {q = #npu.view<reg = 1, offset = 0, shape = [1, 2, 8, 16], strides = [256, 128, 16, 1]>, k = #npu.view<reg = 2, offset = 0, shape = [1, 2, 4, 16], strides = [128, 64, 16, 1]>, v = #npu.view<reg = 3, offset = 0, shape = [1, 2, 4, 16], strides = [128, 64, 32, 2]>, o = #npu.view<reg = 1, offset = 0, shape = [1, 2, 8, 16], strides = [256, 128, 16, 1]>, scale = 1.0 : f32, tile_q = 16 : i64, tile_kv = 16 : i64, kv_buffers = 2 : i64}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.attention' op tile_q must be 1-4095, tile_kv a multiple of 16 and kv_buffers at least 1}}
  npu.attention {q = #npu.view<reg = 1, offset = 0, shape = [1, 2, 8, 16], strides = [256, 128, 16, 1]>, k = #npu.view<reg = 2, offset = 0, shape = [1, 2, 4, 16], strides = [128, 64, 16, 1]>, v = #npu.view<reg = 2, offset = 0, shape = [1, 2, 4, 16], strides = [128, 64, 16, 1]>, o = #npu.view<reg = 1, offset = 0, shape = [1, 2, 8, 16], strides = [256, 128, 16, 1]>, scale = 1.0 : f32, tile_q = 16 : i64, tile_kv = 24 : i64, kv_buffers = 2 : i64}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.attention' op kv_group must be at least 1}}
  npu.attention {q = #npu.view<reg = 1, offset = 0, shape = [1, 2, 8, 16], strides = [256, 128, 16, 1]>, k = #npu.view<reg = 2, offset = 0, shape = [1, 2, 4, 16], strides = [128, 64, 16, 1]>, v = #npu.view<reg = 2, offset = 0, shape = [1, 2, 4, 16], strides = [128, 64, 16, 1]>, o = #npu.view<reg = 1, offset = 0, shape = [1, 2, 8, 16], strides = [256, 128, 16, 1]>, scale = 1.0 : f32, tile_q = 16 : i64, tile_kv = 16 : i64, kv_buffers = 2 : i64, kv_group = 0 : i64}
}

// -----

npu.program @p {
  // expected-error @+1 {{'npu.attention' op mask must be [B, H, S, T], contiguous along T}}
  npu.attention {q = #npu.view<reg = 1, offset = 0, shape = [1, 2, 8, 16], strides = [256, 128, 16, 1]>, k = #npu.view<reg = 2, offset = 0, shape = [1, 2, 4, 16], strides = [128, 64, 16, 1]>, v = #npu.view<reg = 2, offset = 0, shape = [1, 2, 4, 16], strides = [128, 64, 16, 1]>, o = #npu.view<reg = 1, offset = 0, shape = [1, 2, 8, 16], strides = [256, 128, 16, 1]>, scale = 1.0 : f32, tile_q = 16 : i64, tile_kv = 16 : i64, kv_buffers = 2 : i64, mask = #npu.view<reg = 3, offset = 0, shape = [1, 2, 8, 4], strides = [0, 0, 4, 0]>}
}

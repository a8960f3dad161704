// RUN: llm-opt %s -split-input-file -verify-diagnostics --pass-pipeline="builtin.module(npu.program(npu-lower-tiles))"
// npu.attention blocks that do not fit local memory, and causal attention
// with queries that would see no key, are errors naming the op.

npu.program @too_big {
  // expected-error @+1 {{'npu.attention' op tile_q = 256, tile_kv = 256, kv_buffers = 2 with head dim 64 need 626752 bytes of scratchpad and 393216 of accumulator}}
  npu.attention {q = #npu.view<reg = 1, offset = 0, shape = [1, 1, 256, 64], strides = [16384, 16384, 64, 1]>, k = #npu.view<reg = 1, offset = 0, shape = [1, 1, 256, 64], strides = [16384, 16384, 64, 1]>, v = #npu.view<reg = 1, offset = 0, shape = [1, 1, 256, 64], strides = [16384, 16384, 64, 1]>, o = #npu.view<reg = 2, offset = 0, shape = [1, 1, 256, 64], strides = [16384, 16384, 64, 1]>, scale = 1.0 : f32, tile_q = 256 : i64, tile_kv = 256 : i64, kv_buffers = 2 : i64}
}

// -----

npu.program @short {
  // expected-error @+1 {{'npu.attention' op causal attention with fewer keys (4) than queries (8) leaves queries without keys}}
  npu.attention {q = #npu.view<reg = 1, offset = 0, shape = [1, 1, 8, 16], strides = [128, 128, 16, 1]>, k = #npu.view<reg = 1, offset = 0, shape = [1, 1, 4, 16], strides = [64, 64, 16, 1]>, v = #npu.view<reg = 1, offset = 0, shape = [1, 1, 4, 16], strides = [64, 64, 16, 1]>, o = #npu.view<reg = 2, offset = 0, shape = [1, 1, 8, 16], strides = [128, 128, 16, 1]>, scale = 1.0 : f32, causal, tile_q = 16 : i64, tile_kv = 16 : i64, kv_buffers = 2 : i64}
}

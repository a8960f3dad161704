// RUN: llm-opt %s -split-input-file --convert-transformer-to-npu | FileCheck %s
// The tile-level program: arguments on r1.. (inputs, then outputs), weights
// packed in the data segment (r0), intermediates in its scratch part, shape
// ops as strided views, a bias add fused into the gemm, and the last op
// writing the output register directly.

// CHECK-LABEL: npu.program @linear attributes {data = dense_resource<npu_data> : tensor<4224xi8>, data_size = 8320 : i64}
// CHECK: npu.arg "x" {elem = "f32", reg = 1 : i64, role = "input", shape = array<i64: 2, 8, 64>}
// CHECK: npu.arg "y" {elem = "f32", reg = 2 : i64, role = "output", shape = array<i64: 2, 8, 32>}
// The [2, 8] rows of x form one [16, 64] A; 64x32 bf16 weights are 8 tiles
// of 512 bytes after the 128-byte bias.
// CHECK: npu.gemm {a = #npu.view<reg = 1, offset = 0, shape = [16, 64], strides = [64, 1]>, bias = 0 : i64, c = #npu.view<reg = 0, offset = 4224, shape = [16, 32], strides = [32, 1]>, dtype = "bf16", packed_b = 128 : i64, tile_m = 128 : i64, tile_n = 64 : i64}
// CHECK: npu.eltwise {a = #npu.view<reg = 0, offset = 4224, shape = [2, 8, 32], strides = [256, 32, 1]>, c = #npu.view<reg = 2, offset = 0, shape = [2, 8, 32], strides = [256, 32, 1]>, kind = "gelu_tanh"}
// CHECK-NOT: npu.eltwise
func.func @linear(%x: tensor<2x8x64xf32> {onnx.name = "x"}) -> (tensor<2x8x32xf32> {onnx.name = "y"}) {
  %w = transformer.constant dense<0.5> : tensor<64x32xf32>
  %b = transformer.constant dense<1.0> : tensor<32xf32>
  %y = transformer.matmul %x, %w : tensor<2x8x64xf32>, tensor<64x32xf32> -> tensor<2x8x32xf32>
  %z = transformer.add %y, %b : tensor<2x8x32xf32>, tensor<32xf32> -> tensor<2x8x32xf32>
  %g = transformer.gelu %z approximation = tanh : tensor<2x8x32xf32>
  return %g : tensor<2x8x32xf32>
}

// -----

// Heads: split + reshape + transpose are views; attention is one
// npu.attention (flash style) on them with tiles from the NPU cost model
// (S = T = 8: one 8-query block, one 16-key block, K/V resident per head),
// writing the output register directly.
// CHECK-LABEL: npu.program @heads
// (Unit dims get stride 1; it is never used.)
// CHECK-NOT: npu.eltwise
// CHECK-NOT: npu.gemm
// CHECK: npu.attention {causal, k = #npu.view<reg = 1, offset = 128, shape = [1, 2, 8, 16], strides = [1, 16, 96, 1]>, kv_buffers = 2 : i64, kv_resident, o = #npu.view<reg = 2, offset = 0, shape = [1, 2, 8, 16], strides = [256, 128, 16, 1]>, q = #npu.view<reg = 1, offset = 0, shape = [1, 2, 8, 16], strides = [1, 16, 96, 1]>, scale = 2.500000e-01 : f32, tile_kv = 16 : i64, tile_q = 8 : i64, v = #npu.view<reg = 1, offset = 256, shape = [1, 2, 8, 16], strides = [1, 16, 96, 1]>}
// CHECK-NOT: npu.softmax
func.func @heads(%qkv: tensor<1x8x96xf32>) -> tensor<1x2x8x16xf32> {
  %q, %k, %v = transformer.split %qkv {axis = 2 : i64, sizes = array<i64: 32, 32, 32>} : tensor<1x8x96xf32> -> tensor<1x8x32xf32>, tensor<1x8x32xf32>, tensor<1x8x32xf32>
  %q4 = transformer.reshape %q : tensor<1x8x32xf32> -> tensor<1x8x2x16xf32>
  %k4 = transformer.reshape %k : tensor<1x8x32xf32> -> tensor<1x8x2x16xf32>
  %v4 = transformer.reshape %v : tensor<1x8x32xf32> -> tensor<1x8x2x16xf32>
  %qt = transformer.transpose %q4 {permutation = array<i64: 0, 2, 1, 3>} : tensor<1x8x2x16xf32> -> tensor<1x2x8x16xf32>
  %kt = transformer.transpose %k4 {permutation = array<i64: 0, 2, 1, 3>} : tensor<1x8x2x16xf32> -> tensor<1x2x8x16xf32>
  %vt = transformer.transpose %v4 {permutation = array<i64: 0, 2, 1, 3>} : tensor<1x8x2x16xf32> -> tensor<1x2x8x16xf32>
  %o = transformer.attention %qt, %kt, %vt {causal} : tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32> -> tensor<1x2x8x16xf32>
  return %o : tensor<1x2x8x16xf32>
}

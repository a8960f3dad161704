// RUN: llm-opt %s -split-input-file --convert-transformer-to-npu | FileCheck %s
// Integer inputs keep their element type in DRAM: ids gather table rows
// (npu.gather), masks are converted (npu.cast); a broadcast first operand
// of sub goes through neg; slices are views; rotary embeddings are six
// eltwise ops on views of the pairs' halves (interleaved: one element per
// vector row, [..., R, 1] views), the rest of a partial rotary is copied.

// CHECK-LABEL: npu.program @embed
// CHECK: npu.arg "ids" {elem = "i64", reg = 1 : i64, role = "input", shape = array<i64: 2, 3>}
// CHECK: npu.gather {c = #npu.view<reg = 2, offset = 0, shape = [2, 3, 8], strides = [24, 8, 1]>, index_type = "i64", indices = #npu.view<reg = 1, offset = 0, shape = [2, 3], strides = [3, 1]>, table = #npu.view<reg = 0, offset = 0, shape = [10, 8], strides = [8, 1]>}
func.func @embed(%ids: tensor<2x3xi64> {onnx.name = "ids"}) -> (tensor<2x3x8xf32> {onnx.name = "y"}) {
  %t = transformer.constant dense<0.5> : tensor<10x8xf32>
  %e = transformer.gather %t, %ids : tensor<10x8xf32>, tensor<2x3xi64> -> tensor<2x3x8xf32>
  return %e : tensor<2x3x8xf32>
}

// -----

// CHECK-LABEL: npu.program @mask
// CHECK: npu.arg "m" {elem = "i64"
// CHECK: npu.cast {a = #npu.view<reg = 1, offset = 0, shape = [2, 1, 5], strides = [5, 1, 1]>, c = #npu.view<reg = 0, offset = 64, shape = [2, 1, 5], strides = [5, 5, 1]>, from = "i64"}
// CHECK: npu.eltwise {a = #npu.view<reg = 0, offset = 64, {{.*}}, c = #npu.view<reg = 0, offset = 128, {{.*}}, kind = "neg"}
// CHECK: npu.eltwise {a = #npu.view<reg = 0, offset = 128, {{.*}}, c = #npu.view<reg = 0, offset = 128, {{.*}}, kind = "add", scalar = 1.000000e+00 : f32}
// CHECK: npu.eltwise {a = #npu.view<reg = 0, offset = 128, {{.*}}, c = #npu.view<reg = 2, offset = 0, {{.*}}, kind = "copy"}
func.func @mask(%m: tensor<2x5xi64> {onnx.name = "m"}) -> (tensor<2x1x5xf32> {onnx.name = "y"}) {
  %u = transformer.unsqueeze %m {axes = array<i64: 1>} : tensor<2x5xi64> -> tensor<2x1x5xi64>
  %f = transformer.cast %u : tensor<2x1x5xi64> to tensor<2x1x5xf32>
  %one = transformer.constant dense<1.0> : tensor<f32>
  %s = transformer.sub %one, %f : tensor<f32>, tensor<2x1x5xf32> -> tensor<2x1x5xf32>
  return %s : tensor<2x1x5xf32>
}

// -----

// CHECK-LABEL: npu.program @rope
// y1 = x1 cos - x2 sin, y2 = x2 cos + x1 sin: x1, x2 the even and odd
// elements of the first 4; cos/sin the first 2 columns of [4, 4] (slices),
// broadcast over batch and heads.
// CHECK: npu.eltwise {a = #npu.view<reg = 1, offset = 0, shape = [1, 2, 4, 2, 1], strides = [64, 32, 8, 2, 1]>, b = #npu.view<reg = 2, offset = 0, shape = [1, 2, 4, 2, 1], strides = [0, 0, 4, 1, 1]>, c = #npu.view<reg = 0, offset = 0, shape = [1, 2, 4, 2, 1], strides = [64, 32, 8, 2, 1]>, kind = "mul"}
// CHECK: npu.eltwise {a = #npu.view<reg = 1, offset = 4, {{.*}}, b = #npu.view<reg = 3, offset = 0, {{.*}}, kind = "mul"}
// CHECK: kind = "sub"
// CHECK: npu.eltwise {a = #npu.view<reg = 1, offset = 4, {{.*}}, b = #npu.view<reg = 2, offset = 0, {{.*}}, c = #npu.view<reg = 0, offset = 4, {{.*}}, kind = "mul"}
// CHECK: kind = "mul"
// CHECK: kind = "add"
// The last 4 elements pass through.
// CHECK: npu.eltwise {a = #npu.view<reg = 1, offset = 16, shape = [1, 2, 4, 4], strides = [64, 32, 8, 1]>, c = #npu.view<reg = 0, offset = 16, shape = [1, 2, 4, 4], strides = [64, 32, 8, 1]>, kind = "copy"}
func.func @rope(%x: tensor<1x2x4x8xf32>, %cos: tensor<4x4xf32>, %sin: tensor<4x4xf32>) -> tensor<1x2x4x8xf32> {
  %cs = transformer.slice %cos {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: 2>} : tensor<4x4xf32> -> tensor<4x2xf32>
  %sn = transformer.slice %sin {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: 2>} : tensor<4x4xf32> -> tensor<4x2xf32>
  %r = transformer.rotary_embedding %x, %cs, %sn mode = interleaved {rotary_dim = 4 : i64} : tensor<1x2x4x8xf32>, tensor<4x2xf32>
  return %r : tensor<1x2x4x8xf32>
}

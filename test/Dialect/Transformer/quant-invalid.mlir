// RUN: llm-opt %s -split-input-file -verify-diagnostics

// Every verifier and type-inference error of the quantization ops.

//===----------------------------------------------------------------------===//
// quantize / dequantize
//===----------------------------------------------------------------------===//

func.func @quantize_negative_block_size(%x: tensor<4x64xf32>, %s: tensor<4x2xf32>) {
  // expected-error @+1 {{'transformer.quantize' expects block_size >= 0, got -32}}
  %0 = transformer.quantize %x, %s {block_size = -32} : tensor<4x64xf32>, tensor<4x2xf32> -> tensor<4x64xi8>
  return
}

// -----

func.func @quantize_rank2_scale_without_block(%x: tensor<4x64xf32>, %s: tensor<4x2xf32>) {
  // expected-error @+1 {{'transformer.quantize' expects a scale of rank 0 or 1 (per-tensor or per-axis) without block_size, got 'tensor<4x2xf32>'}}
  %0 = transformer.quantize %x, %s : tensor<4x64xf32>, tensor<4x2xf32> -> tensor<4x64xi8>
  return
}

// -----

func.func @quantize_per_axis_axis_range(%x: tensor<4x64xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'transformer.quantize' per-axis quantization expects axis in [-2, 2), got 2}}
  %0 = transformer.quantize %x, %s {axis = 2} : tensor<4x64xf32>, tensor<4xf32> -> tensor<4x64xi8>
  return
}

// -----

func.func @quantize_per_axis_default_axis_scalar_input(%x: tensor<f32>, %s: tensor<4xf32>) {
  // The default axis 1 is out of range for a rank-0 input with a per-axis scale.
  // expected-error @+1 {{'transformer.quantize' per-axis quantization expects axis in [0, 0), got 1}}
  %0 = transformer.quantize %x, %s : tensor<f32>, tensor<4xf32> -> tensor<i8>
  return
}

// -----

func.func @quantize_per_axis_length(%x: tensor<4x64xf32>, %s: tensor<4xf32>) {
  // The default axis is 1 (64 elements), not 0.
  // expected-error @+1 {{'transformer.quantize' per-axis quantization expects a scale of [64] (input dim 1), got 'tensor<4xf32>'}}
  %0 = transformer.quantize %x, %s : tensor<4x64xf32>, tensor<4xf32> -> tensor<4x64xi8>
  return
}

// -----

func.func @dequantize_per_axis_length(%q: tensor<?x3072xi32>, %s: tensor<768xf32>) {
  // expected-error @+1 {{'transformer.dequantize' per-axis quantization expects a scale of [3072] (input dim 1), got 'tensor<768xf32>'}}
  %0 = transformer.dequantize %q, %s {axis = -1} : tensor<?x3072xi32>, tensor<768xf32> -> tensor<?x3072xf32>
  return
}

// -----

func.func @quantize_blocked_rank(%x: tensor<4x64xf32>, %s: tensor<2xf32>) {
  // expected-error @+1 {{'transformer.quantize' blocked quantization expects a scale of the input's rank 2, got 'tensor<2xf32>'}}
  %0 = transformer.quantize %x, %s {block_size = 32} : tensor<4x64xf32>, tensor<2xf32> -> tensor<4x64xi4>
  return
}

// -----

func.func @quantize_blocked_axis_range(%x: tensor<4x64xf32>, %s: tensor<4x2xf32>) {
  // expected-error @+1 {{'transformer.quantize' blocked quantization expects axis in [-2, 2), got -3}}
  %0 = transformer.quantize %x, %s {axis = -3, block_size = 32} : tensor<4x64xf32>, tensor<4x2xf32> -> tensor<4x64xi4>
  return
}

// -----

func.func @quantize_blocked_block_count(%x: tensor<4x100xf32>, %s: tensor<4x3xf32>) {
  // ceil(100 / 32) = 4 blocks, not 3.
  // expected-error @+1 {{'transformer.quantize' blocked quantization expects a scale of [4, 4] (input [4, 100] with ceil(dim / 32) along axis 1), got 'tensor<4x3xf32>'}}
  %0 = transformer.quantize %x, %s {block_size = 32} : tensor<4x100xf32>, tensor<4x3xf32> -> tensor<4x100xi4>
  return
}

// -----

func.func @dequantize_blocked_other_dim(%q: tensor<?x64xui4>, %s: tensor<8x2xf16>) {
  // Along axis 0 with blocks of 32: the scale is [ceil(? / 32), 64] = [?, 64].
  // expected-error @+1 {{'transformer.dequantize' blocked quantization expects a scale of [?, 64] (input [?, 64] with ceil(dim / 32) along axis 0), got 'tensor<8x2xf16>'}}
  %0 = transformer.dequantize %q, %s {axis = 0, block_size = 32} : tensor<?x64xui4>, tensor<8x2xf16> -> tensor<?x64xf16>
  return
}

// -----

func.func @quantize_zero_point_shape(%x: tensor<4x64xf32>, %s: tensor<4xf32>, %zp: tensor<ui8>) {
  // expected-error @+1 {{'transformer.quantize' expects a zero_point of the scale's shape [4], got 'tensor<ui8>'}}
  %0 = transformer.quantize %x, %s zero_point(%zp : tensor<ui8>) {axis = 0} : tensor<4x64xf32>, tensor<4xf32> -> tensor<4x64xui8>
  return
}

// -----

func.func @quantize_zero_point_type(%x: tensor<4x64xf32>, %s: tensor<f32>, %zp: tensor<i8>) {
  // expected-error @+1 {{'transformer.quantize' expects zero_point element type 'ui8' (the quantized type), got 'i8'}}
  %0 = transformer.quantize %x, %s zero_point(%zp : tensor<i8>) : tensor<4x64xf32>, tensor<f32> -> tensor<4x64xui8>
  return
}

// -----

func.func @dequantize_zero_point_type(%q: tensor<4x64xui4>, %s: tensor<4x2xf32>, %zp: tensor<4x2xi4>) {
  // expected-error @+1 {{'transformer.dequantize' expects zero_point element type 'ui4' (the quantized type), got 'i4'}}
  %0 = transformer.dequantize %q, %s zero_point(%zp : tensor<4x2xi4>) {block_size = 32} : tensor<4x64xui4>, tensor<4x2xf32> -> tensor<4x64xf32>
  return
}

// -----

func.func @quantize_result_shape(%x: tensor<?x64xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'transformer.quantize' op expects a result of shape [?, 64] (the input's), got 'tensor<4x64xi8>'}}
  %0 = transformer.quantize %x, %s : tensor<?x64xf32>, tensor<f32> -> tensor<4x64xi8>
  return
}

// -----

func.func @dequantize_result_shape(%q: tensor<4x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'transformer.dequantize' op expects a result of shape [4, 64] (the input's), got 'tensor<64x4xf32>'}}
  %0 = transformer.dequantize %q, %s : tensor<4x64xi8>, tensor<f32> -> tensor<64x4xf32>
  return
}

// -----

func.func @quantize_float_result(%x: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 8-bit signless integer or 8-bit unsigned integer or 8-bit signed integer or 4-bit signless integer or 4-bit unsigned integer or 4-bit signed integer values}}
  %0 = transformer.quantize %x, %s : tensor<4xf32>, tensor<f32> -> tensor<4xf16>
  return
}

// -----

func.func @dequantize_integer_result(%q: tensor<4xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of floating-point values}}
  %0 = transformer.dequantize %q, %s : tensor<4xi8>, tensor<f32> -> tensor<4xi32>
  return
}

// -----

func.func @quantize_integer_scale(%x: tensor<4xf32>, %s: tensor<i32>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of floating-point values}}
  %0 = transformer.quantize %x, %s : tensor<4xf32>, tensor<i32> -> tensor<4xi8>
  return
}

// -----

//===----------------------------------------------------------------------===//
// dynamic_quantize
//===----------------------------------------------------------------------===//

func.func @dynamic_quantize_axis_range(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' per-row quantization expects axis in [-2, 2), got 2}}
  %q, %s = transformer.dynamic_quantize %x {axis = 2} : tensor<?x768xf32> -> tensor<?x768xi8>, tensor<?x1xf32>
  return
}

// -----

func.func @dynamic_quantize_output_shape(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects an output of shape [?, 768] (the input's), got 'tensor<4x768xi8>'}}
  %q, %s = transformer.dynamic_quantize %x : tensor<?x768xf32> -> tensor<4x768xi8>, tensor<f32>
  return
}

// -----

func.func @dynamic_quantize_per_tensor_scale(%x: tensor<?x768xf32>) {
  // ONNX's per-tensor scale is a rank-0 tensor.
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects a scale of shape [] (per-tensor), got 'tensor<1xf32>'}}
  %q, %s = transformer.dynamic_quantize %x : tensor<?x768xf32> -> tensor<?x768xi8>, tensor<1xf32>
  return
}

// -----

func.func @dynamic_quantize_per_row_scale(%x: tensor<?x?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects a scale of shape [?, ?, 1] (per-row), got 'tensor<?x?xf32>'}}
  %q, %s = transformer.dynamic_quantize %x {axis = -1} : tensor<?x?x768xf32> -> tensor<?x?x768xi8>, tensor<?x?xf32>
  return
}

// -----

func.func @dynamic_quantize_missing_zero_point(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects a zero_point result for the unsigned (asymmetric) output type 'ui8'}}
  %q, %s = transformer.dynamic_quantize %x : tensor<?x768xf32> -> tensor<?x768xui8>, tensor<f32>
  return
}

// -----

func.func @dynamic_quantize_extra_zero_point(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects no zero_point result for the signed (symmetric) output type 'i8'}}
  %q, %s, %zp = transformer.dynamic_quantize %x : tensor<?x768xf32> -> tensor<?x768xi8>, tensor<f32>, tensor<i8>
  return
}

// -----

func.func @dynamic_quantize_zero_point_type(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects zero_point element type 'ui8' (the output's), got 'i8'}}
  %q, %s, %zp = transformer.dynamic_quantize %x : tensor<?x768xf32> -> tensor<?x768xui8>, tensor<f32>, tensor<i8>
  return
}

// -----

func.func @dynamic_quantize_zero_point_shape(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects a zero_point of shape [?, 1] (the scale's), got 'tensor<ui8>'}}
  %q, %s, %zp = transformer.dynamic_quantize %x {axis = 1} : tensor<?x768xf32> -> tensor<?x768xui8>, tensor<?x1xf32>, tensor<ui8>
  return
}

// -----

func.func @dynamic_quantize_int4(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 8-bit signless integer or 8-bit unsigned integer or 8-bit signed integer values}}
  %q, %s = transformer.dynamic_quantize %x : tensor<?x768xf32> -> tensor<?x768xi4>, tensor<f32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// quantized_matmul
//===----------------------------------------------------------------------===//

func.func @quantized_matmul_rank_a(%a: tensor<768xi8>, %b: tensor<768x8xi8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' expects a of rank >= 2, got 'tensor<768xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b : tensor<768xi8>, tensor<768x8xi8> -> tensor<8xi32>
  return
}

// -----

func.func @quantized_matmul_rank_b(%a: tensor<4x768xi8>, %b: tensor<768xi8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' expects b of rank >= 2, got 'tensor<768xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b : tensor<4x768xi8>, tensor<768xi8> -> tensor<4xi32>
  return
}

// -----

func.func @quantized_matmul_contraction(%a: tensor<?x768xi8>, %b: tensor<512x8xi8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' expects the contraction dims to match: a is 'tensor<?x768xi8>', b is 'tensor<512x8xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b : tensor<?x768xi8>, tensor<512x8xi8> -> tensor<?x8xi32>
  return
}

// -----

func.func @quantized_matmul_batch(%a: tensor<2x4x8xi8>, %b: tensor<3x8x5xi8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' batch dims [2] of a and [3] of b are not broadcast-compatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b : tensor<2x4x8xi8>, tensor<3x8x5xi8> -> tensor<2x4x5xi32>
  return
}

// -----

func.func @quantized_matmul_a_zero_point_type(%a: tensor<4x8xui8>, %b: tensor<8x5xi8>, %zp: tensor<i8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' expects a_zero_point element type 'ui8' (its operand's), got 'i8'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b a_zero_point(%zp : tensor<i8>) : tensor<4x8xui8>, tensor<8x5xi8> -> tensor<4x5xi32>
  return
}

// -----

func.func @quantized_matmul_b_zero_point_type(%a: tensor<4x8xui8>, %b: tensor<8x5xi8>, %zp: tensor<5xsi8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' expects b_zero_point element type 'i8' (its operand's), got 'si8'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b b_zero_point(%zp : tensor<5xsi8>) : tensor<4x8xui8>, tensor<8x5xi8> -> tensor<4x5xi32>
  return
}

// -----

func.func @quantized_matmul_a_zero_point_shape(%a: tensor<?x4x8xui8>, %b: tensor<8x5xi8>, %zp: tensor<?x1x4xui8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' expects a_zero_point per-tensor ([] or [1]) or per-row of a ([4] or [?, 4, 1]), got 'tensor<?x1x4xui8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b a_zero_point(%zp : tensor<?x1x4xui8>) : tensor<?x4x8xui8>, tensor<8x5xi8> -> tensor<?x4x5xi32>
  return
}

// -----

func.func @quantized_matmul_b_zero_point_shape(%a: tensor<4x8xui8>, %b: tensor<8x5xi8>, %zp: tensor<8xi8>) {
  // Per-column means N (5) zero points, not K (8).
  // expected-error @+2 {{'transformer.quantized_matmul' expects b_zero_point per-tensor ([] or [1]) or per-column of b ([5] or [1, 5]), got 'tensor<8xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b b_zero_point(%zp : tensor<8xi8>) : tensor<4x8xui8>, tensor<8x5xi8> -> tensor<4x5xi32>
  return
}

// -----

func.func @quantized_matmul_result_type(%a: tensor<4x8xi8>, %b: tensor<8x5xi8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' op inferred type(s) 'tensor<4x5xi32>' are incompatible with return type(s) of operation 'tensor<5x4xi32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b : tensor<4x8xi8>, tensor<8x5xi8> -> tensor<5x4xi32>
  return
}

// -----

func.func @quantized_matmul_int4(%a: tensor<4x8xi4>, %b: tensor<8x5xi8>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 8-bit signless integer or 8-bit unsigned integer or 8-bit signed integer values}}
  %0 = transformer.quantized_matmul %a, %b : tensor<4x8xi4>, tensor<8x5xi8> -> tensor<4x5xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// quantized_linear
//===----------------------------------------------------------------------===//

func.func @quantized_linear_group_size(%x: tensor<?x64xf32>, %w: tensor<8x64xi4>, %s: tensor<8x2xf32>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects group_size > 0, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s {group_size = 0} : tensor<?x64xf32>, tensor<8x64xi4>, tensor<8x2xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_input_rank(%x: tensor<f32>, %w: tensor<8x64xi8>, %s: tensor<8xf32>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects an input of rank >= 1, got 'tensor<f32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s : tensor<f32>, tensor<8x64xi8>, tensor<8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @quantized_linear_weight_rank(%x: tensor<?x64xf32>, %w: tensor<2x8x64xi8>, %s: tensor<8xf32>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects a weight of rank 2 ([N, K]), got 'tensor<2x8x64xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s : tensor<?x64xf32>, tensor<2x8x64xi8>, tensor<8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_k(%x: tensor<?x64xf32>, %w: tensor<64x8xi8>, %s: tensor<64xf32>) {
  // The weight is [N, K] (transposed), so K = 8 here.
  // expected-error @+2 {{'transformer.quantized_linear' expects the weight's K ([8]) to match the input's last dim ([64])}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s : tensor<?x64xf32>, tensor<64x8xi8>, tensor<64xf32> -> tensor<?x64xf32>
  return
}

// -----

func.func @quantized_linear_per_channel_scale(%x: tensor<?x64xf32>, %w: tensor<8x64xi8>, %s: tensor<64xf32>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects a scale of [8] ([N], per output channel, without group_size), got 'tensor<64xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s : tensor<?x64xf32>, tensor<8x64xi8>, tensor<64xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_group_scale(%x: tensor<?x100xf32>, %w: tensor<8x100xi4>, %s: tensor<8x3xf32>) {
  // ceil(100 / 32) = 4 groups.
  // expected-error @+2 {{'transformer.quantized_linear' expects a scale of [8, 4] ([N, ceil(K / group_size)], per group), got 'tensor<8x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s {group_size = 32} : tensor<?x100xf32>, tensor<8x100xi4>, tensor<8x3xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_zero_point_shape(%x: tensor<?x64xf32>, %w: tensor<8x64xui4>, %s: tensor<8x2xf32>, %zp: tensor<8xui4>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects a zero_point of the scale's shape [8, 2], got 'tensor<8xui4>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s zero_point(%zp : tensor<8xui4>) {group_size = 32} : tensor<?x64xf32>, tensor<8x64xui4>, tensor<8x2xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_zero_point_type(%x: tensor<?x64xf32>, %w: tensor<8x64xui4>, %s: tensor<8x2xf32>, %zp: tensor<8x2xui8>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects zero_point element type 'ui4' (the weight's), got 'ui8'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s zero_point(%zp : tensor<8x2xui8>) {group_size = 32} : tensor<?x64xf32>, tensor<8x64xui4>, tensor<8x2xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_bias_shape(%x: tensor<?x64xf32>, %w: tensor<8x64xi8>, %s: tensor<8xf32>, %b: tensor<64xf32>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects a bias of [8] ([N]), got 'tensor<64xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s bias(%b : tensor<64xf32>) : tensor<?x64xf32>, tensor<8x64xi8>, tensor<8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_bias_type(%x: tensor<?x64xf32>, %w: tensor<8x64xi8>, %s: tensor<8xf32>, %b: tensor<8xf16>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects bias element type 'f32' (the input's), got 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s bias(%b : tensor<8xf16>) : tensor<?x64xf32>, tensor<8x64xi8>, tensor<8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_result_type(%x: tensor<?x64xf16>, %w: tensor<8x64xi8>, %s: tensor<8xf32>) {
  // The result has the input's element type.
  // expected-error @+2 {{'transformer.quantized_linear' op inferred type(s) 'tensor<?x8xf16>' are incompatible with return type(s) of operation 'tensor<?x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s : tensor<?x64xf16>, tensor<8x64xi8>, tensor<8xf32> -> tensor<?x8xf32>
  return
}

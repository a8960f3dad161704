// RUN: llm-opt %s | llm-opt | FileCheck %s

// Round trip of the quantization ops in every granularity (per-tensor,
// per-axis, blocked / per-group, per-row), with dynamic dims and 4-bit types.

// CHECK-LABEL: func.func @quantize_per_tensor
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x768xf32>, [[S:%.+]]: tensor<f32>, [[ZP:%.+]]: tensor<ui8>, [[S1:%.+]]: tensor<1xf32>)
func.func @quantize_per_tensor(%x: tensor<?x?x768xf32>, %s: tensor<f32>, %zp: tensor<ui8>, %s1: tensor<1xf32>)
    -> (tensor<?x?x768xui8>, tensor<?x?x768xi8>) {
  // CHECK: transformer.quantize [[X]], [[S]] zero_point([[ZP]] : tensor<ui8>) : tensor<?x?x768xf32>, tensor<f32> -> tensor<?x?x768xui8>
  %0 = transformer.quantize %x, %s zero_point(%zp : tensor<ui8>) : tensor<?x?x768xf32>, tensor<f32> -> tensor<?x?x768xui8>
  // A one-element 1-D scale is per-tensor too, whatever the axis dim is.
  // CHECK: transformer.quantize [[X]], [[S1]] : tensor<?x?x768xf32>, tensor<1xf32> -> tensor<?x?x768xi8>
  %1 = transformer.quantize %x, %s1 : tensor<?x?x768xf32>, tensor<1xf32> -> tensor<?x?x768xi8>
  return %0, %1 : tensor<?x?x768xui8>, tensor<?x?x768xi8>
}

// CHECK-LABEL: func.func @quantize_per_axis
// CHECK-SAME: ([[W:%.+]]: tensor<3072x768xf32>, [[SN:%.+]]: tensor<3072xf32>, [[SK:%.+]]: tensor<768xf16>, [[ZK:%.+]]: tensor<768xsi8>, [[D:%.+]]: tensor<?x?xf32>, [[SD:%.+]]: tensor<?xf32>)
func.func @quantize_per_axis(%w: tensor<3072x768xf32>, %sn: tensor<3072xf32>, %sk: tensor<768xf16>,
                             %zk: tensor<768xsi8>, %d: tensor<?x?xf32>, %sd: tensor<?xf32>)
    -> (tensor<3072x768xi8>, tensor<3072x768xsi8>, tensor<3072x768xi8>, tensor<?x?xi8>) {
  // Per output channel (axis 0), symmetric int8 weights.
  // CHECK: transformer.quantize [[W]], [[SN]] {axis = 0 : i64} : tensor<3072x768xf32>, tensor<3072xf32> -> tensor<3072x768xi8>
  %0 = transformer.quantize %w, %sn {axis = 0} : tensor<3072x768xf32>, tensor<3072xf32> -> tensor<3072x768xi8>
  // The default axis is 1, as in ONNX (and is not printed).
  // CHECK: transformer.quantize [[W]], [[SK]] zero_point([[ZK]] : tensor<768xsi8>) : tensor<3072x768xf32>, tensor<768xf16> -> tensor<3072x768xsi8>
  %1 = transformer.quantize %w, %sk zero_point(%zk : tensor<768xsi8>) {axis = 1} : tensor<3072x768xf32>, tensor<768xf16> -> tensor<3072x768xsi8>
  // A negative axis counts from the end.
  // CHECK: transformer.quantize [[W]], [[SN]] {axis = -2 : i64} : tensor<3072x768xf32>, tensor<3072xf32> -> tensor<3072x768xi8>
  %2 = transformer.quantize %w, %sn {axis = -2} : tensor<3072x768xf32>, tensor<3072xf32> -> tensor<3072x768xi8>
  // Dynamic dims on both sides are compatible.
  // CHECK: transformer.quantize [[D]], [[SD]] {axis = 0 : i64} : tensor<?x?xf32>, tensor<?xf32> -> tensor<?x?xi8>
  %3 = transformer.quantize %d, %sd {axis = 0} : tensor<?x?xf32>, tensor<?xf32> -> tensor<?x?xi8>
  return %0, %1, %2, %3 : tensor<3072x768xi8>, tensor<3072x768xsi8>, tensor<3072x768xi8>, tensor<?x?xi8>
}

// CHECK-LABEL: func.func @quantize_blocked
// CHECK-SAME: ([[W:%.+]]: tensor<3072x768xf32>, [[S:%.+]]: tensor<3072x24xf16>, [[ZP:%.+]]: tensor<3072x24xui4>, [[W2:%.+]]: tensor<3072x100xf32>, [[S2:%.+]]: tensor<3072x4xf32>, [[X:%.+]]: tensor<?x?x768xf32>, [[SX:%.+]]: tensor<?x?x6xf32>)
func.func @quantize_blocked(%w: tensor<3072x768xf32>, %s: tensor<3072x24xf16>, %zp: tensor<3072x24xui4>,
                            %w2: tensor<3072x100xf32>, %s2: tensor<3072x4xf32>,
                            %x: tensor<?x?x768xf32>, %sx: tensor<?x?x6xf32>)
    -> (tensor<3072x768xui4>, tensor<3072x768xi4>, tensor<3072x100xsi4>, tensor<?x?x768xi8>) {
  // Groups of 32 along K: 768 / 32 = 24 scales per row.
  // CHECK: transformer.quantize [[W]], [[S]] zero_point([[ZP]] : tensor<3072x24xui4>) {block_size = 32 : i64} : tensor<3072x768xf32>, tensor<3072x24xf16> -> tensor<3072x768xui4>
  %0 = transformer.quantize %w, %s zero_point(%zp : tensor<3072x24xui4>) {axis = 1, block_size = 32} : tensor<3072x768xf32>, tensor<3072x24xf16> -> tensor<3072x768xui4>
  // CHECK: transformer.quantize [[W]], [[S]] {axis = -1 : i64, block_size = 32 : i64} : tensor<3072x768xf32>, tensor<3072x24xf16> -> tensor<3072x768xi4>
  %1 = transformer.quantize %w, %s {axis = -1, block_size = 32} : tensor<3072x768xf32>, tensor<3072x24xf16> -> tensor<3072x768xi4>
  // The last block may be partial: ceil(100 / 32) = 4.
  // CHECK: transformer.quantize [[W2]], [[S2]] {block_size = 32 : i64} : tensor<3072x100xf32>, tensor<3072x4xf32> -> tensor<3072x100xsi4>
  %2 = transformer.quantize %w2, %s2 {block_size = 32} : tensor<3072x100xf32>, tensor<3072x4xf32> -> tensor<3072x100xsi4>
  // Blocks of 128 along the hidden dim of activations with dynamic dims.
  // CHECK: transformer.quantize [[X]], [[SX]] {axis = 2 : i64, block_size = 128 : i64} : tensor<?x?x768xf32>, tensor<?x?x6xf32> -> tensor<?x?x768xi8>
  %3 = transformer.quantize %x, %sx {axis = 2, block_size = 128} : tensor<?x?x768xf32>, tensor<?x?x6xf32> -> tensor<?x?x768xi8>
  return %0, %1, %2, %3 : tensor<3072x768xui4>, tensor<3072x768xi4>, tensor<3072x100xsi4>, tensor<?x?x768xi8>
}

// CHECK-LABEL: func.func @dequantize
// CHECK-SAME: ([[Q:%.+]]: tensor<?x768xui8>, [[S:%.+]]: tensor<f32>, [[ZP:%.+]]: tensor<ui8>, [[W:%.+]]: tensor<3072x768xi8>, [[SN:%.+]]: tensor<3072xf32>, [[W4:%.+]]: tensor<3072x768xui4>, [[S4:%.+]]: tensor<3072x24xf16>, [[Z4:%.+]]: tensor<3072x24xui4>, [[ACC:%.+]]: tensor<?x3072xi32>)
func.func @dequantize(%q: tensor<?x768xui8>, %s: tensor<f32>, %zp: tensor<ui8>,
                      %w: tensor<3072x768xi8>, %sn: tensor<3072xf32>,
                      %w4: tensor<3072x768xui4>, %s4: tensor<3072x24xf16>, %z4: tensor<3072x24xui4>,
                      %acc: tensor<?x3072xi32>)
    -> (tensor<?x768xf32>, tensor<3072x768xbf16>, tensor<3072x768xf16>, tensor<?x3072xf32>) {
  // CHECK: transformer.dequantize [[Q]], [[S]] zero_point([[ZP]] : tensor<ui8>) : tensor<?x768xui8>, tensor<f32> -> tensor<?x768xf32>
  %0 = transformer.dequantize %q, %s zero_point(%zp : tensor<ui8>) : tensor<?x768xui8>, tensor<f32> -> tensor<?x768xf32>
  // CHECK: transformer.dequantize [[W]], [[SN]] {axis = 0 : i64} : tensor<3072x768xi8>, tensor<3072xf32> -> tensor<3072x768xbf16>
  %1 = transformer.dequantize %w, %sn {axis = 0} : tensor<3072x768xi8>, tensor<3072xf32> -> tensor<3072x768xbf16>
  // CHECK: transformer.dequantize [[W4]], [[S4]] zero_point([[Z4]] : tensor<3072x24xui4>) {block_size = 32 : i64} : tensor<3072x768xui4>, tensor<3072x24xf16> -> tensor<3072x768xf16>
  %2 = transformer.dequantize %w4, %s4 zero_point(%z4 : tensor<3072x24xui4>) {block_size = 32} : tensor<3072x768xui4>, tensor<3072x24xf16> -> tensor<3072x768xf16>
  // i32 accumulators dequantize per column (axis 1).
  // CHECK: transformer.dequantize [[ACC]], [[SN]] : tensor<?x3072xi32>, tensor<3072xf32> -> tensor<?x3072xf32>
  %3 = transformer.dequantize %acc, %sn : tensor<?x3072xi32>, tensor<3072xf32> -> tensor<?x3072xf32>
  return %0, %1, %2, %3 : tensor<?x768xf32>, tensor<3072x768xbf16>, tensor<3072x768xf16>, tensor<?x3072xf32>
}

// 4-bit dense constants parse and print (signless i4 prints as signed,
// [-8, 7]; ui4 as [0, 15]).
// CHECK-LABEL: func.func @int4_constants
// CHECK-SAME: ([[S:%.+]]: tensor<4xf32>, [[S2:%.+]]: tensor<4x1xf32>)
func.func @int4_constants(%s: tensor<4xf32>, %s2: tensor<4x1xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  // CHECK: [[W:%.+]] = transformer.constant dense<{{\[}}[-8, -7, -1, 0, 1, 2, 6, 7], [0, 0, 0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1], [-1, -2, -3, -4, 4, 3, 2, 1]]> : tensor<4x8xi4>
  %w = transformer.constant dense<[[-8, -7, -1, 0, 1, 2, 6, 7], [0, 0, 0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1], [-1, -2, -3, -4, 4, 3, 2, 1]]> : tensor<4x8xi4>
  // CHECK: [[U:%.+]] = transformer.constant dense<{{\[}}[0, 15, 8, 7, 1, 2, 3, 4], [15, 15, 15, 15, 15, 15, 15, 15], [8, 8, 8, 8, 8, 8, 8, 8], [0, 0, 0, 0, 0, 0, 0, 0]]> : tensor<4x8xui4>
  %u = transformer.constant dense<[[0, 15, 8, 7, 1, 2, 3, 4], [15, 15, 15, 15, 15, 15, 15, 15], [8, 8, 8, 8, 8, 8, 8, 8], [0, 0, 0, 0, 0, 0, 0, 0]]> : tensor<4x8xui4>
  // CHECK: [[Z:%.+]] = transformer.constant dense<8> : tensor<4x1xui4>
  %z = transformer.constant dense<8> : tensor<4x1xui4>
  // CHECK: transformer.dequantize [[W]], [[S]] {axis = 0 : i64} : tensor<4x8xi4>, tensor<4xf32> -> tensor<4x8xf32>
  %0 = transformer.dequantize %w, %s {axis = 0} : tensor<4x8xi4>, tensor<4xf32> -> tensor<4x8xf32>
  // CHECK: transformer.dequantize [[U]], [[S2]] zero_point([[Z]] : tensor<4x1xui4>) {block_size = 8 : i64} : tensor<4x8xui4>, tensor<4x1xf32> -> tensor<4x8xf32>
  %1 = transformer.dequantize %u, %s2 zero_point(%z : tensor<4x1xui4>) {block_size = 8} : tensor<4x8xui4>, tensor<4x1xf32> -> tensor<4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// CHECK-LABEL: func.func @dynamic_quantize
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x768xf32>, [[H:%.+]]: tensor<?x768xf16>)
func.func @dynamic_quantize(%x: tensor<?x?x768xf32>, %h: tensor<?x768xf16>) {
  // ONNX DynamicQuantizeLinear: per-tensor, asymmetric ui8.
  // CHECK: {{%.+}}, {{%.+}}, {{%.+}} = transformer.dynamic_quantize [[X]] : tensor<?x?x768xf32> -> tensor<?x?x768xui8>, tensor<f32>, tensor<ui8>
  %q0, %s0, %z0 = transformer.dynamic_quantize %x : tensor<?x?x768xf32> -> tensor<?x?x768xui8>, tensor<f32>, tensor<ui8>
  // Per-tensor symmetric: no zero point.
  // CHECK: {{%.+}}, {{%.+}} = transformer.dynamic_quantize [[X]] : tensor<?x?x768xf32> -> tensor<?x?x768xi8>, tensor<f32>
  %q1, %s1 = transformer.dynamic_quantize %x : tensor<?x?x768xf32> -> tensor<?x?x768xi8>, tensor<f32>
  // Per-token (reduce over the hidden dim), symmetric and asymmetric.
  // CHECK: {{%.+}}, {{%.+}} = transformer.dynamic_quantize [[X]] {axis = -1 : i64} : tensor<?x?x768xf32> -> tensor<?x?x768xsi8>, tensor<?x?x1xf32>
  %q2, %s2 = transformer.dynamic_quantize %x {axis = -1} : tensor<?x?x768xf32> -> tensor<?x?x768xsi8>, tensor<?x?x1xf32>
  // CHECK: {{%.+}}, {{%.+}}, {{%.+}} = transformer.dynamic_quantize [[X]] {axis = 2 : i64} : tensor<?x?x768xf32> -> tensor<?x?x768xui8>, tensor<?x?x1xf32>, tensor<?x?x1xui8>
  %q3, %s3, %z3 = transformer.dynamic_quantize %x {axis = 2} : tensor<?x?x768xf32> -> tensor<?x?x768xui8>, tensor<?x?x1xf32>, tensor<?x?x1xui8>
  // Reducing over another axis; f16 input with f16 scales.
  // CHECK: {{%.+}}, {{%.+}} = transformer.dynamic_quantize [[H]] {axis = 0 : i64} : tensor<?x768xf16> -> tensor<?x768xi8>, tensor<1x768xf16>
  %q4, %s4 = transformer.dynamic_quantize %h {axis = 0} : tensor<?x768xf16> -> tensor<?x768xi8>, tensor<1x768xf16>
  return
}

// CHECK-LABEL: func.func @quantized_matmul
// CHECK-SAME: ([[A:%.+]]: tensor<?x?x768xi8>, [[B:%.+]]: tensor<768x3072xi8>, [[AU:%.+]]: tensor<?x?x768xui8>, [[AZ:%.+]]: tensor<?x?x1xui8>, [[BZ:%.+]]: tensor<3072xi8>, [[AZ0:%.+]]: tensor<ui8>, [[BZ1:%.+]]: tensor<1xi8>)
func.func @quantized_matmul(%a: tensor<?x?x768xi8>, %b: tensor<768x3072xi8>, %au: tensor<?x?x768xui8>,
                            %az: tensor<?x?x1xui8>, %bz: tensor<3072xi8>, %az0: tensor<ui8>, %bz1: tensor<1xi8>)
    -> (tensor<?x?x3072xi32>, tensor<?x?x3072xi32>, tensor<?x?x3072xi32>) {
  // CHECK: transformer.quantized_matmul [[A]], [[B]] : tensor<?x?x768xi8>, tensor<768x3072xi8> -> tensor<?x?x3072xi32>
  %0 = transformer.quantized_matmul %a, %b : tensor<?x?x768xi8>, tensor<768x3072xi8> -> tensor<?x?x3072xi32>
  // Per-row (per-token) a zero point, per-column b zero point (u8 x s8).
  // CHECK: transformer.quantized_matmul [[AU]], [[B]] a_zero_point([[AZ]] : tensor<?x?x1xui8>) b_zero_point([[BZ]] : tensor<3072xi8>) : tensor<?x?x768xui8>, tensor<768x3072xi8> -> tensor<?x?x3072xi32>
  %1 = transformer.quantized_matmul %au, %b a_zero_point(%az : tensor<?x?x1xui8>) b_zero_point(%bz : tensor<3072xi8>) : tensor<?x?x768xui8>, tensor<768x3072xi8> -> tensor<?x?x3072xi32>
  // Per-tensor zero points, only one given.
  // CHECK: transformer.quantized_matmul [[AU]], [[B]] a_zero_point([[AZ0]] : tensor<ui8>) : tensor<?x?x768xui8>, tensor<768x3072xi8> -> tensor<?x?x3072xi32>
  %2 = transformer.quantized_matmul %au, %b a_zero_point(%az0 : tensor<ui8>) : tensor<?x?x768xui8>, tensor<768x3072xi8> -> tensor<?x?x3072xi32>
  // CHECK: transformer.quantized_matmul [[A]], [[B]] b_zero_point([[BZ1]] : tensor<1xi8>) : tensor<?x?x768xi8>, tensor<768x3072xi8> -> tensor<?x?x3072xi32>
  %3 = transformer.quantized_matmul %a, %b b_zero_point(%bz1 : tensor<1xi8>) : tensor<?x?x768xi8>, tensor<768x3072xi8> -> tensor<?x?x3072xi32>
  return %0, %1, %3 : tensor<?x?x3072xi32>, tensor<?x?x3072xi32>, tensor<?x?x3072xi32>
}

// CHECK-LABEL: func.func @quantized_matmul_batched
// CHECK-SAME: ([[A:%.+]]: tensor<2x1x4x8xui8>, [[B:%.+]]: tensor<3x8x5xsi8>, [[AZ:%.+]]: tensor<4xui8>, [[BZ:%.+]]: tensor<3x1x5xsi8>, [[AZR:%.+]]: tensor<2x1x4x1xui8>, [[AD:%.+]]: tensor<?x8xi8>, [[BD:%.+]]: tensor<?x?xi8>)
func.func @quantized_matmul_batched(%a: tensor<2x1x4x8xui8>, %b: tensor<3x8x5xsi8>, %az: tensor<4xui8>,
                                    %bz: tensor<3x1x5xsi8>, %azr: tensor<2x1x4x1xui8>,
                                    %ad: tensor<?x8xi8>, %bd: tensor<?x?xi8>)
    -> (tensor<2x3x4x5xi32>, tensor<2x3x4x5xi32>, tensor<?x?xi32>) {
  // Batch dims broadcast: [2, 1] with [3] -> [2, 3].
  // CHECK: transformer.quantized_matmul [[A]], [[B]] a_zero_point([[AZ]] : tensor<4xui8>) b_zero_point([[BZ]] : tensor<3x1x5xsi8>) : tensor<2x1x4x8xui8>, tensor<3x8x5xsi8> -> tensor<2x3x4x5xi32>
  %0 = transformer.quantized_matmul %a, %b a_zero_point(%az : tensor<4xui8>) b_zero_point(%bz : tensor<3x1x5xsi8>) : tensor<2x1x4x8xui8>, tensor<3x8x5xsi8> -> tensor<2x3x4x5xi32>
  // CHECK: transformer.quantized_matmul [[A]], [[B]] a_zero_point([[AZR]] : tensor<2x1x4x1xui8>) : tensor<2x1x4x8xui8>, tensor<3x8x5xsi8> -> tensor<2x3x4x5xi32>
  %1 = transformer.quantized_matmul %a, %b a_zero_point(%azr : tensor<2x1x4x1xui8>) : tensor<2x1x4x8xui8>, tensor<3x8x5xsi8> -> tensor<2x3x4x5xi32>
  // CHECK: transformer.quantized_matmul [[AD]], [[BD]] : tensor<?x8xi8>, tensor<?x?xi8> -> tensor<?x?xi32>
  %2 = transformer.quantized_matmul %ad, %bd : tensor<?x8xi8>, tensor<?x?xi8> -> tensor<?x?xi32>
  return %0, %1, %2 : tensor<2x3x4x5xi32>, tensor<2x3x4x5xi32>, tensor<?x?xi32>
}

// CHECK-LABEL: func.func @quantized_linear_per_channel
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x768xf32>, [[W:%.+]]: tensor<3072x768xi8>, [[S:%.+]]: tensor<3072xf32>, [[B:%.+]]: tensor<3072xf32>, [[V:%.+]]: tensor<768xf32>)
func.func @quantized_linear_per_channel(%x: tensor<?x?x768xf32>, %w: tensor<3072x768xi8>, %s: tensor<3072xf32>,
                                        %b: tensor<3072xf32>, %v: tensor<768xf32>)
    -> (tensor<?x?x3072xf32>, tensor<?x?x3072xf32>, tensor<3072xf32>) {
  // int8-weight: symmetric per-output-channel.
  // CHECK: transformer.quantized_linear [[X]], [[W]], [[S]] : tensor<?x?x768xf32>, tensor<3072x768xi8>, tensor<3072xf32> -> tensor<?x?x3072xf32>
  %0 = transformer.quantized_linear %x, %w, %s : tensor<?x?x768xf32>, tensor<3072x768xi8>, tensor<3072xf32> -> tensor<?x?x3072xf32>
  // CHECK: transformer.quantized_linear [[X]], [[W]], [[S]] bias([[B]] : tensor<3072xf32>) : tensor<?x?x768xf32>, tensor<3072x768xi8>, tensor<3072xf32> -> tensor<?x?x3072xf32>
  %1 = transformer.quantized_linear %x, %w, %s bias(%b : tensor<3072xf32>) : tensor<?x?x768xf32>, tensor<3072x768xi8>, tensor<3072xf32> -> tensor<?x?x3072xf32>
  // A rank-1 input.
  // CHECK: transformer.quantized_linear [[V]], [[W]], [[S]] : tensor<768xf32>, tensor<3072x768xi8>, tensor<3072xf32> -> tensor<3072xf32>
  %2 = transformer.quantized_linear %v, %w, %s : tensor<768xf32>, tensor<3072x768xi8>, tensor<3072xf32> -> tensor<3072xf32>
  return %0, %1, %2 : tensor<?x?x3072xf32>, tensor<?x?x3072xf32>, tensor<3072xf32>
}

// CHECK-LABEL: func.func @quantized_linear_per_group
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x768xf16>, [[W:%.+]]: tensor<3072x768xui4>, [[S:%.+]]: tensor<3072x24xf16>, [[ZP:%.+]]: tensor<3072x24xui4>, [[B:%.+]]: tensor<3072xf16>, [[W2:%.+]]: tensor<64x100xi4>, [[S2:%.+]]: tensor<64x1xf32>, [[Y:%.+]]: tensor<?x100xf32>)
func.func @quantized_linear_per_group(%x: tensor<?x?x768xf16>, %w: tensor<3072x768xui4>, %s: tensor<3072x24xf16>,
                                      %zp: tensor<3072x24xui4>, %b: tensor<3072xf16>,
                                      %w2: tensor<64x100xi4>, %s2: tensor<64x1xf32>, %y: tensor<?x100xf32>)
    -> (tensor<?x?x3072xf16>, tensor<?x64xf32>) {
  // int4-weight, groups of 32, f16 scales, zero points and bias.
  // CHECK: transformer.quantized_linear [[X]], [[W]], [[S]] zero_point([[ZP]] : tensor<3072x24xui4>) bias([[B]] : tensor<3072xf16>) {group_size = 32 : i64} : tensor<?x?x768xf16>, tensor<3072x768xui4>, tensor<3072x24xf16> -> tensor<?x?x3072xf16>
  %0 = transformer.quantized_linear %x, %w, %s zero_point(%zp : tensor<3072x24xui4>) bias(%b : tensor<3072xf16>) {group_size = 32} : tensor<?x?x768xf16>, tensor<3072x768xui4>, tensor<3072x24xf16> -> tensor<?x?x3072xf16>
  // Groups of 128 over K = 100: one partial group.
  // CHECK: transformer.quantized_linear [[Y]], [[W2]], [[S2]] {group_size = 128 : i64} : tensor<?x100xf32>, tensor<64x100xi4>, tensor<64x1xf32> -> tensor<?x64xf32>
  %1 = transformer.quantized_linear %y, %w2, %s2 {group_size = 128} : tensor<?x100xf32>, tensor<64x100xi4>, tensor<64x1xf32> -> tensor<?x64xf32>
  return %0, %1 : tensor<?x?x3072xf16>, tensor<?x64xf32>
}

// A weight with dynamic dims: N is taken from the scale, K from the input.
// CHECK-LABEL: func.func @quantized_linear_dynamic_weight
// CHECK-SAME: ([[X:%.+]]: tensor<?x256xf32>, [[W:%.+]]: tensor<?x?xi8>, [[S:%.+]]: tensor<512x4xf32>)
func.func @quantized_linear_dynamic_weight(%x: tensor<?x256xf32>, %w: tensor<?x?xi8>, %s: tensor<512x4xf32>) -> tensor<?x512xf32> {
  // CHECK: transformer.quantized_linear [[X]], [[W]], [[S]] {group_size = 64 : i64} : tensor<?x256xf32>, tensor<?x?xi8>, tensor<512x4xf32> -> tensor<?x512xf32>
  %0 = transformer.quantized_linear %x, %w, %s {group_size = 64} : tensor<?x256xf32>, tensor<?x?xi8>, tensor<512x4xf32> -> tensor<?x512xf32>
  return %0 : tensor<?x512xf32>
}

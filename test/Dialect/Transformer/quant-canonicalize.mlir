// RUN: llm-opt %s -canonicalize | FileCheck %s

// Constant all-zero zero points are dropped (an absent zero point means 0),
// so the lowerings see the symmetric form; others stay.

// CHECK-LABEL: func.func @quantize_zero_zero_point
// CHECK-SAME: ([[X:%.+]]: tensor<?x8xf32>, [[S:%.+]]: tensor<8xf32>)
func.func @quantize_zero_zero_point(%x: tensor<?x8xf32>, %s: tensor<8xf32>) -> tensor<?x8xi8> {
  // CHECK-NOT: transformer.constant
  // CHECK: [[Q:%.+]] = transformer.quantize [[X]], [[S]] : tensor<?x8xf32>, tensor<8xf32> -> tensor<?x8xi8>
  // CHECK: return [[Q]]
  %zp = transformer.constant dense<0> : tensor<8xi8>
  %0 = transformer.quantize %x, %s zero_point(%zp : tensor<8xi8>) : tensor<?x8xf32>, tensor<8xf32> -> tensor<?x8xi8>
  return %0 : tensor<?x8xi8>
}

// CHECK-LABEL: func.func @dequantize_zero_zero_point
// CHECK-SAME: ([[Q:%.+]]: tensor<8x64xui4>, [[S:%.+]]: tensor<8x2xf16>)
func.func @dequantize_zero_zero_point(%q: tensor<8x64xui4>, %s: tensor<8x2xf16>) -> tensor<8x64xf16> {
  // CHECK-NOT: transformer.constant
  // CHECK: [[D:%.+]] = transformer.dequantize [[Q]], [[S]] {block_size = 32 : i64} : tensor<8x64xui4>, tensor<8x2xf16> -> tensor<8x64xf16>
  // CHECK: return [[D]]
  %zp = transformer.constant dense<0> : tensor<8x2xui4>
  %0 = transformer.dequantize %q, %s zero_point(%zp : tensor<8x2xui4>) {block_size = 32} : tensor<8x64xui4>, tensor<8x2xf16> -> tensor<8x64xf16>
  return %0 : tensor<8x64xf16>
}

// A non-zero zero point (the MatMulNBits default 8 for ui4) stays.
// CHECK-LABEL: func.func @dequantize_nonzero_zero_point
// CHECK-SAME: ([[Q:%.+]]: tensor<8x64xui4>, [[S:%.+]]: tensor<8x2xf16>)
func.func @dequantize_nonzero_zero_point(%q: tensor<8x64xui4>, %s: tensor<8x2xf16>) -> tensor<8x64xf16> {
  // CHECK: [[ZP:%.+]] = transformer.constant dense<8> : tensor<8x2xui4>
  // CHECK: transformer.dequantize [[Q]], [[S]] zero_point([[ZP]] : tensor<8x2xui4>) {block_size = 32 : i64}
  %zp = transformer.constant dense<8> : tensor<8x2xui4>
  %0 = transformer.dequantize %q, %s zero_point(%zp : tensor<8x2xui4>) {block_size = 32} : tensor<8x64xui4>, tensor<8x2xf16> -> tensor<8x64xf16>
  return %0 : tensor<8x64xf16>
}

// A zero point that is zero only in some rows stays.
// CHECK-LABEL: func.func @dequantize_mixed_zero_point
// CHECK-SAME: ([[Q:%.+]]: tensor<2x4xi8>, [[S:%.+]]: tensor<2xf32>)
func.func @dequantize_mixed_zero_point(%q: tensor<2x4xi8>, %s: tensor<2xf32>) -> tensor<2x4xf32> {
  // CHECK: [[ZP:%.+]] = transformer.constant dense<[0, 3]> : tensor<2xi8>
  // CHECK: transformer.dequantize [[Q]], [[S]] zero_point([[ZP]] : tensor<2xi8>) {axis = 0 : i64}
  %zp = transformer.constant dense<[0, 3]> : tensor<2xi8>
  %0 = transformer.dequantize %q, %s zero_point(%zp : tensor<2xi8>) {axis = 0} : tensor<2x4xi8>, tensor<2xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// Each zero point of an integer matmul is dropped on its own.
// CHECK-LABEL: func.func @quantized_matmul_zero_points
// CHECK-SAME: ([[A:%.+]]: tensor<?x768xui8>, [[B:%.+]]: tensor<768x64xi8>, [[AZ:%.+]]: tensor<?x1xui8>)
func.func @quantized_matmul_zero_points(%a: tensor<?x768xui8>, %b: tensor<768x64xi8>, %az: tensor<?x1xui8>)
    -> (tensor<?x64xi32>, tensor<?x64xi32>) {
  // CHECK-NOT: transformer.constant
  // CHECK: [[R0:%.+]] = transformer.quantized_matmul [[A]], [[B]] : tensor<?x768xui8>, tensor<768x64xi8> -> tensor<?x64xi32>
  // CHECK: [[R1:%.+]] = transformer.quantized_matmul [[A]], [[B]] a_zero_point([[AZ]] : tensor<?x1xui8>) : tensor<?x768xui8>, tensor<768x64xi8> -> tensor<?x64xi32>
  // CHECK: return [[R0]], [[R1]]
  %azp = transformer.constant dense<0> : tensor<ui8>
  %bzp = transformer.constant dense<0> : tensor<64xi8>
  %0 = transformer.quantized_matmul %a, %b a_zero_point(%azp : tensor<ui8>) b_zero_point(%bzp : tensor<64xi8>) : tensor<?x768xui8>, tensor<768x64xi8> -> tensor<?x64xi32>
  %1 = transformer.quantized_matmul %a, %b a_zero_point(%az : tensor<?x1xui8>) b_zero_point(%bzp : tensor<64xi8>) : tensor<?x768xui8>, tensor<768x64xi8> -> tensor<?x64xi32>
  return %0, %1 : tensor<?x64xi32>, tensor<?x64xi32>
}

// CHECK-LABEL: func.func @quantized_linear_zero_point
// CHECK-SAME: ([[X:%.+]]: tensor<?x64xf32>, [[W:%.+]]: tensor<8x64xui4>, [[S:%.+]]: tensor<8x2xf32>, [[B:%.+]]: tensor<8xf32>)
func.func @quantized_linear_zero_point(%x: tensor<?x64xf32>, %w: tensor<8x64xui4>, %s: tensor<8x2xf32>, %b: tensor<8xf32>) -> tensor<?x8xf32> {
  // CHECK-NOT: transformer.constant
  // CHECK: [[Y:%.+]] = transformer.quantized_linear [[X]], [[W]], [[S]] bias([[B]] : tensor<8xf32>) {group_size = 32 : i64} : tensor<?x64xf32>, tensor<8x64xui4>, tensor<8x2xf32> -> tensor<?x8xf32>
  // CHECK: return [[Y]]
  %zp = transformer.constant dense<0> : tensor<8x2xui4>
  %0 = transformer.quantized_linear %x, %w, %s zero_point(%zp : tensor<8x2xui4>) bias(%b : tensor<8xf32>) {group_size = 32} : tensor<?x64xf32>, tensor<8x64xui4>, tensor<8x2xf32> -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

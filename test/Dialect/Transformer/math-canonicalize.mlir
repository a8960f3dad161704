// RUN: llm-opt %s -canonicalize -split-input-file | FileCheck %s

// Folds of the math ops: identities, constant arithmetic (the shape
// computations exporters emit), neg(neg(x)) and identity casts.

// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.+]]: tensor<?x768xf32>)
func.func @identities(%x: tensor<?x768xf32>) -> (tensor<?x768xf32>, tensor<?x768xf32>, tensor<?x768xf32>, tensor<?x768xf32>, tensor<?x768xf32>, tensor<?x768xf32>) {
  %zero = transformer.constant dense<0.0> : tensor<f32>
  %one = transformer.constant dense<1.0> : tensor<768xf32>
  %0 = transformer.add %x, %zero : tensor<?x768xf32>, tensor<f32> -> tensor<?x768xf32>
  %1 = transformer.add %zero, %x : tensor<f32>, tensor<?x768xf32> -> tensor<?x768xf32>
  %2 = transformer.sub %x, %zero : tensor<?x768xf32>, tensor<f32> -> tensor<?x768xf32>
  %3 = transformer.mul %one, %x : tensor<768xf32>, tensor<?x768xf32> -> tensor<?x768xf32>
  %4 = transformer.div %x, %one : tensor<?x768xf32>, tensor<768xf32> -> tensor<?x768xf32>
  %5 = transformer.cast %x : tensor<?x768xf32> to tensor<?x768xf32>
  // CHECK-NOT: transformer.
  // CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
  return %0, %1, %2, %3, %4, %5 : tensor<?x768xf32>, tensor<?x768xf32>, tensor<?x768xf32>, tensor<?x768xf32>, tensor<?x768xf32>, tensor<?x768xf32>
}

// -----

// x + 0 where the zero broadcasts x to a bigger shape is not an identity.
// CHECK-LABEL: func.func @broadcasting_zero_stays
func.func @broadcasting_zero_stays(%x: tensor<768xf32>) -> tensor<2x768xf32> {
  %zero = transformer.constant dense<0.0> : tensor<2x768xf32>
  // CHECK: transformer.add
  %0 = transformer.add %x, %zero : tensor<768xf32>, tensor<2x768xf32> -> tensor<2x768xf32>
  return %0 : tensor<2x768xf32>
}

// -----

// The shape arithmetic of exported graphs: [batch, seq, 768] / [1, 1, 12].
// CHECK-LABEL: func.func @shape_arithmetic
func.func @shape_arithmetic() -> (tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>) {
  %shape = transformer.constant dense<[2, 16, 768]> : tensor<3xi64>
  %heads = transformer.constant dense<[1, 1, 12]> : tensor<3xi64>
  %two = transformer.constant dense<2> : tensor<i64>
  // CHECK-DAG: transformer.constant dense<[2, 16, 64]> : tensor<3xi64>
  %0 = transformer.div %shape, %heads : tensor<3xi64>, tensor<3xi64> -> tensor<3xi64>
  // CHECK-DAG: transformer.constant dense<[4, 32, 1536]> : tensor<3xi64>
  %1 = transformer.mul %shape, %two : tensor<3xi64>, tensor<i64> -> tensor<3xi64>
  // CHECK-DAG: transformer.constant dense<[3, 17, 780]> : tensor<3xi64>
  %2 = transformer.add %shape, %heads : tensor<3xi64>, tensor<3xi64> -> tensor<3xi64>
  // CHECK-DAG: transformer.constant dense<[0, 14, 766]> : tensor<3xi64>
  %3 = transformer.sub %shape, %two : tensor<3xi64>, tensor<i64> -> tensor<3xi64>
  // CHECK-NOT: transformer.div
  // CHECK-NOT: transformer.mul
  return %0, %1, %2, %3 : tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>
}

// -----

// Integer division truncates toward zero; division by zero is left alone.
// CHECK-LABEL: func.func @integer_division
func.func @integer_division() -> (tensor<2xi32>, tensor<2xi32>) {
  %a = transformer.constant dense<[-7, 7]> : tensor<2xi32>
  %b = transformer.constant dense<[2, 2]> : tensor<2xi32>
  %z = transformer.constant dense<[2, 0]> : tensor<2xi32>
  // CHECK-DAG: transformer.constant dense<[-3, 3]> : tensor<2xi32>
  %0 = transformer.div %a, %b : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  // CHECK-DAG: transformer.div
  %1 = transformer.div %a, %z : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  return %0, %1 : tensor<2xi32>, tensor<2xi32>
}

// -----

// Float constant folding: 1 / sqrt(64) as exporters write the attention scale.
// CHECK-LABEL: func.func @float_constants
func.func @float_constants() -> tensor<f32> {
  %a = transformer.constant dense<1.0> : tensor<f32>
  %b = transformer.constant dense<8.0> : tensor<f32>
  // CHECK: transformer.constant dense<1.250000e-01> : tensor<f32>
  %0 = transformer.div %a, %b : tensor<f32>, tensor<f32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @double_negation
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
func.func @double_negation(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<2xf32>) {
  %0 = transformer.neg %x : tensor<4xf32>
  %1 = transformer.neg %0 : tensor<4xf32>
  %c = transformer.constant dense<[1.5, -2.0]> : tensor<2xf32>
  // CHECK: %[[C:.+]] = transformer.constant dense<[-1.500000e+00, 2.000000e+00]> : tensor<2xf32>
  %2 = transformer.neg %c : tensor<2xf32>
  // CHECK: return %[[X]], %[[C]]
  return %1, %2 : tensor<4xf32>, tensor<2xf32>
}

// -----

// A real cast stays.
// CHECK-LABEL: func.func @real_cast
func.func @real_cast(%x: tensor<4xf32>) -> tensor<4xf16> {
  // CHECK: transformer.cast
  %0 = transformer.cast %x : tensor<4xf32> to tensor<4xf16>
  return %0 : tensor<4xf16>
}

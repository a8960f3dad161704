// RUN: llm-opt %s -canonicalize -split-input-file | FileCheck %s

// Folders and canonicalization patterns of the transformer dialect's ops.

//===----------------------------------------------------------------------===//
// math ops (TransformerMathOps.td)
//===----------------------------------------------------------------------===//

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

// -----

//===----------------------------------------------------------------------===//
// shape ops (TransformerShapeOps.td)
//===----------------------------------------------------------------------===//

// Folders and canonicalization patterns of the shape ops.

// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME: ([[X:%.+]]: tensor<2x3xf32>, [[Y:%.+]]: tensor<?x4xf32>, [[N:%.+]]: index)
func.func @reshape_identity(%x: tensor<2x3xf32>, %y: tensor<?x4xf32>, %n: index)
    -> (tensor<2x3xf32>, tensor<?x4xf32>) {
  // CHECK-NOT: transformer.reshape
  // CHECK: return [[X]], [[Y]]
  %a = transformer.reshape %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // One dynamic dim: the element count fixes it, so this is the identity.
  %b = transformer.reshape %y [%n] : tensor<?x4xf32> -> tensor<?x4xf32>
  return %a, %b : tensor<2x3xf32>, tensor<?x4xf32>
}

// CHECK-LABEL: func.func @reshape_not_identity
// CHECK-SAME: ([[X:%.+]]: tensor<?x?xf32>, [[Y:%.+]]: tensor<?x0xf32>, [[N:%.+]]: index, [[M:%.+]]: index)
func.func @reshape_not_identity(%x: tensor<?x?xf32>, %y: tensor<?x0xf32>, %n: index, %m: index)
    -> (tensor<?x?xf32>, tensor<?x0xf32>) {
  // Two dynamic dims may be regrouped (e.g. 2x3 -> 3x2): kept.
  // CHECK: [[A:%.+]] = transformer.reshape [[X]] [[[N]], [[M]]] : tensor<?x?xf32> -> tensor<?x?xf32>
  %a = transformer.reshape %x [%n, %m] : tensor<?x?xf32> -> tensor<?x?xf32>
  // No elements: the dynamic dim is not determined by the count: kept.
  // CHECK: [[B:%.+]] = transformer.reshape [[Y]] [[[N]]] : tensor<?x0xf32> -> tensor<?x0xf32>
  %b = transformer.reshape %y [%n] : tensor<?x0xf32> -> tensor<?x0xf32>
  // CHECK: return [[A]], [[B]]
  return %a, %b : tensor<?x?xf32>, tensor<?x0xf32>
}

// CHECK-LABEL: func.func @reshape_reshape
// CHECK-SAME: ([[X:%.+]]: tensor<?x768xf32>, [[B:%.+]]: index, [[S:%.+]]: index, [[T:%.+]]: index)
func.func @reshape_reshape(%x: tensor<?x768xf32>, %b: index, %s: index, %t: index) -> tensor<?x?x12x64xf32> {
  // CHECK: [[R:%.+]] = transformer.reshape [[X]] [[[B]], [[S]]] : tensor<?x768xf32> -> tensor<?x?x12x64xf32>
  // CHECK-NEXT: return [[R]]
  %0 = transformer.reshape %x [%t] : tensor<?x768xf32> -> tensor<?x12x64xf32>
  %1 = transformer.reshape %0 [%b, %s] : tensor<?x12x64xf32> -> tensor<?x?x12x64xf32>
  return %1 : tensor<?x?x12x64xf32>
}

// CHECK-LABEL: func.func @reshape_reshape_static
// CHECK-SAME: ([[X:%.+]]: tensor<2x3x4xf32>)
func.func @reshape_reshape_static(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  // CHECK: [[R:%.+]] = transformer.reshape [[X]] : tensor<2x3x4xf32> -> tensor<4x6xf32>
  // CHECK-NEXT: return [[R]]
  %0 = transformer.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
  %1 = transformer.reshape %0 : tensor<24xf32> -> tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// CHECK-LABEL: func.func @reshape_reshape_impossible
// CHECK-SAME: ([[X:%.+]]: tensor<6xf32>, [[N:%.+]]: index, [[M:%.+]]: index)
func.func @reshape_reshape_impossible(%x: tensor<6xf32>, %n: index, %m: index) -> tensor<?x4xf32> {
  // 6 elements never make rows of 4: combining would give an invalid
  // reshape, so the chain is left alone.
  // CHECK: [[A:%.+]] = transformer.reshape [[X]] [[[N]]] : tensor<6xf32> -> tensor<?xf32>
  // CHECK: [[B:%.+]] = transformer.reshape [[A]] [[[M]]] : tensor<?xf32> -> tensor<?x4xf32>
  // CHECK: return [[B]]
  %0 = transformer.reshape %x [%n] : tensor<6xf32> -> tensor<?xf32>
  %1 = transformer.reshape %0 [%m] : tensor<?xf32> -> tensor<?x4xf32>
  return %1 : tensor<?x4xf32>
}

// CHECK-LABEL: func.func @reshape_constant
func.func @reshape_constant() -> tensor<3x2xi32> {
  // Row-major order is kept: [[1, 2, 3], [4, 5, 6]] -> [[1, 2], [3, 4], [5, 6]].
  // CHECK: [[C:%.+]] = transformer.constant dense<{{\[}}[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi32>
  // CHECK-NOT: transformer.reshape
  // CHECK: return [[C]]
  %c = transformer.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %r = transformer.reshape %c : tensor<2x3xi32> -> tensor<3x2xi32>
  return %r : tensor<3x2xi32>
}

// CHECK-LABEL: func.func @reshape_resource
func.func @reshape_resource() -> tensor<4xf32> {
  // Resource blobs are not copied into a new attribute.
  // CHECK: [[C:%.+]] = transformer.constant dense_resource<blob> : tensor<2x2xf32>
  // CHECK: [[R:%.+]] = transformer.reshape [[C]] : tensor<2x2xf32> -> tensor<4xf32>
  // CHECK: return [[R]]
  %c = transformer.constant dense_resource<blob> : tensor<2x2xf32>
  %r = transformer.reshape %c : tensor<2x2xf32> -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: ([[X:%.+]]: tensor<?x3xf32>)
func.func @transpose_identity(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  // CHECK-NOT: transformer.transpose
  // CHECK: return [[X]]
  %t = transformer.transpose %x {permutation = array<i64: 0, 1>} : tensor<?x3xf32> -> tensor<?x3xf32>
  return %t : tensor<?x3xf32>
}

// CHECK-LABEL: func.func @transpose_transpose
// CHECK-SAME: ([[X:%.+]]: tensor<2x3x4x5xf32>)
func.func @transpose_transpose(%x: tensor<2x3x4x5xf32>) -> tensor<4x5x3x2xf32> {
  // inner [1, 2, 0, 3]: 2x3x4x5 -> 3x4x2x5.
  // outer [1, 3, 0, 2]: 3x4x2x5 -> 4x5x3x2.
  // composed p[k] = inner[outer[k]] = [inner[1], inner[3], inner[0], inner[2]]
  //                                 = [2, 3, 1, 0]: 2x3x4x5 -> 4x5x3x2.
  // (The other order, outer[inner[k]] = [3, 0, 1, 2], would give 5x2x3x4.)
  // CHECK: [[T:%.+]] = transformer.transpose [[X]] {permutation = array<i64: 2, 3, 1, 0>} : tensor<2x3x4x5xf32> -> tensor<4x5x3x2xf32>
  // CHECK-NEXT: return [[T]]
  %0 = transformer.transpose %x {permutation = array<i64: 1, 2, 0, 3>} : tensor<2x3x4x5xf32> -> tensor<3x4x2x5xf32>
  %1 = transformer.transpose %0 {permutation = array<i64: 1, 3, 0, 2>} : tensor<3x4x2x5xf32> -> tensor<4x5x3x2xf32>
  return %1 : tensor<4x5x3x2xf32>
}

// CHECK-LABEL: func.func @transpose_inverse
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x12x64xf32>)
func.func @transpose_inverse(%x: tensor<?x?x12x64xf32>) -> tensor<?x?x12x64xf32> {
  // [0, 2, 1, 3] is its own inverse: the composition is the identity.
  // CHECK-NOT: transformer.transpose
  // CHECK: return [[X]]
  %0 = transformer.transpose %x {permutation = array<i64: 0, 2, 1, 3>} : tensor<?x?x12x64xf32> -> tensor<?x12x?x64xf32>
  %1 = transformer.transpose %0 {permutation = array<i64: 0, 2, 1, 3>} : tensor<?x12x?x64xf32> -> tensor<?x?x12x64xf32>
  return %1 : tensor<?x?x12x64xf32>
}

// CHECK-LABEL: func.func @transpose_splat
func.func @transpose_splat() -> tensor<3x2xf32> {
  // CHECK: [[C:%.+]] = transformer.constant dense<1.500000e+00> : tensor<3x2xf32>
  // CHECK-NEXT: return [[C]]
  %c = transformer.constant dense<1.5> : tensor<2x3xf32>
  %t = transformer.transpose %c {permutation = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return %t : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @concat_single
// CHECK-SAME: ([[X:%.+]]: tensor<?x3xf32>)
func.func @concat_single(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  // CHECK-NOT: transformer.concat
  // CHECK: return [[X]]
  %c = transformer.concat %x {axis = 0} : tensor<?x3xf32> -> tensor<?x3xf32>
  return %c : tensor<?x3xf32>
}

// CHECK-LABEL: func.func @slice_whole
// CHECK-SAME: ([[X:%.+]]: tensor<4x6xf32>, [[Y:%.+]]: tensor<1x6xf32>, [[D:%.+]]: tensor<?x6xf32>)
func.func @slice_whole(%x: tensor<4x6xf32>, %y: tensor<1x6xf32>, %d: tensor<?x6xf32>)
    -> (tensor<4x6xf32>, tensor<4x6xf32>, tensor<1x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>) {
  // CHECK-NOT: transformer.slice
  // CHECK: return [[X]], [[X]], [[Y]], [[D]], [[D]]
  %a = transformer.slice %x {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: 9223372036854775807>} : tensor<4x6xf32> -> tensor<4x6xf32>
  // [-6, 6) of 6 and [-100, 4) of 4: everything.
  %b = transformer.slice %x {axes = array<i64: 1, 0>, starts = array<i64: -6, -100>, ends = array<i64: 6, 4>} : tensor<4x6xf32> -> tensor<4x6xf32>
  // A step of 5 over a dim of 1 still takes its only element.
  %c = transformer.slice %y {starts = array<i64: 0>, ends = array<i64: 1>, steps = array<i64: 5>} : tensor<1x6xf32> -> tensor<1x6xf32>
  // A dynamic dim from 0 to INT64_MAX.
  %e = transformer.slice %d {starts = array<i64: 0>, ends = array<i64: 9223372036854775807>} : tensor<?x6xf32> -> tensor<?x6xf32>
  %f = transformer.slice %d {axes = array<i64: 0>, starts = array<i64: -9223372036854775808>, ends = array<i64: 9223372036854775807>} : tensor<?x6xf32> -> tensor<?x6xf32>
  return %a, %b, %c, %e, %f : tensor<4x6xf32>, tensor<4x6xf32>, tensor<1x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>
}

// CHECK-LABEL: func.func @slice_not_whole
// CHECK-SAME: ([[D:%.+]]: tensor<?x6xf32>)
func.func @slice_not_whole(%d: tensor<?x6xf32>) -> (tensor<?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>) {
  // The dim may be larger than 100, or odd: kept.
  // CHECK: [[A:%.+]] = transformer.slice [[D]] {ends = array<i64: 100>, starts = array<i64: 0>}
  // CHECK: [[B:%.+]] = transformer.slice [[D]] {ends = array<i64: 9223372036854775807>, starts = array<i64: 0>, steps = array<i64: 2>}
  // CHECK: [[C:%.+]] = transformer.slice [[D]] {ends = array<i64: 9223372036854775807>, starts = array<i64: -1>}
  // CHECK: return [[A]], [[B]], [[C]]
  %a = transformer.slice %d {starts = array<i64: 0>, ends = array<i64: 100>} : tensor<?x6xf32> -> tensor<?x6xf32>
  %b = transformer.slice %d {starts = array<i64: 0>, ends = array<i64: 9223372036854775807>, steps = array<i64: 2>} : tensor<?x6xf32> -> tensor<?x6xf32>
  %c = transformer.slice %d {starts = array<i64: -1>, ends = array<i64: 9223372036854775807>} : tensor<?x6xf32> -> tensor<?x6xf32>
  return %a, %b, %c : tensor<?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>
}

// CHECK-LABEL: func.func @split_single
// CHECK-SAME: ([[X:%.+]]: tensor<4x6xf32>, [[D:%.+]]: tensor<?x6xf32>)
func.func @split_single(%x: tensor<4x6xf32>, %d: tensor<?x6xf32>) -> (tensor<4x6xf32>, tensor<3x6xf32>) {
  // A dynamic input split into one static piece changes the type: kept.
  // CHECK: [[S:%.+]] = transformer.split [[D]] {axis = 0 : i64, sizes = array<i64: 3>} : tensor<?x6xf32> -> tensor<3x6xf32>
  // CHECK: return [[X]], [[S]]
  %a = transformer.split %x {axis = 1, sizes = array<i64: 6>} : tensor<4x6xf32> -> tensor<4x6xf32>
  %b = transformer.split %d {axis = 0, sizes = array<i64: 3>} : tensor<?x6xf32> -> tensor<3x6xf32>
  return %a, %b : tensor<4x6xf32>, tensor<3x6xf32>
}

// CHECK-LABEL: func.func @expand_identity
// CHECK-SAME: ([[X:%.+]]: tensor<2x3xf32>, [[Y:%.+]]: tensor<?x3xf32>, [[N:%.+]]: index)
func.func @expand_identity(%x: tensor<2x3xf32>, %y: tensor<?x3xf32>, %n: index)
    -> (tensor<2x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>) {
  // CHECK: [[E:%.+]] = transformer.expand [[Y]] [[[N]]] : tensor<?x3xf32> -> tensor<?x3xf32>
  // CHECK: return [[X]], [[Y]], [[E]]
  %a = transformer.expand %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // The dynamic size is y's own dim 0: the identity.
  %c0 = arith.constant 0 : index
  %d0 = tensor.dim %y, %c0 : tensor<?x3xf32>
  %b = transformer.expand %y [%d0] : tensor<?x3xf32> -> tensor<?x3xf32>
  // y's dim may be 1 and n larger: a real broadcast, kept.
  %c = transformer.expand %y [%n] : tensor<?x3xf32> -> tensor<?x3xf32>
  return %a, %b, %c : tensor<2x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>
}

// CHECK-LABEL: func.func @expand_splat
func.func @expand_splat() -> tensor<2x3xi64> {
  // CHECK: [[C:%.+]] = transformer.constant dense<7> : tensor<2x3xi64>
  // CHECK-NEXT: return [[C]]
  %c = transformer.constant dense<7> : tensor<3xi64>
  %e = transformer.expand %c : tensor<3xi64> -> tensor<2x3xi64>
  return %e : tensor<2x3xi64>
}

// CHECK-LABEL: func.func @squeeze_unsqueeze
// CHECK-SAME: ([[X:%.+]]: tensor<?x3xf32>, [[Y:%.+]]: tensor<2x1x3xf32>, [[Z:%.+]]: tensor<2x?x3xf32>)
func.func @squeeze_unsqueeze(%x: tensor<?x3xf32>, %y: tensor<2x1x3xf32>, %z: tensor<2x?x3xf32>)
    -> (tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<2x1x3xf32>, tensor<2x1x3xf32>) {
  // Empty axes: nothing to do.
  %a = transformer.squeeze %x {axes = array<i64>} : tensor<?x3xf32> -> tensor<?x3xf32>
  %b = transformer.unsqueeze %x {axes = array<i64>} : tensor<?x3xf32> -> tensor<?x3xf32>
  // squeeze(unsqueeze(x, a), a): the same axes, once negative.
  %u = transformer.unsqueeze %x {axes = array<i64: 0, 3>} : tensor<?x3xf32> -> tensor<1x?x3x1xf32>
  %c = transformer.squeeze %u {axes = array<i64: -1, 0>} : tensor<1x?x3x1xf32> -> tensor<?x3xf32>
  // unsqueeze(squeeze(y, a), a) with a static 1 at the squeezed dim.
  %s = transformer.squeeze %y {axes = array<i64: 1>} : tensor<2x1x3xf32> -> tensor<2x3xf32>
  %d = transformer.unsqueeze %s {axes = array<i64: -2>} : tensor<2x3xf32> -> tensor<2x1x3xf32>
  // With a dynamic dim squeezed the types differ: kept.
  // CHECK: [[S:%.+]] = transformer.squeeze [[Z]] {axes = array<i64: 1>} : tensor<2x?x3xf32> -> tensor<2x3xf32>
  // CHECK: [[U:%.+]] = transformer.unsqueeze [[S]] {axes = array<i64: 1>} : tensor<2x3xf32> -> tensor<2x1x3xf32>
  // CHECK: return [[X]], [[X]], [[X]], [[Y]], [[U]]
  %t = transformer.squeeze %z {axes = array<i64: 1>} : tensor<2x?x3xf32> -> tensor<2x3xf32>
  %e = transformer.unsqueeze %t {axes = array<i64: 1>} : tensor<2x3xf32> -> tensor<2x1x3xf32>
  return %a, %b, %c, %d, %e : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<2x1x3xf32>, tensor<2x1x3xf32>
}

// CHECK-LABEL: func.func @squeeze_unsqueeze_constant
func.func @squeeze_unsqueeze_constant() -> (tensor<2xi64>, tensor<1x2xi64>) {
  // CHECK-DAG: [[A:%.+]] = transformer.constant dense<[4, 5]> : tensor<2xi64>
  // CHECK-DAG: [[B:%.+]] = transformer.constant dense<{{\[}}[4, 5]]> : tensor<1x2xi64>
  // CHECK-NOT: squeeze
  // CHECK: return [[A]], [[B]]
  %c = transformer.constant dense<[[4], [5]]> : tensor<2x1xi64>
  %a = transformer.squeeze %c {axes = array<i64: 1>} : tensor<2x1xi64> -> tensor<2xi64>
  %b = transformer.unsqueeze %a {axes = array<i64: 0>} : tensor<2xi64> -> tensor<1x2xi64>
  return %a, %b : tensor<2xi64>, tensor<1x2xi64>
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

//===----------------------------------------------------------------------===//
// quant ops (TransformerQuantOps.td)
//===----------------------------------------------------------------------===//

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

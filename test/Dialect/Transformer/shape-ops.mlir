// Round-trip tests of the shape ops (reshape, transpose, concat, slice, split,
// expand, squeeze, unsqueeze, gather) with static and dynamic shapes. The
// result types are written by hand from the ONNX/numpy semantics; the parser
// checks them against each op's type inference.
// RUN: llm-opt %s | llm-opt | FileCheck %s

// CHECK-LABEL: func.func @reshape_static
// CHECK-SAME: ([[X:%.+]]: tensor<2x3x4xf32>, [[S:%.+]]: tensor<1x1xf32>)
func.func @reshape_static(%x: tensor<2x3x4xf32>, %s: tensor<1x1xf32>) -> (tensor<6x4xf32>, tensor<f32>) {
  // CHECK: transformer.reshape [[X]] : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %r = transformer.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  // CHECK: transformer.reshape [[S]] : tensor<1x1xf32> -> tensor<f32>
  %s0 = transformer.reshape %s : tensor<1x1xf32> -> tensor<f32>
  return %r, %s0 : tensor<6x4xf32>, tensor<f32>
}

// CHECK-LABEL: func.func @reshape_dynamic
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x768xf32>, [[B:%.+]]: index, [[S:%.+]]: index, [[Y:%.+]]: tensor<?x4xf32>, [[Z:%.+]]: tensor<6x4xf32>)
func.func @reshape_dynamic(%x: tensor<?x?x768xf32>, %b: index, %s: index,
                           %y: tensor<?x4xf32>, %z: tensor<6x4xf32>)
    -> (tensor<?x?x12x64xf32>, tensor<8x2xf32>, tensor<?x3xf32>) {
  // CHECK: transformer.reshape [[X]] [[[B]], [[S]]] : tensor<?x?x768xf32> -> tensor<?x?x12x64xf32>
  %r = transformer.reshape %x [%b, %s] : tensor<?x?x768xf32> -> tensor<?x?x12x64xf32>
  // A dynamic input to a static result (16 is a multiple of 4).
  // CHECK: transformer.reshape [[Y]] : tensor<?x4xf32> -> tensor<8x2xf32>
  %r2 = transformer.reshape %y : tensor<?x4xf32> -> tensor<8x2xf32>
  // A static input (24 elements) to a dynamic result (24 is a multiple of 3).
  // CHECK: transformer.reshape [[Z]] [[[B]]] : tensor<6x4xf32> -> tensor<?x3xf32>
  %r3 = transformer.reshape %z [%b] : tensor<6x4xf32> -> tensor<?x3xf32>
  return %r, %r2, %r3 : tensor<?x?x12x64xf32>, tensor<8x2xf32>, tensor<?x3xf32>
}

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: ([[X:%.+]]: tensor<2x3x4xf32>, [[Y:%.+]]: tensor<?x?x12x64xf32>)
func.func @transpose(%x: tensor<2x3x4xf32>, %y: tensor<?x?x12x64xf32>)
    -> (tensor<4x2x3xf32>, tensor<?x12x?x64xf32>) {
  // Result dim k is input dim permutation[k]: (4, 2, 3).
  // CHECK: transformer.transpose [[X]] {permutation = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %t = transformer.transpose %x {permutation = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  // CHECK: transformer.transpose [[Y]] {permutation = array<i64: 0, 2, 1, 3>} : tensor<?x?x12x64xf32> -> tensor<?x12x?x64xf32>
  %u = transformer.transpose %y {permutation = array<i64: 0, 2, 1, 3>} : tensor<?x?x12x64xf32> -> tensor<?x12x?x64xf32>
  return %t, %u : tensor<4x2x3xf32>, tensor<?x12x?x64xf32>
}

// CHECK-LABEL: func.func @concat
// CHECK-SAME: ([[A:%.+]]: tensor<2x3xf32>, [[B:%.+]]: tensor<2x5xf32>, [[P:%.+]]: tensor<1x4xi64>, [[Q:%.+]]: tensor<2x4xi64>, [[R:%.+]]: tensor<3x4xi64>)
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>, %p: tensor<1x4xi64>,
                  %q: tensor<2x4xi64>, %r: tensor<3x4xi64>)
    -> (tensor<2x8xf32>, tensor<6x4xi64>, tensor<2x3xf32>) {
  // CHECK: transformer.concat [[A]], [[B]] {axis = 1 : i64} : tensor<2x3xf32>, tensor<2x5xf32> -> tensor<2x8xf32>
  %c = transformer.concat %a, %b {axis = 1} : tensor<2x3xf32>, tensor<2x5xf32> -> tensor<2x8xf32>
  // CHECK: transformer.concat [[P]], [[Q]], [[R]] {axis = 0 : i64} : tensor<1x4xi64>, tensor<2x4xi64>, tensor<3x4xi64> -> tensor<6x4xi64>
  %d = transformer.concat %p, %q, %r {axis = 0} : tensor<1x4xi64>, tensor<2x4xi64>, tensor<3x4xi64> -> tensor<6x4xi64>
  // CHECK: transformer.concat [[A]] {axis = -1 : i64} : tensor<2x3xf32> -> tensor<2x3xf32>
  %e = transformer.concat %a {axis = -1} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %c, %d, %e : tensor<2x8xf32>, tensor<6x4xi64>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @concat_dynamic
// CHECK-SAME: ([[PAST:%.+]]: tensor<1x12x?x64xf32>, [[NEW:%.+]]: tensor<1x12x1x64xf32>, [[X:%.+]]: tensor<?x4xf32>, [[Y:%.+]]: tensor<3x?xf32>)
func.func @concat_dynamic(%past: tensor<1x12x?x64xf32>, %new: tensor<1x12x1x64xf32>,
                          %x: tensor<?x4xf32>, %y: tensor<3x?xf32>)
    -> (tensor<1x12x?x64xf32>, tensor<3x?xf32>) {
  // CHECK: transformer.concat [[PAST]], [[NEW]] {axis = 2 : i64} : tensor<1x12x?x64xf32>, tensor<1x12x1x64xf32> -> tensor<1x12x?x64xf32>
  %kv = transformer.concat %past, %new {axis = 2} : tensor<1x12x?x64xf32>, tensor<1x12x1x64xf32> -> tensor<1x12x?x64xf32>
  // Dim 0 is static because one input has it static; dim 1 is 4 + ?.
  // CHECK: transformer.concat [[X]], [[Y]] {axis = -1 : i64} : tensor<?x4xf32>, tensor<3x?xf32> -> tensor<3x?xf32>
  %c = transformer.concat %x, %y {axis = -1} : tensor<?x4xf32>, tensor<3x?xf32> -> tensor<3x?xf32>
  return %kv, %c : tensor<1x12x?x64xf32>, tensor<3x?xf32>
}

// CHECK-LABEL: func.func @slice
// CHECK-SAME: ([[X:%.+]]: tensor<8x?x64xf32>, [[V:%.+]]: tensor<10xf32>, [[W:%.+]]: tensor<5xf32>, [[M:%.+]]: tensor<4x6xf32>)
func.func @slice(%x: tensor<8x?x64xf32>, %v: tensor<10xf32>, %w: tensor<5xf32>, %m: tensor<4x6xf32>)
    -> (tensor<4x?x32xf32>, tensor<2xf32>, tensor<3xf32>, tensor<3xf32>,
        tensor<3xf32>, tensor<0xf32>, tensor<2xf32>, tensor<0xf32>, tensor<2x4xf32>) {
  // Dim 2: [32, 64) -> 32; dim 0: 0, 2, 4, 6 -> 4.
  // CHECK: transformer.slice [[X]] {axes = array<i64: -1, 0>, ends = array<i64: 9223372036854775807, 8>, starts = array<i64: 32, 0>, steps = array<i64: 1, 2>} : tensor<8x?x64xf32> -> tensor<4x?x32xf32>
  %a = transformer.slice %x {axes = array<i64: -1, 0>, starts = array<i64: 32, 0>,
                             ends = array<i64: 9223372036854775807, 8>, steps = array<i64: 1, 2>}
      : tensor<8x?x64xf32> -> tensor<4x?x32xf32>
  // Negative bounds count from the end: [7, 9) -> 2.
  // CHECK: transformer.slice [[V]] {ends = array<i64: -1>, starts = array<i64: -3>} : tensor<10xf32> -> tensor<2xf32>
  %b = transformer.slice %v {starts = array<i64: -3>, ends = array<i64: -1>} : tensor<10xf32> -> tensor<2xf32>
  // Elements 1, 4, 7.
  // CHECK: transformer.slice [[V]] {ends = array<i64: 10>, starts = array<i64: 1>, steps = array<i64: 3>} : tensor<10xf32> -> tensor<3xf32>
  %c = transformer.slice %v {starts = array<i64: 1>, ends = array<i64: 10>, steps = array<i64: 3>} : tensor<10xf32> -> tensor<3xf32>
  // Elements 0, 4, 8.
  // CHECK: transformer.slice [[V]] {ends = array<i64: 10>, starts = array<i64: 0>, steps = array<i64: 4>} : tensor<10xf32> -> tensor<3xf32>
  %d = transformer.slice %v {starts = array<i64: 0>, ends = array<i64: 10>, steps = array<i64: 4>} : tensor<10xf32> -> tensor<3xf32>
  // The end clamps to the dim: [2, 5) -> 3.
  // CHECK: transformer.slice [[W]] {ends = array<i64: 100>, starts = array<i64: 2>} : tensor<5xf32> -> tensor<3xf32>
  %e = transformer.slice %w {starts = array<i64: 2>, ends = array<i64: 100>} : tensor<5xf32> -> tensor<3xf32>
  // A start past the end clamps to 5: empty.
  // CHECK: transformer.slice [[W]] {ends = array<i64: 9>, starts = array<i64: 7>} : tensor<5xf32> -> tensor<0xf32>
  %f = transformer.slice %w {starts = array<i64: 7>, ends = array<i64: 9>} : tensor<5xf32> -> tensor<0xf32>
  // A start before the beginning clamps to 0: [0, 2).
  // CHECK: transformer.slice [[W]] {ends = array<i64: 2>, starts = array<i64: -100>} : tensor<5xf32> -> tensor<2xf32>
  %g = transformer.slice %w {starts = array<i64: -100>, ends = array<i64: 2>} : tensor<5xf32> -> tensor<2xf32>
  // End before start: empty.
  // CHECK: transformer.slice [[W]] {ends = array<i64: 1>, starts = array<i64: 3>} : tensor<5xf32> -> tensor<0xf32>
  %h = transformer.slice %w {starts = array<i64: 3>, ends = array<i64: 1>} : tensor<5xf32> -> tensor<0xf32>
  // Without axes the bounds apply to dims 0 and 1: [1, 3) x [2, 6).
  // CHECK: transformer.slice [[M]] {ends = array<i64: 3, 6>, starts = array<i64: 1, 2>} : tensor<4x6xf32> -> tensor<2x4xf32>
  %i = transformer.slice %m {starts = array<i64: 1, 2>, ends = array<i64: 3, 6>} : tensor<4x6xf32> -> tensor<2x4xf32>
  return %a, %b, %c, %d, %e, %f, %g, %h, %i : tensor<4x?x32xf32>, tensor<2xf32>, tensor<3xf32>, tensor<3xf32>,
      tensor<3xf32>, tensor<0xf32>, tensor<2xf32>, tensor<0xf32>, tensor<2x4xf32>
}

// CHECK-LABEL: func.func @slice_dynamic
// CHECK-SAME: ([[X:%.+]]: tensor<?x6xf32>)
func.func @slice_dynamic(%x: tensor<?x6xf32>) -> (tensor<?x6xf32>, tensor<?x3xf32>) {
  // A sliced dynamic dim stays dynamic (the clamp depends on it).
  // CHECK: transformer.slice [[X]] {axes = array<i64: 0>, ends = array<i64: 1>, starts = array<i64: 0>} : tensor<?x6xf32> -> tensor<?x6xf32>
  %a = transformer.slice %x {axes = array<i64: 0>, starts = array<i64: 0>, ends = array<i64: 1>} : tensor<?x6xf32> -> tensor<?x6xf32>
  // CHECK: transformer.slice [[X]] {axes = array<i64: 1, 0>, ends = array<i64: -1, -1>, starts = array<i64: 2, -5>} : tensor<?x6xf32> -> tensor<?x3xf32>
  %b = transformer.slice %x {axes = array<i64: 1, 0>, starts = array<i64: 2, -5>, ends = array<i64: -1, -1>} : tensor<?x6xf32> -> tensor<?x3xf32>
  return %a, %b : tensor<?x6xf32>, tensor<?x3xf32>
}

// CHECK-LABEL: func.func @split
// CHECK-SAME: ([[X:%.+]]: tensor<4x6xf32>, [[QKV:%.+]]: tensor<?x?x2304xf32>, [[D:%.+]]: tensor<?x6xf32>)
func.func @split(%x: tensor<4x6xf32>, %qkv: tensor<?x?x2304xf32>, %d: tensor<?x6xf32>)
    -> (tensor<4x3xf32>, tensor<?x?x768xf32>, tensor<3x6xf32>, tensor<4x0xf32>, tensor<5x6xf32>) {
  // CHECK: transformer.split [[X]] {axis = 1 : i64, sizes = array<i64: 1, 2, 3>} : tensor<4x6xf32> -> tensor<4x1xf32>, tensor<4x2xf32>, tensor<4x3xf32>
  %a:3 = transformer.split %x {axis = 1, sizes = array<i64: 1, 2, 3>}
      : tensor<4x6xf32> -> tensor<4x1xf32>, tensor<4x2xf32>, tensor<4x3xf32>
  // CHECK: transformer.split [[QKV]] {axis = 2 : i64, sizes = array<i64: 768, 768, 768>} : tensor<?x?x2304xf32> -> tensor<?x?x768xf32>, tensor<?x?x768xf32>, tensor<?x?x768xf32>
  %q:3 = transformer.split %qkv {axis = 2, sizes = array<i64: 768, 768, 768>}
      : tensor<?x?x2304xf32> -> tensor<?x?x768xf32>, tensor<?x?x768xf32>, tensor<?x?x768xf32>
  // CHECK: transformer.split [[X]] {axis = -2 : i64, sizes = array<i64: 1, 3>} : tensor<4x6xf32> -> tensor<1x6xf32>, tensor<3x6xf32>
  %b:2 = transformer.split %x {axis = -2, sizes = array<i64: 1, 3>} : tensor<4x6xf32> -> tensor<1x6xf32>, tensor<3x6xf32>
  // CHECK: transformer.split [[X]] {axis = 1 : i64, sizes = array<i64: 0, 6>} : tensor<4x6xf32> -> tensor<4x0xf32>, tensor<4x6xf32>
  %c:2 = transformer.split %x {axis = 1, sizes = array<i64: 0, 6>} : tensor<4x6xf32> -> tensor<4x0xf32>, tensor<4x6xf32>
  // A dynamic split dim: the pieces are static.
  // CHECK: transformer.split [[D]] {axis = 0 : i64, sizes = array<i64: 2, 5>} : tensor<?x6xf32> -> tensor<2x6xf32>, tensor<5x6xf32>
  %e:2 = transformer.split %d {axis = 0, sizes = array<i64: 2, 5>} : tensor<?x6xf32> -> tensor<2x6xf32>, tensor<5x6xf32>
  return %a#2, %q#1, %b#1, %c#0, %e#1 : tensor<4x3xf32>, tensor<?x?x768xf32>, tensor<3x6xf32>, tensor<4x0xf32>, tensor<5x6xf32>
}

// CHECK-LABEL: func.func @expand
// CHECK-SAME: ([[X:%.+]]: tensor<3x1xf32>, [[M:%.+]]: tensor<1x1x?x?xi1>, [[B:%.+]]: index, [[S:%.+]]: index, [[Y:%.+]]: tensor<?x4xf32>, [[Z:%.+]]: tensor<f32>)
func.func @expand(%x: tensor<3x1xf32>, %m: tensor<1x1x?x?xi1>, %b: index, %s: index,
                  %y: tensor<?x4xf32>, %z: tensor<f32>)
    -> (tensor<2x3x4xf32>, tensor<?x12x?x?xi1>, tensor<5x4xf32>, tensor<2x3xf32>) {
  // CHECK: transformer.expand [[X]] : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %a = transformer.expand %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
  // CHECK: transformer.expand [[M]] [[[B]], [[S]], [[S]]] : tensor<1x1x?x?xi1> -> tensor<?x12x?x?xi1>
  %c = transformer.expand %m [%b, %s, %s] : tensor<1x1x?x?xi1> -> tensor<?x12x?x?xi1>
  // CHECK: transformer.expand [[Y]] : tensor<?x4xf32> -> tensor<5x4xf32>
  %d = transformer.expand %y : tensor<?x4xf32> -> tensor<5x4xf32>
  // CHECK: transformer.expand [[Z]] : tensor<f32> -> tensor<2x3xf32>
  %e = transformer.expand %z : tensor<f32> -> tensor<2x3xf32>
  return %a, %c, %d, %e : tensor<2x3x4xf32>, tensor<?x12x?x?xi1>, tensor<5x4xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @squeeze
// CHECK-SAME: ([[X:%.+]]: tensor<1x3x1x4xf32>, [[Y:%.+]]: tensor<?x1x768xf32>, [[Z:%.+]]: tensor<?x4xf32>)
func.func @squeeze(%x: tensor<1x3x1x4xf32>, %y: tensor<?x1x768xf32>, %z: tensor<?x4xf32>)
    -> (tensor<3x4xf32>, tensor<?x768xf32>, tensor<4xf32>) {
  // CHECK: transformer.squeeze [[X]] {axes = array<i64: 0, -2>} : tensor<1x3x1x4xf32> -> tensor<3x4xf32>
  %a = transformer.squeeze %x {axes = array<i64: 0, -2>} : tensor<1x3x1x4xf32> -> tensor<3x4xf32>
  // CHECK: transformer.squeeze [[Y]] {axes = array<i64: 1>} : tensor<?x1x768xf32> -> tensor<?x768xf32>
  %b = transformer.squeeze %y {axes = array<i64: 1>} : tensor<?x1x768xf32> -> tensor<?x768xf32>
  // A dynamic dim may be squeezed (it must be 1 at run time).
  // CHECK: transformer.squeeze [[Z]] {axes = array<i64: 0>} : tensor<?x4xf32> -> tensor<4xf32>
  %c = transformer.squeeze %z {axes = array<i64: 0>} : tensor<?x4xf32> -> tensor<4xf32>
  return %a, %b, %c : tensor<3x4xf32>, tensor<?x768xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @unsqueeze
// CHECK-SAME: ([[X:%.+]]: tensor<?x?xf32>, [[Y:%.+]]: tensor<3x4xf32>, [[V:%.+]]: tensor<3xf32>, [[S:%.+]]: tensor<f32>)
func.func @unsqueeze(%x: tensor<?x?xf32>, %y: tensor<3x4xf32>, %v: tensor<3xf32>, %s: tensor<f32>)
    -> (tensor<1x?x?x1xf32>, tensor<3x4x1xf32>, tensor<3x1x1xf32>, tensor<1xf32>, tensor<1x3x4x1xf32>) {
  // Axes refer to the result (rank 4).
  // CHECK: transformer.unsqueeze [[X]] {axes = array<i64: 0, 3>} : tensor<?x?xf32> -> tensor<1x?x?x1xf32>
  %a = transformer.unsqueeze %x {axes = array<i64: 0, 3>} : tensor<?x?xf32> -> tensor<1x?x?x1xf32>
  // CHECK: transformer.unsqueeze [[Y]] {axes = array<i64: -1>} : tensor<3x4xf32> -> tensor<3x4x1xf32>
  %b = transformer.unsqueeze %y {axes = array<i64: -1>} : tensor<3x4xf32> -> tensor<3x4x1xf32>
  // CHECK: transformer.unsqueeze [[V]] {axes = array<i64: 1, -1>} : tensor<3xf32> -> tensor<3x1x1xf32>
  %c = transformer.unsqueeze %v {axes = array<i64: 1, -1>} : tensor<3xf32> -> tensor<3x1x1xf32>
  // CHECK: transformer.unsqueeze [[S]] {axes = array<i64: 0>} : tensor<f32> -> tensor<1xf32>
  %d = transformer.unsqueeze %s {axes = array<i64: 0>} : tensor<f32> -> tensor<1xf32>
  // Unsorted axes.
  // CHECK: transformer.unsqueeze [[Y]] {axes = array<i64: 3, 0>} : tensor<3x4xf32> -> tensor<1x3x4x1xf32>
  %e = transformer.unsqueeze %y {axes = array<i64: 3, 0>} : tensor<3x4xf32> -> tensor<1x3x4x1xf32>
  return %a, %b, %c, %d, %e : tensor<1x?x?x1xf32>, tensor<3x4x1xf32>, tensor<3x1x1xf32>, tensor<1xf32>, tensor<1x3x4x1xf32>
}

// CHECK-LABEL: func.func @gather
// CHECK-SAME: ([[T:%.+]]: tensor<50257x768xf32>, [[I:%.+]]: tensor<2x7xi64>, [[J:%.+]]: tensor<?x?xi64>, [[D:%.+]]: tensor<2x3x4xf32>, [[K:%.+]]: tensor<5xi32>, [[S:%.+]]: tensor<i64>)
func.func @gather(%t: tensor<50257x768xf32>, %i: tensor<2x7xi64>, %j: tensor<?x?xi64>,
                  %d: tensor<2x3x4xf32>, %k: tensor<5xi32>, %s: tensor<i64>)
    -> (tensor<2x7x768xf32>, tensor<?x?x768xf32>, tensor<2x5x4xf32>, tensor<2x3xf32>, tensor<5x3x4xf32>) {
  // CHECK: transformer.gather [[T]], [[I]] : tensor<50257x768xf32>, tensor<2x7xi64> -> tensor<2x7x768xf32>
  %a = transformer.gather %t, %i {axis = 0} : tensor<50257x768xf32>, tensor<2x7xi64> -> tensor<2x7x768xf32>
  // CHECK: transformer.gather [[T]], [[J]] : tensor<50257x768xf32>, tensor<?x?xi64> -> tensor<?x?x768xf32>
  %b = transformer.gather %t, %j {axis = 0} : tensor<50257x768xf32>, tensor<?x?xi64> -> tensor<?x?x768xf32>
  // CHECK: transformer.gather [[D]], [[K]] {axis = 1 : i64} : tensor<2x3x4xf32>, tensor<5xi32> -> tensor<2x5x4xf32>
  %c = transformer.gather %d, %k {axis = 1} : tensor<2x3x4xf32>, tensor<5xi32> -> tensor<2x5x4xf32>
  // A scalar index removes the dim.
  // CHECK: transformer.gather [[D]], [[S]] {axis = -1 : i64} : tensor<2x3x4xf32>, tensor<i64> -> tensor<2x3xf32>
  %e = transformer.gather %d, %s {axis = -1} : tensor<2x3x4xf32>, tensor<i64> -> tensor<2x3xf32>
  // The axis defaults to 0 (and is not printed then).
  // CHECK: transformer.gather [[D]], [[K]] : tensor<2x3x4xf32>, tensor<5xi32> -> tensor<5x3x4xf32>
  %f = transformer.gather %d, %k : tensor<2x3x4xf32>, tensor<5xi32> -> tensor<5x3x4xf32>
  return %a, %b, %c, %e, %f : tensor<2x7x768xf32>, tensor<?x?x768xf32>, tensor<2x5x4xf32>, tensor<2x3xf32>, tensor<5x3x4xf32>
}

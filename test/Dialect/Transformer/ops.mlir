// RUN: llm-opt %s | llm-opt | FileCheck %s
// RUN: llm-opt %s --mlir-print-op-generic | llm-opt | FileCheck %s

// Round trip of every op of the transformer dialect, with static and dynamic
// shapes: parse, print, parse again (and through the generic form). Result
// types are written by hand from the ops' semantics (ONNX/numpy rules); the
// parser checks them against each op's type inference.

//===----------------------------------------------------------------------===//
// math ops (TransformerMathOps.td)
//===----------------------------------------------------------------------===//

// Round trip of constants, elementwise ops, compare/where/cast and reductions.

// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<2x2xf32>, tensor<i64>, tensor<4xf16>) {
  // CHECK: transformer.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  %0 = transformer.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  // CHECK: transformer.constant dense<7> : tensor<i64>
  %1 = transformer.constant dense<7> : tensor<i64>
  // Weights live in resource blobs, not uniqued into the context.
  // CHECK: transformer.constant dense_resource<weights> : tensor<4xf16>
  %2 = transformer.constant dense_resource<weights> : tensor<4xf16>
  return %0, %1, %2 : tensor<2x2xf32>, tensor<i64>, tensor<4xf16>
}

// CHECK-LABEL: func.func @unary
// CHECK-SAME: (%[[X:.+]]: tensor<?x?x768xf32>, %[[I:.+]]: tensor<4xi32>, %[[B:.+]]: tensor<4xi1>)
func.func @unary(%x: tensor<?x?x768xf32>, %i: tensor<4xi32>, %b: tensor<4xi1>) {
  // CHECK: transformer.neg %[[X]] : tensor<?x?x768xf32>
  %0 = transformer.neg %x : tensor<?x?x768xf32>
  // CHECK: transformer.neg %[[I]] : tensor<4xi32>
  %1 = transformer.neg %i : tensor<4xi32>
  // CHECK: transformer.abs %[[I]] : tensor<4xi32>
  %2 = transformer.abs %i : tensor<4xi32>
  // CHECK: transformer.exp %[[X]] : tensor<?x?x768xf32>
  %3 = transformer.exp %x : tensor<?x?x768xf32>
  // CHECK: transformer.log %[[X]] : tensor<?x?x768xf32>
  %4 = transformer.log %x : tensor<?x?x768xf32>
  // CHECK: transformer.sqrt %[[X]] : tensor<?x?x768xf32>
  %5 = transformer.sqrt %x : tensor<?x?x768xf32>
  // CHECK: transformer.rsqrt %[[X]] : tensor<?x?x768xf32>
  %6 = transformer.rsqrt %x : tensor<?x?x768xf32>
  // CHECK: transformer.tanh %[[X]] : tensor<?x?x768xf32>
  %7 = transformer.tanh %x : tensor<?x?x768xf32>
  // CHECK: transformer.erf %[[X]] : tensor<?x?x768xf32>
  %8 = transformer.erf %x : tensor<?x?x768xf32>
  // CHECK: transformer.sigmoid %[[X]] : tensor<?x?x768xf32>
  %9 = transformer.sigmoid %x : tensor<?x?x768xf32>
  // CHECK: transformer.relu %[[X]] : tensor<?x?x768xf32>
  %10 = transformer.relu %x : tensor<?x?x768xf32>
  // CHECK: transformer.reciprocal %[[X]] : tensor<?x?x768xf32>
  %11 = transformer.reciprocal %x : tensor<?x?x768xf32>
  // CHECK: transformer.not %[[B]] : tensor<4xi1>
  %12 = transformer.not %b : tensor<4xi1>
  return
}

// CHECK-LABEL: func.func @binary
// CHECK-SAME: (%[[X:.+]]: tensor<?x?x768xf32>, %[[Y:.+]]: tensor<768xf32>, %[[C:.+]]: tensor<?x1x1xf32>, %[[S:.+]]: tensor<f32>, %[[P:.+]]: tensor<4xi1>)
func.func @binary(%x: tensor<?x?x768xf32>, %y: tensor<768xf32>, %c: tensor<?x1x1xf32>, %s: tensor<f32>, %p: tensor<4xi1>) {
  // CHECK: transformer.add %[[X]], %[[Y]] : tensor<?x?x768xf32>, tensor<768xf32> -> tensor<?x?x768xf32>
  %0 = transformer.add %x, %y : tensor<?x?x768xf32>, tensor<768xf32> -> tensor<?x?x768xf32>
  // A dynamic dim against 1 stays dynamic; 1 against a static 768 is 768.
  // CHECK: transformer.sub %[[C]], %[[Y]] : tensor<?x1x1xf32>, tensor<768xf32> -> tensor<?x1x768xf32>
  %1 = transformer.sub %c, %y : tensor<?x1x1xf32>, tensor<768xf32> -> tensor<?x1x768xf32>
  // CHECK: transformer.mul %[[X]], %[[S]] : tensor<?x?x768xf32>, tensor<f32> -> tensor<?x?x768xf32>
  %2 = transformer.mul %x, %s : tensor<?x?x768xf32>, tensor<f32> -> tensor<?x?x768xf32>
  // CHECK: transformer.div %[[S]], %[[X]] : tensor<f32>, tensor<?x?x768xf32> -> tensor<?x?x768xf32>
  %3 = transformer.div %s, %x : tensor<f32>, tensor<?x?x768xf32> -> tensor<?x?x768xf32>
  // CHECK: transformer.pow %[[X]], %[[S]] : tensor<?x?x768xf32>, tensor<f32> -> tensor<?x?x768xf32>
  %4 = transformer.pow %x, %s : tensor<?x?x768xf32>, tensor<f32> -> tensor<?x?x768xf32>
  // CHECK: transformer.max %[[X]], %[[C]] : tensor<?x?x768xf32>, tensor<?x1x1xf32> -> tensor<?x?x768xf32>
  %5 = transformer.max %x, %c : tensor<?x?x768xf32>, tensor<?x1x1xf32> -> tensor<?x?x768xf32>
  // CHECK: transformer.min %[[X]], %[[Y]] : tensor<?x?x768xf32>, tensor<768xf32> -> tensor<?x?x768xf32>
  %6 = transformer.min %x, %y : tensor<?x?x768xf32>, tensor<768xf32> -> tensor<?x?x768xf32>
  // CHECK: transformer.and %[[P]], %[[P]] : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  %7 = transformer.and %p, %p : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  // CHECK: transformer.or %[[P]], %[[P]] : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  %8 = transformer.or %p, %p : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  return
}

// CHECK-LABEL: func.func @compare_where_cast
func.func @compare_where_cast(%pos: tensor<?x1xi64>, %len: tensor<1x?xi64>, %s: tensor<?x12x?x?xf32>, %ninf: tensor<f32>)
    -> (tensor<?x12x?x?xf32>, tensor<?x?xf16>) {
  // CHECK: %[[M:.+]] = transformer.compare le, %{{.+}}, %{{.+}} : tensor<?x1xi64>, tensor<1x?xi64> -> tensor<?x?xi1>
  %m = transformer.compare le, %pos, %len : tensor<?x1xi64>, tensor<1x?xi64> -> tensor<?x?xi1>
  // CHECK: transformer.compare ne, %{{.+}}, %{{.+}} : tensor<?x12x?x?xf32>, tensor<f32> -> tensor<?x12x?x?xi1>
  %n = transformer.compare ne, %s, %ninf : tensor<?x12x?x?xf32>, tensor<f32> -> tensor<?x12x?x?xi1>
  // CHECK: transformer.where %[[M]], %{{.+}}, %{{.+}} : tensor<?x?xi1>, tensor<?x12x?x?xf32>, tensor<f32> -> tensor<?x12x?x?xf32>
  %w = transformer.where %m, %s, %ninf : tensor<?x?xi1>, tensor<?x12x?x?xf32>, tensor<f32> -> tensor<?x12x?x?xf32>
  // CHECK: transformer.cast %[[M]] : tensor<?x?xi1> to tensor<?x?xf16>
  %c = transformer.cast %m : tensor<?x?xi1> to tensor<?x?xf16>
  return %w, %c : tensor<?x12x?x?xf32>, tensor<?x?xf16>
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<?x?x768xf32>, %i: tensor<2x3x4xi32>) {
  // CHECK: transformer.reduce_mean %{{.+}} {axes = array<i64: -1>, keep_dims = true} : tensor<?x?x768xf32> -> tensor<?x?x1xf32>
  %0 = transformer.reduce_mean %x {axes = array<i64: -1>, keep_dims = true} : tensor<?x?x768xf32> -> tensor<?x?x1xf32>
  // CHECK: transformer.reduce_sum %{{.+}} {axes = array<i64: 0, 2>} : tensor<2x3x4xi32> -> tensor<3xi32>
  %1 = transformer.reduce_sum %i {axes = array<i64: 0, 2>} : tensor<2x3x4xi32> -> tensor<3xi32>
  // An empty axes list reduces every axis.
  // CHECK: transformer.reduce_max %{{.+}} {axes = array<i64>} : tensor<2x3x4xi32> -> tensor<i32>
  %2 = transformer.reduce_max %i {axes = array<i64>} : tensor<2x3x4xi32> -> tensor<i32>
  // CHECK: transformer.reduce_max %{{.+}} {axes = array<i64>, keep_dims = true} : tensor<2x3x4xi32> -> tensor<1x1x1xi32>
  %3 = transformer.reduce_max %i {axes = array<i64>, keep_dims = true} : tensor<2x3x4xi32> -> tensor<1x1x1xi32>
  return
}

//===----------------------------------------------------------------------===//
// shape ops (TransformerShapeOps.td)
//===----------------------------------------------------------------------===//

// Round-trip tests of the shape ops (reshape, transpose, concat, slice, split,
// expand, squeeze, unsqueeze, gather) with static and dynamic shapes. The
// result types are written by hand from the ONNX/numpy semantics; the parser
// checks them against each op's type inference.

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

//===----------------------------------------------------------------------===//
// nn ops (TransformerNNOps.td)
//===----------------------------------------------------------------------===//

// Round trip of the neural-network ops, with static and dynamic dims.

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.+]]: tensor<?x12x?x64xf32>, %[[B:.+]]: tensor<?x12x64x?xf32>, %[[X:.+]]: tensor<?x?x768xf32>, %[[W:.+]]: tensor<768x3072xf32>, %[[C:.+]]: tensor<3x1x4x5xf32>, %[[D:.+]]: tensor<7x5x6xf32>)
func.func @matmul(%a: tensor<?x12x?x64xf32>, %b: tensor<?x12x64x?xf32>,
                  %x: tensor<?x?x768xf32>, %w: tensor<768x3072xf32>,
                  %c: tensor<3x1x4x5xf32>, %d: tensor<7x5x6xf32>)
    -> (tensor<?x12x?x?xf32>, tensor<?x?x3072xf32>, tensor<3x7x4x6xf32>) {
  // CHECK: transformer.matmul %[[A]], %[[B]] : tensor<?x12x?x64xf32>, tensor<?x12x64x?xf32> -> tensor<?x12x?x?xf32>
  %0 = transformer.matmul %a, %b : tensor<?x12x?x64xf32>, tensor<?x12x64x?xf32> -> tensor<?x12x?x?xf32>
  // CHECK: transformer.matmul %[[X]], %[[W]] : tensor<?x?x768xf32>, tensor<768x3072xf32> -> tensor<?x?x3072xf32>
  %1 = transformer.matmul %x, %w : tensor<?x?x768xf32>, tensor<768x3072xf32> -> tensor<?x?x3072xf32>
  // Batch dims broadcast: [3, 1] with [7] gives [3, 7].
  // CHECK: transformer.matmul %[[C]], %[[D]] : tensor<3x1x4x5xf32>, tensor<7x5x6xf32> -> tensor<3x7x4x6xf32>
  %2 = transformer.matmul %c, %d : tensor<3x1x4x5xf32>, tensor<7x5x6xf32> -> tensor<3x7x4x6xf32>
  return %0, %1, %2 : tensor<?x12x?x?xf32>, tensor<?x?x3072xf32>, tensor<3x7x4x6xf32>
}

// CHECK-LABEL: func.func @linear
func.func @linear(%x: tensor<?x?x768xf32>, %w: tensor<3072x768xf32>, %b: tensor<3072xf32>, %v: tensor<768xf32>)
    -> (tensor<?x?x3072xf32>, tensor<3072xf32>) {
  // CHECK: %[[Y:.+]] = transformer.linear %{{.+}}, %{{.+}}, %{{.+}} : tensor<?x?x768xf32>, tensor<3072x768xf32>, tensor<3072xf32> -> tensor<?x?x3072xf32>
  %0 = transformer.linear %x, %w, %b : tensor<?x?x768xf32>, tensor<3072x768xf32>, tensor<3072xf32> -> tensor<?x?x3072xf32>
  // CHECK: transformer.linear %{{.+}}, %{{.+}} : tensor<768xf32>, tensor<3072x768xf32> -> tensor<3072xf32>
  %1 = transformer.linear %v, %w : tensor<768xf32>, tensor<3072x768xf32> -> tensor<3072xf32>
  return %0, %1 : tensor<?x?x3072xf32>, tensor<3072xf32>
}

// CHECK-LABEL: func.func @softmax
func.func @softmax(%s: tensor<?x12x?x?xf32>) -> (tensor<?x12x?x?xf32>, tensor<?x12x?x?xf32>, tensor<?x12x?x?xf32>) {
  // The default axis (-1) is not printed.
  // CHECK: %[[P:.+]] = transformer.softmax %{{.+}} : tensor<?x12x?x?xf32>
  %0 = transformer.softmax %s : tensor<?x12x?x?xf32>
  // CHECK: transformer.softmax %[[P]] {axis = 1 : i64} : tensor<?x12x?x?xf32>
  %1 = transformer.softmax %0 {axis = 1 : i64} : tensor<?x12x?x?xf32>
  // CHECK: transformer.log_softmax %{{.+}} : tensor<?x12x?x?xf32>
  %2 = transformer.log_softmax %s : tensor<?x12x?x?xf32>
  return %0, %1, %2 : tensor<?x12x?x?xf32>, tensor<?x12x?x?xf32>, tensor<?x12x?x?xf32>
}

// CHECK-LABEL: func.func @norms
func.func @norms(%x: tensor<?x?x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>, %y: tensor<2x3x4xf16>, %g2: tensor<3x4xf16>)
    -> (tensor<?x?x768xf32>, tensor<?x?x768xf32>, tensor<2x3x4xf16>, tensor<?x?x768xf32>, tensor<2x3x4xf16>) {
  // CHECK: transformer.layer_norm %{{.+}} scale %{{.+}} : tensor<768xf32> bias %{{.+}} : tensor<768xf32> {epsilon = 9.99999997E-7 : f32} : tensor<?x?x768xf32>
  %0 = transformer.layer_norm %x scale %g : tensor<768xf32> bias %b : tensor<768xf32> {epsilon = 1.0e-06 : f32} : tensor<?x?x768xf32>
  // The default epsilon (1e-5) is not printed.
  // CHECK: transformer.layer_norm %{{.+}} scale %{{.+}} : tensor<768xf32> : tensor<?x?x768xf32>
  %5 = transformer.layer_norm %x scale %g : tensor<768xf32> {epsilon = 1.0e-05 : f32} : tensor<?x?x768xf32>
  // CHECK: transformer.layer_norm %{{.+}} : tensor<?x?x768xf32>
  %1 = transformer.layer_norm %x : tensor<?x?x768xf32>
  // Normalizing over the last two dims (axis = 1 of a rank-3 input).
  // CHECK: transformer.layer_norm %{{.+}} scale %{{.+}} : tensor<3x4xf16> {axis = 1 : i64} : tensor<2x3x4xf16>
  %2 = transformer.layer_norm %y scale %g2 : tensor<3x4xf16> {axis = 1 : i64} : tensor<2x3x4xf16>
  // CHECK: transformer.rms_norm %{{.+}} scale %{{.+}} : tensor<768xf32> {epsilon = 9.99999997E-7 : f32} : tensor<?x?x768xf32>
  %3 = transformer.rms_norm %x scale %g : tensor<768xf32> {epsilon = 1.0e-06 : f32} : tensor<?x?x768xf32>
  // CHECK: transformer.rms_norm %{{.+}} {axis = -2 : i64} : tensor<2x3x4xf16>
  %4 = transformer.rms_norm %y {axis = -2 : i64} : tensor<2x3x4xf16>
  return %0, %1, %2, %3, %4 : tensor<?x?x768xf32>, tensor<?x?x768xf32>, tensor<2x3x4xf16>, tensor<?x?x768xf32>, tensor<2x3x4xf16>
}

// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<?x?x3072xf32>) -> (tensor<?x?x3072xf32>, tensor<?x?x3072xf32>, tensor<?x?x3072xf32>) {
  // CHECK: transformer.gelu %{{.+}} : tensor<?x?x3072xf32>
  %0 = transformer.gelu %x : tensor<?x?x3072xf32>
  // CHECK: transformer.gelu %{{.+}} approximation = tanh : tensor<?x?x3072xf32>
  %1 = transformer.gelu %x approximation = tanh : tensor<?x?x3072xf32>
  // CHECK: transformer.silu %{{.+}} : tensor<?x?x3072xf32>
  %2 = transformer.silu %x : tensor<?x?x3072xf32>
  return %0, %1, %2 : tensor<?x?x3072xf32>, tensor<?x?x3072xf32>, tensor<?x?x3072xf32>
}

// CHECK-LABEL: func.func @rotary
func.func @rotary(%q: tensor<?x32x?x128xf32>, %cos: tensor<?x64xf32>, %sin: tensor<?x64xf32>,
                  %k: tensor<2x?x4x80xf32>, %pcos: tensor<2x1x?x16xf32>, %psin: tensor<2x1x?x16xf32>)
    -> (tensor<?x32x?x128xf32>, tensor<?x32x?x128xf32>, tensor<2x?x4x80xf32>) {
  // CHECK: transformer.rotary_embedding %{{.+}}, %{{.+}}, %{{.+}} : tensor<?x32x?x128xf32>, tensor<?x64xf32>
  %0 = transformer.rotary_embedding %q, %cos, %sin : tensor<?x32x?x128xf32>, tensor<?x64xf32>
  // CHECK: transformer.rotary_embedding %{{.+}}, %{{.+}}, %{{.+}} mode = interleaved : tensor<?x32x?x128xf32>, tensor<?x64xf32>
  %1 = transformer.rotary_embedding %q, %cos, %sin mode = interleaved : tensor<?x32x?x128xf32>, tensor<?x64xf32>
  // Partial rotary (Phi): 32 of 80 elements rotate; tables gathered per position.
  // CHECK: transformer.rotary_embedding %{{.+}}, %{{.+}}, %{{.+}} {rotary_dim = 32 : i64} : tensor<2x?x4x80xf32>, tensor<2x1x?x16xf32>
  %2 = transformer.rotary_embedding %k, %pcos, %psin {rotary_dim = 32 : i64} : tensor<2x?x4x80xf32>, tensor<2x1x?x16xf32>
  return %0, %1, %2 : tensor<?x32x?x128xf32>, tensor<?x32x?x128xf32>, tensor<2x?x4x80xf32>
}

// CHECK-LABEL: func.func @attention
func.func @attention(%q: tensor<?x12x?x64xf32>, %k: tensor<?x12x?x64xf32>, %v: tensor<?x12x?x64xf32>,
                     %mask: tensor<?x1x1x?xf32>, %bmask: tensor<?x?xi1>)
    -> (tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>) {
  // CHECK: transformer.attention %{{.+}}, %{{.+}}, %{{.+}} {causal} : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32> -> tensor<?x12x?x64xf32>
  %0 = transformer.attention %q, %k, %v {causal} : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32> -> tensor<?x12x?x64xf32>
  // CHECK: transformer.attention %{{.+}}, %{{.+}}, %{{.+}} mask(%{{.+}} : tensor<?x1x1x?xf32>) {scale = 1.250000e-01 : f32} : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32> -> tensor<?x12x?x64xf32>
  %1 = transformer.attention %q, %k, %v mask(%mask : tensor<?x1x1x?xf32>) {scale = 0.125 : f32} : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32> -> tensor<?x12x?x64xf32>
  // CHECK: transformer.attention %{{.+}}, %{{.+}}, %{{.+}} mask(%{{.+}} : tensor<?x?xi1>) : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32> -> tensor<?x12x?x64xf32>
  %2 = transformer.attention %q, %k, %v mask(%bmask : tensor<?x?xi1>) : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32> -> tensor<?x12x?x64xf32>
  return %0, %1, %2 : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>
}

// Grouped-query attention decode step with a KV cache: 32 query heads share
// 8 KV heads; one new token is appended to P past positions.
// CHECK-LABEL: func.func @attention_gqa_kv_cache
func.func @attention_gqa_kv_cache(%q: tensor<1x32x1x128xf32>, %k: tensor<1x8x1x128xf32>, %v: tensor<1x8x1x128xf32>,
                                  %pk: tensor<1x8x?x128xf32>, %pv: tensor<1x8x?x128xf32>, %pk7: tensor<1x8x7x128xf32>)
    -> (tensor<1x32x1x128xf32>, tensor<1x8x?x128xf32>, tensor<1x8x?x128xf32>, tensor<1x8x8x128xf32>) {
  // CHECK: %{{.+}}, %{{.+}}:2 = transformer.attention %{{.+}}, %{{.+}}, %{{.+}} past(%{{.+}}, %{{.+}} : tensor<1x8x?x128xf32>, tensor<1x8x?x128xf32>) {causal, num_kv_heads = 8 : i64} : tensor<1x32x1x128xf32>, tensor<1x8x1x128xf32>, tensor<1x8x1x128xf32> -> tensor<1x32x1x128xf32>, tensor<1x8x?x128xf32>, tensor<1x8x?x128xf32>
  %o, %pk2, %pv2 = transformer.attention %q, %k, %v past(%pk, %pv : tensor<1x8x?x128xf32>, tensor<1x8x?x128xf32>) {causal, num_kv_heads = 8 : i64}
      : tensor<1x32x1x128xf32>, tensor<1x8x1x128xf32>, tensor<1x8x1x128xf32> -> tensor<1x32x1x128xf32>, tensor<1x8x?x128xf32>, tensor<1x8x?x128xf32>
  // A static cache of 7 positions gives a static present of 8.
  // CHECK: transformer.attention {{.+}} -> tensor<1x32x1x128xf32>, tensor<1x8x8x128xf32>, tensor<1x8x8x128xf32>
  %o2, %k8, %v8 = transformer.attention %q, %k, %v past(%pk7, %pk7 : tensor<1x8x7x128xf32>, tensor<1x8x7x128xf32>)
      : tensor<1x32x1x128xf32>, tensor<1x8x1x128xf32>, tensor<1x8x1x128xf32> -> tensor<1x32x1x128xf32>, tensor<1x8x8x128xf32>, tensor<1x8x8x128xf32>
  return %o, %pk2, %pv2, %k8 : tensor<1x32x1x128xf32>, tensor<1x8x?x128xf32>, tensor<1x8x?x128xf32>, tensor<1x8x8x128xf32>
}

// CHECK-LABEL: func.func @embedding
func.func @embedding(%wte: tensor<50257x768xf32>, %ids: tensor<?x?xi64>, %pos: tensor<16xi32>)
    -> (tensor<?x?x768xf32>, tensor<16x768xf32>) {
  // CHECK: transformer.embedding %{{.+}}[%{{.+}}] : tensor<50257x768xf32>, tensor<?x?xi64> -> tensor<?x?x768xf32>
  %0 = transformer.embedding %wte[%ids] : tensor<50257x768xf32>, tensor<?x?xi64> -> tensor<?x?x768xf32>
  // CHECK: transformer.embedding %{{.+}}[%{{.+}}] : tensor<50257x768xf32>, tensor<16xi32> -> tensor<16x768xf32>
  %1 = transformer.embedding %wte[%pos] : tensor<50257x768xf32>, tensor<16xi32> -> tensor<16x768xf32>
  return %0, %1 : tensor<?x?x768xf32>, tensor<16x768xf32>
}

//===----------------------------------------------------------------------===//
// quant ops (TransformerQuantOps.td)
//===----------------------------------------------------------------------===//

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

// CHECK-LABEL: func.func @gather_elements
// CHECK-SAME: ([[X:%.+]]: tensor<3x?xf32>, [[I:%.+]]: tensor<3x2xi64>)
func.func @gather_elements(%x: tensor<3x?xf32>, %i: tensor<3x2xi64>) -> tensor<3x2xf32> {
  // CHECK: transformer.gather_elements [[X]], [[I]] {axis = 1 : i64} : tensor<3x?xf32>, tensor<3x2xi64> -> tensor<3x2xf32>
  %0 = transformer.gather_elements %x, %i {axis = 1} : tensor<3x?xf32>, tensor<3x2xi64> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @scatter_nd
// CHECK-SAME: ([[D:%.+]]: tensor<4x?xf32>, [[I:%.+]]: tensor<2x1xi64>, [[U:%.+]]: tensor<2x?xf32>, [[J:%.+]]: tensor<?x2xi32>, [[V:%.+]]: tensor<?xf32>)
func.func @scatter_nd(%d: tensor<4x?xf32>, %i: tensor<2x1xi64>, %u: tensor<2x?xf32>, %j: tensor<?x2xi32>, %v: tensor<?xf32>) -> (tensor<4x?xf32>, tensor<4x?xf32>) {
  // CHECK: transformer.scatter_nd [[D]], [[I]], [[U]] : tensor<4x?xf32>, tensor<2x1xi64>, tensor<2x?xf32> -> tensor<4x?xf32>
  %0 = transformer.scatter_nd %d, %i, %u : tensor<4x?xf32>, tensor<2x1xi64>, tensor<2x?xf32> -> tensor<4x?xf32>
  // CHECK: transformer.scatter_nd [[D]], [[J]], [[V]] {reduction = "max"} : tensor<4x?xf32>, tensor<?x2xi32>, tensor<?xf32> -> tensor<4x?xf32>
  %1 = transformer.scatter_nd %d, %j, %v {reduction = "max"} : tensor<4x?xf32>, tensor<?x2xi32>, tensor<?xf32> -> tensor<4x?xf32>
  return %0, %1 : tensor<4x?xf32>, tensor<4x?xf32>
}

// CHECK-LABEL: func.func @cumsum
// CHECK-SAME: ([[X:%.+]]: tensor<1x?xi64>)
func.func @cumsum(%x: tensor<1x?xi64>) -> (tensor<1x?xi64>, tensor<1x?xi64>) {
  // CHECK: transformer.cumsum [[X]] {axis = 1 : i64} : tensor<1x?xi64> -> tensor<1x?xi64>
  %0 = transformer.cumsum %x {axis = 1} : tensor<1x?xi64> -> tensor<1x?xi64>
  // CHECK: transformer.cumsum [[X]] {axis = -1 : i64, exclusive, reverse} : tensor<1x?xi64> -> tensor<1x?xi64>
  %1 = transformer.cumsum %x {axis = -1, exclusive, reverse} : tensor<1x?xi64> -> tensor<1x?xi64>
  return %0, %1 : tensor<1x?xi64>, tensor<1x?xi64>
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x020000000000003C00400042"
    }
  }
#-}

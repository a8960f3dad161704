// RUN: llm-opt %s | llm-opt | FileCheck %s
// RUN: llm-opt %s --mlir-print-op-generic | llm-opt | FileCheck %s

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

{-#
  dialect_resources: {
    builtin: {
      weights: "0x020000000000003C00400042"
    }
  }
#-}

// llm-unshare-fills: a zero fill that CSE shared between two matmuls is
// cloned (with its tensor.empty) before the second; a fill with one use
// stays as it is.
// RUN: llm-opt %s --llm-unshare-fills | FileCheck %s
// RUN: llm-opt %s --llm-unshare-fills --one-shot-bufferize="bufferize-function-boundaries" | FileCheck %s --check-prefix=BUF

// CHECK-LABEL: func.func @shared
// CHECK: %[[E0:.+]] = tensor.empty() : tensor<4x8xf32>
// CHECK: %[[Z0:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[E0]] : tensor<4x8xf32>)
// CHECK: %[[M0:.+]] = linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<4x3xf32>, tensor<3x8xf32>) outs(%[[Z0]] : tensor<4x8xf32>)
// CHECK: %[[E1:.+]] = tensor.empty() : tensor<4x8xf32>
// CHECK: %[[Z1:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[E1]] : tensor<4x8xf32>)
// CHECK: %[[M1:.+]] = linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<4x3xf32>, tensor<3x8xf32>) outs(%[[Z1]] : tensor<4x8xf32>)
// CHECK: return %[[M0]], %[[M1]]

// Bufferized, each matmul gets its own zero-filled buffer and no copy.
// BUF-LABEL: func.func @shared
// BUF-NOT: memref.copy
// BUF: %[[C0:.+]] = memref.alloc() {{.*}} : memref<4x8xf32>
// BUF: linalg.fill ins(%{{.+}} : f32) outs(%[[C0]] : memref<4x8xf32>)
// BUF: linalg.matmul {{.*}} outs(%[[C0]] : memref<4x8xf32>)
// BUF: %[[C1:.+]] = memref.alloc() {{.*}} : memref<4x8xf32>
// BUF: linalg.fill ins(%{{.+}} : f32) outs(%[[C1]] : memref<4x8xf32>)
// BUF: linalg.matmul {{.*}} outs(%[[C1]] : memref<4x8xf32>)
// BUF-NOT: memref.copy
// BUF: return
func.func @shared(%a: tensor<4x3xf32>, %b: tensor<3x8xf32>, %c: tensor<4x3xf32>, %d: tensor<3x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x3xf32>, tensor<3x8xf32>) outs(%z : tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = linalg.matmul ins(%c, %d : tensor<4x3xf32>, tensor<3x8xf32>) outs(%z : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// CHECK-LABEL: func.func @single
// CHECK-COUNT-1: linalg.fill
// CHECK-NOT: linalg.fill
// CHECK: return
func.func @single(%a: tensor<4x3xf32>, %b: tensor<3x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x3xf32>, tensor<3x8xf32>) outs(%z : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

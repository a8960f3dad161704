// llm-reuse-input-buffers: an elementwise generic writing a fresh
// tensor.empty takes over the last use of a temporary of its type (through
// reshapes), so bufferization keeps one buffer instead of two.
// RUN: llm-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(llm-reuse-input-buffers))' | FileCheck %s
// RUN: llm-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(llm-reuse-input-buffers),one-shot-bufferize{bufferize-function-boundaries})' | FileCheck %s --check-prefix=BUF

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#col = affine_map<(d0, d1, d2) -> (d2)>

// Matmul, then bias add through an expand_shape: the add writes into the
// matmul's result; its block argument for the matmul value becomes the
// output's.
// CHECK-LABEL: func.func @bias_after_matmul
// CHECK: %[[MM:.+]] = linalg.matmul
// CHECK: %[[EXP:.+]] = tensor.expand_shape %[[MM]]
// CHECK-NOT: tensor.empty
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{.+}} : tensor<8xf32>) outs(%[[EXP]] : tensor<1x4x8xf32>)
// CHECK-NEXT: ^bb0(%[[B:.+]]: f32, %[[X:.+]]: f32):
// CHECK-NEXT: arith.addf %[[X]], %[[B]] : f32
// BUF-LABEL: func.func @bias_after_matmul
// BUF-COUNT-1: memref.alloc()
// BUF-NOT: memref.alloc()
func.func @bias_after_matmul(%a: tensor<4x16xf32>, %w: tensor<16x8xf32>, %bias: tensor<8xf32>) -> tensor<1x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<4x8xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e0 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.matmul ins(%a, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%fill : tensor<4x8xf32>) -> tensor<4x8xf32>
  %x = tensor.expand_shape %mm [[0, 1], [2]] output_shape [1, 4, 8] : tensor<4x8xf32> into tensor<1x4x8xf32>
  %e1 = tensor.empty() : tensor<1x4x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %bias : tensor<1x4x8xf32>, tensor<8xf32>) outs(%e1 : tensor<1x4x8xf32>) {
  ^bb0(%in: f32, %b: f32, %out: f32):
    %s = arith.addf %in, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>

// Left alone: a function argument (read-only for the caller), a temporary
// read again later, and a dequantizing epilogue (integer input).
// CHECK-LABEL: func.func @left_alone
// BUF-LABEL: func.func @left_alone
// CHECK-COUNT-3: outs(%{{.+}} : tensor<4x8xf32>)
// CHECK: %[[E1:.+]] = tensor.empty() : tensor<4x8xf32>
// CHECK: linalg.generic {{.+}} ins(%arg0, %{{.+}} : tensor<4x8xf32>, tensor<4x8xf32>) outs(%[[E1]] : tensor<4x8xf32>)
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}} : tensor<4x8xf32>, tensor<4x8xf32>) outs(%[[E1]] : tensor<4x8xf32>)
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}} : tensor<4x8xf32>, tensor<4x8xi32>) outs(%[[E1]] : tensor<4x8xf32>)
func.func @left_alone(%x: tensor<4x8xf32>, %i: tensor<4x8xi32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %one = arith.constant 1.0 : f32
  %e0 = tensor.empty() : tensor<4x8xf32>
  %t = linalg.fill ins(%one : f32) outs(%e0 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %t2 = linalg.fill ins(%one : f32) outs(%e0 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %t3 = linalg.fill ins(%one : f32) outs(%e0 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %e1 = tensor.empty() : tensor<4x8xf32>
  %a = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %t : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e1 : tensor<4x8xf32>) {
  ^bb0(%p: f32, %q: f32, %out: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %b = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%t2, %t : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e1 : tensor<4x8xf32>) {
  ^bb0(%p: f32, %q: f32, %out: f32):
    %s = arith.mulf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %c = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%t3, %i : tensor<4x8xf32>, tensor<4x8xi32>) outs(%e1 : tensor<4x8xf32>) {
  ^bb0(%p: f32, %q: i32, %out: f32):
    %f = arith.sitofp %q : i32 to f32
    %s = arith.mulf %p, %f : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %a, %b, %t2, %c : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// With llm-readonly-arguments, bufferization copies an input before an
// in-place update (here a KV-cache style insert_slice) instead of writing
// the caller's buffer.
// RUN: llm-opt %s --llm-readonly-arguments --one-shot-bufferize="bufferize-function-boundaries" | FileCheck %s
// RUN: llm-opt %s --one-shot-bufferize="bufferize-function-boundaries" | FileCheck %s --check-prefix=INPLACE

// CHECK-LABEL: func.func @main(
// CHECK-SAME: [[CACHE:%.+]]: memref<4x8xf32{{.*}}>, [[ROW:%.+]]: memref<1x8xf32{{.*}}>)
// CHECK: [[COPY:%.+]] = memref.alloc
// CHECK: memref.copy [[CACHE]], [[COPY]]
// CHECK: [[VIEW:%.+]] = memref.subview [[COPY]][2, 0] [1, 8] [1, 1]
// CHECK: memref.copy [[ROW]], [[VIEW]]
// CHECK: return [[COPY]]

// INPLACE-LABEL: func.func @main(
// INPLACE-SAME: [[CACHE:%.+]]: memref<4x8xf32{{.*}}>, [[ROW:%.+]]: memref<1x8xf32{{.*}}>)
// INPLACE-NOT: memref.alloc
// INPLACE: memref.subview [[CACHE]][2, 0] [1, 8] [1, 1]
func.func @main(%cache: tensor<4x8xf32>, %row: tensor<1x8xf32>) -> tensor<4x8xf32> {
  %0 = tensor.insert_slice %row into %cache[2, 0] [1, 8] [1, 1] : tensor<1x8xf32> into tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

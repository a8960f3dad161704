// llm-strided-copy-to-linalg rewrites the memref.copy ops that would need
// the memrefCopy runtime function into linalg.copy; contiguous copies stay.
// RUN: llm-opt %s --llm-strided-copy-to-linalg | FileCheck %s
// The whole pipeline then has no call to memrefCopy.
// RUN: llm-opt %s --llm-strided-copy-to-linalg --convert-linalg-to-loops --convert-scf-to-cf --expand-strided-metadata --lower-affine --finalize-memref-to-llvm --convert-arith-to-llvm --convert-index-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | FileCheck %s --check-prefix=LLVM

// CHECK-LABEL: func.func @strided(
// CHECK-SAME: [[SRC:%.+]]: memref<2x3xf32>, [[DST:%.+]]: memref<4x6xf32>)
// CHECK: [[VIEW:%.+]] = memref.subview [[DST]]
// CHECK: linalg.copy ins([[SRC]] : memref<2x3xf32>) outs([[VIEW]] : memref<2x3xf32, strided<[6, 1], offset: 3>>)
// CHECK-NOT: memref.copy
// LLVM-LABEL: llvm.func @strided(
// LLVM-NOT: memrefCopy
func.func @strided(%src: memref<2x3xf32>, %dst: memref<4x6xf32>) {
  %view = memref.subview %dst[0, 3] [2, 3] [1, 1] : memref<4x6xf32> to memref<2x3xf32, strided<[6, 1], offset: 3>>
  memref.copy %src, %view : memref<2x3xf32> to memref<2x3xf32, strided<[6, 1], offset: 3>>
  return
}

// Identity layouts and static contiguous views become memcpy: kept.
// CHECK-LABEL: func.func @contiguous(
// CHECK-SAME: [[A:%.+]]: memref<?x4xf32>, [[B:%.+]]: memref<?x4xf32>, [[C:%.+]]: memref<4x4xf32>, [[D:%.+]]: memref<8x4xf32>)
// CHECK: memref.copy [[A]], [[B]]
// CHECK: [[ROWS:%.+]] = memref.subview [[D]]
// CHECK: memref.copy [[C]], [[ROWS]]
// CHECK-NOT: linalg.copy
// LLVM-LABEL: llvm.func @contiguous(
// LLVM: "llvm.intr.memcpy"
// LLVM-NOT: memrefCopy
func.func @contiguous(%a: memref<?x4xf32>, %b: memref<?x4xf32>, %c: memref<4x4xf32>, %d: memref<8x4xf32>) {
  memref.copy %a, %b : memref<?x4xf32> to memref<?x4xf32>
  %rows = memref.subview %d[4, 0] [4, 4] [1, 1] : memref<8x4xf32> to memref<4x4xf32, strided<[4, 1], offset: 16>>
  memref.copy %c, %rows : memref<4x4xf32> to memref<4x4xf32, strided<[4, 1], offset: 16>>
  return
}

// The loop nest and micro-kernel llm-tile-contractions builds for a fixed
// target description (skylake-avx512 with a 32 KiB L1 and 1 MiB L2; the
// tile sizes are those of tile-sizes.mlir: 4 x 96 register tiles, KC 384,
// MC 128, A blocks packed).
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-tile-contractions{target-cpu=skylake-avx512 target-desc="l1=32K,l2=1M,l3=32M,threads=1"}))' | FileCheck %s
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-tile-contractions{target-cpu=skylake-avx512 target-desc="l1=32K,l2=1M,l3=32M,threads=1" pack-a=false}))' | FileCheck %s --check-prefix=NOPACKA

// Static shapes that the tiles divide: no versioning, no scalar remainder.
// Per k block, the 128 x 384 block of A is copied row by row (24 vectors of
// 16 per row: 384 is a multiple of 16, so no scalar tail) into a heap
// buffer whose rows are 384 + 16 floats apart (one cache line of padding).
// B (an argument, not a constant) is copied per 384 x 96 micro-panel into a
// contiguous heap buffer in the n1 loop, before the m1 loop whose tiles
// read it. The k loop carries the 4 x 6 accumulators as 24 vector<16xf32>,
// loads 6 vectors of the panel and 4 scalars of the A buffer per step and
// issues 24 FMAs; C is read before and written after it.
// CHECK-LABEL: func.func @static
// CHECK-NOT: linalg.matmul
// CHECK: %[[ABUF:.+]] = memref.alloc() {alignment = 64 : i64} : memref<128x400xf32>
// CHECK: %[[PANEL:.+]] = memref.alloc() {alignment = 64 : i64} : memref<384x96xf32>
// CHECK: scf.for %[[K0:.+]] = %{{.+}} to %{{.+}} step %{{.+}} {
// CHECK: scf.for %[[ROW:.+]] = %{{.+}} to %{{.+}} step %{{.+}} {
// CHECK: scf.for %[[COL:.+]] = %{{.+}} to %{{.+}} step %c16 {
// CHECK: %[[AV:.+]] = vector.load %{{.+}}[%[[ROW]], %{{.+}}] : memref<128x768xf32>, vector<16xf32>
// CHECK: vector.store %[[AV]], %[[ABUF]][%[[ROW]], %[[COL]]] : memref<128x400xf32>, vector<16xf32>
// CHECK: scf.for %[[N1:.+]] = %{{.+}} to %{{.+}} step %{{.+}} {
// CHECK: scf.for
// CHECK-COUNT-6: vector.store %{{.+}}, %[[PANEL]][{{.+}}] : memref<384x96xf32>, vector<16xf32>
// CHECK: scf.for %[[M1:.+]] = %{{.+}} to %{{.+}} step %{{.+}} {
// CHECK-COUNT-24: vector.load %[[C:.+]][{{.+}}] : memref<128x768xf32>, vector<16xf32>
// CHECK: scf.for {{.+}} iter_args({{.+}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-COUNT-4: vector.load %[[ABUF]][{{.+}}] : memref<128x400xf32>, vector<1xf32>
// CHECK-COUNT-6: vector.load %[[PANEL]][{{.+}}] : memref<384x96xf32>, vector<16xf32>
// CHECK-COUNT-24: vector.fma
// CHECK: scf.yield
// CHECK-COUNT-24: vector.store
// Both buffers are freed after the loop nest (heap, not stack: a function's
// static allocas all live until it returns).
// CHECK-DAG: memref.dealloc %[[PANEL]] : memref<384x96xf32>
// CHECK-DAG: memref.dealloc %[[ABUF]] : memref<128x400xf32>
// CHECK: return
// With pack-a=false the kernel reads A where it is.
// NOPACKA-LABEL: func.func @static
// NOPACKA-NOT: memref<128x400xf32>
// NOPACKA: scf.for {{.+}} iter_args(
// NOPACKA-COUNT-4: vector.load %{{.+}} : memref<128x768xf32>, vector<1xf32>
// NOPACKA-LABEL: func.func @dynamic
func.func @static(%a: memref<128x768xf32>, %b: memref<768x768xf32>, %c: memref<128x768xf32>) {
  linalg.matmul ins(%a, %b : memref<128x768xf32>, memref<768x768xf32>) outs(%c : memref<128x768xf32>)
  return
}

// Dynamic M: every register tile checks its size at run time. Full 4 x 96
// tiles take the kernel; the others are retiled as 1 x 96 and then 1 x 16
// rows (each versioned the same way), and columns past the last 16 become
// scalar loops. Every kernel keeps its accumulators in registers (C is read
// before its k loop and written after it).
// CHECK-LABEL: func.func @dynamic
// CHECK: %[[FULL:.+]] = arith.andi
// CHECK: scf.if %[[FULL]] {
// CHECK-COUNT-24: vector.load %[[C:.+]][{{.+}}] : memref<?x100xf32>, vector<16xf32>
// CHECK: scf.for {{.+}} iter_args(
// CHECK-COUNT-24: vector.fma
// CHECK: scf.yield
// CHECK-COUNT-24: vector.store
// CHECK: } else {
// CHECK: scf.if
// CHECK-COUNT-6: vector.load %[[C]]
// CHECK: scf.for {{.+}} iter_args(
// CHECK-COUNT-6: vector.fma
// CHECK: scf.yield
// CHECK-COUNT-6: vector.store
// CHECK: } else {
// CHECK: scf.if
// CHECK: vector.load %[[C]]
// CHECK: scf.for {{.+}} iter_args(
// CHECK: vector.fma
// CHECK: scf.yield
// CHECK: vector.store
// CHECK: } else {
// CHECK: memref.load
// CHECK: memref.load
// CHECK: memref.load
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: memref.store
// CHECK-NOT: memref.subview
// CHECK: return
func.func @dynamic(%a: memref<?x100xf32>, %b: memref<100x100xf32>) -> memref<?x100xf32> {
  %c0 = arith.constant 0 : index
  %m = memref.dim %a, %c0 : memref<?x100xf32>
  %c = memref.alloc(%m) : memref<?x100xf32>
  linalg.matmul ins(%a, %b : memref<?x100xf32>, memref<100x100xf32>) outs(%c : memref<?x100xf32>)
  return %c : memref<?x100xf32>
}

// M = 1 (no full 4-row tile, so no B copy): one k block over all of K (the
// L1 bound on KC is for panels reused across m steps; with M = 1 nothing is
// reused), i.e. the n1 loop of 128-column rows and inside it one k loop of
// 768 steps carrying the 8 accumulators.
// CHECK-LABEL: func.func @decode
// CHECK-NOT: memref.alloc
// CHECK: %[[C768:.+]] = arith.constant 768 : index
// CHECK: scf.for %{{.+}} = %{{.+}} to %[[C768]] step %{{.+}} {
// CHECK-COUNT-8: vector.load
// CHECK: scf.for %{{.+}} = %{{.+}} to %[[C768]] step %{{.+}} iter_args(
// CHECK-COUNT-8: vector.fma
// CHECK-NOT: scf.for
// CHECK: return
func.func @decode(%a: memref<1x768xf32>, %b: memref<768x768xf32>, %c: memref<1x768xf32>) {
  linalg.matmul ins(%a, %b : memref<1x768xf32>, memref<768x768xf32>) outs(%c : memref<1x768xf32>)
  return
}

// Tensors (before bufferization) are left alone (a transposed B is tiled:
// transposed-b.mlir).
// CHECK-LABEL: func.func @untouched
// CHECK: linalg.matmul
// CHECK-NOT: vector.fma
func.func @untouched(%a: tensor<8x16xf32>, %b: tensor<16x32xf32>, %c: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x32xf32>) outs(%c : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %0 : tensor<8x32xf32>
}

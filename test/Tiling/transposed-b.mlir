// llm-tile-contractions on a contraction whose B is stored transposed
// ([..., N, K], k innermost) and is not a constant: B is read through a
// memref.transpose view, packed per (n0, k0) cache block into [NC / NR, KC,
// NR] register panels (16 x 16 blocks: 16 row loads, a 64-shuffle register
// transpose, 16 stores; scalar copies for the N % 16 rows), and the FMA
// micro-kernel reads the panels. Same description as tile-contractions.mlir
// (4 x 96 register tiles, KC 384 for these shapes). The VIEW run shows
// llm-view-transposed-operands alone (the CPU pipeline runs it before the
// thread split); the tiling does the same itself when run without it.
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-tile-contractions{target-cpu=skylake-avx512 target-desc="l1=32K,l2=1M,l3=32M,threads=1"}))' | FileCheck %s
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-view-transposed-operands))' | FileCheck %s --check-prefix=VIEW
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-view-transposed-operands,llm-tile-contractions{target-cpu=skylake-avx512 target-desc="l1=32K,l2=1M,l3=32M,threads=1"}))' | FileCheck %s

// matmul_transpose_b: W [192, 384] packed into 2 panels of 384 x 96 (one
// cache block), the 4 x 96 tiles read the panels: 24 accumulators, 24 FMAs
// per k step, 6 vector loads of B per k step from the panels.
// CHECK-LABEL: func.func @transposed
// CHECK-SAME: (%[[A:.+]]: memref<128x384xf32>, %[[W:.+]]: memref<192x384xf32>, %[[C:.+]]: memref<128x192xf32>)
// CHECK: %[[TV:.+]] = memref.transpose %[[W]] (d0, d1) -> (d1, d0)
// CHECK: %[[PANELS:.+]] = memref.alloc() {alignment = 64 : i64} : memref<2x384x96xf32>
// CHECK: %[[STORED:.+]] = memref.transpose %{{.+}} (d0, d1) -> (d1, d0) : memref<384x192xf32, {{.+}}> to memref<192x384xf32, strided<[384, 1], offset: ?>>
// CHECK: scf.for %[[N:.+]] = %{{.+}} to %{{.+}} step %[[C16:.+]] {
// CHECK: scf.for %[[K:.+]] = %{{.+}} to %{{.+}} step %[[C16]] {
// CHECK-COUNT-16: vector.load %[[STORED]][%{{.+}}, %[[K]]] : memref<192x384xf32, strided<[384, 1], offset: ?>>, vector<16xf32>
// CHECK-COUNT-64: vector.shuffle
// CHECK-COUNT-16: vector.store %{{.+}}, %[[PANELS]][%{{.+}}, %{{.+}}, %{{.+}}] : memref<2x384x96xf32>, vector<16xf32>
// CHECK: scf.for %{{.+}} iter_args(
// CHECK-COUNT-6: vector.load %[[PANELS]]
// CHECK-COUNT-24: vector.fma
// CHECK: memref.dealloc %[[PANELS]]
// CHECK-NOT: memref.load %[[W]]
// CHECK: return
// VIEW-LABEL: func.func @transposed
// VIEW-SAME: (%[[A:.+]]: memref<128x384xf32>, %[[W:.+]]: memref<192x384xf32>, %[[C:.+]]: memref<128x192xf32>)
// VIEW: %[[V:.+]] = memref.transpose %[[W]] (d0, d1) -> (d1, d0) : memref<192x384xf32> to memref<384x192xf32, strided<[1, 384]>>
// VIEW: linalg.generic {indexing_maps = [#{{.+}}, #[[KN:.+]], #{{.+}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[A]], %[[V]] : {{.+}}) outs(%[[C]] : memref<128x192xf32>)
// VIEW-NOT: linalg.matmul
func.func @transposed(%a: memref<128x384xf32>, %b: memref<192x384xf32>, %c: memref<128x192xf32>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
    ins(%a, %b : memref<128x384xf32>, memref<192x384xf32>) outs(%c : memref<128x192xf32>)
  return
}

// Q K^T per (batch, head), as the naive attention lowering writes it: a
// generic with two batch dims. Per head, K [50, 64] is packed into panels
// [2, 1, 64, 48] (3 x 48 register tiles here): the first 48 rows by 16 x 16
// register transposes, the last 50 % 16 = 2 rows element by element; every
// tile (9 x 48 full tiles, 1 x 48 rows, the 2 scalar columns) reads the
// panels.
// CHECK-LABEL: func.func @heads
// CHECK-SAME: (%[[Q:.+]]: memref<2x3x37x64xf32>, %[[K:.+]]: memref<2x3x50x64xf32>, %[[S:.+]]: memref<2x3x37x50xf32>)
// CHECK: memref.transpose %[[K]] (d0, d1, d2, d3) -> (d0, d1, d3, d2)
// CHECK: %[[PANELS:.+]] = memref.alloc() {alignment = 64 : i64} : memref<2x1x64x48xf32>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[STORED:.+]] = memref.transpose %{{.+}} (d0, d1, d2, d3) -> (d0, d1, d3, d2)
// CHECK-COUNT-64: vector.shuffle
// CHECK-COUNT-16: vector.store %{{.+}}, %[[PANELS]]
// CHECK: scf.for %{{.+}} = %c48 to %c50 step %c1 {
// CHECK: scf.for
// CHECK: %[[X:.+]] = memref.load %[[STORED]]
// CHECK: memref.store %[[X]], %[[PANELS]]
// CHECK: scf.for %{{.+}} iter_args(
// CHECK-COUNT-3: vector.load %[[PANELS]]
// CHECK-COUNT-3: vector.fma
// CHECK-NOT: memref.load %[[K]]
// CHECK: return
// VIEW-LABEL: func.func @heads
// VIEW: memref.transpose %{{.+}} (d0, d1, d2, d3) -> (d0, d1, d3, d2) : memref<2x3x50x64xf32> to memref<2x3x64x50xf32, strided<[9600, 3200, 1, 64]>>
// VIEW: linalg.generic
func.func @heads(%q: memref<2x3x37x64xf32>, %k: memref<2x3x50x64xf32>, %s: memref<2x3x37x50xf32>) {
  linalg.generic {indexing_maps = [affine_map<(b, h, m, n, k) -> (b, h, m, k)>, affine_map<(b, h, m, n, k) -> (b, h, n, k)>, affine_map<(b, h, m, n, k) -> (b, h, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
    ins(%q, %k : memref<2x3x37x64xf32>, memref<2x3x50x64xf32>) outs(%s : memref<2x3x37x50xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  }
  return
}

// A contraction generic (B not transposed) gets the same micro-kernel as
// linalg.matmul: its full tiles become linalg.matmul on rank-reduced views
// before vectorization (the vectorizer reads B of a generic one element at
// a time).
// CHECK-LABEL: func.func @generic
// CHECK: scf.for %{{.+}} iter_args(
// CHECK-COUNT-24: vector.fma
// CHECK-NOT: vector.transfer_read
// CHECK: return
// VIEW-LABEL: func.func @generic
// VIEW-NOT: memref.transpose
func.func @generic(%a: memref<64x32xf32>, %b: memref<32x192xf32>, %c: memref<64x192xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
    ins(%a, %b : memref<64x32xf32>, memref<32x192xf32>) outs(%c : memref<64x192xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %r = arith.addf %p, %acc : f32
    linalg.yield %r : f32
  }
  return
}

// Epilogue fusion of llm-tile-contractions (ContractionEpilogue.h): the
// elementwise consumer of a zero-filled matmul result runs on the register
// tiles after the last k block (K = 100 in blocks of 15 here: 4 x 96 tiles,
// skylake-avx512 with a 32 KiB L2 so that K takes several blocks), the
// first k block starts from zeros, and the fill, the consumer and C go.
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-tile-contractions{target-cpu=skylake-avx512 target-desc="l1=32K,l2=32K,l3=32M,threads=1"}))' | FileCheck %s
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-tile-contractions{target-cpu=skylake-avx512 target-desc="l1=32K,l2=32K,l3=32M,threads=1" fuse-epilogues=false}))' | FileCheck %s --check-prefix=UNFUSED

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#col = affine_map<(d0, d1, d2) -> (d2)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#col2 = affine_map<(d0, d1) -> (d1)>

// C read through an expand_shape to [1, 8, 96] by bias + tanh: the partial
// sums of the first two k blocks go to the output %y (seen as 8 x 96), the
// first block zeroes the accumulators' tile, the last applies the body on
// vectors and stores into %y.
// CHECK-LABEL: func.func @bias_tanh
// CHECK-SAME: (%[[A:.+]]: memref<8x100xf32>, %[[B:.+]]: memref<100x96xf32>, %[[BIAS:.+]]: memref<96xf32>, %[[Y:.+]]: memref<1x8x96xf32>)
// No C buffer (the packing buffers of A and B are the only allocations).
// CHECK-NOT: memref.alloc() {{.*}} : memref<8x96xf32>
// CHECK-NOT: linalg.fill
// CHECK: %[[YC:.+]] = memref.collapse_shape %[[Y]] {{\[}}[0, 1], [2]] : memref<1x8x96xf32> into memref<8x96xf32>
// CHECK: scf.for %[[K0:.+]] = %{{.+}} to %{{.+}} step %{{.+}} {
// CHECK: %[[FIRST:.+]] = arith.cmpi eq, %[[K0]], %{{.+}} : index
// CHECK: %[[LAST:.+]] = arith.cmpi eq, %{{.+}}, %{{.+}} : index
// CHECK: scf.if %[[FIRST]] {
// CHECK-COUNT-24: vector.store %{{.+}}, %[[Y]][{{.+}}] : memref<1x8x96xf32>, vector<16xf32>
// CHECK: }
// CHECK-COUNT-24: vector.load %[[YC]][{{.+}}] : memref<8x96xf32>, vector<16xf32>
// CHECK: scf.for {{.+}} iter_args
// CHECK-COUNT-24: vector.fma
// CHECK: scf.yield
// CHECK-COUNT-24: vector.store %{{.+}}, %[[YC]][{{.+}}] : memref<8x96xf32>, vector<16xf32>
// CHECK: scf.if %[[LAST]] {
// CHECK: %[[ACC:.+]] = vector.load %[[Y]][{{.+}}] : memref<1x8x96xf32>, vector<16xf32>
// CHECK: %[[BV:.+]] = vector.load %[[BIAS]][{{.+}}] : memref<96xf32>, vector<16xf32>
// CHECK: %[[SUM:.+]] = arith.addf %[[ACC]], %[[BV]] : vector<16xf32>
// CHECK: %[[T:.+]] = math.tanh %[[SUM]] : vector<16xf32>
// CHECK: vector.store %[[T]], %[[Y]][{{.+}}] : memref<1x8x96xf32>, vector<16xf32>
// CHECK-COUNT-23: math.tanh
// CHECK-NOT: linalg.generic
// CHECK-NOT: memref.dealloc {{.*}} : memref<8x96xf32>
// CHECK: return

// UNFUSED-LABEL: func.func @bias_tanh
// UNFUSED: memref.alloc() {alignment = 64 : i64} : memref<8x96xf32>
// UNFUSED: linalg.fill
// UNFUSED: vector.fma
// UNFUSED: linalg.generic
// UNFUSED: math.tanh %{{.+}} : f32
// UNFUSED: memref.dealloc
func.func @bias_tanh(%a: memref<8x100xf32>, %b: memref<100x96xf32>, %bias: memref<96xf32>, %y: memref<1x8x96xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() {alignment = 64 : i64} : memref<8x96xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<8x96xf32>)
  linalg.matmul ins(%a, %b : memref<8x100xf32>, memref<100x96xf32>) outs(%c : memref<8x96xf32>)
  %v = memref.expand_shape %c [[0, 1], [2]] output_shape [1, 8, 96] : memref<8x96xf32> into memref<1x8x96xf32>
  linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%v, %bias : memref<1x8x96xf32>, memref<96xf32>) outs(%y : memref<1x8x96xf32>) {
  ^bb0(%x: f32, %bb: f32, %o: f32):
    %s = arith.addf %x, %bb : f32
    %t = math.tanh %s : f32
    linalg.yield %t : f32
  }
  memref.dealloc %c : memref<8x96xf32>
  return
}

// The consumer writes in place of C (a returned result): C stays and holds
// the accumulators, the epilogue stores into it; no fill, no second pass.
// N = 21 (1 x 16 tiles, K in one block: the first/last branches fold): the
// 16 columns of a vector tile, and 5 scalar columns whose tile is zeroed
// and whose epilogue runs element by element.
// CHECK-LABEL: func.func @in_place
// CHECK: %[[C:.+]] = memref.alloc() {alignment = 64 : i64} : memref<8x21xf32>
// CHECK-NOT: linalg.fill
// CHECK: vector.store %{{.+}}, %[[C]][{{.+}}] : memref<8x21xf32>, vector<16xf32>
// CHECK: vector.fma
// CHECK: vector.store %{{.+}}, %[[C]][{{.+}}] : memref<8x21xf32>, vector<16xf32>
// CHECK: %[[ACC:.+]] = vector.load %[[C]][{{.+}}] : memref<8x21xf32>, vector<16xf32>
// CHECK: %[[PV:.+]] = arith.mulf %[[ACC]], %{{.+}} : vector<16xf32>
// CHECK: vector.store %[[PV]], %[[C]][{{.+}}] : memref<8x21xf32>, vector<16xf32>
// CHECK: } else {
// CHECK: memref.store %{{.+}}, %[[C]][{{.+}}] : memref<8x21xf32>
// CHECK: arith.mulf %{{.+}}, %{{.+}} : f32
// CHECK: %[[S:.+]] = memref.load %[[C]][{{.+}}] : memref<8x21xf32>
// CHECK: %[[P:.+]] = arith.mulf %[[S]], %{{.+}} : f32
// CHECK: memref.store %[[P]], %[[C]][{{.+}}] : memref<8x21xf32>
// CHECK-NOT: linalg.generic
// CHECK: return %[[C]]
func.func @in_place(%a: memref<8x100xf32>, %b: memref<100x21xf32>) -> memref<8x21xf32> {
  %zero = arith.constant 0.0 : f32
  %scale = arith.constant 0.125 : f32
  %c = memref.alloc() {alignment = 64 : i64} : memref<8x21xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<8x21xf32>)
  linalg.matmul ins(%a, %b : memref<8x100xf32>, memref<100x21xf32>) outs(%c : memref<8x21xf32>)
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<8x21xf32>) outs(%c : memref<8x21xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %scale : f32
    linalg.yield %s : f32
  }
  return %c : memref<8x21xf32>
}

// A residual add whose residual is the output itself (%y += C + bias):
// partial sums in %y would be read as the residual, so C stays as their
// buffer (without its fill) and the epilogue reads C and %y, stores %y.
// CHECK-LABEL: func.func @residual_in_output
// CHECK-SAME: %[[Y:[^:]+]]: memref<8x96xf32>)
// CHECK: %[[C:.+]] = memref.alloc() {alignment = 64 : i64} : memref<8x96xf32>
// CHECK-NOT: linalg.fill
// CHECK: vector.fma
// CHECK-COUNT-24: vector.store %{{.+}}, %[[C]][{{.+}}] : memref<8x96xf32>, vector<16xf32>
// CHECK: scf.if
// CHECK: %[[ACC:.+]] = vector.load %[[C]][{{.+}}] : memref<8x96xf32>, vector<16xf32>
// CHECK: %[[R:.+]] = vector.load %[[Y]][{{.+}}] : memref<8x96xf32>, vector<16xf32>
// CHECK: vector.store %{{.+}}, %[[Y]][{{.+}}] : memref<8x96xf32>, vector<16xf32>
// CHECK-NOT: linalg.generic
// CHECK: memref.dealloc %[[C]]
func.func @residual_in_output(%a: memref<8x100xf32>, %b: memref<100x96xf32>, %bias: memref<96xf32>, %y: memref<8x96xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() {alignment = 64 : i64} : memref<8x96xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<8x96xf32>)
  linalg.matmul ins(%a, %b : memref<8x100xf32>, memref<100x96xf32>) outs(%c : memref<8x96xf32>)
  linalg.generic {indexing_maps = [#id2, #col2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%c, %bias, %y : memref<8x96xf32>, memref<96xf32>, memref<8x96xf32>) outs(%y : memref<8x96xf32>) {
  ^bb0(%x: f32, %bb: f32, %r: f32, %o: f32):
    %s = arith.addf %x, %bb : f32
    %t = arith.addf %r, %s : f32
    linalg.yield %t : f32
  }
  memref.dealloc %c : memref<8x96xf32>
  return
}

// C has another reader (it is also returned): not fused.
// CHECK-LABEL: func.func @c_also_returned
// CHECK: linalg.fill
// CHECK: vector.fma
// CHECK: linalg.generic
// CHECK: math.tanh %{{.+}} : f32
func.func @c_also_returned(%a: memref<8x100xf32>, %b: memref<100x96xf32>, %y: memref<8x96xf32>) -> memref<8x96xf32> {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() {alignment = 64 : i64} : memref<8x96xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<8x96xf32>)
  linalg.matmul ins(%a, %b : memref<8x100xf32>, memref<100x96xf32>) outs(%c : memref<8x96xf32>)
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<8x96xf32>) outs(%y : memref<8x96xf32>) {
  ^bb0(%x: f32, %o: f32):
    %t = math.tanh %x : f32
    linalg.yield %t : f32
  }
  return %c : memref<8x96xf32>
}

// C starts from a non-zero value (a -0.0 fill): not fused.
// CHECK-LABEL: func.func @negative_zero_fill
// CHECK: linalg.fill
// CHECK: linalg.generic
func.func @negative_zero_fill(%a: memref<8x100xf32>, %b: memref<100x96xf32>, %y: memref<8x96xf32>) {
  %nzero = arith.constant -0.0 : f32
  %c = memref.alloc() {alignment = 64 : i64} : memref<8x96xf32>
  linalg.fill ins(%nzero : f32) outs(%c : memref<8x96xf32>)
  linalg.matmul ins(%a, %b : memref<8x100xf32>, memref<100x96xf32>) outs(%c : memref<8x96xf32>)
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<8x96xf32>) outs(%y : memref<8x96xf32>) {
  ^bb0(%x: f32, %o: f32):
    %t = math.tanh %x : f32
    linalg.yield %t : f32
  }
  memref.dealloc %c : memref<8x96xf32>
  return
}

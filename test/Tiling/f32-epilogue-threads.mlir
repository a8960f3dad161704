// Epilogue fusion with threads: llm-parallelize-outer-loops puts a
// contraction's zero fill, the contraction and its fusible elementwise
// consumer into ONE scf.forall over the same column chunks (SPLIT), so that
// llm-tile-contractions fuses the consumer into the register tiles of each
// chunk (FUSED): no fill, no consumer and (unless the consumer writes in
// place) no C left, one parallel loop per matmul. 64 x 256 x 512 on two
// threads: two chunks of 256 columns (skylake-avx512: 4 x 64 register tiles;
// a 32 KiB L2 gives K blocks of 32, so the first/last k-block branches stay,
// and the A block is packed, pack-a, also with the fused epilogue).
// RUN: llm-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(llm-parallelize-outer-loops{threads=2 target-cpu=skylake-avx512 min-cycles=0}))' | FileCheck %s --check-prefix=SPLIT
// RUN: llm-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(llm-parallelize-outer-loops{threads=2 target-cpu=skylake-avx512 min-cycles=0},llm-tile-contractions{target-cpu=skylake-avx512 target-desc="l1=32K,l2=32K,l3=32M,threads=2"}))' | FileCheck %s --check-prefix=FUSED
// One thread (no split): the in-place form below is fused too (ONE).
// RUN: llm-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(llm-tile-contractions{target-cpu=skylake-avx512 target-desc="l1=32K,l2=32K,l3=32M,threads=1"}))' | FileCheck %s --check-prefix=ONE

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#col = affine_map<(d0, d1, d2) -> (d2)>

// Bias + tanh read through an expand_shape of C, written to %y.
// SPLIT-LABEL: func.func @bias_tanh
// SPLIT-SAME: (%[[A:.+]]: memref<64x256xf32>, %[[B:.+]]: memref<256x512xf32>, %[[BIAS:.+]]: memref<512xf32>, %[[Y:.+]]: memref<1x64x512xf32>)
// SPLIT: %[[C:.+]] = memref.alloc() {alignment = 64 : i64} : memref<64x512xf32>
// SPLIT-NOT: linalg.fill
// SPLIT: scf.forall (%[[N:.+]]) = (0) to (512) step (256) {
// SPLIT: %[[CC:.+]] = memref.subview %[[C]][0, %[[N]]] [64, 256] [1, 1]
// SPLIT-NEXT: linalg.fill ins(%{{.+}} : f32) outs(%[[CC]] :
// SPLIT-NEXT: linalg.matmul ins(%{{.+}}, %{{.+}} : {{.*}}) outs(%[[CC]] :
// SPLIT-NEXT: %[[V:.+]] = memref.expand_shape %[[CC]] {{\[}}[0, 1], [2]] output_shape [1, 64, 256]
// SPLIT-DAG: %[[BC:.+]] = memref.subview %[[BIAS]][%[[N]]] [256] [1]
// SPLIT-DAG: %[[YC:.+]] = memref.subview %[[Y]][0, 0, %[[N]]] [1, 64, 256] [1, 1, 1]
// SPLIT: linalg.generic {{.*}} ins(%[[V]], %[[BC]] : {{.*}}) outs(%[[YC]] :
// SPLIT: math.tanh
// SPLIT: }
// SPLIT-NEXT: }
// SPLIT-NOT: scf.forall
// SPLIT-NOT: linalg.generic
// SPLIT: return
// FUSED-LABEL: func.func @bias_tanh
// FUSED-SAME: (%[[A:.+]]: memref<64x256xf32>, %[[B:.+]]: memref<256x512xf32>, %[[BIAS:.+]]: memref<512xf32>, %[[Y:.+]]: memref<1x64x512xf32>)
// FUSED-NOT: memref<64x512xf32>
// FUSED: scf.forall (%[[N:.+]]) = (0) to (512) step (256) {
// FUSED-NEXT: %[[YC:.+]] = memref.subview %[[Y]][0, 0, %[[N]]] [1, 64, 256] [1, 1, 1]
// FUSED-NEXT: %[[PART:.+]] = memref.collapse_shape %[[YC]] {{\[}}[0, 1], [2]]
// The packed A block (KC = 32 + one line of padding) and the B micro-panel.
// FUSED-NEXT: %[[APACK:.+]] = memref.alloc() {alignment = 64 : i64} : memref<64x48xf32>
// FUSED-NEXT: memref.alloc() {alignment = 64 : i64} : memref<32x64xf32>
// FUSED: %[[FIRST:.+]] = arith.cmpi eq, %{{.+}}, %{{.+}} : index
// FUSED: %[[LAST:.+]] = arith.cmpi eq, %{{.+}}, %{{.+}} : index
// FUSED: scf.if %[[FIRST]] {
// FUSED-COUNT-16: vector.store %{{.+}}, %[[Y]][{{.+}}] : memref<1x64x512xf32>, vector<16xf32>
// FUSED: }
// FUSED-COUNT-16: vector.load %[[PART]][{{.+}}]
// FUSED: scf.for {{.+}} iter_args
// FUSED: vector.load %[[APACK]]
// FUSED-COUNT-16: vector.fma
// FUSED: scf.yield
// FUSED-COUNT-16: vector.store %{{.+}}, %[[PART]][{{.+}}]
// FUSED: scf.if %[[LAST]] {
// FUSED: %[[ACC:.+]] = vector.load %[[Y]][{{.+}}] : memref<1x64x512xf32>, vector<16xf32>
// FUSED: %[[BV:.+]] = vector.load %[[BIAS]][{{.+}}] : memref<512xf32>, vector<16xf32>
// FUSED: %[[SUM:.+]] = arith.addf %[[ACC]], %[[BV]] : vector<16xf32>
// FUSED: %[[T:.+]] = math.tanh %[[SUM]] : vector<16xf32>
// FUSED: vector.store %[[T]], %[[Y]][{{.+}}] : memref<1x64x512xf32>, vector<16xf32>
// FUSED-NOT: linalg.fill
// FUSED-NOT: linalg.generic
// FUSED-NOT: scf.forall
// FUSED-NOT: memref<64x512xf32>
// FUSED: return
func.func @bias_tanh(%a: memref<64x256xf32>, %b: memref<256x512xf32>, %bias: memref<512xf32>, %y: memref<1x64x512xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() {alignment = 64 : i64} : memref<64x512xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x512xf32>)
  linalg.matmul ins(%a, %b : memref<64x256xf32>, memref<256x512xf32>) outs(%c : memref<64x512xf32>)
  %v = memref.expand_shape %c [[0, 1], [2]] output_shape [1, 64, 512] : memref<64x512xf32> into memref<1x64x512xf32>
  linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%v, %bias : memref<1x64x512xf32>, memref<512xf32>) outs(%y : memref<1x64x512xf32>) {
  ^bb0(%x: f32, %bb: f32, %o: f32):
    %s = arith.addf %x, %bb : f32
    %t = math.tanh %s : f32
    linalg.yield %t : f32
  }
  memref.dealloc %c : memref<64x512xf32>
  return
}

// -----

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#col = affine_map<(d0, d1, d2) -> (d2)>

// The form llm-reuse-input-buffers gives a bias add (GPT-2's QKV
// projection): the consumer writes in place into the view of C and reads C
// through its output's block argument; C is returned (read after the loop).
// Each chunk's C holds the accumulators and receives the epilogue. (Not
// fused at all, even on one thread, before 2026-11-28 12:40.)
// SPLIT-LABEL: func.func @in_place_view
// SPLIT: %[[C:.+]] = memref.alloc() {alignment = 64 : i64} : memref<64x512xf32>
// SPLIT: %[[VIEW:.+]] = memref.expand_shape %[[C]]
// SPLIT: scf.forall (%[[N:.+]]) = (0) to (512) step (256) {
// SPLIT: %[[CC:.+]] = memref.subview %[[C]][0, %[[N]]] [64, 256] [1, 1]
// SPLIT-NEXT: linalg.fill ins(%{{.+}} : f32) outs(%[[CC]] :
// SPLIT-NEXT: linalg.matmul ins(%{{.+}}, %{{.+}} : {{.*}}) outs(%[[CC]] :
// SPLIT-NEXT: %[[V:.+]] = memref.expand_shape %[[CC]]
// SPLIT: linalg.generic {{.*}} ins(%{{.+}} : memref<256xf32, {{.*}}>) outs(%[[V]] :
// SPLIT: }
// SPLIT-NEXT: }
// SPLIT-NOT: scf.forall
// SPLIT: return %[[VIEW]]
// FUSED-LABEL: func.func @in_place_view
// FUSED-SAME: %[[BIAS:[^:]+]]: memref<512xf32>)
// FUSED: %[[C:.+]] = memref.alloc() {alignment = 64 : i64} : memref<64x512xf32>
// FUSED-NEXT: %[[VIEW:.+]] = memref.expand_shape %[[C]]
// FUSED-NEXT: scf.forall (%{{.+}}) = (0) to (512) step (256) {
// FUSED-NOT: linalg.fill
// FUSED: scf.if
// FUSED-COUNT-16: vector.store %{{.+}}, %[[C]][{{.+}}] : memref<64x512xf32>, vector<16xf32>
// FUSED: vector.fma
// FUSED: scf.if
// FUSED: %[[ACC:.+]] = vector.load %[[C]][{{.+}}] : memref<64x512xf32>, vector<16xf32>
// FUSED: %[[BV:.+]] = vector.load %[[BIAS]][{{.+}}] : memref<512xf32>, vector<16xf32>
// FUSED: %[[SUM:.+]] = arith.addf %[[ACC]], %[[BV]] : vector<16xf32>
// FUSED: vector.store %[[SUM]], %[[C]][{{.+}}] : memref<64x512xf32>, vector<16xf32>
// FUSED-NOT: linalg.fill
// FUSED-NOT: linalg.generic
// FUSED-NOT: scf.forall
// FUSED: return %[[VIEW]]
// ONE-LABEL: func.func @in_place_view
// ONE-SAME: %[[BIAS:[^:]+]]: memref<512xf32>)
// ONE: %[[C:.+]] = memref.alloc() {alignment = 64 : i64} : memref<64x512xf32>
// ONE-NOT: linalg.fill
// ONE: vector.fma
// ONE: %[[ACC:.+]] = vector.load %[[C]][{{.+}}] : memref<64x512xf32>, vector<16xf32>
// ONE: %[[BV:.+]] = vector.load %[[BIAS]][{{.+}}] : memref<512xf32>, vector<16xf32>
// ONE: %[[SUM:.+]] = arith.addf %[[ACC]], %[[BV]] : vector<16xf32>
// ONE: vector.store %[[SUM]], %[[C]][{{.+}}] : memref<64x512xf32>, vector<16xf32>
// ONE-NOT: linalg.generic
// ONE: return
func.func @in_place_view(%a: memref<64x256xf32>, %b: memref<256x512xf32>, %bias: memref<512xf32>) -> memref<1x64x512xf32> {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() {alignment = 64 : i64} : memref<64x512xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x512xf32>)
  linalg.matmul ins(%a, %b : memref<64x256xf32>, memref<256x512xf32>) outs(%c : memref<64x512xf32>)
  %v = memref.expand_shape %c [[0, 1], [2]] output_shape [1, 64, 512] : memref<64x512xf32> into memref<1x64x512xf32>
  linalg.generic {indexing_maps = [#col, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%bias : memref<512xf32>) outs(%v : memref<1x64x512xf32>) {
  ^bb0(%bb: f32, %o: f32):
    %s = arith.addf %o, %bb : f32
    linalg.yield %s : f32
  }
  return %v : memref<1x64x512xf32>
}

// -----

// No consumer (C is returned): the fill still joins the matmul's chunks
// (one fork, not one for the fill and one for the matmul).
// SPLIT-LABEL: func.func @fill_only
// SPLIT: %[[C:.+]] = memref.alloc() {alignment = 64 : i64} : memref<64x512xf32>
// SPLIT-NEXT: scf.forall (%[[N:.+]]) = (0) to (512) step (256) {
// SPLIT: %[[CC:.+]] = memref.subview %[[C]][0, %[[N]]] [64, 256] [1, 1]
// SPLIT-NEXT: linalg.fill ins(%{{.+}} : f32) outs(%[[CC]] :
// SPLIT-NEXT: linalg.matmul ins(%{{.+}}, %{{.+}} : {{.*}}) outs(%[[CC]] :
// SPLIT-NEXT: }
// SPLIT-NEXT: return %[[C]]
func.func @fill_only(%a: memref<64x256xf32>, %b: memref<256x512xf32>) -> memref<64x512xf32> {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() {alignment = 64 : i64} : memref<64x512xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x512xf32>)
  linalg.matmul ins(%a, %b : memref<64x256xf32>, memref<256x512xf32>) outs(%c : memref<64x512xf32>)
  return %c : memref<64x512xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#col2 = affine_map<(d0, d1) -> (d1)>

// The consumer writes into A's buffer: a chunk's epilogue would overwrite A
// while the other chunk's matmul still reads it. It stays a separate loop
// after the matmul (which still takes its fill).
// SPLIT-LABEL: func.func @output_is_a
// SPLIT: scf.forall
// SPLIT: linalg.fill
// SPLIT-NEXT: linalg.matmul
// SPLIT-NEXT: }
// SPLIT-NEXT: scf.forall
// SPLIT: linalg.generic
// FUSED-LABEL: func.func @output_is_a
// FUSED: scf.forall
// FUSED: vector.fma
// FUSED: scf.forall
// FUSED: linalg.generic
func.func @output_is_a(%a: memref<64x256xf32>, %b: memref<256x256xf32>, %bias: memref<256xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() {alignment = 64 : i64} : memref<64x256xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x256xf32>)
  linalg.matmul ins(%a, %b : memref<64x256xf32>, memref<256x256xf32>) outs(%c : memref<64x256xf32>)
  linalg.generic {indexing_maps = [#id2, #col2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%c, %bias : memref<64x256xf32>, memref<256xf32>) outs(%a : memref<64x256xf32>) {
  ^bb0(%x: f32, %bb: f32, %o: f32):
    %s = arith.addf %x, %bb : f32
    linalg.yield %s : f32
  }
  memref.dealloc %c : memref<64x256xf32>
  return
}

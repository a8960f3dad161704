// The thread stage of --llm-cpu-pipeline (docs/cpu.md, docs/tiling.md):
// with threads=2 the outermost parallel loop of each big op becomes one
// omp.parallel region with a worksharing loop, and nothing inside it forks
// again; the matmul's k loop stays sequential inside each chunk; an op below
// the work threshold stays sequential; threads=1 gives no OpenMP at all.
// RUN: llm-opt %s --llm-cpu-pipeline="threads=2 target-cpu=skylake-avx512" -split-input-file | FileCheck %s
// RUN: llm-opt %s --llm-cpu-pipeline="threads=1 target-cpu=skylake-avx512" -split-input-file | FileCheck %s --check-prefix=ONE
// The parallel stage on its own: the split of the matmul's n loop.
// RUN: llm-opt %s -split-input-file --pass-pipeline="builtin.module(convert-transformer-to-linalg,one-shot-bufferize{bufferize-function-boundaries},func.func(llm-parallelize-outer-loops{threads=2 target-cpu=skylake-avx512}))" | FileCheck %s --check-prefix=SPLIT

// ONE-NOT: omp.

// 128x768x768 matmul: n split into two chunks of 384 columns, one parallel
// region whose worksharing loop runs the two chunks; the cache (n, k, m)
// and register loops of each chunk are plain loops inside it. Each chunk
// allocates its own heap buffers for A's blocks and B's micro-panels
// (llm-tile-contractions' run-time packing) and frees them at its end.
// CHECK-LABEL: llvm.func @matmul(
// CHECK:         omp.parallel if(
// CHECK-NEXT:      omp.wsloop {
// CHECK-NEXT:        omp.loop_nest (%{{.+}}) : i64 = (%{{.+}}) to (%{{.+}}) step (%{{.+}}) {
// CHECK:               %[[ABUF:.+]] = llvm.call @malloc(
// CHECK:               %[[BBUF:.+]] = llvm.call @malloc(
// CHECK-NOT:           omp.parallel
// CHECK:               llvm.intr.fmuladd
// CHECK-NOT:           omp.parallel
// CHECK:               llvm.call @free(%[[BBUF]])
// CHECK-NEXT:          llvm.call @free(%[[ABUF]])
// CHECK-NEXT:          omp.yield
// CHECK:             omp.terminator
// CHECK-NOT:     omp.parallel
// CHECK:         llvm.return
// SPLIT-LABEL: func.func @matmul(
// SPLIT:         scf.forall (%[[N:.+]]) = (0) to (768) step (384) {
// SPLIT:           %[[B:.+]] = memref.subview %{{.+}}[0, %[[N]]] [768, 384] [1, 1]
// SPLIT:           %[[C:.+]] = memref.subview %{{.+}}[0, %[[N]]] [128, 384] [1, 1]
// SPLIT:           linalg.matmul ins(%{{.+}}, %[[B]] : {{.*}}) outs(%[[C]] :
func.func @matmul(%a: tensor<128x768xf32>, %b: tensor<768x768xf32>) -> tensor<128x768xf32> {
  %0 = transformer.matmul %a, %b : tensor<128x768xf32>, tensor<768x768xf32> -> tensor<128x768xf32>
  return %0 : tensor<128x768xf32>
}

// -----

// A 4x4 add is far below the work threshold: no parallel region.
// CHECK-LABEL: llvm.func @small(
// CHECK-NOT:     omp.parallel
// CHECK:         llvm.return
// SPLIT-LABEL: func.func @small(
// SPLIT-NOT:     scf.forall
func.func @small(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = transformer.add %a, %b : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// A linear layer with bias and GELU: the zero fill, the matmul and the
// epilogue share one parallel region (one fork per matmul,
// llm-parallelize-outer-loops), and the epilogue runs on the register tiles
// of each chunk (llm-tile-contractions' epilogue fusion; GELU's tanh
// approximated on vectors, ApproximateMath), not as a second parallel pass.
// (The split itself: test/Tiling/f32-epilogue-threads.mlir.)
// CHECK-LABEL: llvm.func @linear_gelu(
// CHECK:         omp.parallel if(
// CHECK-NOT:       omp.terminator
// CHECK:           llvm.intr.fmuladd
// CHECK-NOT:       omp.terminator
// CHECK:           llvm.fdiv %{{.+}}, %{{.+}} : vector<16xf32>
// CHECK:           omp.terminator
// CHECK-NOT:     omp.parallel
// CHECK:         llvm.return
// SPLIT-LABEL: func.func @linear_gelu(
func.func @linear_gelu(%a: tensor<128x768xf32>, %b: tensor<768x768xf32>, %bias: tensor<768xf32>) -> tensor<128x768xf32> {
  %0 = transformer.matmul %a, %b : tensor<128x768xf32>, tensor<768x768xf32> -> tensor<128x768xf32>
  %1 = transformer.add %0, %bias : tensor<128x768xf32>, tensor<768xf32> -> tensor<128x768xf32>
  %2 = transformer.gelu %1 approximation = tanh : tensor<128x768xf32>
  return %2 : tensor<128x768xf32>
}
